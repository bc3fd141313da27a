"""pw_date (days since 1970-01-01) to and from datetime.date."""
from __future__ import annotations

import datetime
import functools
from typing import Optional, Union

from . import _native
from ._errors import UsageError

DateLike = Union[datetime.date, str]

_EPOCH = datetime.date(1970, 1, 1).toordinal()


#: Dates converted before (a batch evaluates with one date): a dict lookup
#: instead of four type checks and the range check. Bounded; shared by
#: threads (a dict's get and set are atomic under the GIL).
_DAYS: dict = {}


def to_pw(day: Optional[DateLike]) -> int:
    """A date (or "YYYY-MM-DD"; None: today, local time) as a pw_date."""
    if type(day) is datetime.date:
        n = _DAYS.get(day)
        if n is None:
            n = _checked(day)
            if len(_DAYS) >= 256:
                _DAYS.clear()
            _DAYS[day] = n
        return n
    if type(day) is str:
        return _parse(day)
    if day is None:
        day = datetime.date.today()
    elif isinstance(day, str):
        return _parse(day)
    elif isinstance(day, datetime.datetime):
        day = day.date()
    elif not isinstance(day, datetime.date):
        raise UsageError(f"not a date: {day!r} (expected datetime.date or YYYY-MM-DD)")
    return _checked(day)


def _checked(day: datetime.date) -> int:
    # The years `pathway --as-of` and explain, when and plan accept.
    if not 1800 <= day.year <= 2999:
        raise UsageError(f"the evaluation date {day.isoformat()} is outside the years 1800-2999")
    return day.toordinal() - _EPOCH


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> int:
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None
    return _checked(day)


def from_pw(day: int) -> Optional[datetime.date]:
    """A pw_date as a date; None for the open ends (PW_DATE_MIN, PW_DATE_MAX: "never")."""
    if day in (_native.PW_DATE_MIN, _native.PW_DATE_MAX):
        return None
    return datetime.date.fromordinal(day + _EPOCH)


def from_iso(text: Optional[str]) -> Optional[datetime.date]:
    """A date of the eval line ("2026-11-23", or null for an open end)."""
    return None if text is None else datetime.date.fromisoformat(text)
