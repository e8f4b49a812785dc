#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The report's JSON Schema (data/schema/report.schema.json) against real
reports and against the C check (report_validate(), through `hostaudit
render`), so the two cannot drift apart:

1. the schema is a valid draft 2020-12 schema;
2. real reports, from the built hostaudit on fixture roots (--now, -f json,
   one run with a site config that disables a rule), are valid for both;
3. each mutation of a real report (a required key removed, a wrong type, a
   value outside its enum or pattern, ...) gets the same verdict from both:
   rejected, or, for additions v1 allows (unknown keys), accepted. The few
   things JSON Schema cannot state are listed as KNOWN_GAPS, checked too,
   so that closing one shows.

usage: check_report_schema.py HOSTAUDIT SOURCE_DIR
Exit 0 when every check passes; 1 naming each disagreement.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

from jsonschema import Draft202012Validator

NOW = "2026-11-26T06:00:00Z"
# Fixture roots with different facts known, failing, unknown, not applicable.
ROOTS = ["bare-host", "empty", "apt-pending", "apt-uptodate", "av-fresh", "backup-recent",
         "dnf-pending", "diskcrypt-luks", "firewall-ufw", "password-compliant",
         "password-weak", "screenlock-gnome-locked", "shares-closed", "accounts-weak"]


def run(cmd, **kw):
    env = dict(os.environ, LC_ALL="C", LANG="C")
    return subprocess.run(cmd, capture_output=True, text=True, env=env, **kw)


def real_reports(prog, src, tmp):
    """(name, report) for each fixture root, and one with an exception."""
    reports = []
    for root in ROOTS:
        p = run([prog, "run", "-r", os.path.join(src, "rules"),
                 "-R", os.path.join(src, "tests/fixtures/roots", root),
                 "--now", NOW, "-f", "json"])
        if p.returncode not in (0, 1, 3):
            sys.exit(f"FAIL: hostaudit run -R {root} exited {p.returncode}: {p.stderr}")
        reports.append((root, json.loads(p.stdout)))
    # A site config that disables a rule: exceptions[] and a disabled result.
    conf = os.path.join(tmp, "site.yaml")
    with open(conf, "w", encoding="utf-8") as f:
        f.write("schema: hostaudit/config/v1\n"
                f"rules:\n  - {os.path.join(src, 'rules')}\n"
                "disabled:\n"
                "  - rule: ipa-5:password.strength\n"
                "    reason: \"Passwords are managed by the directory service\"\n"
                "    approved_by: \"IT manager\"\n"
                "    until: \"2099-12-31\"\n")
    os.chmod(conf, 0o644)
    p = run([prog, "run", "-c", conf, "-R", os.path.join(src, "tests/fixtures/roots",
                                                        "password-weak"),
             "--now", NOW, "-f", "json"])
    if p.returncode not in (0, 1, 3):
        sys.exit(f"FAIL: hostaudit run -c site.yaml exited {p.returncode}: {p.stderr}")
    rep = json.loads(p.stdout)
    if not rep["exceptions"]:
        sys.exit("FAIL: the site config's exception is not in the report")
    reports.append(("password-weak+exception", rep))
    return reports


