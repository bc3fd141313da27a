"""The shared library and its C declarations, through ctypes.

Nothing here is public: the rest of the package wraps these calls. The
structures mirror include/pathway.h field for field; a change there is a
change here (the tests read every field of every structure they use).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_bool, c_char, c_char_p, c_double, c_int,
                    c_int32, c_size_t, c_uint, c_uint32, c_void_p)

#: The library's major version this package speaks to (the SONAME's number).
ABI_MAJOR = 0

PW_DATE_MIN = -(2**31)
PW_DATE_MAX = 2**31 - 1
PW_HORIZON_NONE = -1

STATUS_NAMES = ("PW_OK", "PW_ERR_USAGE", "PW_ERR_IO", "PW_ERR_COMPILE", "PW_ERR_FORMAT",
                "PW_ERR_FACTS", "PW_ERR_EVAL", "PW_ERR_NOMEM")
PW_OK, PW_ERR_USAGE = 0, 1
PW_DIAG_TEXT = 0


class Error(Structure):
    """pw_error: a fixed buffer the library fills when a call fails."""
    _fields_ = [("status", c_int), ("message", c_char * 1024), ("file", c_char * 256),
                ("line", c_uint), ("column", c_uint), ("field", c_char * 256)]


DIAG_FN = CFUNCTYPE(None, c_void_p, c_char_p)


class CompileOptions(Structure):
    """pw_compile_options (the limits, include root and resolver are left at their defaults)."""
    _fields_ = [("size", c_size_t), ("on_diagnostics", DIAG_FN), ("user", c_void_p),
                ("format", c_int), ("color", c_bool), ("max_errors", c_uint),
                ("limits", c_void_p), ("include_root", c_char_p),
                ("include_resolver", c_void_p), ("include_user", c_void_p)]


class ExplainOptions(Structure):
    """pw_explain_options."""
    _fields_ = [("size", c_size_t), ("as_of", c_int32), ("horizon_days", c_int32),
                ("programs", POINTER(c_char_p)), ("nprograms", c_size_t)]


class Requirement(Structure):
    """pw_requirement."""
    _fields_ = [("label", c_char_p), ("citation", c_char_p), ("kind", c_int), ("role", c_int),
                ("depth", c_uint), ("min", c_uint), ("file", c_char_p), ("line", c_uint),
                ("column", c_uint), ("from_", c_int32), ("until", c_int32)]


class Seen(Structure):
    """pw_seen."""
    _fields_ = [("expr", c_char_p), ("value", c_char_p), ("test", c_char_p),
                ("value_then", c_char_p), ("nentries", c_size_t), ("entries", POINTER(c_char_p))]


class ReqExplained(Structure):
    """pw_req_explained."""
    _fields_ = [("node", c_size_t), ("info", Requirement), ("outcome", c_int), ("holds", c_int),
                ("members", c_uint), ("members_met", c_uint), ("met_on", c_int32),
                ("last_met", c_int32), ("unmet_on", c_int32), ("nseen", c_size_t),
                ("seen", POINTER(Seen))]


class ProgramExplained(Structure):
    """pw_program_explained."""
    _fields_ = [("version", c_size_t), ("id", c_char_p), ("title", c_char_p), ("verdict", c_int),
                ("from_", c_int32), ("until", c_int32), ("nreqs", c_size_t),
                ("reqs", POINTER(ReqExplained)), ("windowed", c_bool), ("opens", c_int32),
                ("closes", c_int32)]


class Explanation(Structure):
    """pw_explanation."""
    _fields_ = [("coach", c_char_p), ("as_of", c_int32), ("first", c_int32), ("last", c_int32),
                ("nprograms", c_size_t), ("programs", POINTER(ProgramExplained)),
                ("internal", c_void_p)]


class Change(Structure):
    """pw_change."""
    _fields_ = [("kind", c_int), ("day", c_int32), ("label", c_char_p), ("node", c_size_t)]


class Period(Structure):
    """pw_period."""
    _fields_ = [("from_", c_int32), ("until", c_int32), ("from_start", c_bool), ("to_end", c_bool),
                ("nstart", c_size_t), ("nend", c_size_t), ("start", POINTER(Change)),
                ("end", POINTER(Change))]


class Eligibility(Structure):
    """pw_eligibility."""
    _fields_ = [("coach", c_char_p), ("program", c_char_p), ("as_of", c_int32), ("last", c_int32),
                ("nperiods", c_size_t), ("periods", POINTER(Period)), ("nblocking", c_size_t),
                ("blocking", POINTER(Change)), ("internal", c_void_p),
                ("blocking_decision", POINTER(c_char_p))]


class PlanStep(Structure):
    """pw_plan_step."""
    _fields_ = [("version", c_size_t), ("program", c_char_p), ("title", c_char_p),
                ("enrol", c_int32), ("granted", c_int32), ("grants", c_char_p),
                ("expires", c_int32), ("hours", c_double), ("nwaits", c_size_t),
                ("waits", POINTER(c_char_p)), ("narrange", c_size_t),
                ("arrange", POINTER(c_char_p)), ("arrange_decision", POINTER(c_char_p)),
                ("arrange_how", POINTER(c_char_p))]


class Plan(Structure):
    """pw_plan."""
    _fields_ = [("coach", c_char_p), ("target", c_char_p), ("as_of", c_int32), ("last", c_int32),
                ("reachable", c_bool), ("nsteps", c_size_t), ("steps", POINTER(PlanStep)),
                ("hours", c_double), ("nblocking", c_size_t), ("blocking", POINTER(c_char_p)),
                ("internal", c_void_p), ("nsentences", c_size_t)]


_P = c_void_p  # pw_program *, pw_context *: opaque handles
_E = POINTER(Error)

# name: (restype, argtypes)
_SIGNATURES = {
    "pw_version": (c_char_p, []),
    "pw_version_number": (c_int, []),
    "pw_bytecode_format": (c_uint32, []),
    "pw_status_name": (c_char_p, [c_int]),
    "pw_free": (None, [c_void_p]),
    "pw_compile_options_init": (None, [POINTER(CompileOptions)]),
    "pw_explain_options_init": (None, [POINTER(ExplainOptions)]),
    "pw_compile_source": (c_int, [c_char_p, c_char_p, c_size_t, POINTER(CompileOptions),
                                  POINTER(_P), _E]),
    "pw_program_open": (c_int, [c_char_p, POINTER(CompileOptions), POINTER(_P), _E]),
    "pw_program_load": (c_int, [c_char_p, c_size_t, POINTER(_P), _E]),
    "pw_program_save": (c_int, [_P, POINTER(c_void_p), POINTER(c_size_t), _E]),
    "pw_program_free": (None, [_P]),
    "pw_program_count": (c_size_t, [_P]),
    "pw_program_id": (c_char_p, [_P, c_size_t]),
    "pw_program_title": (c_char_p, [_P, c_size_t]),
    "pw_program_is_first_version": (c_bool, [_P, c_size_t]),
    "pw_program_dated": (c_bool, [_P, c_size_t]),
    "pw_context_new": (c_int, [_P, POINTER(_P), _E]),
    "pw_context_free": (None, [_P]),
    # buffer, needed and err passed as addresses (see _rules._Context)
    "pw_eval_json": (c_int, [_P, c_char_p, c_size_t, c_int32, c_void_p, c_size_t, c_void_p,
                             c_void_p]),
    "pw_explain": (c_int, [_P, c_char_p, c_size_t, POINTER(ExplainOptions),
                           POINTER(POINTER(Explanation)), _E]),
    "pw_explanation_free": (None, [POINTER(Explanation)]),
    "pw_when": (c_int, [_P, c_char_p, c_size_t, c_char_p, POINTER(ExplainOptions),
                        POINTER(POINTER(Eligibility)), _E]),
    "pw_eligibility_free": (None, [POINTER(Eligibility)]),
    "pw_plan_find": (c_int, [_P, c_char_p, c_size_t, c_char_p, POINTER(ExplainOptions),
                             POINTER(POINTER(Plan)), _E]),
    "pw_plan_free": (None, [POINTER(Plan)]),
}

def _candidates() -> list[str]:
    """Where to look, in order: PATHWAY_LIBRARY alone when it is set (a
    wrong setting must not be papered over by another copy), else the
    dynamic loader's search path, then what ctypes.util.find_library finds."""
    named = os.environ.get("PATHWAY_LIBRARY")
    if named:
        return [named]
    found = ctypes.util.find_library("pathway")
    return ["libpathway.so.0"] + ([found] if found else [])


