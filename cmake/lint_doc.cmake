# Generates the C table of docs/lint.md's rule sections that
# `pathway lint --format sarif` gives code scanning as each rule's
# fullDescription and help, so that the prose has one source.
#   cmake -DIN=docs/lint.md -DOUT=lint_docs.c -P lint_doc.cmake
# A section is a heading "## PWnnn: title" up to the next heading or anchor
# line (`<a id=...>`); the title becomes the fullDescription (capitalised,
# with a period), the section's lines the help (markdown), one C string per
# line: C11 promises string literals of only 4095 bytes, and a section may
# be longer. HTML comments (`<!-- output of: ... -->`) are left out.
cmake_minimum_required(VERSION 3.25)
if(NOT IN OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DIN=lint.md -DOUT=lint_docs.c -P lint_doc.cmake")
endif()
file(READ "${IN}" text)
# C string literal of one line: backslashes, quotes, `?` (no trigraphs).
function(c_string out line)
  string(REPLACE "\\" "\\\\" line "${line}")
  string(REPLACE "\"" "\\\"" line "${line}")
  string(REPLACE "?" "\\?" line "${line}")
  string(REPLACE "\t" "\\t" line "${line}")
  set(${out} "\"${line}\"" PARENT_SCOPE)
endfunction()
set(arrays "")
set(rows "")
set(count 0)
while(TRUE)
  string(FIND "${text}" "\n## PW" at)
  if(at EQUAL -1)
    break()
  endif()
  math(EXPR at "${at} + 4")
  string(SUBSTRING "${text}" ${at} -1 text)
  string(FIND "${text}" "\n" eol)
  string(SUBSTRING "${text}" 0 ${eol} heading)
  if(NOT heading MATCHES "^(PW[0-9][0-9][0-9]): (.+)$")
    message(FATAL_ERROR "${IN}: a heading `## ${heading}` is not `## PWnnn: title`")
  endif()
  set(code "${CMAKE_MATCH_1}")
  set(title "${CMAKE_MATCH_2}")
  string(SUBSTRING "${title}" 0 1 first)
  string(TOUPPER "${first}" first)
  string(SUBSTRING "${title}" 1 -1 rest)
  set(title "${first}${rest}.")
  math(EXPR eol "${eol} + 1")
  string(SUBSTRING "${text}" ${eol} -1 text)
  # The section ends at the next heading or anchor.
  set(end -1)
  string(FIND "${text}" "\n## " h)
  string(FIND "${text}" "\n<a id=" a)
  if(NOT h EQUAL -1)
    set(end ${h})
  endif()
  if(NOT a EQUAL -1 AND (end EQUAL -1 OR a LESS end))
    set(end ${a})
  endif()
  if(end EQUAL -1)
    set(body "${text}")
  else()
    string(SUBSTRING "${text}" 0 ${end} body)
  endif()
  string(STRIP "${body}" body)
  string(TOLOWER "${code}" lower)
  set(lines "")
  # CMake lists split at `;`: keep them as a placeholder through the split.
  string(REPLACE ";" "@SEMI@" body "${body}")
  string(REPLACE "\n" ";" body_lines "${body}")
  foreach(line IN LISTS body_lines)
    string(REPLACE "@SEMI@" ";" line "${line}")
    if(line MATCHES "^<!--.*-->$")
      continue()
    endif()
    c_string(lit "${line}")
    string(APPEND lines "    ${lit},\n")
  endforeach()
  c_string(title_lit "${title}")
  string(APPEND arrays "static const char *const ${lower}_help[] = {\n${lines}    NULL};\n\n")
  string(APPEND rows "    {\"${code}\", ${title_lit}, ${lower}_help, NULL},\n")
  math(EXPR count "${count} + 1")
endwhile()
if(count EQUAL 0)
  message(FATAL_ERROR "${IN}: no section `## PWnnn: ...`")
endif()
file(WRITE "${OUT}"
  "/* Generated from docs/lint.md by cmake/lint_doc.cmake: do not edit. */\n"
  "#include <stddef.h>\n\n"
  "#include \"cli/lint_docs.h\"\n\n"
  "${arrays}"
  "const pd_rule_doc cli_lint_docs[] = {\n${rows}};\n\n"
  "const size_t cli_lint_ndocs = sizeof cli_lint_docs / sizeof *cli_lint_docs;\n")
