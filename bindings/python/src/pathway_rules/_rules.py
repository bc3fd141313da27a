"""Rules: a compiled rule set, and the questions asked of it."""
from __future__ import annotations

import ctypes
import datetime
import functools
import json
import os
import threading
from ctypes import byref, c_char_p, c_size_t, c_void_p
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from ._dates import DateLike, from_iso, from_pw, to_pw
from ._errors import CompileError, PathwayError, UsageError, from_error
from ._results import (Change, Eligibility, Explanation, Period, Plan, PlanStep, ProgramExplanation,
                       ProgramInfo, ProgramResult, RequirementExplanation, Result, Seen)

_lib = _native.lib
_eval_json = _lib.pw_eval_json

#: A coach record: a mapping (made JSON with json.dumps; dates become
#: "YYYY-MM-DD"), or the JSON text itself as str or bytes.
Coach = Union[Mapping[str, Any], str, bytes, bytearray, memoryview]

_KINDS = ("single", "all_of", "any_of", "at_least")
_ROLES = ("require", "prefer", "advise")
_OUTCOMES = ("not_evaluated", "met", "unmet", "not_in_force", "no_requirement")
_VERDICTS = ("eligible", "not_eligible", "not_yet_in_force", "withdrawn", "not_evaluated",
             "no_program", "not_yet_open", "closed")
_CHANGES = ("met", "unmet", "in_force", "out_of_force", "opens", "closes")

_RESULTS = b',"results":['
_AS_OF = b',"as_of":"'
_FIRST = b'{"program":"'
_NEXT = b'},{"program":"'
_PARSED_MAX = 4096


@functools.lru_cache(maxsize=64)
def _day(text: bytes) -> datetime.date:
    return datetime.date.fromisoformat(text.decode("ascii"))


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"a coach record holds {type(value).__name__}, which JSON cannot carry")


_json_encoder = json.JSONEncoder(default=_json_default, ensure_ascii=False, separators=(",", ":"),
                                 check_circular=False)


