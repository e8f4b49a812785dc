/* SPDX-License-Identifier: Apache-2.0 */
/* The fact catalogue is sorted, unique, and fully described. */
#include <string.h>

#include "testutil.h"

static void sorted_and_unique(void **state)
{
	(void)state;
	assert_true(catalog_count() > 0);
	for (size_t i = 1; i < catalog_count(); i++)
		if (strcmp(catalog_at(i - 1)->name, catalog_at(i)->name) >= 0)
			fail_msg("catalogue out of order at '%s' / '%s'", catalog_at(i - 1)->name,
				 catalog_at(i)->name);
}

static void every_entry_is_described(void **state)
{
	(void)state;
	for (size_t i = 0; i < catalog_count(); i++) {
		const fact_def *d = catalog_at(i);
		assert_non_null(d->meaning);
		assert_true(strlen(d->meaning) > 10);
		assert_ptr_equal(catalog_find(d->name), d);
	}
	assert_null(catalog_find("no.such.fact"));
}

static void recording_and_states(void **state)
{
	(void)state;
	fact_set *fs = fact_set_new();
	assert_int_equal(fact_get(fs, "password.min_length")->state, FACT_UNSET);
	fact_set_int(fs, "password.min_length", 12, "from %s", "here");
	const fact *f = fact_get(fs, "password.min_length");
	assert_int_equal(f->state, FACT_KNOWN);
	assert_int_equal(f->v.i, 12);
	assert_string_equal(f->evidence, "from here");
	fact_set_unknown(fs, "password.min_length", "cannot read %s", "x");
	assert_int_equal(f->state, FACT_UNKNOWN);
	assert_string_equal(f->reason, "cannot read x");
	assert_null(f->evidence);
	fact_list l = {0};
	fact_list_push(&l, "b");
	fact_list_push(&l, "a");
	fact_list_sort(&l);
	fact_set_list(fs, "password.empty_accounts", &l, "shadow");
	assert_null(l.items);
	assert_string_equal(fact_get(fs, "password.empty_accounts")->v.list.items[0], "a");
	fact_set_unset_prefix(fs, "password.", FACT_ERROR, "probe failed");
	assert_int_equal(fact_get(fs, "password.min_classes")->state, FACT_ERROR);
	assert_int_equal(fact_get(fs, "password.empty_accounts")->state, FACT_KNOWN);
	fact_set_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sorted_and_unique),
		cmocka_unit_test(every_entry_is_described),
		cmocka_unit_test(recording_and_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
