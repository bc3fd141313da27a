" tests/editors/vim.sh: run in `vim -Nu NONE -es` with editors/vim first in
" 'runtimepath'. Opens the file g:pw_file and writes to g:pw_out:
"   filetype=..., the ftplugin's options, then for each run of non-blank text
"   in one syntax group: LINE:COLUMN TEXT GROUP (`-` for none, plain text);
"   then the file re-indented (gg=G) from lines with no indentation.
filetype plugin indent on
syntax on
execute 'edit' fnameescape(g:pw_file)
let s:out = ['filetype=' . &filetype,
      \ printf('commentstring=%s shiftwidth=%d expandtab=%d indentexpr=%s',
      \        &commentstring, &shiftwidth, &expandtab, &indentexpr)]
for s:l in range(1, line('$'))
  let s:text = getline(s:l)
  let s:c = 1
  while s:c <= strlen(s:text)
    if s:text[s:c - 1] =~# '\s'
      let s:c += 1
      continue
    endif
    let s:name = synIDattr(synID(s:l, s:c, 1), 'name')
    let s:start = s:c
    while s:c <= strlen(s:text) && s:text[s:c - 1] !~# '\s'
          \ && synIDattr(synID(s:l, s:c, 1), 'name') ==# s:name
      let s:c += 1
    endwhile
    call add(s:out, printf('%d:%d %s %s', s:l, s:start, s:text[s:start - 1 : s:c - 2],
          \ s:name ==# '' ? '-' : s:name))
  endwhile
endfor
call writefile(s:out, g:pw_out)
" Indentation: strip it, let indent/pathway.vim put it back.
silent %s/^\s\+//e
normal! gg=G
call writefile(getline(1, '$'), g:pw_out . '.indented')
qall!
