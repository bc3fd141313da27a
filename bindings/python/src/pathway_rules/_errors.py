"""Exceptions: every failed call into the library becomes one of these."""
from __future__ import annotations

from typing import Optional

from . import _native


class PathwayError(Exception):
    """A call into Pathway failed.

    Attributes repeat the library's pw_error: ``status`` is the status's name
    ("PW_ERR_FACTS"), ``message`` the whole story as one line; ``file``,
    ``line`` and ``column`` locate a compile error in the rules (for JSON that
    does not parse, ``line`` and ``column`` are in the JSON text), ``field`` is
    a facts error's field path ("certificates[1].issued"). Parts the error does
    not have are None.
    """

    status: str
    message: str
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    field: Optional[str]

    def __init__(self, message: str, status: str = "PW_ERR_USAGE", file: Optional[str] = None,
                 line: Optional[int] = None, column: Optional[int] = None,
                 field: Optional[str] = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field


class UsageError(PathwayError, ValueError):
    """A bad argument: an unknown program, a bad path or date, a horizon out of range."""


class CompileError(PathwayError):
    """Rule source with errors; ``diagnostics`` holds every one, rendered as text."""

    diagnostics: str = ""


class FormatError(PathwayError):
    """Bytes that are not a valid, verified .pwc image."""


class FactsError(PathwayError, ValueError):
    """A coach record that does not fit the rule set's record (``field`` names the part)."""


class EvalError(PathwayError):
    """A runtime error in the rules: overflow, the instruction budget."""


class PathwayIOError(PathwayError, OSError):
    """A file could not be read or written."""


class PathwayMemoryError(PathwayError, MemoryError):
    """The library ran out of memory."""


_BY_STATUS = {1: UsageError, 2: PathwayIOError, 3: CompileError, 4: FormatError, 5: FactsError,
              6: EvalError, 7: PathwayMemoryError}


def _text(raw: bytes) -> Optional[str]:
    return raw.decode("utf-8", "replace") if raw else None


def from_error(status: int, err: _native.Error) -> PathwayError:
    """The exception for a failed call's status and its filled pw_error."""
    cls = _BY_STATUS.get(status, PathwayError)
    name = _native.STATUS_NAMES[status] if 0 <= status < len(_native.STATUS_NAMES) else "PW_UNKNOWN"
    return cls(_text(err.message) or name, name, _text(err.file), err.line or None,
               err.column or None, _text(err.field))
