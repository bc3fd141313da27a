/* Reports of `pathway test --mutate`: text for people, JSON for tools. */
#include <string.h>

#include "ruletest_int.h"

double pr_mutation_score(size_t killed, size_t counted)
{
    if (counted == 0)
        return 100.0;
    /* Rounded down to a tenth: 99.96% must not read as 100%. */
    return (double)((killed * 1000) / counted) / 10.0;
}

static const char *pr_outcome_word(pr_outcome o)
{
    return o == PR_KILLED ? "KILLED" : o == PR_SURVIVED ? "SURVIVED" : o == PR_EQUIVALENT ? "EQUIVALENT" : "NOT COMPILED";
}

/* Text with every line after a newline indented by `indent`. */
static void pr_indented(const char *text, const char *indent, pd_buf *out)
{
    pd_buf_printf(out, "%s", indent);
    for (const char *p = text; *p; p++) {
        pd_buf_printf(out, "%c", *p);
        if (*p == '\n' && p[1] && p[1] != '\n')
            pd_buf_printf(out, "%s", indent);
    }
}

/* Under a survivor: the coach and day that tell it from the rules, and the
 * tests to paste; or that none was found. */
static void pr_render_suggestion(const pr_mutant *u, pd_buf *out)
{
    if (u->outcome != PR_SURVIVED)
        return;
    if (u->no_witness) {
        pd_buf_printf(out, "  no coach and day found on which it changes a decision (the file's tests' coaches "
                           "on other days, with one field changed or their dates moved, within the search's "
                           "horizon): a candidate equivalent mutant\n");
        return;
    }
    if (!u->witness)
        return;
    pd_buf_printf(out, "  %s; suggested test%s:\n", u->witness, strstr(u->suggestion, "\n\n") ? "s" : "");
    pr_indented(u->suggestion, "    ", out);
}

void pr_render_mutation(const pr_mutation *m, bool all, pd_buf *out)
{
    if (m->error) {
        pd_buf_printf(out, "ERROR %s: %s: no mutants run\n", m->path, m->error);
        return;
    }
    if (m->no_tests) {
        pd_buf_printf(out, "SKIP %s: declares no tests\n", m->path);
        return;
    }
    for (size_t i = 0; i < m->n; i++) {
        const pr_mutant *u = &m->mutants[i];
        if (u->outcome == PR_KILLED && !all)
            continue;
        pd_buf_printf(out, "%s %s:%u:%u `%s` -> `%s`", pr_outcome_word(u->outcome), u->file, u->line,
                      u->column, u->before, u->after[0] ? u->after : "(removed)");
        if (u->outcome == PR_KILLED)
            pd_buf_printf(out, " (by \"%s\")", u->killed_by ? u->killed_by : "");
        if (u->outcome == PR_EQUIVALENT)
            pd_buf_printf(out, "\n  %s; not counted", u->equivalent);
        pd_buf_printf(out, "\n");
        pr_render_suggestion(u, out);
    }
    size_t counted = m->killed + m->survived;
    pd_buf_printf(out, "%s: %zu mutant%s: %zu killed, %zu survived", m->path, m->n, m->n == 1 ? "" : "s",
                  m->killed, m->survived);
    if (m->uncompiled)
        pd_buf_printf(out, ", %zu not compiled (not counted)", m->uncompiled);
    if (m->equivalent)
        pd_buf_printf(out, ", %zu equivalent (not counted)", m->equivalent);
    pd_buf_printf(out, "; mutation score %.1f%% (%.2f s)\n", pr_mutation_score(m->killed, counted),
                  m->seconds);
}

