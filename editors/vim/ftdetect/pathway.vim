" Pathway rule files (docs/language.md). `set filetype`, not `setfiletype`:
" a .pw file is Pathway even where another plugin claimed the extension.
autocmd BufNewFile,BufRead *.pw set filetype=pathway
