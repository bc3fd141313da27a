"""What evaluations and questions return: plain, immutable Python objects.

Nothing here refers back into the library: every text and date is copied
out before the C structure it came from is freed.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Dict, Iterator, List, NamedTuple, Optional, Tuple


class ProgramInfo(NamedTuple):
    """A program the rule set declares (its first version)."""
    id: str
    title: str
    dated: bool  # some version of it has effective dates


class ProgramResult(NamedTuple):
    """One program's verdict for one coach, on the evaluation date."""
    program: str
    title: str
    eligible: bool
    #: "eligible", "not_eligible", "not_yet_in_force", "withdrawn", or for a
    #: program with an enrolment window "not_yet_open" or "closed"
    status: str
    #: labels of the unmet ``require`` clauses, in declaration order
    unmet: Tuple[str, ...]
    #: labels of the unmet ``prefer`` clauses (which never block)
    preferred_unmet: Tuple[str, ...]
    #: for a program with effective dates: the period of the version that
    #: applies (None at an open end); None for a program without dates
    in_force: Optional[Tuple[Optional[datetime.date], Optional[datetime.date]]] = None
    #: for a program with an enrolment window: the days it opens and closes
    #: (None at an open end); None for a program without one
    enrolment: Optional[Tuple[Optional[datetime.date], Optional[datetime.date]]] = None


class Result:
    """One coach's results: every program's version applying on ``as_of``,
    in declaration order (iterate, or index by program id)."""

    __slots__ = ("id", "as_of", "programs", "_line", "_by_id")

    def __init__(self, id: Optional[str], as_of: datetime.date,
                 programs: Tuple[ProgramResult, ...], line: bytes) -> None:
        #: the record's ``id`` when it is text, else None
        self.id = id
        self.as_of = as_of
        self.programs = programs
        self._line = line
        self._by_id: Optional[Dict[str, ProgramResult]] = None

    @property
    def line(self) -> str:
        """The eval line itself, as ``pathway eval`` prints it (ends in "\\n")."""
        return self._line.decode("utf-8")

    def __iter__(self) -> Iterator[ProgramResult]:
        return iter(self.programs)

    def __len__(self) -> int:
        return len(self.programs)

    def __getitem__(self, program: str) -> ProgramResult:
        """The result for a program id; KeyError when the rule set has none."""
        if self._by_id is None:
            self._by_id = {p.program: p for p in self.programs}
        return self._by_id[program]

    def __contains__(self, program: object) -> bool:
        return any(p.program == program for p in self.programs)

    @property
    def eligible(self) -> List[str]:
        """The ids of the programs the coach may enrol in."""
        return [p.program for p in self.programs if p.eligible]

    def __repr__(self) -> str:
        return f"Result(id={self.id!r}, as_of={self.as_of!r}, eligible={self.eligible!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (self.id, self.as_of, self.programs) == (other.id, other.as_of, other.programs)

    __hash__ = None  # type: ignore[assignment]


# ---- explain ------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """A value a requirement looked at, as the VM evaluated it."""
    expr: Optional[str]        #: as the rules write it: age, member("usatf"); None for a decision
    value: str                 #: 17, false, none, "sport-science", 2024-06-30
    test: Optional[str]        #: the comparison it is put to ("at least 18"), or None
    value_then: Optional[str]  #: its value on the day the requirement changes, or None
    entries: Tuple[str, ...]   #: a call's entries holding its text arguments; a total's that counted


@dataclass(frozen=True)
class RequirementExplanation:
    """One requirement node of a program, explained."""
    node: int                  #: index in pre-order (a group, then its members)
    label: str
    citation: Optional[str]
    kind: str                  #: "single", "all_of", "any_of", "at_least"
    role: str                  #: "require", "prefer", "advise"
    depth: int                 #: 0 top level, 1 a group's member, ...
    min: int                   #: groups: how many members must hold
    file: str
    line: int
    column: int
    period: Tuple[Optional[datetime.date], Optional[datetime.date]]  #: its effective period
    outcome: str               #: as evaluation recorded it: "met", "unmet", "not_evaluated", "not_in_force"
    holds: str                 #: evaluated in full: "met", "unmet" or "not_in_force"
    members: int               #: groups: members in force
    members_met: int           #: groups: how many of them hold
    met_on: Optional[datetime.date]    #: not holding: the first later day it does, in the horizon
    last_met: Optional[datetime.date]  #: not holding: the last earlier day it did, in the horizon
    unmet_on: Optional[datetime.date]  #: holding: the first later day it does not, in the horizon
    seen: Tuple[Seen, ...]


