#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The console in a real browser: headless Debian chromium, driven through
selenium and chromedriver, against a real hostaudit-collector over HTTPS on
127.0.0.1 (the test PKI of gen_certs.sh), with real agent reports.

It logs in (a wrong password first), opens every page in English and in
Japanese, checks what a person sees (headings, a known failing rule, a host
name, Japanese labels), and submits a form with its csrf field removed,
which must be refused. With HOSTAUDIT_SCREENSHOTS=DIR it saves a PNG of
each page in both languages there (docs/console/).

The browser trusts only the test server's key (--ignore-certificate-errors-
spki-list, this test browser only). Without chromium the test is skipped
(77), and fails instead under HOSTAUDIT_REQUIRE_BROWSER=1 (CI).

usage: test_console_browser.py COLLECTOR PKI_DIR WORK_DIR HOSTAUDIT SOURCE_DIR
"""
import base64
import hashlib
import os
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

# HOSTAUDIT_TEST_CHROMIUM: another path, to check the missing-browser path
CHROMIUM = os.environ.get("HOSTAUDIT_TEST_CHROMIUM", "/usr/bin/chromium")
DRIVER = "/usr/bin/chromedriver"


def skip_or_fail(why):
    if os.environ.get("HOSTAUDIT_REQUIRE_BROWSER") == "1":
        print("FAILED: HOSTAUDIT_REQUIRE_BROWSER=1 but " + why, file=sys.stderr)
        sys.exit(1)
    print("SKIPPED: " + why + " (Debian: apt-get install chromium "
          "chromium-driver python3-selenium)")
    sys.exit(77)


if not (os.access(CHROMIUM, os.X_OK) and os.access(DRIVER, os.X_OK)):
    skip_or_fail("chromium or chromedriver is not installed")
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
except ImportError:
    skip_or_fail("python3-selenium is not installed")

collector, pki, work, hostaudit, source = sys.argv[1:6]
os.makedirs(work, exist_ok=True)
d = tempfile.mkdtemp(prefix="browser-", dir=work)
shots = os.environ.get("HOSTAUDIT_SCREENSHOTS")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def cli(*args):
    return subprocess.run([collector, "-c", os.path.join(d, "collector.yaml"), *args],
                          check=True, capture_output=True, text=True).stdout


def write(name, text, mode=0o600):
    p = os.path.join(d, name)
    with open(p, "w") as f:
        f.write(text)
    os.chmod(p, mode)
    return p


write("collector.yaml",
      "listen: 127.0.0.1:0\ntls_cert: %s/server.pem\ntls_key: %s/server-key.pem\n"
      "database: %s/collector.db\nthreads: 2\norganisation_dir: %s/organisation\n"
      % (pki, pki, d, d))
cli("user", "add", "alice", "--role", "admin", "--password-file",
    write("pw", "alice-secret-1\n"))
tokens = {h: cli("enroll", h).strip() for h in ("pc-weak", "pc-good")}
cli("inventory", "import", write("inv.csv", "hostname,department\npc-weak,Sales\n"
                                 "pc-good,Engineering\npc-silent,Sales\n"))
log = open(os.path.join(d, "collector.log"), "w")
server = subprocess.Popen([collector, "-c", os.path.join(d, "collector.yaml"), "serve",
                           "--port-file", os.path.join(d, "port")], stderr=log)
try:
    for _ in range(200):
        try:
            port = int(open(os.path.join(d, "port")).read())
            break
        except (OSError, ValueError):
            time.sleep(0.05)
    else:
        raise SystemExit("the collector did not start")
    base = "https://127.0.0.1:%d" % port
    ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
    for host, root in (("pc-weak", "password-weak"), ("pc-good", "password-compliant")):
        out = os.path.join(d, host + ".json")
        subprocess.run([hostaudit, "run", "--rules", os.path.join(source, "rules"), "--root",
                        os.path.join(source, "tests/fixtures/roots", root), "-f", "json", "-o",
                        out], capture_output=True)
        req = urllib.request.Request(base + "/v1/reports", data=open(out, "rb").read(),
                                     headers={"Authorization": "Bearer " + tokens[host],
                                              "Content-Type": "application/json"})
        assert urllib.request.urlopen(req, context=ctx).status == 201

    # the server key's SPKI hash: the only certificate this browser accepts
    der = subprocess.run(["/usr/bin/openssl", "x509", "-in", os.path.join(pki, "server.pem"),
                          "-pubkey", "-noout"], check=True, capture_output=True).stdout
    spki = subprocess.run(["/usr/bin/openssl", "pkey", "-pubin", "-outform", "DER"],
                          input=der, check=True, capture_output=True).stdout
    pin = base64.b64encode(hashlib.sha256(spki).digest()).decode()

    def browser(lang):
        o = webdriver.ChromeOptions()
        o.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-dev-shm-usage", "--window-size=1280,1800",
                  "--user-data-dir=" + tempfile.mkdtemp(dir=d),
                  "--ignore-certificate-errors-spki-list=" + pin, "--lang=" + lang):
            o.add_argument(a)
        o.add_experimental_option("prefs", {"intl.accept_languages": lang})
        return webdriver.Chrome(service=Service(DRIVER), options=o)

    def after_click(b, element, url_part):
        """Clicks and waits (10 s at most) for the page at url_part."""
        old = b.find_element(By.TAG_NAME, "html")
        element.click()
        for _ in range(200):
            try:
                old.tag_name  # raises once the old page is gone
            except Exception:
                if url_part in b.current_url:
                    return
            time.sleep(0.05)
        check(False, "no page %s after the click (at %s)" % (url_part, b.current_url))

    def shot(b, name, lang):
        if shots:
            os.makedirs(shots, exist_ok=True)
            b.save_screenshot(os.path.join(shots, "%s.%s.png" % (name, lang)))

    texts = {
        "en": {"login": "Log in to the hostaudit console", "wrong": "Wrong user name or password.",
               "fleet": "Fleet overview", "rule": "New passwords must have at least 10",
               "host": "Security audit report", "enroll": "Enroll a host",
               "refused": "Not allowed", "compliance": "Compliance per checklist article",
               "org": "The organisation's self-assessment", "no-it": "Out of scope (no IT) [no-it]",
               "recorded": "Recorded 1 answer(s)."},
        "ja": {"login": "hostaudit コンソールにログイン",
               "wrong": "ユーザー名またはパスワードが違います。", "fleet": "フリート概要",
               "rule": "新しいパスワード", "host": "セキュリティ監査レポート",
               "enroll": "ホストの登録", "refused": "許可されていません",
               "compliance": "チェックリスト項目ごとの準拠状況",
               "org": "組織の自己評価", "no-it": "【対象外】",
               "recorded": "1 件の回答を記録しました。"},
    }
    for lang in ("en", "ja"):
        t = texts[lang]
        b = browser(lang)
        try:
            b.get(base + "/ui/")
            check(b.current_url.endswith("/ui/login"), lang + ": /ui/ leads to the login")
            check(t["login"] in b.find_element(By.TAG_NAME, "h1").text, lang + ": login heading")
            shot(b, "login", lang)
            b.find_element(By.ID, "user").send_keys("alice")
            b.find_element(By.ID, "password").send_keys("not-the-password")
            after_click(b, b.find_element(By.ID, "login"), "/ui/login")
            check(t["wrong"] in b.find_element(By.ID, "error").text, lang + ": wrong password")
            b.find_element(By.ID, "password").send_keys("alice-secret-1")
            after_click(b, b.find_element(By.ID, "login"), "/ui/fleet")
            check(b.current_url.endswith("/ui/fleet"), lang + ": logged in to the fleet")
            body = b.find_element(By.TAG_NAME, "body").text
            check(t["fleet"] in b.find_element(By.TAG_NAME, "h1").text, lang + ": fleet heading")
            check(t["compliance"] in body, lang + ": per-article compliance")
            check(t["rule"] in body, lang + ": the known failing rule on the fleet page")
            check("pc-weak" in body and "pc-silent" in body, lang + ": host names")
            check(b.find_element(By.ID, "stale").text == "1", lang + ": one stale host")
            check(len(b.find_elements(By.TAG_NAME, "svg")) == 1, lang + ": the trend chart")
            cookie = b.get_cookie("hostaudit_session")
            check(cookie and cookie.get("httpOnly") and cookie.get("secure")
                  and cookie.get("sameSite") == "Strict", lang + ": cookie flags")
            shot(b, "fleet", lang)
            after_click(b, b.find_element(By.PARTIAL_LINK_TEXT, t["rule"]), "/ui/rule")
            check("/ui/rule?id=" in b.current_url, lang + ": the rule page")
            check(t["rule"] in b.find_element(By.TAG_NAME, "h1").text, lang + ": rule heading")
            failing = b.find_element(By.ID, "failing").text
            check("pc-weak" in failing and "pc-good" not in failing,
                  lang + ": the rule fails on pc-weak only")
            shot(b, "rule", lang)
            after_click(b, b.find_element(By.LINK_TEXT, "pc-weak"), "/ui/host")
            check(t["host"] in b.find_element(By.TAG_NAME, "body").text, lang + ": host report")
            check(len(b.find_elements(By.TAG_NAME, "svg")) == 1, lang + ": the score chart")
            shot(b, "host", lang)
            b.get(base + "/ui/fleet?department=Sales")
            hosts = b.find_element(By.ID, "hosts").text
            check("pc-weak" in hosts and "pc-good" not in hosts, lang + ": the filter")
            shot(b, "fleet-filtered", lang)
            b.get(base + "/ui/enroll")
            check(t["enroll"] in b.find_element(By.TAG_NAME, "h1").text, lang + ": enroll page")
            shot(b, "enroll", lang)
            # a form without its csrf field: refused, nothing enrolled
            b.find_element(By.ID, "host").send_keys("pc-forged")
            b.execute_script("document.querySelector('#enroll input[name=csrf]').remove()")
            after_click(b, b.find_element(By.CSS_SELECTOR, "#enroll button"), "/ui/enroll")
            check(t["refused"] in b.find_element(By.TAG_NAME, "h1").text,
                  lang + ": POST without csrf refused")
            shot(b, "refused", lang)
            db = sqlite3.connect(os.path.join(d, "collector.db"))
            forged = db.execute("SELECT count(*) FROM hosts WHERE name = 'pc-forged'")
            check(forged.fetchone()[0] == 0, lang + ": nothing enrolled without csrf")
            db.close()
            # the organisation's page, from the bar; the questionnaire answered
            b.get(base + "/ui/fleet")
            after_click(b, b.find_element(By.CSS_SELECTOR, "nav a[href='/ui/org']"), "/ui/org")
            check(t["org"] in b.find_element(By.TAG_NAME, "h1").text, lang + ": org page")
            shot(b, "org", lang)
            Select(b.find_element(By.NAME, "a_it_used")).select_by_value("no")
            after_click(b, b.find_element(By.CSS_SELECTOR, "#answer button"), "recorded=")
            check(t["recorded"] in b.find_element(By.ID, "recorded").text,
                  lang + ": the answer recorded")
            check(t["no-it"] in b.find_element(By.ID, "category").text,
                  lang + ": placed from the answer")
            shot(b, "org-answered", lang)
        finally:
            b.quit()
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(10)
if failures:
    print("%d check(s) failed" % len(failures), file=sys.stderr)
    sys.exit(1)
print("browser: every page in en and ja as expected")
shutil.rmtree(d, ignore_errors=True)
