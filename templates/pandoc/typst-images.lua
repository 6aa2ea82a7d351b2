-- pandoc's typst writer drops an image's alt text, and a PDF/UA document
-- without it is refused; write images as raw typst with their alt text,
-- and stop on an image that has none. Top-down, so that a figure is seen
-- before the image inside it.
traverse = "topdown"

local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function image_call(img)
  local alt = pandoc.utils.stringify(img.caption)
  if alt == "" then
    alt = img.attributes["alt"] or ""
  end
  if alt == "" then
    error("image " .. img.src .. " has no alt text; write ![what it shows](" .. img.src .. ")")
  end
  local width = img.attributes["width"]
  local args = typst_string(img.src) .. ", alt: " .. typst_string(alt)
  if width then
    args = args .. ", width: " .. width:gsub("%%$", "%%")
  end
  return "image(" .. args .. ")"
end

function Figure(fig)
  if FORMAT ~= "typst" then
    return nil
  end
  local img
  fig.content:walk({ Image = function(i) img = img or i end })
  if not img then
    return nil
  end
  local caption = pandoc.write(pandoc.Pandoc(fig.caption.long), "typst")
  return pandoc.RawBlock("typst", "#figure(" .. image_call(img) .. ", caption: [" .. caption .. "])")
end

function Image(img)
  if FORMAT ~= "typst" then
    if pandoc.utils.stringify(img.caption) == "" then
      error("image " .. img.src .. " has no alt text; write ![what it shows](" .. img.src .. ")")
    end
    return nil
  end
  return pandoc.RawInline("typst", "#box(" .. image_call(img) .. ")")
end
