#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs what building and testing hostaudit needs, from Debian's
# packages. Run as root on Debian 12 (or Ubuntu 22.04+).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential cmake pkg-config \
	libyaml-dev libjansson-dev libssl-dev libcurl4-openssl-dev \
	libcmocka-dev liblz4-dev zlib1g-dev liblzma-dev \
	libmicrohttpd-dev libgnutls28-dev libsqlite3-dev libpq-dev libzstd-dev \
	postgresql openssl ca-certificates \
	gettext tmux \
	bash-completion zsh python3 python3-jsonschema \
	>/dev/null
# The annual report (docs/annual.md): its Excel workbook (libxlsxwriter),
# the test that reads it back (openpyxl), and the printed pages kept in
# docs/annual/ (chromium, poppler-utils' pdftoppm, the CJK fonts).
apt-get install -y -qq --no-install-recommends libxlsxwriter-dev python3-openpyxl \
	chromium poppler-utils fonts-noto-cjk >/dev/null
# api: ctest collector_openapi parses docs/openapi.yaml.
apt-get install -y -qq --no-install-recommends python3-yaml >/dev/null
# The fuzz harnesses (scripts/fuzz.sh): clang with libFuzzer and the
# sanitizer runtimes; llvm for llvm-symbolizer (readable stack traces).
apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev llvm >/dev/null
# The alerts tests' SMTP sink (tests/collector/alert_smtp.py): aiosmtpd,
# STARTTLS and AUTH on loopback.
apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null
# The collector's console (collector/ui/): libargon2 hashes the people's
# passwords (argon2id); the browser test (tests/ui/) drives Debian's
# headless chromium through selenium, with its chromedriver.
apt-get install -y -qq --no-install-recommends libargon2-dev chromium chromium-driver \
	python3-selenium fonts-noto-cjk >/dev/null
