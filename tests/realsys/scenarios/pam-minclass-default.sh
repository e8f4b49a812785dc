# SPDX-License-Identifier: Apache-2.0
# No minclass: one class is enough (0 and 1 cannot be told apart, so a
# fact of 0 or 1 reads as "0 or 1").
# suites: bookworm
# oracle: the fewest character classes in a long password passwd(1) takes.
fact=password.min_classes
setup() { add_user alice; }
oracle() { min_classes_oracle alice; }
observe() {
	local v
	v=$(fact_value "$fact")
	case $v in 0 | 1) echo "0 or 1" ;; *) echo "$v" ;; esac
}
