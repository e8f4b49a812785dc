# SPDX-License-Identifier: Apache-2.0
# Debian's stack once libpam-pwquality is installed: pam_pwquality
# retry=3 in common-password, its defaults in pwquality.conf.
# suites: bookworm trixie
# oracle: passwd(1) run by a user, with a password pwscore rejects.
fact=password.quality_enforced
setup() { add_user alice; }
oracle() { quality_oracle alice; }