def c_accepts(prog, tmp, doc):
    """report_validate()'s verdict, through `hostaudit render`."""
    path = os.path.join(tmp, "mutant.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    p = run([prog, "render", "-f", "text", path])
    if "not a valid report" in p.stderr:
        if p.returncode != 2:
            sys.exit(f"FAIL: render rejected a report but exited {p.returncode}")
        return False
    if p.returncode == 2:
        sys.exit(f"FAIL: render exited 2 for another reason: {p.stderr}")
    return True


def first(rep, pred):
    """The first fact name whose fact satisfies pred."""
    for name, fact in rep["facts"].items():
        if pred(fact):
            return name
    raise LookupError("no such fact in the report")


def result_with(rep, status):
    return next(i for i, r in enumerate(rep["results"]) if r["status"] == status)


def sheet_pack(rep):
    return next(i for i, p in enumerate(rep["scores"]["packs"]) if "sheet" in p)


def known(t):
    return lambda f: f["state"] == "known" and f["type"] == t


def not_known(f):
    return f["state"] != "known"


def mutations():
    """(what, change): change edits a deep copy of a real report in place.
    Every one of these must be rejected by both validators."""
    m = []

    def drop(*path):
        def change(r):
            o = r
            for k in path[:-1]:
                o = o[k(r) if callable(k) else k]
            del o[path[-1]]
        return (f"missing {'.'.join(str(p) if not callable(p) else '*' for p in path)}",
                change)

    def put(what, *path, value):
        def change(r):
            o = r
            for k in path[:-1]:
                o = o[k(r) if callable(k) else k]
            last = path[-1]
            o[last(r) if callable(last) else last] = copy.deepcopy(value)
        return (what, change)

    for key in ["schema", "report_id", "agent", "host", "now", "started_at", "finished_at",
                "packs", "params", "exceptions", "facts", "results", "scores"]:
        m.append(drop(key))
    m += [
        put("schema of another version", "schema", value="hostaudit/report/v2"),
        put("report_id not a UUIDv4 (version 1)", "report_id",
            value="6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
        put("report_id in upper case", "report_id",
            value="0E2A4D3C-1B5F-4C6D-8E7F-9A0B1C2D3E4F"),
        put("report_id a number", "report_id", value=42),
        drop("agent", "name"), drop("agent", "version"),
        put("agent.version a number", "agent", "version", value=1),
        drop("host", "hostname"), drop("host", "os"), drop("host", "os_release"),
        drop("host", "machine_id"),
        put("host.os not linux or windows", "host", "os", value="macos"),
        put("host.os_release a string", "host", "os_release", value="Debian 12"),
        put("now not a time", "now", value="yesterday"),
        put("started_at without a zone", "started_at", value="2026-11-26T06:00:00"),
        put("finished_at month 13", "finished_at", value="2026-13-01T00:00:00Z"),
        put("now a number", "now", value=1764136800),
        put("packs an object", "packs", value={}),
        put("params an array", "params", value=[]),
        put("exceptions an object", "exceptions", value={}),
        put("an exception without reason", "exceptions", value=[{"rule": "x.y"}]),
        put("an exception a string", "exceptions", value=["x.y"]),
        put("facts an array", "facts", value=[]),
        put("results an object", "results", value={}),
        put("scores an array", "scores", value=[]),
        # packs[]
        drop("packs", 0, "id"), drop("packs", 0, "path"), drop("packs", 0, "sha256"),
        drop("packs", 0, "title"),
        put("packs[0].sha256 not hex", "packs", 0, "sha256", value="z" * 64),
        put("packs[0].sha256 too short", "packs", 0, "sha256", value="ab" * 16),
        put("packs[0].title without ja", "packs", 0, "title", value={"en": "x"}),
        put("packs[0].scoring unknown", "packs", 0, "scoring", value="average"),
        put("packs[0] a string", "packs", 0, value="nisc-9"),
        # facts
        put("a fact's type unknown", "facts", lambda r: first(r, known("bool")), "type",
            value="float"),
        put("a fact's state unknown", "facts", lambda r: first(r, known("bool")), "state",
            value="maybe"),
        drop("facts", lambda r: first(r, known("bool")), "type"),
        drop("facts", lambda r: first(r, known("bool")), "state"),
        drop("facts", lambda r: first(r, known("bool")), "value"),
        put("a known bool fact with a string value", "facts",
            lambda r: first(r, known("bool")), "value", value="yes"),
        put("a known list fact with a number in it", "facts",
            lambda r: first(r, known("list")), "value", value=["a", 1]),
        put("a known list fact with a string value", "facts",
            lambda r: first(r, known("list")), "value", value="a"),
        put("a known time fact that is not a time", "facts",
            lambda r: first(r, known("time")), "value", value="last week"),
        put("a known int fact with a string value", "facts",
            lambda r: first(r, known("int")), "value", value="3"),
        put("a known string fact with a number value", "facts",
            lambda r: first(r, known("string")), "value", value=3),
        put("an unknown fact with a value", "facts", lambda r: first(r, not_known), "value",
            value=True),
        drop("facts", lambda r: first(r, not_known), "reason"),
        put("an unknown fact's reason a number", "facts", lambda r: first(r, not_known),
            "reason", value=1),
        put("a fact a string", "facts", lambda r: first(r, known("bool")), value="true"),
        # results[]
        *[drop("results", 0, k) for k in ["pack", "id", "article", "weight", "attested",
                                          "severity", "status", "title", "remediation",
                                          "facts"]],
        put("results[0].status unknown", "results", 0, "status", value="passed"),
        put("results[0].severity unknown", "results", 0, "severity", value="urgent"),
        put("results[0].weight negative", "results", 0, "weight", value=-1),
        put("results[0].weight a string", "results", 0, "weight", value="3"),
        put("results[0].article a string", "results", 0, "article", value="1"),
        put("results[0].id with '='", "results", 0, "id", value="a=f"),
        put("results[0].id with a newline", "results", 0, "id", value="a\nb"),
        put("results[0].id upper-case", "results", 0, "id", value="Upper"),
        put("results[0].id empty", "results", 0, "id", value=""),
        put("results[0].pack with ':'", "results", 0, "pack", value="nisc:9"),
        put("results[0].pack with '.'", "results", 0, "pack", value="nisc.9"),
        put("results[0].attested a string", "results", 0, "attested", value="no"),
        put("results[0].remediation without en", "results", 0, "remediation",
            value={"ja": "x"}),
        put("results[0].title a string", "results", 0, "title", value="title"),
        put("results[0].facts with a number", "results", 0, "facts", value=[1]),
        put("partial on a passed rule", "results", lambda r: result_with(r, "pass"),
            "partial", value=True),
        put("partial not a boolean", "results", lambda r: result_with(r, "fail"), "partial",
            value="yes"),
        put("results[0] a string", "results", 0, value="q01"),
        # scores
        drop("scores", "overall"), drop("scores", "packs"),
        *[drop("scores", "overall", k) for k in ["score", "pass", "fail", "unknown",
                                                 "not_applicable", "error", "disabled"]],
        put("overall score above 100", "scores", "overall", "score", value=100.5),
        put("overall score negative", "scores", "overall", "score", value=-1),
        put("overall score a string", "scores", "overall", "score", value="90"),
        put("overall pass negative", "scores", "overall", "pass", value=-2),
        put("overall fail a float", "scores", "overall", "fail", value=1.5),
        drop("scores", "packs", 0, "pack"), drop("scores", "packs", 0, "articles"),
        drop("scores", "packs", 0, "score"),
        drop("scores", "packs", 0, "articles", 0, "article"),
        drop("scores", "packs", 0, "articles", 0, "pass"),
        put("an article's sheet_points 3", "scores", "packs", lambda r: sheet_pack(r),
            "articles", 0, "sheet_points", value=3),
        put("an article's sheet_points 5", "scores", "packs", lambda r: sheet_pack(r),
            "articles", 0, "sheet_points", value=5),
        put("an article's sheet_points a string", "scores", "packs", lambda r: sheet_pack(r),
            "articles", 0, "sheet_points", value="4"),
        put("a sheet's max not a multiple of 4", "scores", "packs", lambda r: sheet_pack(r),
            "sheet", "max", value=98),
        put("a sheet's max negative", "scores", "packs", lambda r: sheet_pack(r), "sheet",
            "max", value=-4),
        put("a sheet's score below -25", "scores", "packs", lambda r: sheet_pack(r), "sheet",
            "score", value=-26),
        drop("scores", "packs", lambda r: sheet_pack(r), "sheet", "points"),
        drop("scores", "packs", lambda r: sheet_pack(r), "sheet", "unknown"),
        drop("scores", "packs", lambda r: sheet_pack(r), "sheet", "score"),
        put("a sheet a number", "scores", "packs", lambda r: sheet_pack(r), "sheet", value=7),
    ]
    # A fact's message, with the pieces of a composed text ("parts").
    def msg(what, value):
        return put(what, "facts", lambda r: first(r, known("int")), "evidence_msg",
                   value=value)
    m += [
        msg("a message's parts a string", {"id": "%s", "args": ["a"], "parts": "x"}),
        msg("a part a number", {"id": "%s", "args": ["a"], "parts": [5]}),
        msg("a part without an id", {"id": "%s", "args": ["a"], "parts": [{"args": []}]}),
        msg("a part's argument a number",
            {"id": "%s", "args": ["a"], "parts": [{"id": "%d", "args": [1]}]}),
    ]
    return m


# Additions v1 allows: both must accept them.
ALLOWED = [
    ("an unknown top-level key", lambda r: r.__setitem__("x_future", {"a": 1})),
    ("an unknown key in a fact (msgid, args)",
     lambda r: r["facts"][next(iter(r["facts"]))].update(msgid="probe.x", args=["a"])),
    ("an unknown key in a result", lambda r: r["results"][0].__setitem__("x_note", "n")),
    ("a time with an offset and fractions",
     lambda r: r.__setitem__("now", "2026-11-26T15:00:00.25+09:00")),
    ("a date as a time", lambda r: r.__setitem__("now", "2026-11-26")),
    ("a null sheet_points",
     lambda r: r["scores"]["packs"][sheet_pack(r)]["articles"][0].__setitem__(
         "sheet_points", None)),
    ("partial false on a failed rule",
     lambda r: r["results"][result_with(r, "fail")].__setitem__("partial", False)),
    ("a null overall score", lambda r: r["scores"]["overall"].__setitem__("score", None)),
    ("a composed evidence (parts, nested, with nulls)",
     lambda r: r["facts"][first(r, known("int"))].__setitem__("evidence_msg", {
         "id": "%s; %s", "args": ["a 1", "b"],
         "parts": [{"id": "a %d", "args": ["1"]}, None]})),
]

# What JSON Schema cannot say: (what, change, C verdict, schema verdict).
KNOWN_GAPS = [
    ("a sheet's points above its max (a relation between two members)",
     lambda r: r["scores"]["packs"][sheet_pack(r)]["sheet"].update(points=104, max=100),
     False, True),
    ("an integer written 3.0 (JSON Schema counts it an integer, jansson does not)",
     lambda r: r["results"][0].__setitem__("weight", 3.0), False, True),
    ("a rule twice (uniqueItems compares whole results, not their pack and id)",
     lambda r: r["results"].append(dict(r["results"][0], status="pass")), False, True),
    ("a message's parts shorter than its args (a relation between two members)",
     lambda r: r["facts"][first(r, known("int"))].__setitem__("evidence_msg", {
         "id": "%s %s", "args": ["a", "b"], "parts": [None]}), False, True),
]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    prog, src = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "data/schema/report.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    v = Draft202012Validator(schema)
    print("ok: the schema is a valid draft 2020-12 schema")

    def schema_accepts(doc):
        return v.is_valid(doc)

    failures = []
    with tempfile.TemporaryDirectory(prefix="report-schema.") as tmp:
        reports = real_reports(prog, src, tmp)
        for name, rep in reports:
            errs = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                    for e in v.iter_errors(rep)]
            if errs:
                failures.append(f"real report {name}: the schema rejects it: {errs[:3]}")
            if not c_accepts(prog, tmp, rep):
                failures.append(f"real report {name}: report_validate() rejects it")
        print(f"ok: {len(reports)} real reports checked against both")

        # The richest report to mutate: it has a sheet, failed and passed rules
        # and known facts of every type.
        def richness(rep):
            types = {f["type"] for f in rep["facts"].values() if f["state"] == "known"}
            statuses = {r["status"] for r in rep["results"]}
            return (len(types), "fail" in statuses and "pass" in statuses)
        base = max((r for _, r in reports), key=richness)

        def verdicts(change):
            doc = copy.deepcopy(base)
            change(doc)
            return c_accepts(prog, tmp, doc), schema_accepts(doc)

        n = 0
        for what, change in mutations():
            c, s = verdicts(change)
            n += 1
            if c or s:
                failures.append(f"mutation '{what}': C {'accepts' if c else 'rejects'}, "
                                f"schema {'accepts' if s else 'rejects'}; both must reject")
        print(f"ok: {n} broken reports checked")
        for what, change in ALLOWED:
            c, s = verdicts(change)
            if not (c and s):
                failures.append(f"allowed '{what}': C {'accepts' if c else 'rejects'}, "
                                f"schema {'accepts' if s else 'rejects'}; both must accept")
        print(f"ok: {len(ALLOWED)} allowed additions checked")
        for what, change, want_c, want_s in KNOWN_GAPS:
            c, s = verdicts(change)
            if (c, s) != (want_c, want_s):
                failures.append(f"known gap '{what}' changed: C {c}, schema {s}; "
                                "update KNOWN_GAPS and the schema's $comment")
        print(f"ok: {len(KNOWN_GAPS)} known gaps as documented")

    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    if failures:
        return 1
    print("PASS: the JSON Schema and report_validate() agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
