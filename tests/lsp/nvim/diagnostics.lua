-- lsp.neovim: Neovim's own LSP client, headless, opens a rule file with
-- errors through editors/nvim/pathway.lua, waits for the server's
-- diagnostics and writes them, one per line, to $PW_OUT; then formats the
-- buffer through the server and writes whether the text changed; then, on a
-- copy of the shipped USATF rules, a hover with a citation and a go to
-- definition into the included file. Positions
-- are Neovim's (0-based line, byte column): the server's UTF-16 columns
-- converted back by the client.
local out = assert(os.getenv("PW_OUT"))
local lines = {}
local function done(status)
  local f = assert(io.open(out, "w"))
  for _, l in ipairs(lines) do
    f:write(l, "\n")
  end
  f:close()
  vim.cmd(status == 0 and "qall!" or "cquit! " .. status)
end

package.path = os.getenv("PW_NVIM_DIR") .. "/?.lua;" .. package.path
require("pathway").setup({ cmd = { os.getenv("PW_BIN"), "lsp", "--debounce", "20" } })

vim.api.nvim_create_autocmd("VimEnter", {
  nested = true, -- so that :edit runs the filetype autocommands
  callback = function()
    vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("PW_FILE")))
    table.insert(lines, "filetype " .. vim.bo.filetype)
    local ok = vim.wait(60000, function()
      return #vim.diagnostic.get(0) > 0
    end, 50)
    if not ok then
      table.insert(lines, "no diagnostics")
      return done(1)
    end
    local diags = vim.diagnostic.get(0)
    table.sort(diags, function(a, b)
      return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
    end)
    for _, d in ipairs(diags) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
      table.insert(lines, string.format("%d:%d-%d:%d severity=%d %s %s", d.lnum, d.col, d.end_lnum,
        d.end_col, d.severity, code, (d.message:gsub("\n", " | "))))
    end
    -- Formatting through the server (0.7: formatting_sync).
    local before = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
    if vim.lsp.buf.format then
      vim.lsp.buf.format({ timeout_ms = 60000 })
    else
      vim.lsp.buf.formatting_sync(nil, 60000)
    end
    local after = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    table.insert(lines, "formatted " .. tostring(before ~= table.concat(after, "\n")))
    for i, l in ipairs(after) do
      if l:find("hours") then
        table.insert(lines, "line " .. i .. ": " .. l)
      end
    end

    -- The shipped USATF rules: hover on a requirement shows its citation,
    -- and go to definition leads into the file it includes.
    vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("PW_USATF")))
    local function request(method, line, needle, skip)
      local text = vim.api.nvim_buf_get_lines(0, line - 1, line, false)[1]
      vim.api.nvim_win_set_cursor(0, { line, text:find(needle, 1, true) - 1 + (skip or 0) })
      local params = vim.lsp.util.make_position_params()
      local result
      vim.wait(60000, function()
        local got = vim.lsp.buf_request_sync(0, method, params, 10000)
        for _, r in pairs(got or {}) do
          if r.result then
            result = r.result
          end
        end
        return result ~= nil
      end, 100)
      return result
    end
    local at = vim.fn.search('require "USATF membership": member("usatf") citing bridge_enrol')
    local hover = request("textDocument/hover", at, '"USATF membership"', 2)
    if not hover then
      table.insert(lines, "no hover")
      return done(1)
    end
    for l in hover.contents.value:gmatch("[^\n]+") do
      table.insert(lines, "hover: " .. l)
    end
    local def = request("textDocument/definition", at, "member(")
    if not def then
      table.insert(lines, "no definition")
      return done(1)
    end
    def = def.uri and def or def[1]
    table.insert(lines, string.format("definition: %s:%d", vim.fn.fnamemodify(vim.uri_to_fname(def.uri), ":t"),
      def.range.start.line + 1))
    done(0)
  end,
})
