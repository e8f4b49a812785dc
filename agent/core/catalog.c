/* The catalogue: every fact hostaudit knows, its type and its meaning.
 * Probes, rules and docs all agree on these names. Keep it sorted by name
 * (a unit test checks); `hostaudit facts --catalog` prints it. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/facts.h"

static const fact_def catalog[] = {
	/* Antivirus (agent/probes/<os>/antivirus.c; products from data/antivirus-products.yaml) */
	{"antivirus.active", FACT_BOOL, NULL,
	 "A scanner process of an installed antivirus product is running (on-demand daemon or on-access)"},
	{"antivirus.products", FACT_LIST, "products",
	 "Antivirus products installed on the host (empty when none is recognised)"},
	{"antivirus.signatures_updated", FACT_TIME, NULL,
	 "Build time of the newest signatures of the active product (ClamAV: daily.cld/cvd header)"},
	{"antivirus.updater_active", FACT_BOOL, NULL,
	 "The product's signature updater runs or is enabled (freshclam, vendor agent)"},
	/* Backup recency (agent/probes/<os>/backup.c) */
	{"backup.evidence_found", FACT_BOOL, NULL,
	 "Some evidence of a completed backup was found (a tool's metadata or the site's evidence)"},
	{"backup.last_success", FACT_TIME, NULL,
	 "Time of the newest completed backup among all evidence sources"},
	{"backup.sources", FACT_LIST, "sources",
	 "Backup tools or site evidence with a completed backup (timeshift:DIR, restic:REPO, site:NAME ...)"},
	/* Identity (agent/probes/<os>/os.c) */
	{"host.machine_id", FACT_STRING, NULL, "Stable machine identity (/etc/machine-id)"},
	{"host.name", FACT_STRING, NULL, "Host name"},
	{"os.id", FACT_STRING, NULL, "Operating system id (debian, ubuntu, rhel, windows)"},
	{"os.pretty_name", FACT_STRING, NULL, "Operating system name and version, for people"},
	{"os.version_id", FACT_STRING, NULL, "Operating system version"},
	/* Password policy (agent/probes/<os>/password.c) */
	{"password.empty_accounts", FACT_LIST, "accounts",
	 "Accounts whose password hash is empty: anyone can log in as them without a password"},
	{"password.human_accounts", FACT_LIST, "accounts",
	 "Accounts that belong to people (regular UID range, a login shell)"},
	{"password.lockout.deny", FACT_INT, "attempts",
	 "Failed logins before an account is locked (pam_faillock deny)"},
	{"password.lockout.enabled", FACT_BOOL, NULL,
	 "An account lockout module (pam_faillock or pam_tally2) is in the login stack"},
	{"password.max_age_days", FACT_INT, "days",
	 "Longest maximum password age among human accounts (99999 = never expires)"},
	{"password.min_classes", FACT_INT, "classes",
	 "Character classes a new password must mix (pwquality minclass)"},
	{"password.min_length", FACT_INT, "characters",
	 "Minimum length of a new password enforced by the password-quality module"},
	{"password.quality_enforced", FACT_BOOL, NULL,
	 "A password-quality module (pam_pwquality) checks every new password"},
	/* OS updates (agent/probes/<os>/updates.c; Debian: aptcache.c) */
	{"updates.auto_enabled", FACT_BOOL, NULL,
	 "Updates install themselves (unattended-upgrades, dnf-automatic, Windows automatic updates)"},
	{"updates.last_upgrade", FACT_TIME, NULL,
	 "When packages were last upgraded successfully (apt history.log, dnf.rpm.log)"},
	{"updates.lists_refreshed", FACT_TIME, NULL,
	 "When the package lists were last refreshed (apt update / dnf makecache)"},
	{"updates.pending", FACT_LIST, "packages",
	 "Installed packages with a newer candidate version (as apt list --upgradable)"},
	{"updates.pending_count", FACT_INT, "packages",
	 "Number of installed packages with a newer candidate version"},
	{"updates.reboot_required", FACT_BOOL, NULL,
	 "An installed update waits for a reboot (reboot-required flag, newer kernel)"},
	{"updates.security_pending", FACT_LIST, "packages",
	 "Pending updates whose candidate comes from a security archive"},
	{"updates.security_pending_count", FACT_INT, "packages",
	 "Number of pending updates whose candidate comes from a security archive"},
	{"updates.source", FACT_STRING, NULL, "Package manager the update facts come from (apt, dnf, wua)"},
};

size_t catalog_count(void)
{
	return sizeof catalog / sizeof catalog[0];
}

const fact_def *catalog_at(size_t i)
{
	return i < catalog_count() ? &catalog[i] : NULL;
}

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const fact_def *)elem)->name);
}

const fact_def *catalog_find(const char *name)
{
	return bsearch(name, catalog, catalog_count(), sizeof catalog[0], by_name);
}
