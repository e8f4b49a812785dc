/* SPDX-License-Identifier: Apache-2.0 */
/* Rule pack loading: a valid pack, and every kind of bad input with the
 * file:line:column it must name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostaudit/rules.h"
#include "testutil.h"

#define HEAD                                                                            \
	"schema: hostaudit/rules/v1\n"                                                  \
	"pack: test\n"                                                                  \
	"title: {en: Test, ja: テスト}\n"                                                \
	"articles:\n"                                                                   \
	"  - {number: 2, title: {en: Passwords, ja: パスワード}}\n"                        \
	"params:\n"                                                                     \
	"  min_len: 10\n"                                                               \
	"rules:\n"

#define RULE(check)                                                                     \
	"  - id: r1\n"                                                                  \
	"    article: 2\n"                                                              \
	"    severity: high\n"                                                          \
	"    title: {en: T, ja: T}\n"                                                   \
	"    remediation: {en: R, ja: R}\n"                                             \
	"    check: " check "\n"

static pack *load_text(const char *yaml, diag *d)
{
	const char *path = write_temp_file("pack.yaml", yaml);
	return pack_load(path, false, d);
}

/* The error must be "<path>:<line>:<col>: ..." and contain needle. */
static void expect_error(const char *yaml, int line, int col, const char *needle)
{
	diag d;
	pack *p = load_text(yaml, &d);
	if (p)
		fail_msg("loaded, expected an error with '%s'", needle);
	char where[64];
	snprintf(where, sizeof where, "pack.yaml:%d:%d: ", line, col);
	if (!strstr(d.msg, where) || !strstr(d.msg, needle))
		fail_msg("error '%s' lacks '%s' or '%s'", d.msg, where, needle);
}

static void valid_pack(void **state)
{
	(void)state;
	diag d;
	pack *p = load_text(HEAD RULE("{all: [{fact: password.min_length, ge: $min_len}, "
				      "{not: {count_of: password.empty_accounts, gt: 0}}]}"),
			    &d);
	if (!p)
		fail_msg("%s", d.msg);
	assert_string_equal(p->id, "test");
	assert_int_equal(p->rule_count, 1);
	assert_int_equal(p->rules[0].sev, SEV_HIGH);
	assert_int_equal(p->rules[0].weight, 1);
	assert_int_equal(p->rules[0].check->kind, COND_ALL);
	assert_int_equal(p->rules[0].check->count, 2);
	assert_int_equal(p->rules[0].check->children[0].operand_param, 0);
	assert_string_equal(p->title.ja, "テスト");
	assert_int_equal(strlen(p->sha256), 64);
	pack_free(p);
}

static void shipped_packs_load(void **state)
{
	(void)state;
	const char *packs[] = {"rules/nisc-9.yaml"};
	for (size_t i = 0; i < sizeof packs / sizeof packs[0]; i++) {
		diag d;
		pack *p = pack_load(packs[i], false, &d);
		if (!p)
			fail_msg("%s", d.msg);
		for (size_t k = 0; k < p->rule_count; k++) {
			assert_non_null(os_text_get(&p->rules[k].rationale, "linux"));
			assert_true(strlen(p->rules[k].title.ja) > 0);
		}
		pack_free(p);
	}
}

static void malformed_yaml(void **state)
{
	(void)state;
	expect_error(HEAD "  - id: [unclosed\n", 10, 1, "flow sequence");
}

static void wrong_type(void **state)
{
	(void)state;
	expect_error(HEAD RULE("{fact: password.min_length, ge: 10}") "    weight: heavy\n", 15, 13,
		     "weight must be a whole number, not 'heavy'");
	expect_error(HEAD RULE("{fact: password.min_length, ge: ten}"), 14, 44,
		     "'ge' needs a whole number here, not 'ten'");
	expect_error(HEAD RULE("{fact: password.quality_enforced, ge: true}"), 14, 50,
		     "'password.quality_enforced' is true/false: use eq or ne");
}

