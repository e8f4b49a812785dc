/* The catalogue: every fact hostaudit knows, its type and its meaning.
 * Probes, rules and docs all agree on these names. Keep it sorted by name
 * (a unit test checks); `hostaudit facts --catalog` prints it. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/facts.h"

static const fact_def catalog[] = {
	/* Identity (agent/probes/<os>/os.c) */
	{"host.machine_id", FACT_STRING, NULL, "Stable machine identity (/etc/machine-id)"},
	{"host.name", FACT_STRING, NULL, "The host's name (/etc/hostname)"},
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
