# SPDX-License-Identifier: Apache-2.0
# libpwquality's built-in minimum length (nothing set).
# suites: bookworm trixie
# oracle: the shortest password passwd(1) takes from a user (bisection).
fact=password.min_length
setup() { add_user alice; }
oracle() { min_length_oracle alice; }
