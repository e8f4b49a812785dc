# SPDX-License-Identifier: Apache-2.0
# A GNOME desktop with no policy at all: the schema defaults.
# suites: bookworm
# oracle: gsettings as the person.
fact=screenlock.enabled
setup() { add_user alice; gnome_desktop; }
oracle() { enabled_oracle; }
