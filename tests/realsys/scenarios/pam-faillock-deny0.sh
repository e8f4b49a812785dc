# SPDX-License-Identifier: Apache-2.0
# pam_faillock in the stack with deny = 0 in faillock.conf: the module is
# there, but nothing ever locks, so the lockout rule must fail.
# suites: bookworm
# oracle: 10 wrong passwords through PAM (pamtester), then the right one:
# no lock, or a lock after more failures than the pack's
# password_lockout_max_deny, is a fail (the rule's meaning, read by a
# person).
rule=password.lockout
setup() {
	add_user alice
	faillock_stack
	echo 'deny = 0' >>"$ROOT/etc/security/faillock.conf"
}
oracle() {
	local n max
	n=$(lockout_oracle alice)
	max=$(sed -n 's/^ *password_lockout_max_deny: *\([0-9]*\).*/\1/p' "$SRC/rules/nisc-9.yaml" | head -n1)
	if [ "$n" != none ] && [ "$n" -le "$max" ]; then echo pass; else echo fail; fi
}
