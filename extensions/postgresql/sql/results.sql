-- Results: the same as `pathway eval` (examples/coaches.expected.jsonl) in
-- every form of the arguments, one program's verdict, one row per program.
\set d '''2026-11-23'''
-- The text line is byte for byte the command's, for every coach.
SELECT c.n, pathway_eval_line(r.pwc, c.raw, :d) = e.line AS same_bytes
FROM coaches c JOIN expected e USING (n), rules r
WHERE r.name = 'usatf' ORDER BY c.n;
-- The jsonb result equals the expected line read as jsonb, for rules as
-- bytea or as source text and facts as jsonb or text.
SELECT count(*) AS coaches,
       count(*) FILTER (WHERE pathway_eval(r.pwc, c.facts, :d) = e.line::jsonb) AS bytea_jsonb,
       count(*) FILTER (WHERE pathway_eval(r.pwc, c.raw, :d) = e.line::jsonb) AS bytea_text,
       count(*) FILTER (WHERE pathway_eval(s.source, c.facts, :d) = e.line::jsonb) AS text_jsonb,
       count(*) FILTER (WHERE pathway_eval(s.source, c.raw, :d) = e.line::jsonb) AS text_text,
       count(*) FILTER (WHERE pathway_eval_line(s.source, c.facts, :d) = e.line) AS line_text_jsonb
FROM coaches c JOIN expected e USING (n), rules r, rule_sources s
WHERE r.name = 'usatf' AND s.name = 'usatf';
-- The jsonb is built from the results, not parsed from the line: the two
-- agree for both rule sets on dates around their versions' periods ...
SELECT r.name, count(*) AS checked,
       count(*) FILTER (WHERE pathway_eval(r.pwc, c.facts, d) = pathway_eval_line(r.pwc, c.facts, d)::jsonb) AS same
FROM rules r, coaches c,
     unnest(ARRAY['2025-01-01', '2026-05-31', '2026-06-01', '2026-09-01', '2027-08-31', '2027-09-01', '2040-01-01']::date[]) d
WHERE r.name IN ('usatf', 'england') GROUP BY r.name ORDER BY r.name;
-- ... and for an id the line escapes.
SELECT pathway_eval(r.pwc, f, :d) -> 'id' AS id,
       pathway_eval(r.pwc, f, :d) = pathway_eval_line(r.pwc, f, :d)::jsonb AS same
FROM rules r, (VALUES ('{"id":"C\"1\u00e9/\u0001\\x","birth_date":"1990-01-01"}'::jsonb)) v(f)
WHERE r.name = 'usatf';
SELECT jsonb_pretty(pathway_eval(r.pwc, c.facts, :d) -> 'results' -> 3) AS level_2_for_c0002
FROM coaches c, rules r WHERE r.name = 'usatf' AND c.n = 2;
-- The as_of default is current_date.
SELECT pathway_eval(r.pwc, c.facts) ->> 'as_of' = to_char(current_date, 'YYYY-MM-DD') AS default_today
FROM coaches c, rules r WHERE r.name = 'usatf' AND c.n = 1;
-- STRICT: NULL in, NULL out.
SELECT pathway_eval(NULL::bytea, '{}'::jsonb) IS NULL AS null_rules,
       pathway_eligible(r.pwc, NULL::jsonb, 'level_2') IS NULL AS null_facts
FROM rules r WHERE r.name = 'usatf';
-- Who may enrol in level_2: the filter ...
SELECT c.facts->>'id' AS id
FROM coaches c, rules r
WHERE r.name = 'usatf' AND pathway_eligible(r.pwc, c.facts, 'level_2', :d)
ORDER BY 1;
-- ... agrees with the command's output, for every program.
WITH expected_eligible AS (
  SELECT e.line::jsonb->>'id' AS id, x->>'program' AS program
  FROM expected e, jsonb_array_elements(e.line::jsonb->'results') x
  WHERE (x->>'eligible')::boolean),
programs AS (SELECT DISTINCT program FROM expected_eligible),
sql_eligible AS (
  SELECT c.facts->>'id' AS id, p.program
  FROM coaches c, rules r, programs p
  WHERE r.name = 'usatf' AND pathway_eligible(r.pwc, c.facts, p.program, :d))
SELECT (SELECT count(*) FROM expected_eligible) AS expected,
       (SELECT count(*) FROM sql_eligible) AS sql,
       (SELECT count(*) FROM (SELECT * FROM expected_eligible EXCEPT SELECT * FROM sql_eligible) a) AS missing,
       (SELECT count(*) FROM (SELECT * FROM sql_eligible EXCEPT SELECT * FROM expected_eligible) b) AS extra;
-- One row per program, in the rule set's order.
SELECT x.*
FROM coaches c, rules r, pathway_results(r.pwc, c.facts, :d) x
WHERE r.name = 'usatf' AND c.n = 1;
-- Every coach's rows hold what the command printed (eligible, unmet and
-- preferred_unmet, in order).
WITH sql_rows AS (
  SELECT c.facts->>'id' AS id, x.program, x.eligible, to_jsonb(x.unmet) AS unmet,
         to_jsonb(x.preferred_unmet) AS preferred_unmet
  FROM coaches c, rules r, pathway_results(r.pwc, c.raw, :d) x WHERE r.name = 'usatf'),
expected_rows AS (
  SELECT e.line::jsonb->>'id' AS id, x->>'program' AS program, (x->>'eligible')::boolean AS eligible,
         x->'unmet' AS unmet, x->'preferred_unmet' AS preferred_unmet
  FROM expected e, jsonb_array_elements(e.line::jsonb->'results') x)
SELECT (SELECT count(*) FROM sql_rows) AS sql_rows,
       (SELECT count(*) FROM (SELECT * FROM sql_rows EXCEPT SELECT * FROM expected_rows) a) AS differing;
-- Counts per program.
SELECT x.program, count(*) FILTER (WHERE x.eligible) AS eligible, count(*) AS coaches
FROM coaches c, rules r, pathway_results(r.pwc, c.facts, :d) x
WHERE r.name = 'usatf'
GROUP BY x.program ORDER BY x.program;
-- Versions: the status of each program on a date, with titles.
SELECT x.program, x.title, x.status, x.eligible
FROM coaches c, rules r, pathway_results(r.pwc, c.facts, '2026-03-01') x
WHERE r.name = 'england' AND c.n = 3;
SELECT pathway_eligible(r.pwc, c.facts, 'advanced_coach', '2026-03-01') AS before_in_force
FROM coaches c, rules r WHERE r.name = 'england' AND c.n = 3;
-- In the select list, too.
SELECT (pathway_results(r.pwc, c.facts, :d)).program
FROM coaches c, rules r WHERE r.name = 'usatf' AND c.n = 1 LIMIT 3;
-- Enrolment windows: closed and not yet open, the requirements still evaluated.
SELECT to_char(d, 'YYYY-MM-DD') AS as_of, x.status, x.eligible, x.unmet
FROM unnest(ARRAY['2027-02-28', '2027-03-01', '2027-06-16']::date[]) d,
     pathway_results(E'facts coach { age: integer }\nprogram course "Course" enrolment open from 2027-03-01 until 2027-09-15 - 3 months {\n  require "adult": age >= 18\n}\n',
                     '{"age": 17}'::jsonb, d) x;
