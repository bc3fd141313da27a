-- Volatility and parallel safety as declared, and a parallel plan that
-- evaluates in the workers.
SELECT proname, provolatile, proparallel, proisstrict, count(*) AS overloads
FROM pg_proc WHERE proname LIKE 'pathway\_%' GROUP BY 1, 2, 3, 4 ORDER BY 1;
CREATE TABLE many AS SELECT g, c.facts FROM coaches c, generate_series(1, 50) g;
ALTER TABLE many SET (parallel_workers = 2);
ANALYZE many;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
-- The plan (as JSON, whose shape does not change between PostgreSQL
-- releases as EXPLAIN's text does): a Gather over a parallel scan that
-- calls the function in its filter, so in the workers.
CREATE FUNCTION plan_of(query text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (COSTS OFF, FORMAT JSON) ' || query INTO plan;
  RETURN plan::jsonb;
END $$;
SELECT jsonb_path_query_first(plan, 'strict $.**?(@."Node Type" == "Gather")."Workers Planned"') AS gather_workers,
       jsonb_path_exists(plan, 'strict $.**?(@."Node Type" == "Seq Scan" && @."Parallel Aware" == true && @."Filter" like_regex "pathway_eligible")') AS parallel_scan_filters
FROM plan_of($q$SELECT count(*) FROM many m
  WHERE pathway_eligible((SELECT pwc FROM rules WHERE name = 'usatf'), m.facts, 'level_2', '2026-11-23')$q$) AS plan;
-- With the leader not taking part, every evaluation is a worker's: the
-- leader's own cache sees no call.
SET parallel_leader_participation = off;
SELECT pathway_cache_reset();
SELECT count(*) FROM many m
WHERE pathway_eligible((SELECT pwc FROM rules WHERE name = 'usatf'), m.facts, 'level_2', '2026-11-23');
SELECT calls AS leader_calls FROM pathway_cache_stats();
RESET parallel_leader_participation;
-- The same count without parallelism.
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FROM many m
WHERE pathway_eligible((SELECT pwc FROM rules WHERE name = 'usatf'), m.facts, 'level_2', '2026-11-23');
SELECT calls AS leader_calls FROM pathway_cache_stats();
-- IMMUTABLE: with an explicit date a call may be indexed, stored in a
-- generated column and folded at plan time; the default date is
-- current_date, STABLE, and such a call may not be indexed.
CREATE FUNCTION adult_rules() RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT E'facts coach {\n  id: text\n  birth_date: date\n}\n\nprogram adult "Adult" {\n  require "at least 18 years of age": years since birth_date >= 18\n}\n'
$$;
CREATE TABLE people (facts jsonb NOT NULL,
  adult boolean GENERATED ALWAYS AS (pathway_eligible(adult_rules(), facts, 'adult', DATE '2026-11-23')) STORED);
INSERT INTO people VALUES ('{"id":"a","birth_date":"2000-01-01"}'), ('{"id":"b","birth_date":"2010-01-01"}');
SELECT facts->>'id' AS id, adult FROM people ORDER BY 1;
CREATE INDEX people_adult ON people ((pathway_eligible(adult_rules(), facts, 'adult', DATE '2026-11-23')));
CREATE INDEX people_adult_today ON people ((pathway_eligible(adult_rules(), facts, 'adult')));
EXPLAIN (VERBOSE, COSTS OFF)
SELECT pathway_eligible(adult_rules(), '{"id":"a","birth_date":"2000-01-01"}'::jsonb, 'adult', DATE '2026-11-23');
