#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# ctest collector_annual_xlsx: the annual report's workbooks that
# test_annual wrote, opened with a real reader (openpyxl): the sheets, a
# frozen and filtered header row on each, Japanese intact, the evidence
# sheet's host-month SHA-256s recomputed from the CSV form's evidence.csv,
# and a month cell that is a number or one of the words.
#   check_xlsx.py WORK_DIR
import csv
import hashlib
import sys

import openpyxl

work = sys.argv[1]


def csv_lines(lang):
    """The evidence list's lines, recomputed from the CSV form's
    evidence.csv: "report_id,hostname,finished_at,sha256\\n" each, with
    the CSV's month (host, YYYY-MM) of each (docs/annual.md)."""
    with open(f"{work}/csv-{lang}/evidence.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[1:]
    return [((r[1], r[2][:7]), f"{r[0]},{r[1]},{r[2]},{r[4]}\n".encode()) for r in rows]


def check_evidence(lang, ev):
    """The evidence sheet: the list's SHA-256 and the chain head above a
    table of host-months whose SHA-256 each match the CSV's lines."""
    rows = list(ev.iter_rows(values_only=True))
    notes = {r[0]: r[1] for r in rows if r[0] and r[1]}
    head = next(i for i, r in enumerate(rows) if r[1] in ("month", "月"))
    assert ev.freeze_panes == f"A{head + 2}", (lang, ev.freeze_panes)
    table = rows[head + 1:]
    lines = csv_lines(lang)
    assert len(table) > 10 and len(lines) > 100, (len(table), len(lines))
    whole = hashlib.sha256(b"".join(line for _, line in lines)).hexdigest()
    assert whole in notes.values(), ("the list's SHA-256 on the sheet", whole, notes)
    groups = {}
    for key, line in lines:
        groups.setdefault(key, []).append(line)
    assert len(table) == len(groups), (len(table), len(groups))
    assert sum(r[2] for r in table) == len(lines)
    for host, month, reports, first, last, sha in table:
        g = groups[(host, month)]
        assert reports == len(g), (host, month, reports, len(g))
        assert sha == hashlib.sha256(b"".join(g)).hexdigest(), (lang, host, month)
        assert first <= last and first.startswith(month) and last.startswith(month)
    # a changed line is caught: the host-month's digest no longer matches
    key, line = lines[len(lines) // 2]
    forged = [line.replace(line[-65:-1], b"0" * 64) if l is line else l for l in groups[key]]
    want = next(r[5] for r in table if (r[0], r[1]) == key)
    assert hashlib.sha256(b"".join(forged)).hexdigest() != want

for lang, words in (("en", {"unknown", "not applicable", "no report"}),
                    ("ja", {"不明", "対象外", "報告なし"})):
    wb = openpyxl.load_workbook(f"{work}/annual-{lang}.xlsx", read_only=False)
    names = wb.sheetnames
    # created: the report's --now (2026-12-20), not the clock: reproducible
    assert str(wb.properties.created) == "2026-12-20 00:00:00", (lang, wb.properties.created)
    for want in ("summary", "rules", "rule_failures", "hosts", "exceptions", "directives",
                 "evidence"):
        assert want in names, (lang, want, names)
    for ws in wb.worksheets:
        if ws.title != "evidence":  # its table starts below the notes
            assert ws.freeze_panes == "A2", (lang, ws.title, ws.freeze_panes)
        assert ws.auto_filter.ref, (lang, ws.title)
    check_evidence(lang, wb["evidence"])
    hosts = wb["hosts"]
    head = [c.value for c in hosts[1]]
    month = head.index("2026-01")
    seen_words = set()
    for r in hosts.iter_rows(min_row=2, values_only=True):
        for v in r[month:month + 12]:
            assert v is not None, "an empty month cell"
            if isinstance(v, str):
                assert v in words, (lang, v)
                seen_words.add(v)
            else:
                assert 0 <= v <= 100
    assert words & seen_words, seen_words
    summary = wb["summary"]
    text = " ".join(str(c.value) for row in summary.iter_rows() for c in row if c.value)
    assert "株式会社テスト" in text, text
    assert "danger-unprepared" in text, "last year's category"
    dirs = list(wb["directives"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in dirs] == ["directive_1", "directive_2", "directive_10"], dirs
    assert dirs[0][7] == "3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7", dirs
    if lang == "ja":
        assert "9か条" in text and "5か条" in text, text
        assert "検査装置の制御 PC" in " ".join(
            str(c.value) for row in wb["exceptions"].iter_rows() for c in row if c.value)
print("check_xlsx: both workbooks read back")
