/* SPDX-License-Identifier: Apache-2.0 */
/* The Linux password-policy probe on fixture trees and on this machine. */
#include <string.h>

#include "hostaudit/probe.h"
#include "testutil.h"

extern const probe probe_password;

static const fact *known(const fact_set *fs, const char *name)
{
	const fact *f = fact_get(fs, name);
	assert_non_null(f);
	if (f->state != FACT_KNOWN)
		fail_msg("%s is %s: %s", name, fact_state_name(f->state), f->reason);
	return f;
}

static void assert_evidence(const fact *f, const char *needle)
{
	assert_non_null(f->evidence);
	if (!strstr(f->evidence, needle))
		fail_msg("%s evidence '%s' does not mention '%s'", f->def->name, f->evidence, needle);
}

static void compliant_host(void **state)
{
	(void)state;
	host h = fixture_host("password-compliant", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_true(known(fs, "password.quality_enforced")->v.b);
	/* minlen only in pwquality.conf.d; minclass in the main file. */
	assert_int_equal(known(fs, "password.min_length")->v.i, 14);
	assert_evidence(known(fs, "password.min_length"), "pwquality.conf.d/50-site.conf:1");
	assert_int_equal(known(fs, "password.min_classes")->v.i, 3);
	assert_evidence(known(fs, "password.min_classes"), "/etc/security/pwquality.conf:3");
	assert_true(known(fs, "password.lockout.enabled")->v.b);
	assert_int_equal(known(fs, "password.lockout.deny")->v.i, 5);
	assert_evidence(known(fs, "password.lockout.deny"), "faillock.conf:3"); /* blank lines count */
	assert_int_equal(known(fs, "password.empty_accounts")->v.list.count, 0);
	const fact *humans = known(fs, "password.human_accounts");
	assert_int_equal(humans->v.list.count, 2); /* alice, bob: not svc (nologin), not nobody */
	assert_string_equal(humans->v.list.items[0], "alice");
	assert_string_equal(humans->v.list.items[1], "bob");
	assert_int_equal(known(fs, "password.max_age_days")->v.i, 180);
	assert_evidence(known(fs, "password.max_age_days"), "bob");
	fact_set_free(fs);
}

static void weak_host(void **state)
{
	(void)state;
	host h = fixture_host("password-weak", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_false(known(fs, "password.quality_enforced")->v.b);
	assert_int_equal(known(fs, "password.min_length")->v.i, 8); /* pam_unix minlen=8 */
	assert_evidence(known(fs, "password.min_length"), "common-password:1");
	assert_int_equal(known(fs, "password.min_classes")->v.i, 0);
	assert_false(known(fs, "password.lockout.enabled")->v.b); /* commented out */
	assert_int_equal(fact_get(fs, "password.lockout.deny")->state, FACT_NOT_APPLICABLE);
	const fact *empty = known(fs, "password.empty_accounts");
	assert_int_equal(empty->v.list.count, 1);
	assert_string_equal(empty->v.list.items[0], "guest");
	assert_int_equal(known(fs, "password.max_age_days")->v.i, 99999); /* alice: no max */
	fact_set_free(fs);
}

static void pam_arguments_override_config(void **state)
{
	(void)state;
	host h = fixture_host("password-rhel", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_int_equal(known(fs, "password.min_length")->v.i, 11);
	assert_evidence(known(fs, "password.min_length"), "system-auth:5 argument minlen=11");
	assert_int_equal(known(fs, "password.min_classes")->v.i, 4);
	assert_int_equal(known(fs, "password.lockout.deny")->v.i, 4);
	assert_int_equal(fact_get(fs, "password.max_age_days")->state, FACT_NOT_APPLICABLE);
	fact_set_free(fs);
}

static void unprivileged_run_is_unknown(void **state)
{
	(void)state;
	host h = fixture_host("password-compliant", TEST_NOW);
	h.privileged = false;
	fact_set *fs = run_probe(&probe_password, &h);
	const fact *f = fact_get(fs, "password.empty_accounts");
	assert_int_equal(f->state, FACT_UNKNOWN);
	assert_string_equal(f->reason, "needs root to read /etc/shadow");
	assert_int_equal(fact_get(fs, "password.max_age_days")->state, FACT_UNKNOWN);
	/* What needs no privilege is still observed. */
	assert_int_equal(known(fs, "password.min_length")->v.i, 14);
	fact_set_free(fs);
}

static void no_pam_is_unknown(void **state)
{
	(void)state;
	host h = fixture_host("empty", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	const fact *f = fact_get(fs, "password.quality_enforced");
	assert_int_equal(f->state, FACT_UNKNOWN);
	assert_non_null(strstr(f->reason, "no PAM stack found"));
	fact_set_free(fs);
}

/* Issue 10: enforcing = 0 in pwquality.conf makes pam_pwquality warn only;
 * the strength that holds is pam_unix's. */
static void pwquality_warn_only_is_not_enforced(void **state)
{
	(void)state;
	host h = fixture_host("password-pwquality-warnonly", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_false(known(fs, "password.quality_enforced")->v.b);
	assert_evidence(known(fs, "password.quality_enforced"),
			"enforcing = 0 in /etc/security/pwquality.conf:2");
	assert_int_equal(known(fs, "password.min_length")->v.i, 6); /* pam_unix default */
	assert_evidence(known(fs, "password.min_length"), "pwquality.conf:2");
	assert_int_equal(known(fs, "password.min_classes")->v.i, 0);
	fact_set_free(fs);
}

static void pwquality_warn_only_argument(void **state)
{
	(void)state;
	host h = fixture_host("password-pwquality-warnarg", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_false(known(fs, "password.quality_enforced")->v.b);
	assert_evidence(known(fs, "password.quality_enforced"),
			"common-password:1 argument enforcing=0");
	assert_int_equal(known(fs, "password.min_length")->v.i, 10); /* pam_unix minlen=10 */
	assert_int_equal(known(fs, "password.min_classes")->v.i, 0);
	fact_set_free(fs);
}

/* pam_faillock preauth without authfail: failures are never recorded. */
static void faillock_preauth_only_never_locks(void **state)
{
	(void)state;
	host h = fixture_host("password-faillock-preauth-only", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_false(known(fs, "password.lockout.enabled")->v.b);
	assert_evidence(known(fs, "password.lockout.enabled"), "authfail missing");
	assert_evidence(known(fs, "password.lockout.enabled"), "common-auth:1");
	assert_int_equal(fact_get(fs, "password.lockout.deny")->state, FACT_NOT_APPLICABLE);
	fact_set_free(fs);
}

static void faillock_deny_zero_is_off(void **state)
{
	(void)state;
	host h = fixture_host("password-faillock-deny0", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_false(known(fs, "password.lockout.enabled")->v.b);
	assert_evidence(known(fs, "password.lockout.enabled"), "deny = 0");
	assert_int_equal(known(fs, "password.lockout.deny")->v.i, 0);
	assert_evidence(known(fs, "password.lockout.deny"), "faillock.conf:2");
	fact_set_free(fs);
}

/* An empty password field in /etc/passwd wins over the hash in shadow. */
static void empty_passwd_field_is_empty(void **state)
{
	(void)state;
	host h = fixture_host("password-passwd-empty", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	const fact *f = known(fs, "password.empty_accounts");
	assert_int_equal(f->v.list.count, 1);
	assert_string_equal(f->v.list.items[0], "carol");
	assert_evidence(f, "/etc/passwd: empty password field (carol)");
	assert_evidence(f, "nullok at /etc/pam.d/common-auth:2");
	fact_set_free(fs);
}

static void history_from_pwhistory(void **state)
{
	(void)state;
	host h = fixture_host("password-history", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_int_equal(known(fs, "password.history_length")->v.i, 5);
	assert_evidence(known(fs, "password.history_length"),
			"common-password:2 argument remember=5");
	fact_set_free(fs);
	/* No history module: nothing is remembered. */
	h = fixture_host("password-compliant", TEST_NOW);
	fs = run_probe(&probe_password, &h);
	assert_int_equal(known(fs, "password.history_length")->v.i, 0);
	fact_set_free(fs);
}

/* pwhistory.conf counts only where the installed pam_pwhistory reads it. */
static void history_conf_by_pam_version(void **state)
{
	(void)state;
	host h = fixture_host("password-history-conf", TEST_NOW);
	fact_set *fs = run_probe(&probe_password, &h);
	assert_int_equal(known(fs, "password.history_length")->v.i, 24);
	assert_evidence(known(fs, "password.history_length"), "/etc/security/pwhistory.conf:3");
	fact_set_free(fs);
	h = fixture_host("password-history-oldpam", TEST_NOW);
	fs = run_probe(&probe_password, &h);
	assert_int_equal(known(fs, "password.history_length")->v.i, 10);
	assert_evidence(known(fs, "password.history_length"), "pam_pwhistory default");
	fact_set_free(fs);
}

/* On this machine: every fact is known, or unknown/n.a. with a reason. */
static void this_machine(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	fact_set *fs = run_probe(&probe_password, &h);
	for (size_t i = 0; i < catalog_count(); i++) {
		const fact *f = fact_at(fs, i);
		if (strncmp(f->def->name, "password.", 9))
			continue;
		if (f->state == FACT_KNOWN)
			assert_non_null(f->evidence);
		else
			assert_true(f->reason && f->reason[0]);
		assert_int_not_equal(f->state, FACT_UNSET);
	}
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compliant_host),
		cmocka_unit_test(weak_host),
		cmocka_unit_test(pam_arguments_override_config),
		cmocka_unit_test(unprivileged_run_is_unknown),
		cmocka_unit_test(no_pam_is_unknown),
		cmocka_unit_test(pwquality_warn_only_is_not_enforced),
		cmocka_unit_test(pwquality_warn_only_argument),
		cmocka_unit_test(faillock_preauth_only_never_locks),
		cmocka_unit_test(faillock_deny_zero_is_off),
		cmocka_unit_test(empty_passwd_field_is_empty),
		cmocka_unit_test(history_from_pwhistory),
		cmocka_unit_test(history_conf_by_pam_version),
		cmocka_unit_test(this_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