def _make_encode(encoder: json.JSONEncoder) -> Any:
    """encoder.encode, without what it repeats on every call: JSONEncoder.encode
    makes a new C encoder (and its closures) for each object, 0.7 µs of the
    4.8 a coach record took. The C encoder is made once here with the very
    arguments JSONEncoder.iterencode gives it, so the text is the same; where
    json has no C encoder (another Python), encoder.encode itself."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None or encoder.indent is not None or encoder.check_circular:
        return encoder.encode  # (circular checks keep state across a call: not shared)
    strings = (json.encoder.encode_basestring_ascii if encoder.ensure_ascii
               else json.encoder.encode_basestring)
    try:
        c_encode = make(None, encoder.default, strings, None,
                        encoder.key_separator, encoder.item_separator, encoder.sort_keys,
                        encoder.skipkeys, encoder.allow_nan)
    except TypeError:  # a json whose C encoder takes other arguments
        return encoder.encode
    join = "".join

    def encode(obj: Any) -> str:
        return join(c_encode(obj, 0))
    encode.c_encoder = c_encode  # type: ignore[attr-defined]
    return encode


_encode = _make_encode(_json_encoder)
#: json's C encoder itself (None where there is none): Rules.evaluate calls it
#: without the two Python calls around it.
_c_encoder = getattr(_encode, "c_encoder", None)


def _record(coach: Coach) -> bytes:
    """The coach as JSON bytes: one encoding, no copy for bytes."""
    if type(coach) is dict:  # the common case first: the checks below cost 0.7 µs
        return _encode(coach).encode("utf-8")
    if isinstance(coach, bytes):
        return coach
    if isinstance(coach, str):
        return coach.encode("utf-8")
    if isinstance(coach, (bytearray, memoryview)):
        return bytes(coach)
    if isinstance(coach, Mapping):
        return _encode(coach).encode("utf-8")
    raise TypeError(f"a coach is a dict or JSON text (str or bytes), not {type(coach).__name__}")


def _text(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode("utf-8")


def _texts(ptr: Any, n: int) -> Tuple[str, ...]:
    return tuple(ptr[i].decode("utf-8") for i in range(n))


class _Program:
    """Owns a pw_program; freed when the last Rules and context using it are gone."""

    __slots__ = ("ptr",)

    def __init__(self, ptr: int) -> None:
        self.ptr = ptr

    def __del__(self) -> None:
        if self.ptr and _lib is not None:
            _lib.pw_program_free(self.ptr)
            self.ptr = None


class _Context:
    """One thread's pw_context, its error buffer and its line buffer.

    It holds its _Program, so the program outlives every context made from
    it (pathway.h: a context must be freed before its program)."""

    __slots__ = ("program", "ptr", "err", "buf", "size", "csize", "needed", "refs", "addr")

    def __init__(self, program: _Program) -> None:
        self.program = program
        self.err = _native.Error()
        ptr = c_void_p()
        st = _lib.pw_context_new(program.ptr, byref(ptr), byref(self.err))
        if st != _native.PW_OK:
            raise from_error(st, self.err)
        self.ptr = ptr.value
        self.size = 8192
        self.buf = ctypes.create_string_buffer(self.size)
        self.needed = c_size_t()
        # Addresses, not ctypes objects, for the one call made per coach:
        # they convert faster, and this object keeps what they point to.
        self.refs = (ctypes.addressof(self.needed), ctypes.addressof(self.err))
        self.addr = ctypes.addressof(self.buf)
        # The size as a c_size_t made once: ctypes converts an int to one on
        # every call (a tenth of a microsecond; addresses convert faster).
        self.csize = c_size_t(self.size)

    def __del__(self) -> None:
        if getattr(self, "ptr", None) and _lib is not None:
            _lib.pw_context_free(self.ptr)
            self.ptr = None

    def eval_line(self, record: bytes, as_of: int) -> bytes:
        """pw_eval_json: the eval line for one record, one call (two when the
        buffer must grow; it then stays grown)."""
        st = _eval_json(self.ptr, record, len(record), as_of, self.addr, self.csize, *self.refs)
        if st == 0:  # PW_OK
            return self.buf[:self.needed.value]
        return self.finish(st, record, as_of)

    def finish(self, st: int, record: bytes, as_of: int) -> bytes:
        """After a pw_eval_json that did not succeed: grow the buffer and
        call again when it was too small, else raise the library's error."""
        while True:
            n = self.needed.value
            if st == _native.PW_ERR_USAGE and n >= self.size:
                self.size = n + 1 + n // 2
                self.buf = ctypes.create_string_buffer(self.size)
                self.addr = ctypes.addressof(self.buf)
                self.csize = c_size_t(self.size)
            elif st != _native.PW_OK:
                raise from_error(st, self.err)
            else:
                return self.buf[:n]
            st = _eval_json(self.ptr, record, len(record), as_of, self.addr, self.csize, *self.refs)


