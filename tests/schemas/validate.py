#!/usr/bin/env python3
"""Validates Pathway's JSON outputs against docs/schemas (schemas.outputs).

usage: validate.py [--invalid|--mutants] [--def NAME] SCHEMA FILE [FILE...]

Each FILE is one JSON document, or JSON Lines (one document per non-blank
line) when it does not parse as a whole. Every document must be valid
against SCHEMA (a JSON Schema draft 2020-12 file, itself checked against
the metaschema), with format checking ("date" and the like). With
--invalid every document must be *invalid* instead: the negative checks
that show a renamed or an extra field fails. With --mutants every document
must be valid, and so must fail each of its mutants, made in every object
it holds: an extra field, the first field renamed, a date that is not a
real day (2026-02-30), and a status, outcome, kind, severity, change or
role that is not one of its values. --mutants makes them for the first 3 documents of each
FILE (enough to reach every shape the file has, in seconds). --def NAME
validates against the schema's $defs/NAME instead of the whole schema
(for the documentation's examples of one part of an output). A FILE with no document at
all is an error too, so that an output that went missing is not a pass.
Exit status: 0 when all is as expected, 1 otherwise, 2 for a usage error.
"""
import copy
import json
import re
import sys

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match


def documents(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        pass
    docs = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                docs.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{n}: not JSON: {e}")
    return docs


ENUM_KEYS = {"status", "outcome", "holds", "kind", "severity", "change", "role"}
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def objects(doc, path=()):
    """Every object in doc, as (path, object), outermost first."""
    if isinstance(doc, dict):
        yield path, doc
        for k, v in doc.items():
            yield from objects(v, path + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from objects(v, path + (i,))


def mutants(doc):
    """(what, mutant) pairs: each must be invalid against a strict schema."""
    for path, obj in list(objects(doc)):
        where = "/" + "/".join(str(p) for p in path)
        def variant(change):
            m = copy.deepcopy(doc)
            o = m
            for p in path:
                o = o[p]
            change(o)
            return m
        yield f"extra field at {where}", variant(lambda o: o.__setitem__("x_unexpected", 1))
        if obj:
            first = next(iter(obj))
            def rename(o, k=first):
                o[k + "_renamed"] = o.pop(k)
            yield f"{first} renamed at {where}", variant(rename)
        for k, v in obj.items():
            if isinstance(v, str) and DATE.match(v):
                yield f"{k} not a real day at {where}", variant(lambda o, k=k: o.__setitem__(k, "2026-02-30"))
            elif k in ENUM_KEYS and isinstance(v, str):
                yield f"{k} not a known value at {where}", variant(lambda o, k=k: o.__setitem__(k, "x_unknown"))


def main(argv):
    invalid = muts = False
    if argv and argv[0] == "--invalid":
        invalid = True
        argv = argv[1:]
    elif argv and argv[0] == "--mutants":
        muts = True
        argv = argv[1:]
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    part = None
    if len(argv) > 2 and argv[0] == "--def":
        part, argv = argv[1], argv[2:]
    with open(argv[0], encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    if part is not None:
        if part not in schema.get("$defs", {}):
            print(f"FAIL {argv[0]} has no $defs/{part}")
            return 1
        schema = {"$schema": schema["$schema"], "$ref": "#/$defs/" + part, "$defs": schema["$defs"]}
    v = Draft202012Validator(schema, format_checker=FormatChecker())
    failed = 0
    rejected = 0
    for path in argv[1:]:
        docs = documents(path)
        if not docs:
            print(f"FAIL {path}: no JSON document in it")
            failed = 1
        for n, doc in enumerate(docs, 1):
            errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
            if invalid and not errors:
                print(f"FAIL {path}: document {n} is valid against {argv[0]}, expected invalid")
                failed = 1
            elif not invalid and errors:
                failed = 1
                # The deepest error that explains the failure (a oneOf's
                # own message names no field), quoted briefly.
                e = best_match(errors)
                where = "/".join(str(p) for p in e.absolute_path)
                msg = e.message if len(e.message) <= 300 else e.message[:300] + "..."
                print(f"FAIL {path}: document {n}: at /{where}: {msg}")
            if muts and not errors and n <= 3:
                made = 0
                for what, m in mutants(doc):
                    made += 1
                    if v.is_valid(m):
                        print(f"FAIL {path}: document {n}: a mutant is still valid: {what}")
                        failed = 1
                if not made:
                    print(f"FAIL {path}: document {n}: no mutant made")
                    failed = 1
                rejected += made
        if not failed:
            print(f"ok   {path}: {len(docs)} document(s) {'rejected' if invalid else 'valid'}"
                  + (f", {rejected} mutants rejected" if muts else ""))
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