static void unknown_key(void **state)
{
	(void)state;
	expect_error(HEAD RULE("{fact: password.min_length, ge: 10}") "    severty: low\n", 15, 5,
		     "unknown key 'severty' in a rule (did you mean 'severity'?)");
}

static void unknown_operator(void **state)
{
	(void)state;
	expect_error(HEAD RULE("{fact: password.min_length, lte: 10}"), 14, 40,
		     "unknown operator 'lte' (did you mean 'le'?)");
}

static void unknown_fact(void **state)
{
	(void)state;
	expect_error(HEAD RULE("{fact: password.min_lenght, ge: 10}"), 14, 19,
		     "unknown fact 'password.min_lenght' (did you mean 'password.min_length'?)");
	expect_error(HEAD RULE("{age_of: password.min_length, le: 7}"), 14, 21,
		     "'age_of' needs a time fact");
}

static void duplicate_rule_id(void **state)
{
	(void)state;
	expect_error(HEAD RULE("{fact: password.min_length, ge: 10}")
			     RULE("{fact: password.min_length, ge: 12}"),
		     15, 9, "duplicate rule id 'r1' (first defined at line 9)");
}

/* The report's schema wants the same names (report_name_valid): a rule
 * the loader takes is one the collector stores. */
static void rule_id_lower_case(void **state)
{
	(void)state;
	expect_error(HEAD "  - id: R1\n"
			  "    article: 2\n"
			  "    severity: high\n"
			  "    title: {en: T, ja: T}\n"
			  "    remediation: {en: R, ja: R}\n"
			  "    check: {fact: password.min_length, ge: 10}\n",
		     9, 9, "rule id 'R1': use lower-case letters, digits, '.', '-' and '_'");
}

static void undefined_param(void **state)
{
	(void)state;
	expect_error(HEAD RULE("{fact: password.min_length, ge: $min_lenn}"), 14, 44,
		     "param 'min_lenn' is never defined in 'params' (did you mean 'min_len'?)");
}

static void empty_pack(void **state)
{
	(void)state;
	expect_error(HEAD "  []\n", 9, 3, "the pack has no rules");
	diag d;
	assert_null(load_text("", &d));
	assert_non_null(strstr(d.msg, "pack.yaml:1:1: the file is empty"));
}

static void not_utf8(void **state)
{
	(void)state;
	expect_error(HEAD "  - id: caf\xe9\n", 9, 12, "not valid UTF-8");
}

static void too_large(void **state)
{
	(void)state;
	size_t n = YAMLFILE_MAX_BYTES + 100;
	char *big = malloc(n + 1);
	memset(big, '#', n);
	big[n] = '\0';
	diag d;
	assert_null(load_text(big, &d));
	assert_non_null(strstr(d.msg, "larger than the limit"));
	free(big);
}

static void writable_by_others(void **state)
{
	(void)state;
	const char *path = write_temp_file("pack.yaml", HEAD RULE("{fact: password.min_length, "
								  "ge: 10}"));
	chmod(path, 0666);
	diag d;
	assert_null(pack_load(path, true, &d));
	assert_non_null(strstr(d.msg, "refusing a file writable by every user"));
	pack *p = pack_load(path, false, &d); /* as a normal user: allowed */
	assert_non_null(p);
	pack_free(p);
	chmod(path, 0644);
	p = pack_load(path, true, &d);
	assert_non_null(p);
	pack_free(p);
}

