#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""No collector message left out of the translation (docs/i18n.md "The
collector"): a string literal with English words given to fprintf/printf/
fputs/puts, diag_set, yaml_error, fail, snprintf/asprintf into an error
buffer, or chosen by a ?: , must be marked _() / N_() / L_(), unless
tests/messages_english.txt lists it as English on purpose (SQL, JSON, CSV,
the HTTP API's and the service's own texts) with the reason. log_line()
is the service's log: English by rule, not checked.

usage: messages_marked.py SOURCE_DIR"""
import pathlib
import re
import sys

STR = r'"(?:[^"\\\n]|\\.)*"'
LIT = STR + r'(?:\s*' + STR + r')*'
CALL = re.compile(
    r'(?<![\w.>])(?:fprintf\s*\(\s*\w+\s*,|printf\s*\(|fputs\s*\(|puts\s*\(|'
    r'diag_set\s*\([^,;]*,|yaml_error\s*\([^,;]*,[^,;]*,[^,;]*,|fail\s*\(|'
    r'v?snprintf\s*\(\s*[\w.\[\]>-]*err\w*\s*,[^,;]*,|asprintf\s*\(\s*&?[\w.>-]*err\w*\s*,)'
    r'\s*(' + LIT + ')')
TERNARY = re.compile(r'[?:]\s*(' + LIT + r')(?=\s*[:,);])')


def words(lit):
    text = re.sub(r'%[-+ #0-9.*$]*[a-zA-Z]+', ' ', lit)
    text = text.replace('hostaudit-collector', ' ')
    return re.findall(r'[A-Za-z]{3,}', text)


def norm(lit):
    return ' '.join(lit.split())


def main():
    root = pathlib.Path(sys.argv[1])
    allowed = set()
    for line in (root / 'tests/messages_english.txt').read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            path, _, lit = line.partition(' | ')
            allowed.add((path.strip(), lit.strip()))
    found, used = [], set()
    for f in sorted((root / 'collector').rglob('*.c')):
        rel = f.relative_to(root).as_posix()
        src = f.read_text()
        hits = [(m.start(1), m.group(1), 2) for m in CALL.finditer(src)]
        hits += [(m.start(1), m.group(1), 2) for m in TERNARY.finditer(src)
                 if len(words(m.group(1))) >= 2]
        for pos, lit, _n in hits:
            if not words(lit):
                continue
            key = (rel, norm(lit))
            if key in allowed:
                used.add(key)
                continue
            line = src.count('\n', 0, pos) + 1
            found.append(f'{rel}:{line}: {norm(lit)[:100]}')
    for f in sorted(set(found)):
        print('unmarked:', f)
    for path, lit in sorted(allowed - used):
        print(f'stale: tests/messages_english.txt lists {path} | {lit} (no longer in the code)')
    if found or allowed - used:
        print('FAIL: mark the message _() and translate it in po/ja.po, or list it in '
              'tests/messages_english.txt with the reason it stays English')
        return 1
    print(f'PASS: every collector message is marked ({len(used)} English on purpose)')
    return 0


sys.exit(main())
