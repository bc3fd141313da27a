" Pathway rule files: comments and layout as `pathway fmt` writes them
" (2 spaces per level, spaces only; docs/fmt.md).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s
setlocal comments=:#
setlocal formatoptions-=t formatoptions+=croql
setlocal shiftwidth=2 softtabstop=2 tabstop=8 expandtab
setlocal suffixesadd=.pw

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< shiftwidth<'
      \ . ' softtabstop< tabstop< expandtab< suffixesadd<'
