#!/usr/bin/env python3
"""Checks a SARIF log against the SARIF 2.1.0 schema's rules for every
object it holds: required properties, property types, enumerations, and no
property the schema does not define (the schema closes its objects with
"additionalProperties": false). Only the standard library is used, so the
schema is written out here for the objects a log may hold, not loaded.
Also checks what GitHub code scanning relies on: ruleIndex pointing at the
rule named by ruleId, 1-based regions that do not end before they start.

usage: sarif_check.py LOG.sarif [--results N]
Exits 1 with one line per problem; with --results, the log must hold
exactly N results."""
import json
import sys

PROPS = {
    "sarifLog": {"$schema", "version", "runs", "inlineExternalProperties", "properties"},
    "run": {"tool", "invocations", "conversion", "language", "versionControlProvenance",
            "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
            "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
            "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
            "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
            "translations", "policies", "webRequests", "webResponses", "specialLocations",
            "properties"},
    "tool": {"driver", "extensions", "properties"},
    "toolComponent": {"guid", "name", "organization", "product", "productSuite",
                      "shortDescription", "fullDescription", "fullName", "version",
                      "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri",
                      "informationUri", "globalMessageStrings", "notifications", "rules", "taxa",
                      "locations", "language", "contents", "isComprehensive",
                      "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion",
                      "associatedComponent", "translationMetadata", "supportedTaxonomies",
                      "properties"},
    "reportingDescriptor": {"id", "deprecatedIds", "guid", "deprecatedGuids", "name",
                            "deprecatedNames", "shortDescription", "fullDescription",
                            "messageStrings", "defaultConfiguration", "helpUri", "help",
                            "relationships", "properties"},
    "reportingConfiguration": {"enabled", "level", "rank", "parameters", "properties"},
    "multiformatMessageString": {"text", "markdown", "properties"},
    "result": {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget",
               "locations", "guid", "correlationGuid", "occurrenceCount", "partialFingerprints",
               "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
               "relatedLocations", "suppressions", "baselineState", "rank", "attachments",
               "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa", "webRequest",
               "webResponse", "properties"},
    "message": {"text", "markdown", "id", "arguments", "properties"},
    "location": {"id", "physicalLocation", "logicalLocations", "message", "annotations",
                 "relationships", "properties"},
    "physicalLocation": {"address", "artifactLocation", "region", "contextRegion", "properties"},
    "artifactLocation": {"uri", "uriBaseId", "index", "description", "properties"},
    "region": {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
               "byteOffset", "byteLength", "snippet", "message", "sourceLanguage", "properties"},
    "fix": {"description", "artifactChanges", "properties"},
    "artifactChange": {"artifactLocation", "replacements", "properties"},
    "replacement": {"deletedRegion", "insertedContent", "properties"},
    "artifactContent": {"text", "binary", "rendered", "properties"},
}

LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}
COLUMN_KINDS = {"utf16CodeUnits", "unicodeCodePoints"}

problems = []


def bad(path, what):
    problems.append(f"{path}: {what}")


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def obj(path, v, kind, required=()):
    """v must be an object of the schema's `kind`: its required properties
    present, and no others than the schema defines."""
    if not isinstance(v, dict):
        bad(path, f"{kind} must be an object")
        return False
    for r in required:
        if r not in v:
            bad(path, f"{kind} lacks required property '{r}'")
    for k in v:
        if k not in PROPS[kind]:
            bad(path, f"{kind} has no property '{k}' in SARIF 2.1.0")
    return True


def string(path, v, uri=False):
    if not isinstance(v, str):
        bad(path, "must be a string")
    elif uri and (v == "" or any(c in v for c in ' "<>\\^`{|}')):
        bad(path, f"not a URI reference: {v!r}")


def array(path, v, item, min_items=0):
    if not isinstance(v, list):
        bad(path, "must be an array")
        return
    if len(v) < min_items:
        bad(path, f"must hold at least {min_items} item(s)")
    for i, x in enumerate(v):
        item(f"{path}[{i}]", x)


def integer(path, v, minimum):
    if not is_int(v) or v < minimum:
        bad(path, f"must be an integer >= {minimum}")


def message(path, v, kind="message"):
    if obj(path, v, kind, ("text",) if kind == "multiformatMessageString" else ()):
        if "text" not in v and "id" not in v:
            bad(path, "message needs 'text' or 'id'")
        for k in ("text", "markdown", "id"):
            if k in v:
                string(f"{path}.{k}", v[k])


def region(path, v):
    if not obj(path, v, "region"):
        return
    for k in ("startLine", "startColumn", "endLine", "endColumn"):
        if k in v:
            integer(f"{path}.{k}", v[k], 1)
    if "startLine" not in v and "charOffset" not in v and "byteOffset" not in v:
        bad(path, "region needs startLine, charOffset or byteOffset")
    if all(is_int(v.get(k)) for k in ("startLine", "endLine")) and v["endLine"] < v["startLine"]:
        bad(path, "region ends on a line before it starts")
    if all(is_int(v.get(k)) for k in ("startLine", "endLine", "startColumn", "endColumn")):
        if v["endLine"] == v["startLine"] and v["endColumn"] < v["startColumn"]:
            bad(path, "region ends at a column before it starts")


def artifact_location(path, v):
    if obj(path, v, "artifactLocation"):
        if "uri" in v:
            string(f"{path}.uri", v["uri"], uri=True)
        if "uriBaseId" in v:
            string(f"{path}.uriBaseId", v["uriBaseId"])
        if "index" in v:
            integer(f"{path}.index", v["index"], -1)


