-- Bad rules, bad facts and an unknown program are SQL errors with the
-- library's message (and the field or line as the detail); the backend
-- lives on.
\set d '''2026-11-23'''
-- Not bytecode.
SELECT pathway_eval(r.pwc, c.facts, :d) FROM coaches c, rules r WHERE r.name = 'junk' AND c.n = 1;
-- Bytecode damaged in the middle.
SELECT pathway_eval(overlay(r.pwc PLACING '\xdeadbeef'::bytea FROM 400), c.facts, :d)
FROM coaches c, rules r WHERE r.name = 'usatf' AND c.n = 1;
-- Rule source that does not compile: the line and column.
SELECT pathway_eval(E'facts coach {\n  birth_date: date\n}\n\nprogram p "P" {\n  require "x": nosuch > 1\n}\n', '{"id":"x"}'::jsonb, :d);
-- Rule source may not read the server's files.
SELECT pathway_eval(E'include "/etc/passwd"\n', '{"id":"x"}'::jsonb, :d);
-- Facts that do not fit the record: the field.
SELECT pathway_eval(r.pwc, '{"id":"C9","birth_date":"1990-13-45"}'::jsonb, :d) FROM rules r WHERE r.name = 'usatf';
SELECT pathway_eligible(r.pwc, '{"id":"C9","birth_date":"1990-01-01","certificates":[{"id":"x","issued":17}]}'::jsonb, 'level_1', :d)
FROM rules r WHERE r.name = 'usatf';
SELECT * FROM rules r, pathway_results(r.pwc, '{"id":"C9","birth_date":"1990-01-01","athletes_coached":"many"}'::jsonb, :d) WHERE r.name = 'usatf';
-- Facts that are not JSON: the line and column.
SELECT pathway_eval(r.pwc, E'{"id":"C9",\n "birth_date": }', :d) FROM rules r WHERE r.name = 'usatf';
-- An unknown program.
SELECT pathway_eligible(r.pwc, c.facts, 'level_9', :d) FROM coaches c, rules r WHERE r.name = 'usatf' AND c.n = 1;
-- A date Pathway does not read.
SELECT pathway_eval(r.pwc, c.facts, 'infinity') FROM coaches c, rules r WHERE r.name = 'usatf' AND c.n = 1;
-- Each kind of error has its own SQLSTATE.
DO $$
DECLARE
  usatf bytea := (SELECT pwc FROM rules WHERE name = 'usatf');
  probe text;
BEGIN
  FOREACH probe IN ARRAY ARRAY['rules', 'source', 'facts', 'json', 'program', 'date'] LOOP
    BEGIN
      CASE probe
        WHEN 'rules' THEN PERFORM pathway_eval('\x00'::bytea, '{}'::jsonb, '2026-11-23');
        WHEN 'source' THEN PERFORM pathway_eval('program', '{}'::jsonb, '2026-11-23');
        WHEN 'facts' THEN PERFORM pathway_eval(usatf, '{"id":"C9","birth_date":"x"}'::jsonb, '2026-11-23');
        WHEN 'json' THEN PERFORM pathway_eval(usatf, '{', '2026-11-23');
        WHEN 'program' THEN PERFORM pathway_eligible(usatf, '{"id":"C9","birth_date":"1990-01-01"}'::jsonb, 'nope', '2026-11-23');
        WHEN 'date' THEN PERFORM pathway_eval(usatf, '{}'::jsonb, '1799-12-31');
      END CASE;
      RAISE NOTICE '%: no error', probe;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE '%: %', probe, SQLSTATE;
    END;
  END LOOP;
END $$;
-- The same backend still evaluates, with the same cached rules.
SELECT count(*) FILTER (WHERE pathway_eval(r.pwc, c.facts, :d) = e.line::jsonb) AS still_right
FROM coaches c JOIN expected e USING (n), rules r WHERE r.name = 'usatf';
