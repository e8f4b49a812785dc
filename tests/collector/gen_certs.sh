#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Generates the test PKI with the openssl CLI (tests only; production code
# runs no shell). Usage: gen_certs.sh DIR
#   ca.pem                 the CA the agent trusts
#   server.pem/-key.pem    for IP 127.0.0.1, signed by that CA
#   wronghost.pem/-key.pem for DNS wrong.example only, same CA
#   rogue-ca.pem, rogue.pem/-key.pem  for 127.0.0.1 but from an untrusted CA
# client certificates (the collector's client_ca is client-ca.pem):
#   client-pc-01.pem/-key.pem     CN and DNS pc-01, clientAuth, from client-ca
#   client-pc-99.pem/-key.pem     CN pc-99 (never enrolled), from client-ca
#   client-rogue.pem/-key.pem     CN pc-01, clientAuth, from rogue-ca
#   client-serveronly.pem/-key.pem  CN pc-01 from client-ca, serverAuth only
set -eu
OPENSSL=/usr/bin/openssl
D=$1
mkdir -p "$D"
cd "$D"
[ -f done-v2 ] && exit 0
ca() { # name
	$OPENSSL req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=hostaudit test $1" -keyout "$1-key.pem" -out "$1.pem" 2>/dev/null
}
leaf() { # name ca san [eku [cn]]
	$OPENSSL req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=${5:-$1}" -keyout "$1-key.pem" -out "$1.csr" 2>/dev/null
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=%s\n' "$3" \
		"${4:-serverAuth}" > "$1.ext"
	$OPENSSL x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2-key.pem" -CAcreateserial \
		-days 2 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
ca ca
ca rogue-ca
leaf server ca IP:127.0.0.1
leaf wronghost ca DNS:wrong.example
leaf rogue rogue-ca IP:127.0.0.1
ca client-ca
leaf client-pc-01 client-ca DNS:pc-01 clientAuth pc-01
leaf client-pc-99 client-ca DNS:pc-99 clientAuth pc-99
leaf client-rogue rogue-ca DNS:pc-01 clientAuth pc-01
leaf client-serveronly client-ca DNS:pc-01 serverAuth pc-01
chmod 600 ./*-key.pem
touch done-v2
