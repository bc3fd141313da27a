#!/usr/bin/env python3
"""Independent reference evaluator for rules/usatf/usatf.pw, written from the
coach-record spec (sections 1, 2, 3, 5), by hand and independently of the
engine: the differential test (tests/cli/differential.sh) holds pathway eval
to it over generated populations.

usage: oracle.py FACTS.jsonl YYYY-MM-DD  (prints what pathway eval should)"""
import json, re, sys

def leap(y): return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
MD = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

class Bad(Exception): pass

def pdate(v, where):
    if not isinstance(v, str) or not re.fullmatch(r'\d{4}-\d{2}-\d{2}', v):
        raise Bad(where + ': not a date')
    y, m, d = int(v[:4]), int(v[5:7]), int(v[8:])
    if not (1800 <= y <= 2999 and 1 <= m <= 12 and 1 <= d <= (29 if m == 2 and leap(y) else MD[m-1])):
        raise Bad(where + ': impossible date')
    return (y, m, d)

def full_years(a, b):
    # the spec's age formula, literally, for any order of a and b:
    # b.year - a.year - ((b.month, b.day) < (a.month, a.day) ? 1 : 0)
    return b[0] - a[0] - (1 if (b[1], b[2]) < (a[1], a[2]) else 0)

def is_str(v): return isinstance(v, str)
def is_int(v): return isinstance(v, int) and not isinstance(v, bool)
def is_num(v): return (isinstance(v, (int, float))) and not isinstance(v, bool)

def entries(rec, key, spec):
    if key not in rec: return []
    v = rec[key]
    if not isinstance(v, list): raise Bad(key + ': not a list')
    out = []
    for i, e in enumerate(v):
        if not isinstance(e, dict): raise Bad(f'{key}[{i}]: not an object')
        o = {}
        for f, (kind, need) in spec.items():
            w = f'{key}[{i}].{f}'
            if f not in e:
                if need: raise Bad(w + ': missing')
                o[f] = None; continue
            x = e[f]
            if kind == 'str': ok = is_str(x)
            elif kind == 'str?': ok = x is None or is_str(x)
            elif kind == 'num': ok = is_num(x)
            elif kind == 'date': o[f] = pdate(x, w); continue
            elif kind == 'date?':
                o[f] = None if x is None else pdate(x, w); continue
            if not ok: raise Bad(w + ': wrong type')
            o[f] = x
        out.append(o)
    return out

def load(rec):
    if not isinstance(rec, dict): raise Bad('not an object')
    if 'id' not in rec or not is_str(rec['id']): raise Bad('id')
    if 'birth_date' not in rec: raise Bad('birth_date missing')
    c = {'id': rec['id'], 'birth_date': pdate(rec['birth_date'], 'birth_date')}
    cs = rec.get('coaching_since')
    c['coaching_since'] = None if cs is None else pdate(cs, 'coaching_since')
    if 'coaching_since' in rec and rec['coaching_since'] is None: c['coaching_since'] = None
    c['memberships'] = entries(rec, 'memberships', {'body': ('str', 1), 'expires': ('date?', 1)})
    c['certificates'] = entries(rec, 'certificates', {'id': ('str', 1), 'issued': ('date', 1), 'expires': ('date?', 1), 'event_group': ('str?', 0)})
    c['background_checks'] = entries(rec, 'background_checks', {'kind': ('str', 1), 'expires': ('date', 1)})
    c['courses'] = entries(rec, 'courses', {'id': ('str', 1), 'completed': ('date', 1), 'hours': ('num', 1)})
    roles = rec.get('roles', [])
    if not isinstance(roles, list) or not all(is_str(r) for r in roles): raise Bad('roles')
    c['roles'] = set(roles)
    ac = rec.get('athletes_coached', 0)
    if not is_int(ac) or ac < 0: raise Bad('athletes_coached')
    c['athletes_coached'] = ac
    te = rec.get('teaching_experience', False)
    if not isinstance(te, bool): raise Bad('teaching_experience')
    c['teaching_experience'] = te
    ad = rec.get('advanced_degree', None)
    if ad is not None and not is_str(ad): raise Bad('advanced_degree')
    c['advanced_degree'] = ad
    return c