class Rules:
    """A compiled rule set: open, load or compile one, then evaluate coaches.

    A Rules object may be shared between threads: each thread evaluates in
    its own pw_context, made on its first evaluation and kept (in a
    threading.local) for the next ones. The library releases the GIL for the
    duration of each call, so threads evaluate in parallel.
    """

    def __init__(self, _program: _Program, name: str) -> None:
        """Use Rules.open, Rules.load or Rules.compile."""
        self._program = _program
        self.name = name
        self._local = threading.local()
        self._programs = self._read_programs()
        self._titles = {p.id: p.title for p in self._programs}
        # What was parsed before: a program's part of an eval line -> its
        # ProgramResult; and a fingerprint of a line's part after the id ->
        # (that part, its date, all of its ProgramResults), for each part
        # with that fingerprint (see _result).
        self._parsed: Dict[bytes, ProgramResult] = {}
        self._last_day: Tuple[Any, int] = (None, 0)
        self._bodies: Dict[int, List[Tuple[bytes, datetime.date, Tuple[ProgramResult, ...]]]] = {}

    # ---- making one ----------------------------------------------------------

    @classmethod
    def open(cls, path: Union[str, os.PathLike]) -> "Rules":
        """Rules from a file: rule source (.pw, with its includes) or compiled
        bytecode (.pwc), told apart by their first bytes. Raises CompileError,
        FormatError or PathwayIOError."""
        path = os.fspath(path)
        return cls._build(lambda opts, out, err: _lib.pw_program_open(
            os.fsencode(path), opts, out, err), path)

    @classmethod
    def load(cls, data: Union[bytes, bytearray, memoryview], name: str = "<bytes>") -> "Rules":
        """Rules from compiled bytecode (a .pwc file's bytes, or Rules.save's),
        verified before it is accepted. Raises FormatError."""
        data = bytes(data)
        return cls._build(lambda opts, out, err: _lib.pw_program_load(data, len(data), out, err),
                          name)

    @classmethod
    def compile(cls, text: Union[str, bytes], name: str = "<string>") -> "Rules":
        """Rules from source text. ``name`` is used in messages and anchors
        relative includes (pass the file's path when the text includes
        others). Raises CompileError with file, line and column of the first
        error, and every diagnostic in its ``diagnostics``."""
        src = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        return cls._build(lambda opts, out, err: _lib.pw_compile_source(
            name.encode("utf-8"), src, len(src), opts, out, err), name)

    @classmethod
    def _build(cls, call: Any, name: str) -> "Rules":
        rendered: List[str] = []

        def on_diagnostics(_user: Any, text: Optional[bytes]) -> None:
            if text:
                rendered.append(text.decode("utf-8", "replace"))

        opts = _native.CompileOptions()
        _lib.pw_compile_options_init(byref(opts))
        opts.on_diagnostics = _native.DIAG_FN(on_diagnostics)
        opts.format = _native.PW_DIAG_TEXT
        ptr = c_void_p()
        err = _native.Error()
        st = call(byref(opts), byref(ptr), byref(err))
        if st != _native.PW_OK:
            e = from_error(st, err)
            if isinstance(e, CompileError):
                e.diagnostics = "".join(rendered)
            raise e
        return cls(_Program(ptr.value), name)

    def save(self) -> bytes:
        """The compiled bytecode (what ``pathway compile`` writes): store it,
        and give it to Rules.load later, to skip compiling."""
        data, n, err = c_void_p(), c_size_t(), _native.Error()
        st = _lib.pw_program_save(self._program.ptr, byref(data), byref(n), byref(err))
        if st != _native.PW_OK:
            raise from_error(st, err)
        try:
            return ctypes.string_at(data.value, n.value)
        finally:
            _lib.pw_free(data)

    def close(self) -> None:
        """Drops this object's hold on the compiled program; it is freed when
        no thread's context uses it any more. Further use raises UsageError."""
        self._program = None  # type: ignore[assignment]
        self._local = threading.local()

    def __enter__(self) -> "Rules":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _ptr(self) -> int:
        if self._program is None:
            raise UsageError("these rules were closed")
        return self._program.ptr

    # ---- what it declares ----------------------------------------------------

    def _read_programs(self) -> Tuple[ProgramInfo, ...]:
        p = self._ptr()
        out = []
        for i in range(_lib.pw_program_count(p)):
            if _lib.pw_program_is_first_version(p, i):
                out.append(ProgramInfo(_lib.pw_program_id(p, i).decode("utf-8"),
                                       _lib.pw_program_title(p, i).decode("utf-8"),
                                       bool(_lib.pw_program_dated(p, i))))
        return tuple(out)

    @property
    def programs(self) -> Tuple[ProgramInfo, ...]:
        """Every program (id, title, dated), in declaration order."""
        return self._programs

    def __repr__(self) -> str:
        return f"Rules({self.name!r}, {len(self._programs)} programs)"

    # ---- evaluating ----------------------------------------------------------

    def _context(self) -> _Context:
        ctx = getattr(self._local, "ctx", None)
        if ctx is None:
            self._ptr()
            ctx = self._local.ctx = _Context(self._program)
        return ctx

    def evaluate(self, coach: Coach, as_of: Optional[DateLike] = None) -> Result:
        """Evaluates every program for one coach as of a date (default:
        today) and returns every result, read with one call into the library
        (pw_eval_json). Raises FactsError (with ``field``) for a record that
        does not fit the rule set, EvalError for a runtime error in the rules."""
        ctx = getattr(self._local, "ctx", None) or self._context()
        if type(coach) is bytes:
            record = coach
        elif type(coach) is dict and _c_encoder is not None:
            record = "".join(_c_encoder(coach, 0)).encode("utf-8")  # _record, inline
        else:
            record = _record(coach)
        # The date of the last call, when this is the same object (not None:
        # "today" changes).
        last = self._last_day
        if as_of is last[0] and as_of is not None:
            day = last[1]
        else:
            day = to_pw(as_of)
            self._last_day = (as_of, day)
        # _Context.eval_line, inline: this runs once per coach.
        st = _eval_json(ctx.ptr, record, len(record), day, ctx.addr, ctx.csize, *ctx.refs)
        line = ctx.buf[:ctx.needed.value] if st == 0 else ctx.finish(st, record, day)
        return self._result(line)

    def evaluate_many(self, coaches: Iterable[Coach], as_of: Optional[DateLike] = None,
                      errors: str = "raise") -> Iterator[Union[Result, PathwayError]]:
        """Evaluates coaches one after another (a generator, reusing one
        context per thread). errors="raise" (the default) raises the first
        record's error; errors="yield" yields the PathwayError in that
        record's place and goes on, as ``pathway eval`` does."""
        if errors not in ("raise", "yield"):
            raise UsageError(f"errors must be 'raise' or 'yield', not {errors!r}")
        day = to_pw(as_of)
        for coach in coaches:
            try:
                line = self._context().eval_line(_record(coach), day)
            except PathwayError as e:
                if errors == "raise":
                    raise
                yield e
                continue
            yield self._result(line)

    def _result(self, line: bytes) -> Result:
        """The Result of an eval line, at the cost of parsing what is new in it.

        A line is {"id":...,"as_of":"...","results":[{"program":"..."...},...]}.
        Most programs' results repeat from coach to coach (the same verdict,
        the same unmet labels), so each program's part of the line is parsed
        once and its ProgramResult, immutable, is kept under its exact bytes;
        so are the date and the tuple of them all, under a fingerprint of the
        line's whole part after the id, checked in full (both caches are
        bounded, and a Rules' threads share them: a dict's get and set and a
        list's append are atomic under the GIL, and a lost race only parses
        twice).
        Splitting at ',"results":[' and '},{"program":"' is safe: each holds a
        quote, and a quote inside a JSON string is always escaped."""
        # {"id":ID,"as_of":"YYYY-MM-DD","results":[...]}\n. The id's end is
        # the first quote followed by ',"as_of":"' (a quote in an id is
        # escaped, so that cannot occur inside it): found with memchr, not
        # by searching for ',"results":['.
        if line.startswith(b'{"id":"'):  # a string id
            j = line.find(b'"', 7)
            if not line.startswith(_AS_OF, j + 1):
                return self._slow_result(line)
            raw_id = line[7:j]
            coach_id = json.loads(line[6:j + 1]) if b"\\" in raw_id else raw_id.decode("utf-8")
            start = j + 1
        elif line.startswith(b'{"id":null'):
            coach_id, start = None, 10
        else:
            return self._slow_result(line)
        # Everything after the id (the date and the results) was most likely
        # seen before. It is found by a fingerprint, its length and every
        # 53rd byte, then compared in full: hashing all of its 2 kB would
        # cost more than the rest of this function. (What is kept was
        # checked by _new_result, so a line equal to it is well formed.)
        known = self._bodies.get(hash(line[start::53]) + len(line) - start)
        if known is not None:
            for tail, day, progs in known:
                if len(tail) == len(line) - start and line.endswith(tail):
                    return Result(coach_id, day, progs, line)
        return self._new_result(coach_id, line, start)

    def _slow_result(self, line: bytes) -> Result:
        """_result for a line whose id is not where it looks for it."""
        i = line.find(_RESULTS)
        if i < 27:
            raise PathwayError(f"unexpected eval line from the library: {line[:200]!r}")
        raw_id = line[6:i - 21]
        coach_id = None if raw_id == b"null" else json.loads(raw_id)
        return self._new_result(coach_id, line, i - 21)

    def _new_result(self, coach_id: Optional[str], line: bytes, start: int) -> Result:
        """A Result whose part after the id (line[start:], ',"as_of":"...",
        "results":[{"program":"...},...]}\\n') was not seen before: parsed
        program by program (each part known before is not parsed again) and
        kept under its fingerprint."""
        tail = line[start:]
        if not (tail.startswith(_AS_OF) and tail.startswith(_RESULTS, 21) and tail.endswith(b"]}\n")):
            raise PathwayError(f"unexpected eval line from the library: {line[:200]!r}")
        body = tail[21 + len(_RESULTS):]
        parts = body[len(_FIRST):-4].split(_NEXT) if body[0] != 93 else ()
        progs = list(map(self._parsed.get, parts))
        if None in progs:
            progs = [p or self._program_result(part) for p, part in zip(progs, parts)]
        day, out = _day(tail[10:20]), tuple(progs)
        if len(self._bodies) >= _PARSED_MAX:
            self._bodies.clear()
        same = self._bodies.setdefault(hash(tail[::53]) + len(tail), [])
        if len(same) >= 8:  # parts that share a fingerprint: a few, bounded
            del same[0]
        same.append((tail, day, out))
        return Result(coach_id, day, out, line)

    def _program_result(self, part: bytes) -> ProgramResult:
        p = json.loads(_FIRST + part + b"}")
        r = ProgramResult(
            p["program"], self._titles[p["program"]], p["eligible"],
            p.get("status") or ("eligible" if p["eligible"] else "not_eligible"),
            tuple(p["unmet"]), tuple(p["preferred_unmet"]),
            (from_iso(p["in_force"]["from"]), from_iso(p["in_force"]["until"]))
            if "in_force" in p else None,
            (from_iso(p["enrolment"]["opens"]), from_iso(p["enrolment"]["closes"]))
            if "enrolment" in p else None)
        if len(self._parsed) >= _PARSED_MAX:  # a bound, for rule sets with many label sets
            self._parsed.clear()
        self._parsed[part] = r
        return r

    # ---- why, when, how ------------------------------------------------------

    @staticmethod
    def _options(as_of: Optional[DateLike], horizon_days: Optional[int]) -> _native.ExplainOptions:
        o = _native.ExplainOptions()
        _lib.pw_explain_options_init(byref(o))
        o.as_of = to_pw(as_of)
        if horizon_days is None:
            o.horizon_days = 0
        elif horizon_days == 0:
            o.horizon_days = _native.PW_HORIZON_NONE
        elif horizon_days > 0:
            o.horizon_days = horizon_days
        else:
            raise UsageError(f"horizon_days must be 0 (the day only) or more, not {horizon_days}")
        return o

    def explain(self, coach: Coach, as_of: Optional[DateLike] = None,
                programs: Optional[Sequence[str]] = None,
                horizon_days: Optional[int] = None) -> Explanation:
        """Why: every requirement of every program (or of ``programs``) for
        one coach, met or not, the values it looked at and when it was or
        will be met (``pathway explain``). ``horizon_days``: days looked
        ahead and back (None: 20 years; 0: the evaluation date only, the
        cheapest). Raises UsageError for an unknown program."""
        rec = _record(coach)
        o = self._options(as_of, horizon_days)
        if programs is not None:
            if isinstance(programs, str):
                programs = [programs]
            ids = (c_char_p * len(programs))(*[p.encode("utf-8") for p in programs])
            o.programs = ctypes.cast(ids, ctypes.POINTER(c_char_p))
            o.nprograms = len(programs)
        out, err = ctypes.POINTER(_native.Explanation)(), _native.Error()
        st = _lib.pw_explain(self._ptr(), rec, len(rec), byref(o), byref(out), byref(err))
        if st != _native.PW_OK:
            raise from_error(st, err)
        try:
            return _explanation(out.contents)
        finally:
            _lib.pw_explanation_free(out)

    def when(self, coach: Coach, program: str, as_of: Optional[DateLike] = None,
             horizon_days: Optional[int] = None) -> Eligibility:
        """When: the periods, from ``as_of`` to the horizon's end, in which
        the coach is eligible for ``program``, with why each starts and ends,
        assuming no new facts (``pathway when``). Raises UsageError for an
        unknown program."""
        rec = _record(coach)
        o = self._options(as_of, horizon_days)
        out, err = ctypes.POINTER(_native.Eligibility)(), _native.Error()
        st = _lib.pw_when(self._ptr(), rec, len(rec), program.encode("utf-8"), byref(o),
                          byref(out), byref(err))
        if st != _native.PW_OK:
            raise from_error(st, err)
        try:
            return _eligibility(out.contents)
        finally:
            _lib.pw_eligibility_free(out)

    def plan(self, coach: Coach, target: str, as_of: Optional[DateLike] = None,
             horizon_days: Optional[int] = None) -> Plan:
        """How: the programs to take, in order, to be eligible for ``target``
        at the earliest date (``pathway plan``). Raises UsageError for an
        unknown program."""
        rec = _record(coach)
        o = self._options(as_of, horizon_days)
        out, err = ctypes.POINTER(_native.Plan)(), _native.Error()
        st = _lib.pw_plan_find(self._ptr(), rec, len(rec), target.encode("utf-8"), byref(o),
                               byref(out), byref(err))
        if st != _native.PW_OK:
            raise from_error(st, err)
        try:
            return _plan(out.contents)
        finally:
            _lib.pw_plan_free(out)


