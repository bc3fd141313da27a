/* The `pathway` command's options: one table per command (cli_command), one
 * parser that walks it (cli_parse), and what is generated from the tables:
 * each command's --help (cli_print_help_of), the command list of `pathway
 * --help` and the shell completion scripts (completion.c). Adding an option
 * is adding an entry to its command's table; docs/architecture.md has the
 * checklist. */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* cli_parse's status after printing a command's help: the command exits 0. */
#define CLI_HELP (-1)

/* What an entry of a table is, and what the parser does with its value. */
typedef enum cli_kind {
    CLI_FLAG,   /* no value (`--check`; `--check=x` is an unknown option): sets a bool */
    CLI_STRING, /* `--name VALUE` or `--name=VALUE`: stores VALUE (a const char *) */
    CLI_CHOICE, /* as CLI_STRING, VALUE one of .choices: stores its number (an int) */
    CLI_CALL,   /* as CLI_STRING, VALUE read by .set */
    CLI_NOTE    /* no option: a line of the help's option list ("OLD, NEW", "(no option)") */
} cli_kind;

/* What a value is, for shell completion. */
typedef enum cli_complete {
    CLI_ANY,    /* nothing to offer (a date, a number, a program id) */
    CLI_FILE,   /* a file name */
    CLI_DIR,    /* a directory name */
    CLI_LIMITS  /* a --limit NAME= (cli_limit_names) */
} cli_complete;

/* A value of a CLI_CHOICE option; an alias is accepted and never offered. */
typedef struct cli_choice {
    const char *name;
    int value;
    bool alias;
} cli_choice;

enum { CLI_MAX_CHOICES = 8 };

typedef struct cli_choices {
    /* The error for any other value: "unknown WHAT `VALUE` (expected a, b or
     * c)", after "--option: " when `named`. */
    const char *what;
    bool named;
    cli_choice items[CLI_MAX_CHOICES]; /* up to the first without a name */
} cli_choices;

typedef struct cli_option cli_option;
/* Reads a CLI_CALL option's value into dest (the command's options at
 * .dest); CLI_OK, or CLI_USAGE after reporting why not. */
typedef int (*cli_setter)(const cli_option *opt, void *dest, const char *value);

struct cli_option {
    const char *name;        /* "--facts"; a CLI_NOTE's label */
    char short_name;         /* 'o' for `-o VALUE` (never `-oVALUE` or `-o=VALUE`); 0: none */
    const char *arg;         /* the value's name in the help ("FILE"); NULL for a flag */
    cli_kind kind;
    cli_complete complete;   /* what the value is (CLI_CHOICE: its choices) */
    size_t dest;             /* offset of the destination in the command's options */
    cli_setter set;          /* CLI_CALL */
    const cli_choices *choices; /* CLI_CHOICE */
    const char *help;        /* wrapped to the terminal's 79 columns; \n breaks a line */
    const char *brief;       /* the description completion shows; NULL: help's first clause */
};

/* The destination of an option: the field's offset in the options struct T,
 * which must have type `type` (a mismatch is a compile error: the pointer
 * comparison in sizeof is never evaluated, but it is type-checked). */
#define CLI_DEST(T, field, type) .dest = offsetof(T, field) + 0 * sizeof(&((T *)0)->field == (type *)0)

/* A command: its help, its options and what it does with its operands. */
typedef struct cli_command {
    const char *name;        /* "eval" */
    const char *synopsis;    /* its line in `pathway --help`: "RULES --facts FILE" */
    const char *summary;     /* what it does, one line (`pathway --help`, the man page) */
    const char *usage;       /* the help's first lines: "usage: pathway eval ..." */
    const char *about;       /* the paragraphs before the options; NULL: none */
    const cli_option *options;
    size_t noptions;
    const char *tail;        /* the paragraphs after the options; NULL: none */
    /* An operand (a word that is not an option, `-`, or anything after
     * `--`); CLI_OK or CLI_USAGE after reporting. */
    int (*operand)(const struct cli_command *cmd, void *opts, const char *arg);
    /* -h/--help anywhere before `--` prints the help, even after a bad
     * option or as an option's value (check, compile, disasm always did). */
    bool help_first;
    cli_complete operands;   /* what the operands are, for completion */
    const char *operand_words; /* or the words they are ("bash zsh fish"); NULL */
    int (*run)(int argc, char **argv);
} cli_command;

#define CLI_OPTIONS(table) .options = table, .noptions = sizeof table / sizeof *table

/* Walks argv[1..argc) (argv[0] is the command's name) through cmd's table
 * into opts: CLI_OK, CLI_USAGE after the message ("unknown option `-x`",
 * "--facts needs a value", or the entry's own), or CLI_HELP after printing
 * the help. Every command also takes -h and --help. */
int cli_parse(const cli_command *cmd, int argc, char **argv, void *opts);
/* Prints cmd's help: usage, about, the option list, tail. */
void cli_print_help_of(const cli_command *cmd, FILE *out);
/* Prints "pathway: MESSAGE", then cmd's help, to standard error; CLI_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Prints entries of a table as the help lists them. */
void cli_print_options(const cli_option *opts, size_t n, FILE *out);
/* The first clause of an option's help, for a completion menu, into buf. */
const char *cli_option_brief(const cli_option *opt, char *buf, size_t len);

/* -h, --help: every command's, printed last in its help. */
extern const cli_option cli_help_option;

/* Every command, in the order `pathway --help` lists them (main.c). */
extern const cli_command *const cli_commands[];
extern const size_t cli_ncommands;

/* The names --limit takes (main.c's table), NULL-terminated. */
const char *cli_limit_name(size_t i);

/* Setters the tables share (options.c). */
int cli_set_date(const cli_option *opt, void *dest, const char *value);   /* a pw_date */
int cli_set_limit(const cli_option *opt, void *dest, const char *value);  /* a cli_limits */
int cli_set_include_root(const cli_option *opt, void *dest, const char *value); /* a cli_limits */
int cli_set_changed(const cli_option *opt, void *dest, const char *value);  /* a pr_strings */

/* --limit and --include-root, the entries of every command over rule files
 * (T's field `limits` is a cli_limits). */
#define CLI_LIMIT_OPTIONS(T, field)                                                                  \
    {.name = "--limit", .arg = "NAME=N", .kind = CLI_CALL, .complete = CLI_LIMITS,                   \
     CLI_DEST(T, field, cli_limits), .set = cli_set_limit,                                           \
     .help = "change a limit on what the input may cost (repeatable): source-bytes, nesting, "      \
             "includes, errors, bytecode-bytes, list-items, json-depth, text-bytes, instructions, " \
             "record-bytes;\nN may end in k, M or G (x1024). See docs/robustness.md."},             \
    {.name = "--include-root", .arg = "DIR", .kind = CLI_CALL, .complete = CLI_DIR,                  \
     CLI_DEST(T, field, cli_limits), .set = cli_set_include_root,                                    \
     .help = "every file the rules include must be under DIR (for rules you did not write; see "    \
             "docs/robustness.md)"}

/* --changed FILE (repeatable): only the rule files that are FILE or include
 * it (cli_keep_changed); for hooks and CI on large repositories. */
#define CLI_CHANGED_OPTION(T, field)                                                                 \
    {.name = "--changed", .arg = "FILE", .kind = CLI_CALL, .complete = CLI_FILE,                     \
     CLI_DEST(T, field, pr_strings), .set = cli_set_changed,                                         \
     .help = "only the rule files (of those given) that are FILE or include it, directly or "       \
             "through other files (repeatable; a FILE that no longer exists keeps every file); "     \
             "see docs/ci.md"}

#endif
