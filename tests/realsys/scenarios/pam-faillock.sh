# SPDX-License-Identifier: Apache-2.0
# pam_faillock in the auth stack (preauth before pam_unix, authfail and
# authsucc after it), enabled with pam-auth-update.
# suites: bookworm trixie
# oracle: wrong passwords through PAM (pamtester), then the right one.
fact=password.lockout.enabled
setup() { add_user alice; faillock_stack; }
oracle() { [ "$(lockout_oracle alice)" = none ] && echo false || echo true; }
