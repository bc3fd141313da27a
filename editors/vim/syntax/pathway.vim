" Vim syntax file
" Language:   Pathway rule language (docs/language.md)
" Filenames:  *.pw
" The reserved words are grammar/lexer.l's; tests/editors/vim.sh fails when
" one of them is not highlighted here. Words that are special only in one
" place (`decided by`, `as "KEY"`, `granted here`, `arrange`, `eligible`,
" `open`, `amends the previous version`, ...) are matched only there, as the
" scanner and parser read them, so that they stay free as names elsewhere.

if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syntax case match
syntax iskeyword @,48-57,_

" Anything the scanner refuses (defined first: every other item wins).
syntax match pathwayError "[^A-Za-z0-9_ \t{}()\[\],:.?=!<>+*\-\"#]"

" ---- comments, and lint directives (docs/lint.md) ----------------------
syntax keyword pathwayTodo contained TODO FIXME XXX
syntax match pathwayComment "#.*$" contains=pathwayTodo,@Spell
syntax match pathwayLintWord contained "\<\%(ignore-file\|ignore\|require\|citations\)\>"
syntax match pathwayLintCode contained "\<PW\d\+\>"
syntax match pathwayLintReason contained "--.*$"
syntax match pathwayLintDirective "#\s*lint:.*$" contains=pathwayLintWord,pathwayLintCode,pathwayLintReason

" ---- literals ------------------------------------------------------------
syntax match pathwayEscape contained +\\["\\nt]+
syntax match pathwayBadEscape contained +\\[^"\\nt]+
syntax region pathwayString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ oneline
      \ contains=pathwayEscape,pathwayBadEscape,@Spell
syntax match pathwayNumber "\<\d\+\>"
syntax match pathwayNumber "\<\d\+\.\d\+\>"
syntax match pathwayDate "\<\d\{4}-\d\{2}-\d\{2}\>"

" ---- reserved words --------------------------------------------------------
syntax keyword pathwayInclude include
syntax keyword pathwayDeclaration facts record define program requirements source example test
syntax keyword pathwayDeclaration known extend
syntax keyword pathwayType list set
syntax keyword pathwayRequirement require prefer advise citing grants valid
syntax keyword pathwayConditional if then else otherwise
syntax keyword pathwayLogical and or not
syntax keyword pathwayOperatorWord is in where of for all any at least count sum
syntax keyword pathwayOperatorWord since between following with
syntax keyword pathwayTestWord given expect unmet yet
syntax keyword pathwayPeriod effective from until assuming enrolment enrollment
syntax keyword pathwayUnit year years month months day days
syntax keyword pathwayBoolean true false
syntax keyword pathwayNone none
syntax keyword pathwayToday today
syntax keyword pathwayMonth January February March April May June July August
syntax keyword pathwayMonth September October November December

" ---- names -----------------------------------------------------------------
" A name before `:` (a field, parameter or record value), after `.` (a
" field read), before `(` (a call).
syntax match pathwayField "\<\h\w*\ze\s*:"
syntax match pathwayField "\.\@1<=\h\w*"
syntax match pathwayCall "\<\h\w*\ze\s*("
" A record's name in a list's type; the built-in types, where a type is
" written.
syntax match pathwayTypeName "\%(\<\%(list\|set\)\s\+of\s\+\)\@<=\h\w*"
syntax match pathwayBuiltinType "\%(:\s*\|\<of\s\+\)\@<=\<\%(integer\|number\|boolean\|text\|date\)\>"
" A declared name, after its keyword.
syntax match pathwayTypeName "\%(\<\%(facts\|record\)\s\+\)\@<=\h\w*"
syntax match pathwayFunctionName "\%(\<\%(define\|program\|requirements\)\s\+\)\@<=\h\w*"
syntax match pathwayConstantName "\%(\<\%(source\|known\|example\)\s\+\)\@<=\h\w*"
" A program's attribute: `hours 22`, `format "online"`.
syntax match pathwayAttribute "^\s*\zs\h\w*\ze\s\+\%(\"\|-\=\d\)"

" ---- words special in one place --------------------------------------------
syntax match pathwayRequirement "\<decided\ze\s\+by\>"
syntax match pathwayRequirement "\%(\<decided\s\+\)\@<=by\>"
syntax match pathwayRequirement "\<as\ze\s\+\""
syntax match pathwayRequirement "\<arrange\ze\s*\""
syntax match pathwayRequirement "\<granted\ze\s\+here\>"
syntax match pathwayRequirement "\%(\<granted\s\+\)\@<=here\>"
syntax match pathwayRequirement "^\s*\zs\%(drop\|replace\)\ze\s\+\""
syntax match pathwayTestWord "\<as\ze\s\+of\>"
syntax match pathwayTestWord "\<awaiting\ze\s\+decision\>"
syntax match pathwayTestWord "\%(\<awaiting\s\+\)\@<=decision\>"
syntax match pathwayTestWord "\%(\<expect\s\+\h\w*\s\+\)\@<=\%(eligible\|withdrawn\|closed\)\>"
syntax match pathwayTestWord "\%(\<not\s\+\)\@<=\%(eligible\|known\)\>"
syntax match pathwayTestWord "\%(\<yet\s\+\)\@<=open\>"
syntax match pathwayTestWord "\%(\<yet\s\+in\s\+\)\@<=force\>"
syntax match pathwayPeriod "\%(\<enrol\%(l\)\=ment\s\+\)\@<=open\>"
syntax match pathwayPeriod "\<amends\ze\s\+the\s\+previous\s\+version\>"
syntax match pathwayPeriod "\%(\<amends\s\+\)\@<=the\ze\s\+previous\>"
syntax match pathwayPeriod "\%(\<amends\s\+the\s\+\)\@<=previous\>"
syntax match pathwayPeriod "\%(\<the\s\+previous\s\+\)\@<=version\>"

" ---- operators -------------------------------------------------------------
syntax match pathwayOperator "!=\|<=\|>=\|[=<>+*?-]"
" Other languages' operators: the scanner says what to write instead.
syntax match pathwayError "==\|&&\|||\|!=\@!"

highlight default link pathwayComment Comment
highlight default link pathwayTodo Todo
highlight default link pathwayLintDirective SpecialComment
highlight default link pathwayLintWord PreProc
highlight default link pathwayLintCode Constant
highlight default link pathwayLintReason Comment
highlight default link pathwayString String
highlight default link pathwayEscape SpecialChar
highlight default link pathwayBadEscape Error
highlight default link pathwayNumber Number
highlight default link pathwayDate Constant
highlight default link pathwayInclude Include
highlight default link pathwayDeclaration Structure
highlight default link pathwayType Type
highlight default link pathwayBuiltinType Type
highlight default link pathwayRequirement Statement
highlight default link pathwayConditional Conditional
highlight default link pathwayLogical Operator
highlight default link pathwayOperatorWord Keyword
highlight default link pathwayTestWord Keyword
highlight default link pathwayPeriod Keyword
highlight default link pathwayUnit Special
highlight default link pathwayBoolean Boolean
highlight default link pathwayNone Constant
highlight default link pathwayToday Constant
highlight default link pathwayMonth Constant
highlight default link pathwayField Identifier
highlight default link pathwayCall Function
highlight default link pathwayTypeName Type
highlight default link pathwayFunctionName Function
highlight default link pathwayConstantName Identifier
highlight default link pathwayAttribute Identifier
highlight default link pathwayOperator Operator
highlight default link pathwayError Error

let b:current_syntax = 'pathway'
let &cpo = s:cpo_save
unlet s:cpo_save
