# SPDX-License-Identifier: Apache-2.0
# dpkg -r (not purge) clamav and clamav-freshclam: freshclam's conffiles
# stay, its state is config-files; ClamAV is not installed.
# suites: bookworm trixie
# oracle: dpkg-query status of ClamAV's packages.
fact=antivirus.products
setup() {
	in_root dpkg -r clamav clamav-freshclam >&2
	echo "clamav-freshclam: $(pkg_state clamav-freshclam)" >&2
}
oracle() { av_products_oracle; }
