-- The shortcuts taken for speed give what the plain ways give
-- (docs/postgresql.md, "Cost"): jsonb facts written by the extension's own
-- writer, the jsonb result written around a kept "results" array, and
-- pathway_results' rows kept per distinct combination of results.
--
-- 1. The writer writes what PostgreSQL's jsonb output writes, byte for
-- byte. pathway_facts_text is in the module for this test only.
CREATE FUNCTION facts_text(jsonb) RETURNS text
AS '$libdir/pathway', 'pathway_facts_text' LANGUAGE C IMMUTABLE STRICT;
SELECT count(*) AS coaches, count(*) FILTER (WHERE facts_text(facts) = facts::text) AS same
FROM coaches;
CREATE TABLE hostile (n serial, j jsonb NOT NULL);
INSERT INTO hostile (j) VALUES
  ('{"id":"C\"1\u00e9/\u0001\\x\u2028\ud83d\ude00","birth_date":"1990-01-01"}'),
  ('{"s":"\b\f\n\r\t\u0002\u0007\u000b\u000e\u001a\u001f\u007f <>&''"}'),
  ('{"n":[0,-0,1,-1,2147483647,-2147483648,2147483648,-2147483649,12345678901234567890123,1.0,1.50,-0.001,1e2,1E-3,2.5e10,1e400,0.00000000000000000001]}'),
  ('{"": "", "a": {}, "b": [], "c": [[[[{}]]]], "d": null, "e": true, "f": false}'),
  ('{"id": 42}'), ('{"id": null}'), ('{"id": ["x"]}'), ('{"id": {"id": "x"}}'), ('{"id": ""}'),
  ('"a bare string"'), ('17'), ('null'), ('[1, "two", null]'), ('[]'), ('{}');
-- Arrays and objects of more than 32 children (jsonb stores offsets every 32).
INSERT INTO hostile (j)
SELECT jsonb_build_object('list', jsonb_agg(i), 'strings', jsonb_agg(repeat(chr(65 + i % 26), i)),
                          'object', jsonb_object_agg('k' || i, i))
FROM generate_series(1, 100) i;
-- Every byte below 0x80 inside a string, and a long string.
INSERT INTO hostile (j)
SELECT jsonb_build_object('all', string_agg(chr(i), '' ORDER BY i), 'long', repeat('x"y\z', 5000))
FROM generate_series(1, 127) i;
SELECT n, facts_text(j) = j::text AS same FROM hostile ORDER BY n;
SELECT facts_text(j) FROM hostile WHERE n <= 4 ORDER BY n;
-- 2. pathway_eval: the jsonb written around the kept array is the jsonb of
-- the line, in content and in size, for facts as jsonb and as text, on
-- dates across the rule sets' versions (many distinct results: the memo
-- replaces what it kept), twice over (the second time from the memo).
CREATE TABLE days AS
SELECT d::date AS d FROM generate_series('2015-01-01'::date, '2035-12-01'::date, '1 month') d;
SELECT r.name, pass, count(*) AS checked,
       count(*) FILTER (WHERE pathway_eval(r.pwc, c.facts, days.d) = pathway_eval_line(r.pwc, c.facts, days.d)::jsonb
                          AND pg_column_size(pathway_eval(r.pwc, c.facts, days.d)) = pg_column_size(pathway_eval_line(r.pwc, c.facts, days.d)::jsonb)) AS jsonb_same,
       count(*) FILTER (WHERE pathway_eval(r.pwc, c.raw, days.d) = pathway_eval_line(r.pwc, c.raw, days.d)::jsonb
                          AND pg_column_size(pathway_eval(r.pwc, c.raw, days.d)) = pg_column_size(pathway_eval_line(r.pwc, c.raw, days.d)::jsonb)) AS text_same,
       count(DISTINCT pathway_eval(r.pwc, c.facts, days.d) -> 'results') AS distinct_results
FROM rules r, coaches c, days, generate_series(1, 2) pass
WHERE r.name IN ('usatf', 'england') GROUP BY r.name, pass ORDER BY r.name, pass;
-- With one slot a memo replaces what it kept at nearly every coach: still
-- the same. (pathway.memo_size applies to rule sets loaded after it is set.)
SET pathway.memo_size = 1;
SELECT pathway_cache_reset();
SELECT r.name, count(*) AS checked,
       count(*) FILTER (WHERE pathway_eval(r.pwc, c.facts, days.d) = pathway_eval_line(r.pwc, c.facts, days.d)::jsonb
                          AND pg_column_size(pathway_eval(r.pwc, c.facts, days.d)) = pg_column_size(pathway_eval_line(r.pwc, c.facts, days.d)::jsonb)) AS same,
       count(*) FILTER (WHERE (SELECT array_agg(x.*) FROM pathway_results(r.pwc, c.facts, days.d) x)
                            = (SELECT array_agg(x.*) FROM pathway_results(r.pwc, c.raw, days.d) x)) AS same_rows