def _open() -> ctypes.CDLL:
    tried = []
    for name in _candidates():
        try:
            lib = ctypes.CDLL(name)
        except OSError as e:
            tried.append(f"{name}: {e}")
            continue
        return _declare(lib, name)
    hint = ("set PATHWAY_LIBRARY to the path of libpathway.so (for example "
            "build/libpathway.so in a build tree), or install the library where the "
            "dynamic loader finds it (cmake --install build; ldconfig)")
    raise ImportError("pathway_rules: cannot load the Pathway library (" + "; ".join(tried)
                      + "): " + hint)


def _declare(lib: ctypes.CDLL, name: str) -> ctypes.CDLL:
    for fn, (res, args) in _SIGNATURES.items():
        try:
            f = getattr(lib, fn)
        except AttributeError:
            raise ImportError(f"pathway_rules: {name} has no {fn}: not a Pathway library of "
                              f"major version {ABI_MAJOR}, or too old") from None
        f.restype = res
        f.argtypes = args
    major = lib.pw_version_number() // 10000
    if major != ABI_MAJOR:
        raise ImportError(f"pathway_rules: {name} is Pathway {lib.pw_version().decode()}; "
                          f"this package needs major version {ABI_MAJOR}")
    return lib


lib = _open()
#: Where the library was loaded from (PATHWAY_LIBRARY, or the name the loader resolved).
library_name: str = lib._name
