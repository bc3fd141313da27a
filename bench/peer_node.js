#!/usr/bin/env node
// bench/peer_node.js: the USATF decisions in plain JavaScript (JSON.parse), a
// peer for the benchmark.
//
// What a developer would write instead of Pathway: read JSON Lines, decide the
// 11 USATF programs of docs/coach-record.md (sections 2 and 3),
// print exactly what `pathway eval --format jsonl` prints (section 5). Dates
// are compared as "YYYY-MM-DD" strings, which order like the dates they
// spell. Like the other peers it trusts the shape of its input (the
// benchmark's population is valid) and checks only that a record is an
// object with an id and a birth date; a record that fails is printed as
// {"id":...,"error":...}.
//
// usage: node peer_node.js FILE YYYY-MM-DD > results.jsonl
'use strict';
const fs = require('fs');

const MEM = 'USATF membership';
const AGE = 'at least 18 years of age';
const REG = 'USATF Coaches Registry membership';
const PREFER = 'classroom teaching or public speaking experience, or an advanced degree in sport science';
const PODIUM_ROLES = new Set(['primary-coach-state-hs-qualifier', 'primary-coach-collegiate-qualifier',
  'primary-coach-usatf-championship-qualifier', 'national-team-athlete', 'national-team-staff-coach']);
const PODIUM_CERTS = ['usatf-level-2', 'usatf-level-3', 'ustfccca-technical-specialist', 'ustfccca-master-coach'];

// The spec's formula on "YYYY-MM-DD" strings.
function fullYears(since, today) {
  return (+today.slice(0, 4)) - (+since.slice(0, 4)) - (today.slice(5) < since.slice(5) ? 1 : 0);
}

function decide(rec, today) {
  const age = fullYears(rec.birth_date, today);
  const since = rec.coaching_since;
  const exp = since == null || since > today ? 0 : fullYears(since, today);
  const bodies = new Set();
  for (const m of rec.memberships || [])
    if (m.expires === null || m.expires >= today) bodies.add(m.body);
  const certs = new Set();
  for (const c of rec.certificates || [])
    if (c.issued <= today && (c.expires === null || c.expires >= today)) certs.add(c.id);
  const member = bodies.has('usatf'), registry = bodies.has('usatf-coaches-registry'), adult = age >= 18;
  const l2 = certs.has('usatf-level-2'), l3 = certs.has('usatf-level-3');
  const podium = (rec.roles || []).some((r) => PODIUM_ROLES.has(r)) || PODIUM_CERTS.some((c) => certs.has(c));
  const prefer = rec.teaching_experience === true || rec.advanced_degree === 'sport-science';
  const basic = [[MEM, member], [AGE, adult]];
  const programs = [
    ['developmental_coach', basic, []],
    ['bridge_to_level_1', [...basic,
      ['current USATF Developmental Coach certificate', certs.has('usatf-developmental')]], []],
    ['level_1', basic, []],
    ['level_2', [...basic, ['current USATF Level 1 certificate', certs.has('usatf-level-1')],
      ['at least two years of coaching experience', exp >= 2]], []],
    ['level_3', [...basic, ['current USATF Level 2 certificate', l2],
      ['at least five years of coaching experience', exp >= 5]], []],
    ['instructor_training', [[REG, registry], ['current USATF Level 2 or Level 3 certificate', l2 || l3],
      ['at least eight years of coaching experience', exp >= 8]], [[PREFER, prefer]]],
    ['marathon_specialist', basic, []],
    ['cross_country_specialist', basic, []],
    ['podium_camp', [[REG, registry], ['at least one of the three Podium Camp qualifications', podium]], []],
    ['campus', [[AGE, adult]], []],
    ['partner_courses', [], []],
  ];
  return programs.map(([program, reqs, prefs]) => {
    const unmet = reqs.filter(([, ok]) => !ok).map(([label]) => label);
    return {
      program, eligible: unmet.length === 0, unmet,
      preferred_unmet: prefs.filter(([, ok]) => !ok).map(([label]) => label),
    };
  });
}

// Output, in large writes (retrying when a pipe is full).
let pending = [];
let pendingLength = 0;
function flush() {
  let buf = Buffer.from(pending.join(''));
  pending = [];
  pendingLength = 0;
  while (buf.length) {
    try {
      const n = fs.writeSync(1, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}
function write(s) {
  pending.push(s);
  pendingLength += s.length;
  if (pendingLength >= 1 << 20) flush();
}

function record(line, path, today) {
  if (!line.trim()) return;
  let id = null;
  try {
    const rec = JSON.parse(line);
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new TypeError('not an object');
    if (typeof rec.id !== 'string') throw new TypeError('id is not text');
    id = rec.id;
    if (typeof rec.birth_date !== 'string') throw new TypeError('birth_date is missing');
    write(JSON.stringify({ id, as_of: today, results: decide(rec, today) }) + '\n');
  } catch (e) {
    process.stderr.write(`${path}: error: record ${id}: ${e.message}\n`);
    write(JSON.stringify({ id, error: e.message }) + '\n');
  }
}

function main() {
  const [path, today] = process.argv.slice(2);
  const fd = fs.openSync(path, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let rest = Buffer.alloc(0); // the bytes after the last newline so far
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    const last = chunk.lastIndexOf(10, n - 1);
    if (last < 0) {
      rest = Buffer.concat([rest, chunk.subarray(0, n)]);
      continue;
    }
    const text = rest.length ? Buffer.concat([rest, chunk.subarray(0, last)]).toString('utf8')
      : chunk.toString('utf8', 0, last);
    rest = Buffer.from(chunk.subarray(last + 1, n));
    for (const line of text.split('\n')) record(line, path, today);
  }
  if (rest.length) record(rest.toString('utf8'), path, today);
  flush();
}

main();
