# bench/peer.jq: the USATF decisions as a jq filter, a peer for the benchmark.
#
# What a developer would write instead of Pathway: decide the 11 USATF
# programs of docs/coach-record.md (sections 2 and 3) for each
# record of a JSON Lines file and print exactly what
# `pathway eval --format jsonl` prints (section 5). Dates are compared as
# "YYYY-MM-DD" strings, which order like the dates they spell. Like the other
# peers it trusts the shape of its input (the benchmark's population is
# valid).
#
# usage: jq -c --arg asof YYYY-MM-DD -f peer.jq FILE > results.jsonl

# The spec's full-years formula on "YYYY-MM-DD" strings.
def full_years($since; $today):
  ($today[0:4] | tonumber) - ($since[0:4] | tonumber)
  - (if $today[5:] < $since[5:] then 1 else 0 end);

# Does the input array hold $x?
def has_value($x): any(.[]; . == $x);

# [[label, met], ...] -> the labels of those not met, in order.
def unmet: map(select(.[1] | not) | .[0]);

def program($id; $reqs; $prefs):
  ($reqs | unmet) as $unmet
  | {program: $id, eligible: ($unmet | length == 0), unmet: $unmet,
     preferred_unmet: ($prefs | unmet)};

$asof as $today
| . as $c
| full_years($c.birth_date; $today) as $age
| ($c.coaching_since) as $since
| (if $since == null or $since > $today then 0 else full_years($since; $today) end) as $exp
| [($c.memberships // [])[] | select(.expires == null or .expires >= $today) | .body] as $bodies
| [($c.certificates // [])[]
   | select(.issued <= $today and (.expires == null or .expires >= $today)) | .id] as $certs
| ($bodies | has_value("usatf")) as $member
| ($bodies | has_value("usatf-coaches-registry")) as $registry
| ($age >= 18) as $adult
| ($certs | has_value("usatf-level-2")) as $l2
| ($certs | has_value("usatf-level-3")) as $l3
| (any(($c.roles // [])[];
       . == "primary-coach-state-hs-qualifier" or . == "primary-coach-collegiate-qualifier"
       or . == "primary-coach-usatf-championship-qualifier" or . == "national-team-athlete"
       or . == "national-team-staff-coach")
   or any($certs[];
          . == "usatf-level-2" or . == "usatf-level-3" or . == "ustfccca-technical-specialist"
          or . == "ustfccca-master-coach")) as $podium
| ($c.teaching_experience == true or $c.advanced_degree == "sport-science") as $prefer
| [["USATF membership", $member], ["at least 18 years of age", $adult]] as $basic
| {id: $c.id, as_of: $today, results: [
    program("developmental_coach"; $basic; []),
    program("bridge_to_level_1";
            $basic + [["current USATF Developmental Coach certificate",
                       ($certs | has_value("usatf-developmental"))]]; []),
    program("level_1"; $basic; []),
    program("level_2";
            $basic + [["current USATF Level 1 certificate", ($certs | has_value("usatf-level-1"))],
                      ["at least two years of coaching experience", ($exp >= 2)]]; []),
    program("level_3";
            $basic + [["current USATF Level 2 certificate", $l2],
                      ["at least five years of coaching experience", ($exp >= 5)]]; []),
    program("instructor_training";
            [["USATF Coaches Registry membership", $registry],
             ["current USATF Level 2 or Level 3 certificate", ($l2 or $l3)],
             ["at least eight years of coaching experience", ($exp >= 8)]];
            [["classroom teaching or public speaking experience, or an advanced degree in sport science",
              $prefer]]),
    program("marathon_specialist"; $basic; []),
    program("cross_country_specialist"; $basic; []),
    program("podium_camp";
            [["USATF Coaches Registry membership", $registry],
             ["at least one of the three Podium Camp qualifications", $podium]]; []),
    program("campus"; [["at least 18 years of age", $adult]]; []),
    program("partner_courses"; []; [])
  ]}
