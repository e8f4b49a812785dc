/* SPDX-License-Identifier: Apache-2.0 */
/* Whom a throttle counts (collector/server.c): an IPv4 address, also when
 * mapped into IPv6, or an IPv6 /64, the least a single site or customer
 * is given, so that one attacker does not get 2^64 separate counters. */
#ifndef HOSTAUDIT_THROTTLE_KEY_H
#define HOSTAUDIT_THROTTLE_KEY_H

#include <stddef.h>
#include <sys/socket.h>

/* "what:192.0.2.7", "what:2001:db8:1:2::/64", or "what:?" (no address). */
void throttle_key(const struct sockaddr *sa, const char *what, char *key, size_t key_size);

#endif
