-- Pathway rule files in Neovim (0.7 or later): the `pathway` filetype for
-- *.pw files, and `pathway lsp` (docs/lsp.md) started for them with Neovim's
-- built-in LSP client: diagnostics as you type, formatting
-- (vim.lsp.buf.formatting() on 0.7, vim.lsp.buf.format() later) and the
-- outline (vim.lsp.buf.document_symbol()).
--
-- Setup, in init.lua (with this file on 'runtimepath' under lua/, or its
-- directory on package.path):
--   require("pathway").setup()
-- or with options:
--   require("pathway").setup({ cmd = { "/usr/local/bin/pathway", "lsp" } })
local M = {}

local defaults = {
  cmd = { "pathway", "lsp" },
  -- Extra fields for vim.lsp.start_client (on_attach, capabilities, ...).
  client = {},
}

-- One server per project directory: the directory of the first file opened
-- in it (includes are resolved relative to each file, so any will do).
local clients = {}

local function root_of(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = vim.fn.fnamemodify(name, ":p:h")
  return dir ~= "" and dir or vim.loop.cwd()
end

function M.attach(bufnr, opts)
  opts = opts or M.options or defaults
  local root = root_of(bufnr)
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    local config = vim.tbl_extend("keep", {
      name = "pathway",
      cmd = opts.cmd,
      root_dir = root,
    }, opts.client or {})
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", defaults, opts or {})
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { pw = "pathway" } })
  end
  local group = vim.api.nvim_create_augroup("pathway_lsp", { clear = true })
  -- Neovim 0.7 reads vim.filetype.add only with g:do_filetype_lua set: the
  -- autocommand covers it (setfiletype leaves a filetype already set alone).
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = "*.pw",
    command = "setfiletype pathway",
  })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "pathway",
    callback = function(args)
      M.attach(args.buf, M.options)
    end,
  })
end

return M
