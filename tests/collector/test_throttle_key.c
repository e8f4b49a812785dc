/* SPDX-License-Identifier: Apache-2.0 */
/* The enrollment throttle's key (collector/throttle_key.c): every address
 * of one IPv6 /64 counts as one client, another /64 is another client, an
 * IPv4 address mapped into IPv6 counts as that IPv4 address. Loopback has
 * only ::1, so the addresses are made here rather than connected from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "throttle_key.h"

static const char *key6(const char *text)
{
	static char key[128];
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6};
	assert_int_equal(inet_pton(AF_INET6, text, &sa.sin6_addr), 1);
	throttle_key((const struct sockaddr *)&sa, "enroll", key, sizeof key);
	return key;
}

static void one_slash64_is_one_client(void **state)
{
	(void)state;
	char a[128];
	strcpy(a, key6("2001:db8:1:2::1"));
	assert_string_equal(a, "enroll:2001:db8:1:2::/64");
	/* any interface identifier in the same /64: the same counter */
	assert_string_equal(key6("2001:db8:1:2:dead:beef:0:7"), a);
	assert_string_equal(key6("2001:db8:1:2:ffff:ffff:ffff:ffff"), a);
	/* the neighbouring /64s are others */
	assert_string_not_equal(key6("2001:db8:1:3::1"), a);
	assert_string_not_equal(key6("2001:db8:1:1:ffff:ffff:ffff:ffff"), a);
	assert_string_equal(key6("::1"), "enroll:::/64");
}

static void ipv4_counts_by_address(void **state)
{
	(void)state;
	char key[128];
	struct sockaddr_in v4 = {.sin_family = AF_INET};
	inet_pton(AF_INET, "192.0.2.7", &v4.sin_addr);
	throttle_key((const struct sockaddr *)&v4, "enroll", key, sizeof key);
	assert_string_equal(key, "enroll:192.0.2.7");
	/* mapped into IPv6 (a dual-stack socket): the same IPv4 counter */
	assert_string_equal(key6("::ffff:192.0.2.7"), "enroll:192.0.2.7");
	assert_string_not_equal(key6("::ffff:192.0.2.8"), "enroll:192.0.2.7");
	throttle_key(NULL, "enroll", key, sizeof key);
	assert_string_equal(key, "enroll:?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_slash64_is_one_client),
		cmocka_unit_test(ipv4_counts_by_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
