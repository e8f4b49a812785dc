# SPDX-License-Identifier: Apache-2.0
# pam_faillock with nothing in faillock.conf: its built-in deny.
# suites: bookworm
# oracle: the number of wrong passwords (pamtester) after which the right
# one is refused.
fact=password.lockout.deny
setup() { add_user alice; faillock_stack; }
oracle() { lockout_oracle alice; }