static void other_errors(void **state)
{
	(void)state;
	/* The unknown schema is not quoted: the file has not said it is ours. */
	expect_error("schema: hostaudit/rules/v9\n", 1, 9, "the schema is not "
		     "'hostaudit/rules/v1', the one this version reads");
	expect_error(HEAD RULE("{fact: password.min_length, ge: 10}") "    article: 3\n", 15, 5,
		     "key 'article' appears twice in a rule");
	expect_error(HEAD "  - id: r1\n    article: 7\n    severity: high\n    title: {en: T, "
			  "ja: T}\n    remediation: {en: R, ja: R}\n    check: {fact: "
			  "password.min_length, ge: 1}\n",
		     10, 14, "article 7 is not declared in 'articles'");
	expect_error(HEAD RULE("{fact: password.min_length}"), 14, 12, "has no operator");
	expect_error(HEAD RULE("{all: []}"), 14, 18, "'all' needs at least one condition");
	expect_error(HEAD RULE("{fact: password.min_length, ge: 1, le: 3}"), 14, 47,
		     "a comparison has one operator");
	expect_error(HEAD "  - id: r1\n    article: 2\n    severity: hgh\n    title: {en: T, ja: T}\n"
			  "    remediation: {en: R, ja: R}\n    check: {param: min_len, eq: 1}\n",
		     11, 15,
		     "unknown severity 'hgh' (did you mean 'high'?)");
	expect_error(HEAD RULE("{count_of: password.empty_accounts, contains: x}"), 14, 58,
		     "'contains' compares numbers");
}

/* remediation/rationale: one {en, ja}, or one per system. */
#define RULE_FIX(os, fix)                                                               \
	"  - id: r1\n"                                                                  \
	"    article: 2\n"                                                              \
	"    severity: high\n"                                                          \
	"    title: {en: T, ja: T}\n"                                                   \
	"    remediation: " fix "\n"                                                    \
	"    check: {fact: password.min_length, ge: 10}\n" os

static void os_texts(void **state)
{
	(void)state;
	diag d;
	pack *p = load_text(HEAD RULE_FIX("    rationale: {linux: {en: RL, ja: RLj}, windows: "
					  "{en: RW, ja: RWj}}\n",
					  "{linux: {en: 'L {min_len}', ja: Lj}, windows: {en: W, ja: "
					  "Wj}}"),
			    &d);
	if (!p)
		fail_msg("%s", d.msg);
	const rule *r = &p->rules[0];
	assert_string_equal(os_text_get(&r->remediation, "linux")->en, "L {min_len}");
	assert_string_equal(os_text_get(&r->remediation, "windows")->ja, "Wj");
	assert_string_equal(os_text_get(&r->rationale, "windows")->en, "RW");
	assert_null(os_text_get(&r->remediation, "plan9"));
	pack_free(p);
	/* the shared form serves every system */
	p = load_text(HEAD RULE_FIX("", "{en: R, ja: Rj}"), &d);
	if (!p)
		fail_msg("%s", d.msg);
	assert_string_equal(os_text_get(&p->rules[0].remediation, "windows")->en, "R");
	assert_string_equal(os_text_get(&p->rules[0].remediation, "linux")->ja, "Rj");
	assert_null(os_text_get(&p->rules[0].rationale, "linux")); /* none given */
	pack_free(p);
	/* a Linux-only rule needs only the Linux text */
	p = load_text(HEAD RULE_FIX("    os: [linux]\n", "{linux: {en: L, ja: Lj}}"), &d);
	if (!p)
		fail_msg("%s", d.msg);
	assert_null(os_text_get(&p->rules[0].remediation, "windows"));
	pack_free(p);
	/* errors, with file:line:column */
	expect_error(HEAD RULE_FIX("", "{linux: {en: L, ja: L}, macos: {en: M, ja: M}}"), 13, 42,
		     "unknown key 'macos' in remediation");
	expect_error(HEAD RULE_FIX("", "{linux: {en: L, ja: L}, windws: {en: W, ja: W}}"), 13, 42,
		     "(did you mean 'windows'?)");
	expect_error(HEAD RULE_FIX("", "{linux: {en: L, ja: L}, windows: {en: W}}"), 13, 51,
		     "remediation.windows needs both 'en' and 'ja'");
	expect_error(HEAD RULE_FIX("", "{linux: {en: L, ja: L}}"), 13, 18,
		     "rule r1: remediation has no 'windows' text, but the rule applies to "
		     "windows");
	expect_error(HEAD RULE_FIX("", "{en: R, ja: R, windows: {en: W, ja: W}}"), 13, 19,
		     "unknown key 'en' in remediation");
}

