# SPDX-License-Identifier: Apache-2.0
# Debian's stack as installed: no lockout module.
# suites: bookworm
# oracle: 10 wrong passwords through PAM (pamtester), then the right one.
fact=password.lockout.enabled
setup() { add_user alice; }
oracle() { [ "$(lockout_oracle alice)" = none ] && echo false || echo true; }
