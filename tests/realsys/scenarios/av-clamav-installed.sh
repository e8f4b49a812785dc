# SPDX-License-Identifier: Apache-2.0
# clamav and clamav-freshclam installed with apt.
# suites: bookworm trixie
# oracle: dpkg-query status of ClamAV's packages (which packages make
# the product: data/antivirus-products.yaml, read by a person).
fact=antivirus.products
setup() { :; }
oracle() { av_products_oracle; }
