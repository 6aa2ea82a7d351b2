-- A long-lived pandoc: converts one document after another, read from stdin,
-- so that a batch pays pandoc's start-up once per worker, not per conversion.
--
--   pandoc lua worker.lua REFERENCE_DOCX DOCX_TEMPLATE TYPST_TEMPLATE FILTER
--
-- Request:  "<formats> <number of images> <markdown bytes>\n", formats being
--           "docx", "typst" or "docx,typst" (the Markdown is read once),
--           then per image "<name bytes> <data bytes>\n<name><data>",
--           then the Markdown.
-- Response: "ok <bytes>[,<bytes>]\n<output>[<output>]" or "error <bytes>\n<message>".
--
-- It does what `pandoc --from=markdown --lua-filter=FILTER --fail-if-warnings
-- --to=docx --reference-doc=... --template=... | --to=typst --standalone --template=...` does:
-- same reader and writer options, the filters in order, any warning an error.
-- Images come with the request, into an emptied media bag: nothing is read
-- from disk but the four files named at start.

local reference_doc, docx_template_path, typst_template_path, filter_path = arg[1], arg[2], arg[3], arg[4]

local filters = dofile(filter_path)

local function template(path)
  local file = assert(io.open(path, "r"))
  local compiled = pandoc.template.compile(file:read("a"), path)
  file:close()
  return compiled
end

local docx_template, typst_template = template(docx_template_path), template(typst_template_path)

local function read_exactly(n)
  if n == 0 then
    return ""
  end
  local data = io.stdin:read(n)
  if data == nil or #data ~= n then
    error("fkj worker: input ended early", 0)
  end
  return data
end

local function write(source, format)
  FORMAT = format -- the filters ask which format they are writing
  local doc = source
  for _, filter in ipairs(filters) do
    doc = doc:walk(filter)
  end
  doc:walk({
    Image = function(image) -- only the images sent with the request (typst finds its own in the folder)
      if pandoc.mediabag.lookup(image.src) == nil then
        error("could not find image " .. image.src, 0)
      end
    end,
  })
  if format == "docx" then
    return pandoc.write(doc, "docx", { reference_doc = reference_doc, template = docx_template })
  end
  return pandoc.write(doc, "typst", { template = typst_template })
end

local function convert(formats, markdown)
  local doc = pandoc.read(markdown, "markdown", { columns = 72 })
  local outputs = {}
  for format in formats:gmatch("[^,]+") do
    table.insert(outputs, write(doc, format))
  end
  return outputs
end

local function respond(status, parts)
  local sizes = {}
  for i, part in ipairs(parts) do
    sizes[i] = tostring(#part)
  end
  io.stdout:write(status, " ", table.concat(sizes, ","), "\n", table.concat(parts))
  io.stdout:flush()
end

io.stdout:setvbuf("full")
while true do
  local header = io.stdin:read("l")
  if header == nil then
    break
  end
  local formats, images, length = header:match("^([%a,]+) (%d+) (%d+)$")
  if formats == nil then
    respond("error", { "fkj worker: bad request " .. header })
    break
  end
  pandoc.mediabag.empty()
  for _ = 1, tonumber(images) do
    local name_length, data_length = io.stdin:read("l"):match("^(%d+) (%d+)$")
    local name = read_exactly(tonumber(name_length))
    pandoc.mediabag.insert(name, "image/png", read_exactly(tonumber(data_length)))
  end
  local markdown = read_exactly(tonumber(length))
  local messages, ok, result = pandoc.log.silence(pcall, convert, formats, markdown)
  local warnings = {}
  for _, message in ipairs(messages) do
    local entry = pandoc.json.decode(pandoc.json.encode(message))
    if entry.verbosity ~= "INFO" then
      table.insert(warnings, "[WARNING] " .. entry.pretty)
    end
  end
  if not ok then
    respond("error", { tostring(result) })
  elseif #warnings > 0 then
    respond("error", { table.concat(warnings, "\n") })
  else
    respond("ok", result)
  end
  result, markdown, messages = nil, nil, nil
  collectgarbage() -- a full collection per document keeps the worker at one document's size
end