def physical_location(path, v):
    if not obj(path, v, "physicalLocation"):
        return
    if "address" not in v and "artifactLocation" not in v:
        bad(path, "physicalLocation needs 'address' or 'artifactLocation'")
    if "artifactLocation" in v:
        artifact_location(f"{path}.artifactLocation", v["artifactLocation"])
    if "region" in v:
        region(f"{path}.region", v["region"])


def location(path, v):
    if obj(path, v, "location"):
        if "id" in v:
            integer(f"{path}.id", v["id"], -1)
        if "physicalLocation" in v:
            physical_location(f"{path}.physicalLocation", v["physicalLocation"])
        if "message" in v:
            message(f"{path}.message", v["message"])


def replacement(path, v):
    if obj(path, v, "replacement", ("deletedRegion",)):
        region(f"{path}.deletedRegion", v.get("deletedRegion"))
        if "insertedContent" in v and obj(f"{path}.insertedContent", v["insertedContent"], "artifactContent"):
            if "text" in v["insertedContent"]:
                string(f"{path}.insertedContent.text", v["insertedContent"]["text"])


def artifact_change(path, v):
    if obj(path, v, "artifactChange", ("artifactLocation", "replacements")):
        artifact_location(f"{path}.artifactLocation", v.get("artifactLocation"))
        array(f"{path}.replacements", v.get("replacements"), replacement, 1)


def fix(path, v):
    if obj(path, v, "fix", ("artifactChanges",)):
        if "description" in v:
            message(f"{path}.description", v["description"])
        array(f"{path}.artifactChanges", v.get("artifactChanges"), artifact_change, 1)


def configuration(path, v):
    if obj(path, v, "reportingConfiguration"):
        if "level" in v and v["level"] not in LEVELS:
            bad(f"{path}.level", f"not one of {sorted(LEVELS)}")
        if "enabled" in v and not isinstance(v["enabled"], bool):
            bad(f"{path}.enabled", "must be a boolean")


def descriptor(path, v):
    if obj(path, v, "reportingDescriptor", ("id",)):
        string(f"{path}.id", v.get("id"))
        for k in ("shortDescription", "fullDescription"):
            if k in v:
                message(f"{path}.{k}", v[k], "multiformatMessageString")
        if "helpUri" in v:
            string(f"{path}.helpUri", v["helpUri"], uri=True)
            if not v["helpUri"].startswith(("http://", "https://")):
                bad(f"{path}.helpUri", "must be an absolute URI")
        if "defaultConfiguration" in v:
            configuration(f"{path}.defaultConfiguration", v["defaultConfiguration"])


def driver(path, v):
    if obj(path, v, "toolComponent", ("name",)):
        string(f"{path}.name", v.get("name"))
        for k in ("version", "semanticVersion"):
            if k in v:
                string(f"{path}.{k}", v[k])
        if "informationUri" in v:
            string(f"{path}.informationUri", v["informationUri"], uri=True)
        if "rules" in v:
            array(f"{path}.rules", v["rules"], descriptor)
            ids = [r.get("id") for r in v["rules"] if isinstance(r, dict)]
            if len(ids) != len(set(ids)):
                bad(f"{path}.rules", "rule ids are not unique")


def result(path, v, rules):
    if not obj(path, v, "result", ("message",)):
        return
    message(f"{path}.message", v.get("message"))
    if "ruleId" in v:
        string(f"{path}.ruleId", v["ruleId"])
    if "ruleIndex" in v:
        integer(f"{path}.ruleIndex", v["ruleIndex"], -1)
        i = v["ruleIndex"]
        if is_int(i) and i >= 0 and (i >= len(rules) or rules[i].get("id") != v.get("ruleId")):
            bad(f"{path}.ruleIndex", "does not point at the rule named by ruleId")
    if "level" in v and v["level"] not in LEVELS:
        bad(f"{path}.level", f"not one of {sorted(LEVELS)}")
    if "kind" in v and v["kind"] not in KINDS:
        bad(f"{path}.kind", f"not one of {sorted(KINDS)}")
    for k in ("locations", "relatedLocations"):
        if k in v:
            array(f"{path}.{k}", v[k], location)
    if "fixes" in v:
        array(f"{path}.fixes", v["fixes"], fix)


def run(path, v):
    if not obj(path, v, "run", ("tool",)):
        return
    if obj(f"{path}.tool", v.get("tool"), "tool", ("driver",)):
        driver(f"{path}.tool.driver", v["tool"].get("driver"))
    if "columnKind" in v and v["columnKind"] not in COLUMN_KINDS:
        bad(f"{path}.columnKind", f"not one of {sorted(COLUMN_KINDS)}")
    rules = v.get("tool", {}).get("driver", {}).get("rules", [])
    if "results" in v:
        array(f"{path}.results", v["results"], lambda p, x: result(p, x, rules))


def main():
    args = sys.argv[1:]
    want = None
    if "--results" in args:
        i = args.index("--results")
        want = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        log = json.load(f)
    if obj("$", log, "sarifLog", ("version", "runs")):
        if log.get("version") != "2.1.0":
            bad("$.version", "must be \"2.1.0\"")
        if "$schema" in log:
            string("$.$schema", log["$schema"], uri=True)
        array("$.runs", log.get("runs"), run)
    if want is not None:
        got = sum(len(r.get("results", [])) for r in log.get("runs", []) if isinstance(r, dict))
        if got != want:
            bad("$", f"{got} results, expected {want}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