@dataclass(frozen=True)
class ProgramExplanation:
    """A program's verdict and every requirement node, explained."""
    program: str
    title: str
    version: int
    verdict: str               #: "eligible", "not_eligible", "not_yet_in_force", "withdrawn",
                               #: "not_yet_open", "closed"
    period: Tuple[Optional[datetime.date], Optional[datetime.date]]
    requirements: Tuple[RequirementExplanation, ...]
    #: the version's enrolment window (opens, closes; None at an open end),
    #: or None when it has none
    enrolment: Optional[Tuple[Optional[datetime.date], Optional[datetime.date]]] = None

    @property
    def eligible(self) -> bool:
        return self.verdict == "eligible"

    @property
    def unmet(self) -> Tuple[RequirementExplanation, ...]:
        """The top-level ``require`` clauses that do not hold."""
        return tuple(r for r in self.requirements
                     if r.depth == 0 and r.role == "require" and r.holds == "unmet")


@dataclass(frozen=True)
class Explanation:
    """Why: every program's requirements for one coach (``pathway explain``)."""
    coach: Optional[str]
    as_of: datetime.date
    first: Optional[datetime.date]  #: the days looked at
    last: Optional[datetime.date]
    programs: Tuple[ProgramExplanation, ...]

    def __getitem__(self, program: str) -> ProgramExplanation:
        for p in self.programs:
            if p.program == program:
                return p
        raise KeyError(program)


# ---- when ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Why eligibility changes on a day."""
    kind: str                  #: "met", "unmet", "in_force", "out_of_force"
    day: Optional[datetime.date]  #: the first day of the new state
    label: str                 #: the requirement's label, or the program's title
    node: int
    #: blocking only, for a requirement a person decides: "needs a decision
    #: by WHO" or "refused by WHO"; else None
    decision: Optional[str] = None

    @property
    def last_day(self) -> Optional[datetime.date]:
        """For "out_of_force" and "closes", the last day of the old state
        (the version's last day in force, the window's last open day), the
        day ``pathway when`` prints; else None."""
        if self.kind not in ("out_of_force", "closes") or self.day is None:
            return None
        return self.day - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Eligible on ``start``, ``until`` and every day between."""
    start: Optional[datetime.date]
    until: Optional[datetime.date]
    from_start: bool           #: already eligible on the evaluation date
    to_end: bool               #: still eligible on the horizon's last day
    starts: Tuple[Change, ...]  #: why it starts (empty when from_start)
    ends: Tuple[Change, ...]    #: why it ends


@dataclass(frozen=True)
class Eligibility:
    """When: the periods in which a coach is eligible for a program (``pathway when``)."""
    coach: Optional[str]
    program: str
    as_of: datetime.date
    last: Optional[datetime.date]
    periods: Tuple[Period, ...]
    blocking: Tuple[Change, ...]  #: no period: what stays unmet to the horizon's end

    @property
    def eligible_now(self) -> bool:
        return bool(self.periods) and self.periods[0].from_start

    @property
    def next_eligible(self) -> Optional[datetime.date]:
        """The first day of the first period, or None when there is none."""
        return self.periods[0].start if self.periods else None


# ---- plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanStep:
    """One program to take."""
    program: str
    title: str
    version: int
    enrol: Optional[datetime.date]    #: the first day it may be taken
    granted: Optional[datetime.date]  #: the certificate's issue date (None: grants none)
    grants: Optional[str]             #: the certificate id, or None
    expires: Optional[datetime.date]  #: None: does not expire
    hours: Optional[float]
    waits: Tuple[str, ...]    #: requirements met by waiting
    arrange: Tuple[str, ...]  #: requirements no program gives: the coach arranges them
    #: parallel to arrange: for a requirement a person decides, what to ask of
    #: whom ("ask WHO for a decision on"); else None
    arrange_decision: Tuple[Optional[str], ...] = ()
    #: parallel to arrange: what the rules say the coach does
    #: (`arrange "renew your membership"`); else None
    arrange_how: Tuple[Optional[str], ...] = ()


@dataclass(frozen=True)
class Plan:
    """How: the programs to take to become eligible for ``target`` (``pathway plan``)."""
    coach: Optional[str]
    target: str
    as_of: datetime.date
    last: Optional[datetime.date]
    reachable: bool
    steps: Tuple[PlanStep, ...]  #: the target last
    hours: Optional[float]
    blocking: Tuple[str, ...]    #: unreachable: the target's requirements never met
    #: how many of blocking, first, are sentences rather than requirement labels
    #: (a shut window, a target not in force, an earlier step never taken)
    blocking_sentences: int = 0
