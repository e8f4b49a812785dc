#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# An SMTP sink for the alerts tests (test_alerts_e2e.c), aiosmtpd on
# 127.0.0.1: STARTTLS with the test PKI required before anything, AUTH
# required (USER/PASSWORD, only over TLS); every message accepted is
# appended to LOG as one JSON line with its subject and text decoded:
# {"from", "to", "subject", "text", "event", "tls": bool, "message_id"}.
#   alert_smtp.py CERT KEY USER PASSWORD LOG PORT_FILE
import email
import email.policy
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

cert, key, user, password, log, port_file = sys.argv[1:7]


class Sink:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        rec = {"from": envelope.mail_from, "to": envelope.rcpt_tos,
               "subject": str(msg["Subject"]), "text": msg.get_content(),
               "event": str(msg["X-Hostaudit-Event"]),
               "message_id": str(msg["Message-ID"]),
               "tls": session.ssl is not None}
        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login.decode() == user and
          auth_data.password.decode() == password)
    return AuthResult(success=ok)


s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ctl = Controller(Sink(), hostname="127.0.0.1", port=port, tls_context=ctx,
                 require_starttls=True, auth_required=True, auth_require_tls=True,
                 authenticator=authenticator)
ctl.start()
with open(port_file + ".tmp", "w") as f:
    f.write(str(port))
os.rename(port_file + ".tmp", port_file)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
done.wait()
ctl.stop()