# ---- C structures to Python objects ------------------------------------------------


def _seen(s: _native.Seen) -> Seen:
    return Seen(_text(s.expr), s.value.decode("utf-8"), _text(s.test),
                _text(s.value_then), _texts(s.entries, s.nentries))


def _requirement(r: _native.ReqExplained) -> RequirementExplanation:
    i = r.info
    return RequirementExplanation(
        node=r.node, label=i.label.decode("utf-8"), citation=_text(i.citation),
        kind=_KINDS[i.kind], role=_ROLES[i.role], depth=i.depth, min=i.min,
        file=_text(i.file) or "", line=i.line, column=i.column,
        period=(from_pw(i.from_), from_pw(i.until)), outcome=_OUTCOMES[r.outcome],
        holds=_OUTCOMES[r.holds], members=r.members, members_met=r.members_met,
        met_on=from_pw(r.met_on), last_met=from_pw(r.last_met), unmet_on=from_pw(r.unmet_on),
        seen=tuple(_seen(r.seen[k]) for k in range(r.nseen)))


def _explanation(e: _native.Explanation) -> Explanation:
    progs = []
    for k in range(e.nprograms):
        p = e.programs[k]
        progs.append(ProgramExplanation(
            program=p.id.decode("utf-8"), title=p.title.decode("utf-8"), version=p.version,
            verdict=_VERDICTS[p.verdict], period=(from_pw(p.from_), from_pw(p.until)),
            requirements=tuple(_requirement(p.reqs[i]) for i in range(p.nreqs)),
            enrolment=(from_pw(p.opens), from_pw(p.closes)) if p.windowed else None))
    return Explanation(_text(e.coach), from_pw(e.as_of), from_pw(e.first), from_pw(e.last),
                       tuple(progs))