def evaluate(c, D):
    age = full_years(c['birth_date'], D)
    cs = c['coaching_since']
    exp = 0 if cs is None or cs > D else full_years(cs, D)
    def member(b): return any(m['body'] == b and (m['expires'] is None or m['expires'] >= D) for m in c['memberships'])
    def cur(x): return any(k['id'] == x and k['issued'] <= D and (k['expires'] is None or k['expires'] >= D) for k in c['certificates'])
    roles = c['roles']
    MEM, AGE, REG = 'USATF membership', 'at least 18 years of age', 'USATF Coaches Registry membership'
    progs = [
      ('developmental_coach', [(MEM, member('usatf')), (AGE, age >= 18)], []),
      ('bridge_to_level_1', [(MEM, member('usatf')), (AGE, age >= 18), ('current USATF Developmental Coach certificate', cur('usatf-developmental'))], []),
      ('level_1', [(MEM, member('usatf')), (AGE, age >= 18)], []),
      ('level_2', [(MEM, member('usatf')), (AGE, age >= 18), ('current USATF Level 1 certificate', cur('usatf-level-1')), ('at least two years of coaching experience', exp >= 2)], []),
      ('level_3', [(MEM, member('usatf')), (AGE, age >= 18), ('current USATF Level 2 certificate', cur('usatf-level-2')), ('at least five years of coaching experience', exp >= 5)], []),
      ('instructor_training', [(REG, member('usatf-coaches-registry')), ('current USATF Level 2 or Level 3 certificate', cur('usatf-level-2') or cur('usatf-level-3')), ('at least eight years of coaching experience', exp >= 8)],
         [('classroom teaching or public speaking experience, or an advanced degree in sport science', c['teaching_experience'] or c['advanced_degree'] == 'sport-science')]),
      ('marathon_specialist', [(MEM, member('usatf')), (AGE, age >= 18)], []),
      ('cross_country_specialist', [(MEM, member('usatf')), (AGE, age >= 18)], []),
      ('podium_camp', [(REG, member('usatf-coaches-registry')), ('at least one of the three Podium Camp qualifications',
          bool(roles & {'primary-coach-state-hs-qualifier', 'primary-coach-collegiate-qualifier', 'primary-coach-usatf-championship-qualifier'})
          or bool(roles & {'national-team-athlete', 'national-team-staff-coach'})
          or any(cur(x) for x in ['usatf-level-2', 'usatf-level-3', 'ustfccca-technical-specialist', 'ustfccca-master-coach']))], []),
      ('campus', [(AGE, age >= 18)], []),
      ('partner_courses', [], []),
    ]
    res = []
    for pid, reqs, prefs in progs:
        unmet = [l for l, ok in reqs if not ok]
        res.append({'program': pid, 'eligible': not unmet, 'unmet': unmet, 'preferred_unmet': [l for l, ok in prefs if not ok]})
    return res, age, exp

def main():
    facts, asof = sys.argv[1], sys.argv[2]
    D = pdate(asof, 'as-of')
    verbose = len(sys.argv) > 3
    for line in open(facts, encoding='utf-8'):
        if not line.strip(): continue
        rid = None
        try:
            rec = json.loads(line)
            if isinstance(rec, dict) and is_str(rec.get('id')): rid = rec['id']
            c = load(rec)
        except (ValueError, Bad) as e:
            if verbose: print('#BAD', rid, e, file=sys.stderr)
            print(json.dumps({'id': rid, 'error': str(e)}, separators=(',', ':')))
            continue
        res, age, exp = evaluate(c, D)
        if verbose: print('#', c['id'], 'age', age, 'exp', exp, file=sys.stderr)
        print(json.dumps({'id': c['id'], 'as_of': asof, 'results': res}, separators=(',', ':'), ensure_ascii=False))

main()
