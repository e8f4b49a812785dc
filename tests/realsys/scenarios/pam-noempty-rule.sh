# SPDX-License-Identifier: Apache-2.0
# The rule password.no-empty on a root where one account has an empty
# hash: it must fail.
# suites: bookworm
# oracle: an account PAM (pamtester) logs in with an empty password means
# the rule fails (the rule's meaning, read by a person: no such account).
rule=password.no-empty
setup() {
	add_user bob
	in_root passwd -d bob >&2
}
oracle() { [ "$(empty_login_oracle)" = "(none)" ] && echo pass || echo fail; }
