-- pathway 0.1: the Pathway rules engine as SQL functions (docs/postgresql.md).
\echo Use "CREATE EXTENSION pathway" to load this file. \quit

-- Volatility. Given the same rule bytes (or rule text: includes are refused,
-- so the text is all a compilation reads), the same facts and an explicit
-- as_of date, a result never changes: the functions are IMMUTABLE. Their
-- as_of parameter defaults to current_date, which is STABLE; a call that
-- leaves as_of out therefore contains current_date and is treated as stable
-- by the planner as a whole (not folded at plan time, not allowed in an
-- index expression) while calls with an explicit date may be folded or
-- indexed. A new Pathway release may change results: REINDEX any index on
-- these functions after upgrading the library.
--
-- PARALLEL SAFE: each process (the leader and every parallel worker) keeps
-- its own cache of compiled rules and reads nothing shared.
-- STRICT: a NULL argument gives NULL. COST 100 (as PostgreSQL's own
-- to_tsvector): an evaluation costs microseconds, so the planner puts
-- cheaper filters first and considers parallel plans earlier. Not more: the
-- JIT compiler starts at a plan cost of 100,000 (jit_above_cost), and at
-- COST 100 a scan of 40 rows would pay a JIT compilation of its own.

-- The eval line (docs/coach-record.md, section 5) as jsonb.
CREATE FUNCTION pathway_eval(rules bytea, coach jsonb, as_of date DEFAULT current_date)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pathway_eval_bj'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eval(rules bytea, coach text, as_of date DEFAULT current_date)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pathway_eval_bt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eval(rules text, coach jsonb, as_of date DEFAULT current_date)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pathway_eval_tj'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eval(rules text, coach text, as_of date DEFAULT current_date)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pathway_eval_tt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

-- The same line as text: byte for byte what `pathway eval` prints, without its newline.
CREATE FUNCTION pathway_eval_line(rules bytea, coach jsonb, as_of date DEFAULT current_date)
RETURNS text
AS 'MODULE_PATHNAME', 'pathway_eval_line_bj'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eval_line(rules bytea, coach text, as_of date DEFAULT current_date)
RETURNS text
AS 'MODULE_PATHNAME', 'pathway_eval_line_bt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eval_line(rules text, coach jsonb, as_of date DEFAULT current_date)
RETURNS text
AS 'MODULE_PATHNAME', 'pathway_eval_line_tj'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eval_line(rules text, coach text, as_of date DEFAULT current_date)
RETURNS text
AS 'MODULE_PATHNAME', 'pathway_eval_line_tt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

-- Whether the coach may enrol in one program (its version applying on as_of).
CREATE FUNCTION pathway_eligible(rules bytea, coach jsonb, program text, as_of date DEFAULT current_date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pathway_eligible_bj'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eligible(rules bytea, coach text, program text, as_of date DEFAULT current_date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pathway_eligible_bt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eligible(rules text, coach jsonb, program text, as_of date DEFAULT current_date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pathway_eligible_tj'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION pathway_eligible(rules text, coach text, program text, as_of date DEFAULT current_date)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pathway_eligible_tt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

-- One row per program, in the rule set's order.
CREATE FUNCTION pathway_results(rules bytea, coach jsonb, as_of date DEFAULT current_date)
RETURNS TABLE(program text, title text, eligible boolean, status text, unmet text[], preferred_unmet text[])
AS 'MODULE_PATHNAME', 'pathway_results_bj'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 12;
CREATE FUNCTION pathway_results(rules bytea, coach text, as_of date DEFAULT current_date)
RETURNS TABLE(program text, title text, eligible boolean, status text, unmet text[], preferred_unmet text[])
AS 'MODULE_PATHNAME', 'pathway_results_bt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 12;
CREATE FUNCTION pathway_results(rules text, coach jsonb, as_of date DEFAULT current_date)
RETURNS TABLE(program text, title text, eligible boolean, status text, unmet text[], preferred_unmet text[])
AS 'MODULE_PATHNAME', 'pathway_results_tj'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 12;
CREATE FUNCTION pathway_results(rules text, coach text, as_of date DEFAULT current_date)
RETURNS TABLE(program text, title text, eligible boolean, status text, unmet text[], preferred_unmet text[])
AS 'MODULE_PATHNAME', 'pathway_results_tt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 12;

-- The Pathway library this backend runs ("0.1.0").
CREATE FUNCTION pathway_version()
RETURNS text
AS 'MODULE_PATHNAME', 'pathway_version'
LANGUAGE C STABLE PARALLEL SAFE;

-- This backend's rule cache: entries held, its size (pathway.cache_size),
-- rows evaluated, rows that found their rules by the call site's memo (no
-- hashing) or by hash, rule sets compiled or loaded, and those dropped.
-- Per backend, so PARALLEL RESTRICTED: a parallel worker's cache is its own.
CREATE FUNCTION pathway_cache_stats(OUT entries integer, OUT capacity integer,
    OUT calls bigint, OUT site_hits bigint, OUT hash_hits bigint,
    OUT loads bigint, OUT evictions bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'pathway_cache_stats'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;

-- Drops this backend's cached rule sets and zeroes the counts.
CREATE FUNCTION pathway_cache_reset()
RETURNS void
AS 'MODULE_PATHNAME', 'pathway_cache_reset'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;