FROM rules r, coaches c, days
WHERE r.name IN ('usatf', 'england') GROUP BY r.name ORDER BY r.name;
RESET pathway.memo_size;
SELECT pathway_cache_reset();
-- Ids: as the line writes them, whatever they hold (jsonb keeps the last
-- of repeated keys, and so does its text).
SELECT h.n, left(pathway_eval(r.pwc, f, '2026-11-23') ->> 'id', 24) AS id,
       pathway_eval(r.pwc, f, '2026-11-23') = pathway_eval_line(r.pwc, f, '2026-11-23')::jsonb AS same,
       pathway_eval(r.pwc, f, '2026-11-23') = pathway_eval(r.pwc, f::text, '2026-11-23') AS same_as_text,
       pg_column_size(pathway_eval(r.pwc, f, '2026-11-23')) = pg_column_size(pathway_eval_line(r.pwc, f, '2026-11-23')::jsonb) AS same_size
FROM rules r, (VALUES (1, '{"id":"C\"1\u00e9/\u0001\\x\ud83d\ude00","birth_date":"1990-01-01"}'::jsonb),
                      (2, '{"id":"\u2028<\/script>","birth_date":"1990-01-01"}'), (3, '{"id":"\\u0041","birth_date":"1990-01-01"}'),
                      (4, '{"id":"\u65e5\u672c","birth_date":"1990-01-01"}'), (5, '{"id":"","birth_date":"1990-01-01"}'),
                      (6, '{"id":"\t\n","birth_date":"1990-01-01"}'), (7, '{"id":"a","id":"b","birth_date":"1990-01-01"}'),
                      (8, jsonb_build_object('id', repeat('long id ', 500), 'birth_date', '1990-01-01'))) h(n, f)
WHERE r.name = 'usatf' ORDER BY h.n;
-- Bad facts still fail as before, with the field.
SELECT pathway_eval(r.pwc, '{"id":42,"birth_date":"1990-01-01"}'::jsonb, '2026-11-23') FROM rules r WHERE r.name = 'usatf';
SELECT pathway_eval(r.pwc, '{"id":null,"birth_date":"1990-01-01"}'::jsonb, '2026-11-23') FROM rules r WHERE r.name = 'usatf';
SELECT pathway_eval(r.pwc, '{"birth_date":"1990-01-01"}'::jsonb, '2026-11-23') FROM rules r WHERE r.name = 'usatf';
SELECT pathway_eval(r.pwc, '{"id":"x","birth_date":"1990-02-30"}'::jsonb, '2026-11-23') FROM rules r WHERE r.name = 'usatf';
SELECT pathway_eval(r.pwc, '[1]'::jsonb, '2026-11-23') FROM rules r WHERE r.name = 'usatf';
-- 3. pathway_results: rows from the memo are the rows made afresh: the
-- same for jsonb and text facts, and what the line says, on every date.
WITH j AS (
  SELECT r.name, c.n, days.d, x.*
  FROM rules r, coaches c, days, pathway_results(r.pwc, c.facts, days.d) x
  WHERE r.name IN ('usatf', 'england')),
t AS (
  SELECT r.name, c.n, days.d, x.*
  FROM rules r, coaches c, days, pathway_results(r.pwc, c.raw, days.d) x
  WHERE r.name IN ('usatf', 'england')),
l AS (
  SELECT r.name, c.n, days.d, p->>'program' AS program, (p->>'eligible')::boolean AS eligible,
         coalesce(p->>'status', CASE WHEN (p->>'eligible')::boolean THEN 'eligible' ELSE 'not_eligible' END) AS status,
         ARRAY(SELECT jsonb_array_elements_text(p->'unmet')) AS unmet,
         ARRAY(SELECT jsonb_array_elements_text(p->'preferred_unmet')) AS preferred_unmet
  FROM rules r, coaches c, days, jsonb_array_elements(pathway_eval_line(r.pwc, c.raw, days.d)::jsonb -> 'results') p
  WHERE r.name IN ('usatf', 'england'))
SELECT (SELECT count(*) FROM j) AS rows,
       (SELECT count(*) FROM (SELECT * FROM j EXCEPT ALL SELECT * FROM t) a) AS jsonb_not_text,
       (SELECT count(*) FROM (SELECT * FROM t EXCEPT ALL SELECT * FROM j) b) AS text_not_jsonb,
       (SELECT count(*) FROM (SELECT name, n, d, program, eligible, status, unmet, preferred_unmet FROM j
                              EXCEPT ALL SELECT * FROM l) c) AS not_the_line,
       (SELECT count(*) FROM j WHERE title IS NULL) AS untitled;
-- After the cache is dropped (and its memos with it), the same.
SELECT pathway_cache_reset();
SELECT count(*) AS checked, count(*) FILTER (WHERE pathway_eval(r.pwc, c.facts, d) = pathway_eval_line(r.pwc, c.facts, d)::jsonb) AS same
FROM rules r, coaches c, days WHERE r.name = 'england';
DROP TABLE days;
DROP TABLE hostile;
DROP FUNCTION facts_text(jsonb);
