#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a terminal capture of a report against the same report unwrapped:
no line wider than the terminal (display columns: East Asian wide = 2),
nothing lost or changed, and every line break falls where a line may
break: at a space, or beside a Japanese character (never before closing
punctuation). Usage: report_width.py CAPTURE REFERENCE COLUMNS"""
import re
import sys
import unicodedata

CLOSING = set("、。，．）」』】〕！？：；ー々")
VOLATILE = [re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"),
            re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wide(ch):
    return unicodedata.east_asian_width(ch) in "WF"


def normalise(text):
    for rx in VOLATILE:
        text = rx.sub("@", text)
    return text


def main():
    capture, reference, columns = sys.argv[1], sys.argv[2], int(sys.argv[3])
    lines = [normalise(l.rstrip()) for l in open(capture, encoding="utf-8").read().split("\n")]
    ref = normalise(open(reference, encoding="utf-8").read())
    bad = 0
    for n, line in enumerate(lines, 1):
        w = sum(width(c) for c in line)
        if w > columns:
            print(f"line {n} is {w} columns wide: {line}")
            bad += 1
    # The reference without whitespace, and where whitespace was.
    chars, space_before = [], []
    gap = True
    for c in ref:
        if c.isspace():
            gap = True
            continue
        chars.append(c)
        space_before.append(gap)
        gap = False
    got = [c for c in "\n".join(lines) if not c.isspace()]
    if got != chars:
        k = next((i for i, (a, b) in enumerate(zip(got, chars)) if a != b),
                 min(len(got), len(chars)))
        print("the capture differs from the report at: "
              f"{''.join(got[k:k + 40])!r} vs {''.join(chars[k:k + 40])!r}")
        return 1
    k = 0
    for n, line in enumerate(lines, 1):
        stripped = [c for c in line if not c.isspace()]
        if stripped and k > 0 and not space_before[k]:
            if not (wide(chars[k - 1]) or wide(chars[k])) or chars[k] in CLOSING:
                print(f"line {n} breaks a word: ...{''.join(chars[max(0, k - 15):k])}"
                      f" | {''.join(chars[k:k + 15])}...")
                bad += 1
        k += len(stripped)
    print(f"{len(lines)} lines checked, {bad} problems")
    return 1 if bad else 0


sys.exit(main())
