#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A large store for the annual report's bench, fast: HOSTS x DAYS daily
reports written by SQL in arrival order (day by day, every host's report of
that day), as the collector's ingest would lay them out, and the
host_rule_years and host_months aggregates filled exactly as ingest fills
them (day bits per state and month, the year's latest state; reports per
month).
Report bodies are left out: the annual report never reads them (they live
in their own table).

usage: bench/annual_store.py DB HOSTS DAYS YEAR [RULES]
DB must be a store the collector created (schema 4 or later, empty);
bench/collector_bench fill goes through the real ingest instead (slower).
"""
import hashlib
import random
import sqlite3
import sys
import time

db, hosts, days, year = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
nrules = int(sys.argv[5]) if len(sys.argv) > 5 else 20
rnd = random.Random(1)
con = sqlite3.connect(db)
con.execute("PRAGMA synchronous=OFF")
con.execute("PRAGMA journal_mode=WAL")
start = int(time.mktime(time.strptime(f"{year}-01-01 06:00:00", "%Y-%m-%d %H:%M:%S"))) \
    - time.timezone
rules = [("nisc-9" if r < nrules * 9 // 20 else "ipa-5") + f":rule.{r:02d}" for r in range(nrules)]
con.executemany("INSERT INTO hosts(id, name, token_sha256, enrolled_at) VALUES(?,?,?,?)",
                [(h + 1, f"pc-{h:05d}", hashlib.sha256(b"%d" % h).hexdigest(), start)
                 for h in range(hosts)])
agg = {}
counts = {}
t0 = time.time()
rid = 0
for d in range(days):
    rows = []
    for h in range(hosts):
        t = start + d * 86400 + h % 36000
        tm = time.gmtime(t)
        month = tm.tm_year * 100 + tm.tm_mon
        # STORE_YEAR_BIT (collector/store_backend.h): slot, month, day
        bits = [s * 384 + (tm.tm_mon - 1) * 32 + 32 - tm.tm_mday for s in (0, 1)]
        states = ["p" if rnd.random() < 0.9 else "f" for _ in rules]
        summary = "".join(f"{r}={s}\n" for r, s in zip(rules, states))
        rid += 1
        rows.append((rid, f"{h:08x}-{d:04x}-4000-8000-{rid:012x}", h + 1, f"pc-{h:05d}", 0,
                     t, t + 5, 90.0, hashlib.sha256(b"%d" % rid).hexdigest(), summary))
        c = counts.get((h + 1, month))
        counts[(h + 1, month)] = [c[0] + 1, min(c[1], t), max(c[2], t)] if c else [1, t, t]
        for r, s in zip(rules, states):
            k = (h + 1, tm.tm_year, r)
            a = agg.get(k)
            if a is None:
                a = agg[k] = [bytearray(4 * 12 * 4), 0, "p"]
            b = bits[0 if s == "p" else 1]
            a[0][b // 8] |= 0x80 >> b % 8
            a[1], a[2] = t, s
    con.executemany("INSERT INTO reports(id, report_id, host_id, claimed_hostname,"
                    " hostname_mismatch, finished_at, received_at, score, body_sha256,"
                    " summary) VALUES(?,?,?,?,?,?,?,?,?,?)", rows)
    if d % 30 == 29:
        con.commit()
        print(f"day {d + 1} of {days}, {time.time() - t0:.0f} s", file=sys.stderr)
con.commit()
con.executemany("INSERT INTO host_rule_years(host_id, year, rule, days, last_at,"
                " last_state) VALUES(?,?,?,?,?,?)",
                ((k[0], k[1], k[2], bytes(a[0]), a[1], a[2]) for k, a in sorted(agg.items())))
con.executemany("INSERT INTO host_months(host_id, month, reports, first_at, last_at)"
                " VALUES(?,?,?,?,?)",
                ((k[0], k[1], c[0], c[1], c[2]) for k, c in sorted(counts.items())))
con.commit()
print(f"{hosts} hosts x {days} days: {rid} reports in {time.time() - t0:.0f} s")
