# SPDX-License-Identifier: Apache-2.0
# pam_faillock with deny = 4 in /etc/security/faillock.conf.
# suites: bookworm trixie
# oracle: the number of wrong passwords (pamtester) after which the right
# one is refused.
fact=password.lockout.deny
setup() {
	add_user alice
	faillock_stack
	echo 'deny = 4' >>"$ROOT/etc/security/faillock.conf"
}
oracle() { lockout_oracle alice; }