static void pr_json_mutant(const pr_mutant *u, pd_buf *out)
{
    pd_buf_printf(out, "{\"file\":");
    pd_json_str(out, u->file);
    const char *word = u->outcome == PR_KILLED       ? "killed"
                       : u->outcome == PR_SURVIVED   ? "survived"
                       : u->outcome == PR_EQUIVALENT ? "equivalent"
                                                     : "not_compiled";
    pd_buf_printf(out, ",\"line\":%u,\"column\":%u,\"outcome\":\"%s\",\"before\":", u->line, u->column,
                  word);
    pd_json_str(out, u->before);
    pd_buf_printf(out, ",\"after\":");
    pd_json_str(out, u->after);
    if (u->killed_by) {
        pd_buf_printf(out, ",\"killed_by\":");
        pd_json_str(out, u->killed_by);
    }
    if (u->outcome == PR_EQUIVALENT) {
        pd_buf_printf(out, ",\"equivalent_because\":");
        pd_json_str(out, u->equivalent);
    }
    if (u->outcome == PR_SURVIVED && u->witness) {
        pd_buf_printf(out, ",\"witness\":");
        pd_json_str(out, u->witness);
        pd_buf_printf(out, ",\"suggested_tests\":");
        pd_json_str(out, u->suggestion);
    } else if (u->outcome == PR_SURVIVED && u->no_witness) {
        pd_buf_printf(out, ",\"witness\":null");
    }
    pd_buf_printf(out, "}");
}

void pr_render_mutation_json(const pr_mutation *m, pd_buf *out)
{
    pd_buf_printf(out, "{\"path\":");
    pd_json_str(out, m->path);
    if (m->error) {
        pd_buf_printf(out, ",\"error\":");
        pd_json_str(out, m->error);
    }
    if (m->no_tests)
        pd_buf_printf(out, ",\"no_tests\":true");
    pd_buf_printf(out, ",\"mutants\":%zu,\"killed\":%zu,\"survived\":%zu,\"not_compiled\":%zu,\"equivalent\":%zu,"
                       "\"score\":%.1f,\"seconds\":%.3f,\"results\":[",
                  m->n, m->killed, m->survived, m->uncompiled, m->equivalent,
                  pr_mutation_score(m->killed, m->killed + m->survived), m->seconds);
    for (size_t i = 0; i < m->n; i++) {
        if (i)
            pd_buf_printf(out, ",");
        pr_json_mutant(&m->mutants[i], out);
    }
    pd_buf_printf(out, "]}");
}

const pd_rule pr_mutation_rule = {
    "mutation-testing", PD_WARNING,
    "A mutant of the rules that every test passes: the tests do not pin what it changed"};

void pr_mutation_sarif_results(const pr_mutation *m, pd_buf *results, size_t *count)
{
    for (size_t i = 0; i < m->n; i++) {
        const pr_mutant *u = &m->mutants[i];
        if (u->outcome != PR_SURVIVED)
            continue;
        if ((*count)++)
            pd_buf_printf(results, ",");
        pd_buf_printf(results,
                      "{\"ruleId\":\"%s\",\"ruleIndex\":0,\"level\":\"warning\",\"message\":{\"text\":",
                      pr_mutation_rule.code);
        pd_buf msg = {0};
        pd_buf_printf(&msg, "mutant survived: `%s` -> `%s`: every test of %s still passes; ", u->before,
                      u->after, m->path);
        if (u->witness)
            pd_buf_printf(&msg, "%s; suggested tests:\n%s", u->witness, u->suggestion);
        else
            pd_buf_printf(&msg, "no coach and day found on which it changes a decision: a candidate "
                                "equivalent mutant");
        pd_json_str(results, msg.data ? msg.data : "");
        if (msg.oom)
            results->oom = true;
        pd_buf_free(&msg);
        pd_buf_printf(results, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        pd_sarif_uri(results, u->file);
        pd_buf_printf(results, "},\"region\":{\"startLine\":%u,\"startColumn\":%u}}}]", u->line,
                      u->cp_column);
        if (u->suggestion) {
            pd_buf_printf(results, ",\"properties\":{\"suggestedTests\":");
            pd_json_str(results, u->suggestion);
            pd_buf_printf(results, "}");
        }
        pd_buf_printf(results, "}");
    }
}