def _changes(ptr: Any, n: int, decisions: Any = None) -> Tuple[Change, ...]:
    return tuple(Change(_CHANGES[ptr[i].kind], from_pw(ptr[i].day), ptr[i].label.decode("utf-8"),
                        ptr[i].node, _text(decisions[i]) if decisions else None) for i in range(n))


def _eligibility(w: _native.Eligibility) -> Eligibility:
    periods = tuple(
        Period(from_pw(p.from_), from_pw(p.until), bool(p.from_start), bool(p.to_end),
               _changes(p.start, p.nstart), _changes(p.end, p.nend))
        for p in (w.periods[i] for i in range(w.nperiods)))
    return Eligibility(_text(w.coach), w.program.decode("utf-8"), from_pw(w.as_of),
                       from_pw(w.last), periods,
                       _changes(w.blocking, w.nblocking, w.blocking_decision))


def _plan(p: _native.Plan) -> Plan:
    steps = tuple(
        PlanStep(program=s.program.decode("utf-8"), title=s.title.decode("utf-8"),
                 version=s.version, enrol=from_pw(s.enrol),
                 granted=from_pw(s.granted) if s.grants else None,
                 grants=_text(s.grants), expires=from_pw(s.expires),
                 hours=s.hours if s.hours >= 0 else None, waits=_texts(s.waits, s.nwaits),
                 arrange=_texts(s.arrange, s.narrange),
                 arrange_decision=tuple(_text(s.arrange_decision[k]) if s.arrange_decision else None
                                        for k in range(s.narrange)),
                 arrange_how=tuple(_text(s.arrange_how[k]) if s.arrange_how else None
                                   for k in range(s.narrange)))
        for s in (p.steps[i] for i in range(p.nsteps)))
    return Plan(_text(p.coach), p.target.decode("utf-8"), from_pw(p.as_of), from_pw(p.last),
                bool(p.reachable), steps, p.hours if p.hours >= 0 else None,
                _texts(p.blocking, p.nblocking), p.nsentences)
