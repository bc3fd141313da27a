-- The rule cache: loaded once per backend, not per row; bounded.
\set d '''2026-11-23'''
SELECT pathway_cache_reset();
SELECT * FROM pathway_cache_stats();
-- Rules from a column (the same bytes every row): hashed, loaded once.
SELECT count(*) FROM coaches c, rules r
WHERE r.name = 'usatf' AND pathway_eligible(r.pwc, c.facts, 'level_1', :d);
SELECT entries, calls, loads, site_hits + hash_hits = calls - loads AS rest_hit FROM pathway_cache_stats();
-- Rules as a constant: found by the call site's memo after the first row.
SELECT pwc AS usatf_pwc FROM rules WHERE name = 'usatf' \gset
SELECT pathway_cache_reset();
SELECT count(*) FROM coaches c WHERE pathway_eligible(:'usatf_pwc'::bytea, c.facts, 'level_1', :d);
SELECT entries, calls, site_hits, hash_hits, loads FROM pathway_cache_stats();
-- And again in the next statement: found by hash, not loaded again.
SELECT count(*) FROM coaches c WHERE pathway_eligible(:'usatf_pwc'::bytea, c.facts, 'level_1', :d);
SELECT entries, calls, site_hits, hash_hits, loads FROM pathway_cache_stats();
-- Rule source is compiled once too.
SELECT pathway_cache_reset();
SELECT count(*) FROM coaches c, rule_sources s
WHERE s.name = 'usatf' AND pathway_eligible(s.source, c.raw, 'level_1', :d);
SELECT entries, calls, loads FROM pathway_cache_stats();
-- A bound: with room for one rule set, a second one evicts the first.
SET pathway.cache_size = 1;
SELECT pathway_cache_reset();
SELECT r.name, count(*) FILTER (WHERE x.eligible) AS eligible
FROM rules r, coaches c, pathway_results(r.pwc, c.facts, :d) x
WHERE r.name IN ('usatf', 'england') GROUP BY r.name ORDER BY r.name;
SELECT entries, capacity, evictions >= 1 AS evicted FROM pathway_cache_stats();
RESET pathway.cache_size;
SHOW pathway.cache_size;
