-- Run by tests/editors_neovim.rs inside `nvim --headless --clean -u recipe.lua`,
-- where recipe.lua is docs/editors.md's Neovim recipe, verbatim. It drives
-- Neovim's own LSP client (the recipe's `policy lsp`) through a workspace
-- the Rust test wrote, and writes what Neovim saw as JSON to $ARCH_OUT.
local ws, out = vim.env.ARCH_WS, vim.env.ARCH_OUT
local results = { version = tostring(vim.version()) }

local function wait(what, fn)
  if not vim.wait(20000, fn, 20) then
    error('timed out waiting for ' .. what)
  end
end

local function client_of(buf)
  local function clients()
    return vim.lsp.get_clients({ bufnr = buf, name = 'archpolicy' })
  end
  wait('the archpolicy client on ' .. vim.api.nvim_buf_get_name(buf), function()
    return #clients() > 0 and clients()[1].initialized
  end)
  return clients()[1]
end

local function diagnostics(buf, ready)
  wait('diagnostics on ' .. vim.api.nvim_buf_get_name(buf), function()
    return ready(vim.diagnostic.get(buf))
  end)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, {
      line = d.lnum,
      col = d.col,
      end_col = d.end_col,
      severity = vim.diagnostic.severity[d.severity],
      code = d.code,
      message = d.message,
    })
  end
  table.sort(list, function(a, b)
    return a.line < b.line or (a.line == b.line and a.col < b.col)
  end)
  return list
end

local function any(list)
  return #list > 0
end

--- Puts the cursor on the first `needle` of the current buffer, `offset` bytes in.
local function cursor_on(needle, offset)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local start = line:find(needle, 1, true)
    if start then
      vim.api.nvim_win_set_cursor(0, { i, start - 1 + (offset or 0) })
      return
    end
  end
  error('no `' .. needle .. '` in ' .. vim.api.nvim_buf_get_name(0))
end

--- A request at the cursor through Neovim's client; the one client's result.
local function request(method)
  local buf = vim.api.nvim_get_current_buf()
  local responses = vim.lsp.buf_request_sync(buf, method, function(client)
    return vim.lsp.util.make_position_params(0, client.offset_encoding)
  end, 10000)
  assert(responses, method .. ' got no answer')
  for _, response in pairs(responses) do
    assert(not response.err, method .. ': ' .. vim.inspect(response.err))
    return response.result
  end
  error(method .. ' got no answer')
end

local function text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
end

local function run()
  -- The proposal: a misspelt key, and the workspace policy's finding.
  vim.cmd.edit(vim.fs.joinpath(ws, 'api.arch.yaml'))
  local proposal = vim.api.nvim_get_current_buf()
  local client = client_of(proposal)
  results.filetype = vim.bo[proposal].filetype
  results.offset_encoding = client.offset_encoding
  results.root_dir = client.root_dir
  results.proposal_diagnostics = diagnostics(proposal, any)

  -- A misspelt key, typed: a load error (and no findings until it loads).
  cursor_on('  timeout:')
  local row = vim.fn.line('.')
  vim.api.nvim_buf_set_lines(proposal, row - 1, row, false, { '  timout: 25s' })
  results.typo_diagnostics = diagnostics(proposal, function(list)
    return #list > 0 and list[1].message:find('timout', 1, true) ~= nil
  end)
  vim.api.nvim_buf_set_lines(proposal, row - 1, row, false, { '  timeout: 25s' })
  diagnostics(proposal, function(list)
    return #list > 0 and list[1].message:find('timout', 1, true) == nil
  end)

  cursor_on('memory:', 2)
  local hover = request('textDocument/hover')
  results.hover = hover and hover.contents.value

  -- Typing a key of `function:`: its completions.
  cursor_on('  memory:')
  vim.api.nvim_buf_set_lines(proposal, vim.fn.line('.'), vim.fn.line('.'), false, { '  arch' })
  vim.api.nvim_win_set_cursor(0, { vim.fn.line('.') + 1, 6 })
  local items = request('textDocument/completion')
  results.completion = {}
  for _, item in ipairs(items and (items.items or items) or {}) do
    table.insert(results.completion, item.label)
  end
  vim.cmd('silent undo')

  -- Go to definition with Neovim's default key: CTRL-] through 'tagfunc'.
  results.tagfunc = vim.bo[proposal].tagfunc
  results.gd_mapping = vim.fn.maparg('gd', 'n')
  results.K_mapping = vim.fn.maparg('K', 'n')
  cursor_on('quick-requests', 3)
  vim.cmd('normal! ' .. vim.keycode('<C-]>'))
  local pos = vim.api.nvim_win_get_cursor(0)
  results.definition = { file = vim.api.nvim_buf_get_name(0), line = pos[1] - 1, col = pos[2] }

  -- A policy with a typo: its diagnostic, its quick fix, then formatting.
  vim.cmd.edit(vim.fs.joinpath(ws, 'draft.policy'))
  local policy = vim.api.nvim_get_current_buf()
  client_of(policy)
  results.policy_filetype = vim.bo[policy].filetype
  results.policy_diagnostics = diagnostics(policy, any)
  local d = results.policy_diagnostics[1]
  vim.api.nvim_win_set_cursor(0, { d.line + 1, d.col })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.kind == 'quickfix'
    end,
  })
  wait('the quick fix', function()
    return not text(policy):find('max_reqest', 1, true)
  end)
  results.fixed = text(policy)
  diagnostics(policy, function(list)
    return #list == 0
  end)
  vim.lsp.buf.format({ bufnr = policy, timeout_ms = 10000 })
  results.formatted = text(policy)

  -- The recipe attaches the workspace config too. The server publishes no
  -- diagnostics on it; a misspelt key, saved, shows on the open proposal
  -- once the server reloads the config.
  vim.cmd.edit(vim.fs.joinpath(ws, '.archpolicy.yaml'))
  local config = vim.api.nvim_get_current_buf()
  results.config_attached = client_of(config) ~= nil
  vim.api.nvim_buf_set_lines(config, -1, -1, false, { 'with_standrd: false' })
  vim.cmd('silent write')
  results.config_reloaded_on_save = vim.wait(3000, function()
    for _, d in ipairs(vim.diagnostic.get(proposal)) do
      if d.message:find('with_standrd', 1, true) then
        return true
      end
    end
    return false
  end, 20)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  results.error = err
end
local file = assert(io.open(out, 'w'))
file:write(vim.json.encode(results))
file:close()
vim.cmd('qa!')
