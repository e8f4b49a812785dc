# SPDX-License-Identifier: Apache-2.0
# ClamAV installed, but freshclam never ran: no database in
# /var/lib/clamav. The signatures rule must fail, not stay unknown.
# suites: bookworm trixie
# oracle: clamscan --version prints the database version and date only
# when it has loaded one; none means the rule fails (its meaning, read
# by a person).
rule=antivirus.signatures-fresh
setup() { :; }
oracle() {
	local v
	v=$(in_root clamscan --version 2>&1)
	echo "clamscan: $v" >&2
	case $v in ClamAV\ */*/*) echo '(database present: choose another case)' ;; ClamAV\ *) echo fail ;; *) echo "(clamscan: $v)" ;; esac
}
