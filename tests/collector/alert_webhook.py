#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# A webhook receiver for the alerts tests (test_alerts_e2e.c): HTTPS on
# 127.0.0.1 with the test PKI; checks each POST's HMAC-SHA256 signature
# (X-Hostaudit-Signature over "<X-Hostaudit-Timestamp>.<body>") and its
# timestamp's age, answers 200 or 401, and appends one JSON line per
# request to LOG: {"ok": bool, "key": ..., "event": ..., "body": {...}}.
#   alert_webhook.py CERT KEY SECRET_FILE LOG PORT_FILE [PORT]
import hashlib
import hmac
import json
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

cert, key, secret_file, log, port_file = sys.argv[1:6]
port = int(sys.argv[6]) if len(sys.argv) > 6 else 0
with open(secret_file, "rb") as f:
    secret = f.read().split(b"\n")[0].strip(b"\r")


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ts = self.headers.get("X-Hostaudit-Timestamp", "")
        sig = self.headers.get("X-Hostaudit-Signature", "")
        want = "sha256=" + hmac.new(secret, ts.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
        fresh = ts.isdigit() and abs(time.time() - int(ts)) < 300
        ok = fresh and hmac.compare_digest(sig, want)
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        rec = {"ok": ok, "key": self.headers.get("X-Hostaudit-Event", ""),
               "event": (parsed or {}).get("event", ""), "body": parsed}
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        pass


srv = HTTPServer(("127.0.0.1", port), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
