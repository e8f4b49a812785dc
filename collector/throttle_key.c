/* SPDX-License-Identifier: Apache-2.0 */
/* The key a throttle counts a client under; see throttle_key.h. */
#include "throttle_key.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

void throttle_key(const struct sockaddr *sa, const char *what, char *key, size_t key_size)
{
	char addr[INET6_ADDRSTRLEN] = "?";
	if (sa && sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
	} else if (sa && sa->sa_family == AF_INET6) {
		struct in6_addr a = ((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(&a)) {
			inet_ntop(AF_INET, &a.s6_addr[12], addr, sizeof addr);
		} else {
			memset(&a.s6_addr[8], 0, 8); /* the interface half */
			inet_ntop(AF_INET6, &a, addr, sizeof addr);
			snprintf(key, key_size, "%s:%s/64", what, addr);
			return;
		}
	}
	snprintf(key, key_size, "%s:%s", what, addr);
}
