" Pathway rule files: one level (shiftwidth, 2 spaces as `pathway fmt`
" writes) inside each `{`, `[` and `(` left open at the end of a line; a line
" that starts by closing one goes back a level. Other lines keep the
" indentation of the line above (fmt's continuation lines are kept as typed).
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=PathwayIndent(v:lnum)
setlocal indentkeys=0},0],0),!^F,o,O
setlocal autoindent nosmartindent nocindent
let b:undo_indent = 'setlocal indentexpr< indentkeys< autoindent< smartindent< cindent<'

if exists('*PathwayIndent')
  finish
endif

" A line without its strings and its comment: a `{` or `#` inside quotes
" opens nothing.
function! s:Code(lnum) abort
  let line = substitute(getline(a:lnum), '"\%([^"\\]\|\\.\)*"', '""', 'g')
  return substitute(line, '\s*#.*$', '', '')
endfunction

function! PathwayIndent(lnum) abort
  let prev = prevnonblank(a:lnum - 1)
  if prev == 0
    return 0
  endif
  let ind = indent(prev)
  if s:Code(prev) =~# '[{[(]\s*$'
    let ind += shiftwidth()
  endif
  if getline(a:lnum) =~# '^\s*[}\])]'
    let ind -= shiftwidth()
  endif
  return ind < 0 ? 0 : ind
endfunction