#define RULE_UPTO_CHECK                                                              \
	HEAD "  - id: r1\n    article: 2\n    severity: high\n"                           \
	     "    title: {en: T, ja: T}\n    remediation: {en: R, ja: R}\n    check: "

static char *repeat(const char *head, const char *unit, size_t n, const char *mid,
		    const char *close, const char *tail)
{
	size_t hu = strlen(unit), hc = strlen(close);
	char *buf = malloc(strlen(head) + n * (hu + hc) + strlen(mid) + strlen(tail) + 1);
	char *p = buf + sprintf(buf, "%s", head);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s", unit);
	p += sprintf(p, "%s", mid);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s", close);
	sprintf(p, "%s", tail);
	return buf;
}

/* Nesting is bounded where it begins: 40 000 '[' under the size cap took
 * 12 s in libyaml's scanner, a 120 000-deep {not:} chain minutes. Each is
 * now an error at the first level too deep, in well under a second. */
static void nesting_is_bounded(void **state)
{
	(void)state;
	char *deep = repeat("", "[", 40000, "", "]", "\n");
	expect_error(deep, 1, 65, "nested deeper than 64 levels");
	free(deep);
	char *nots = repeat(RULE_UPTO_CHECK, "{not: ", 120000, "{fact: password.min_length, ge: 8}",
			    "}", "\n");
	expect_error(nots, 14, 378, "nested deeper than 64 levels");
	free(nots);
	/* Under the YAML bound, conditions have their own. */
	char *conds = repeat(RULE_UPTO_CHECK, "{not: ", 40, "{fact: password.min_length, ge: 8}",
			    "}", "\n");
	expect_error(conds, 14, 204, "conditions nested deeper than 32 levels");
	free(conds);
	char *ok = repeat(RULE_UPTO_CHECK, "{not: ", 20, "{fact: password.min_length, ge: 8}",
			  "}", "\n");
	diag d;
	pack *p = load_text(ok, &d);
	if (!p)
		fail_msg("%s", d.msg);
	pack_free(p);
	free(ok);
}

/* Aliases: a walk would meet an aliased node once per reference. */
static void aliases_are_refused(void **state)
{
	(void)state;
	expect_error(HEAD RULE("&c {fact: password.min_length, ge: 8}")
		     "  - id: r2\n    article: 2\n    severity: high\n"
		     "    title: {en: T, ja: T}\n    remediation: {en: R, ja: R}\n"
		     "    check: {all: [*c, *c]}\n",
		     20, 19, "aliases (*name) are not allowed");
}

/* Lists whose entries are checked against those before them are bounded:
 * 200 000 params under the size cap took 15 s. */
static void long_lists_are_bounded(void **state)
{
	(void)state;
	char *params = repeat("schema: hostaudit/rules/v1\npack: test\n"
			      "title: {en: Test, ja: T}\narticles: []\nparams:\n", "  p: 1\n",
			      2000, "", "",
			      "rules: []\n");
	expect_error(params, 6, 3, "more than 1024 params in one pack");
	free(params);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_pack),	     cmocka_unit_test(shipped_packs_load),
		cmocka_unit_test(malformed_yaml),    cmocka_unit_test(wrong_type),
		cmocka_unit_test(unknown_key),	     cmocka_unit_test(unknown_operator),
		cmocka_unit_test(unknown_fact),	     cmocka_unit_test(duplicate_rule_id),
		cmocka_unit_test(rule_id_lower_case),
		cmocka_unit_test(undefined_param),   cmocka_unit_test(empty_pack),
		cmocka_unit_test(not_utf8),	     cmocka_unit_test(too_large),
		cmocka_unit_test(writable_by_others), cmocka_unit_test(other_errors),
		cmocka_unit_test(os_texts),
		cmocka_unit_test(nesting_is_bounded),
		cmocka_unit_test(aliases_are_refused),
		cmocka_unit_test(long_lists_are_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
