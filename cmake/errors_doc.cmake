# Generates the C table of docs/errors.md's sections that
# `pathway check --explain CODE` prints, so that the prose has one source.
#   cmake -DIN=docs/errors.md -DOUT=error_docs.c -P errors_doc.cmake
# A section is a heading "## Ennnn: summary" up to the next "## " heading;
# its text (the heading and the anchor lines `<a id="ennnn"></a>` left out)
# becomes one C string literal. C11 promises string literals of 4095 bytes
# and -Wpedantic holds us to that, so a longer section is an error here.
cmake_minimum_required(VERSION 3.25)
if(NOT IN OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DIN=errors.md -DOUT=error_docs.c -P errors_doc.cmake")
endif()
file(READ "${IN}" text)
string(REGEX REPLACE "<a id=\"e[0-9]+\"></a>\n" "" text "${text}")
set(rows "")
set(count 0)
while(TRUE)
  string(FIND "${text}" "\n## E0" at)
  if(at EQUAL -1)
    break()
  endif()
  math(EXPR at "${at} + 4")
  string(SUBSTRING "${text}" ${at} -1 text)
  string(SUBSTRING "${text}" 0 5 code)
  if(NOT code MATCHES "^E[0-9][0-9][0-9][0-9]$")
    message(FATAL_ERROR "${IN}: a heading `## ${code}...` is not a code")
  endif()
  string(FIND "${text}" "\n" eol)
  math(EXPR eol "${eol} + 1")
  string(SUBSTRING "${text}" ${eol} -1 text)
  string(FIND "${text}" "\n## " end)
  if(end EQUAL -1)
    set(body "${text}")
  else()
    string(SUBSTRING "${text}" 0 ${end} body)
  endif()
  string(STRIP "${body}" body)
  string(LENGTH "${body}" len)
  if(len GREATER 4000)
    message(FATAL_ERROR "${IN}: the section of ${code} is ${len} bytes; at most 4000 fit in one C string")
  endif()
  # C string literal: backslashes, quotes, `?` (no trigraphs), line by line.
  string(REPLACE "\\" "\\\\" body "${body}")
  string(REPLACE "\"" "\\\"" body "${body}")
  string(REPLACE "?" "\\?" body "${body}")
  string(REPLACE "\n" "\\n\"\n     \"" body "${body}")
  string(APPEND rows "    {\"${code}\",\n     \"${body}\\n\"},\n")
  math(EXPR count "${count} + 1")
endwhile()
if(count EQUAL 0)
  message(FATAL_ERROR "${IN}: no section `## Ennnn: ...`")
endif()
file(WRITE "${OUT}"
  "/* Generated from docs/errors.md by cmake/errors_doc.cmake: do not edit. */\n"
  "#include \"cli/error_docs.h\"\n\n"
  "const cli_error_doc cli_error_docs[] = {\n${rows}};\n\n"
  "const size_t cli_error_ndocs = sizeof cli_error_docs / sizeof *cli_error_docs;\n")
