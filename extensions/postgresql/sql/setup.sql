-- The extension, and the data every later test reads: rule sets compiled by
-- `pathway compile`, one as source, the example coaches and what
-- `pathway eval --as-of 2026-11-23` prints for them. PATHWAY_DATA names the
-- directory tests/run.sh prepared (read by the server).
CREATE EXTENSION pathway;
SELECT pathway_version() ~ '^[0-9]+\.[0-9]+\.[0-9]+$' AS version_ok;
\getenv data PATHWAY_DATA
\set usatf_pwc :data '/usatf.pwc'
\set england_pwc :data '/england.pwc'
\set junk_pwc :data '/junk.pwc'
\set usatf_pw :data '/usatf.pw'
\set coaches_file :data '/coaches.jsonl'
\set expected_file :data '/coaches.expected.jsonl'
CREATE TABLE rules (name text PRIMARY KEY, pwc bytea NOT NULL);
INSERT INTO rules VALUES
  ('usatf', pg_read_binary_file(:'usatf_pwc')),
  ('england', pg_read_binary_file(:'england_pwc')),
  ('junk', pg_read_binary_file(:'junk_pwc'));
CREATE TABLE rule_sources (name text PRIMARY KEY, source text NOT NULL);
INSERT INTO rule_sources VALUES ('usatf', pg_read_file(:'usatf_pw'));
-- One row per line: raw keeps the text as written, facts the same as jsonb.
CREATE TABLE coaches (n bigint PRIMARY KEY, raw text NOT NULL, facts jsonb NOT NULL);
INSERT INTO coaches
SELECT n, line, line::jsonb
FROM regexp_split_to_table(rtrim(pg_read_file(:'coaches_file'), E'\n'), E'\n') WITH ORDINALITY AS t(line, n);
CREATE TABLE expected (n bigint PRIMARY KEY, line text NOT NULL);
INSERT INTO expected
SELECT n, line
FROM regexp_split_to_table(rtrim(pg_read_file(:'expected_file'), E'\n'), E'\n') WITH ORDINALITY AS t(line, n);
SELECT (SELECT count(*) FROM coaches) AS coaches, (SELECT count(*) FROM expected) AS expected,
       (SELECT bool_and(facts->>'id' = line::jsonb->>'id') FROM coaches JOIN expected USING (n)) AS same_ids;
