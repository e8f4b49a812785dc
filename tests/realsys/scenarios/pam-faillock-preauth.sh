# SPDX-License-Identifier: Apache-2.0
# Only 'pam_faillock.so preauth' in the stack: nothing records failures,
# so nothing ever locks.
# suites: bookworm trixie
# oracle: 10 wrong passwords through PAM (pamtester), then the right one.
fact=password.lockout.enabled
setup() { add_user alice; faillock_stack preauth-only; }
oracle() { [ "$(lockout_oracle alice)" = none ] && echo false || echo true; }
