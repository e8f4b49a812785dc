#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# ctest collector_annual_xlsx: the annual report's workbooks that
# test_annual wrote, opened with a real reader (openpyxl): the sheets, a
# frozen and filtered header row on each, Japanese intact, the evidence
# rows, and a month cell that is a number or one of the words.
#   check_xlsx.py WORK_DIR
import sys

import openpyxl

work = sys.argv[1]
for lang, words in (("en", {"unknown", "not applicable", "no report"}),
                    ("ja", {"不明", "対象外", "報告なし"})):
    wb = openpyxl.load_workbook(f"{work}/annual-{lang}.xlsx", read_only=False)
    names = wb.sheetnames
    for want in ("summary", "rules", "rule_failures", "hosts", "exceptions", "directives",
                 "evidence"):
        assert want in names, (lang, want, names)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", (lang, ws.title, ws.freeze_panes)
        assert ws.auto_filter.ref, (lang, ws.title)
    ev = wb["evidence"]
    rows = list(ev.iter_rows(min_row=2, values_only=True))
    assert len(rows) > 100, len(rows)
    assert all(len(r[4]) == 64 for r in rows), "a SHA-256 per report"
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
