-- Filters for every conversion, in two passes.
--
-- 1. pandoc's typst writer drops an image's alt text, and a PDF/UA document
--    without it is refused: write images as raw typst with their alt text,
--    and stop on an image that has none, in every format. Top-down, so that
--    a figure is seen before the image inside it.
-- 2. pandoc escapes a paragraph that starts like typst markup ("30. juni",
--    "- x", "= y") but not a table cell, where typst would then make a list
--    or a heading of it: escape the first character there.
--    And what a reader needs on one page stays there: a short paragraph that
--    leads into a list or a table goes with it to the next page, and a line
--    block (a letter's closing and signature, an address) or a short table is
--    not split.

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

local function Figure(fig)
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

local function Image(img)
  if FORMAT ~= "typst" then
    if pandoc.utils.stringify(img.caption) == "" then
      error("image " .. img.src .. " has no alt text; write ![what it shows](" .. img.src .. ")")
    end
    return nil
  end
  return pandoc.RawInline("typst", "#box(" .. image_call(img) .. ")")
end

local MARKUP_START = { "^%d+%.$", "^%-", "^%+", "^=", "^/" }

local function escape_cell_start(plain)
  local first = plain.content[1]
  if not first or first.t ~= "Str" then
    return nil
  end
  for _, pattern in ipairs(MARKUP_START) do
    if first.text:match(pattern) then
      plain.content[1] = pandoc.RawInline("typst", "\\" .. first.text)
      return plain
    end
  end
  return nil
end

local function Table(tbl)
  if FORMAT ~= "typst" then
    return nil
  end
  return tbl:walk({ Plain = escape_cell_start })
end

local LEAD_IN = 600 -- characters: a longer paragraph may end a page without what follows it
local SHORT_TABLE = 12 -- rows: a table this short moves whole to the next page rather than leave a row behind
local SHORT_TABLE_TEXT = 1000 -- characters: a table with more text is a page or so, and breaks between its rows
local FOLLOWS = { BulletList = true, OrderedList = true, Table = true, Figure = true }

local function rows(tbl)
  local n = #tbl.head.rows + #tbl.foot.rows
  for _, body in ipairs(tbl.bodies) do
    n = n + #body.body
  end
  return n
end

local function Blocks(blocks)
  if FORMAT ~= "typst" then
    return nil
  end
  local out, changed = pandoc.Blocks({}), false
  for i, block in ipairs(blocks) do
    local next = blocks[i + 1]
    local open
    if block.t == "Para" and next and FOLLOWS[next.t] and #pandoc.utils.stringify(block) <= LEAD_IN then
      open = "#block(sticky: true)["
    elseif
      block.t == "LineBlock"
      or (block.t == "Table" and rows(block) <= SHORT_TABLE and #pandoc.utils.stringify(block) <= SHORT_TABLE_TEXT)
    then
      open = "#block(breakable: false)["
    end
    if open then -- the block as it is, inside typst's: no second conversion of its text
      out:extend({ pandoc.RawBlock("typst", open), block, pandoc.RawBlock("typst", "]") })
      changed = true
    else
      out:insert(block)
    end
  end
  return changed and out or nil
end

return {
  { traverse = "topdown", Figure = Figure, Image = Image },
  { Table = Table, Blocks = Blocks },
}
