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
EXPLAIN (COSTS OFF)
SELECT count(*) FROM many m
WHERE pathway_eligible((SELECT pwc FROM rules WHERE name = 'usatf'), m.facts, 'level_2', '2026-11-23');
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
