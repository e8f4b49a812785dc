/* SPDX-License-Identifier: Apache-2.0 */
/* Reading Linux configuration for the probes: lines with their numbers,
 * INI-style sections, systemd unit enablement, accounts from /etc/passwd.
 * Everything goes through the host context, so --root and fixtures apply. */
#ifndef HOSTAUDIT_LINUXCONF_H
#define HOSTAUDIT_LINUXCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "hostaudit/host.h"

/* The most any config file may be; larger files are refused (-EFBIG). */
#define CONF_MAX_BYTES (4u << 20)

/* host_read_file with CONF_MAX_BYTES. 0 or a negative errno. */
int conf_read(const host *h, const char *path, char **data);

/* Calls fn for every line of data (split in place, newline removed),
 * numbering from 1 and counting empty lines, so evidence can say
 * file:line. fn returns false to stop. */
typedef bool (*line_fn)(char *line, int lineno, void *ctx);
void conf_each_line(char *data, line_fn fn, void *ctx);

/* Strips leading and trailing blanks in place. */
char *conf_trim(char *s);

/* yes/true/on/1 and no/false/off/0, any case. false if neither. */
bool conf_parse_bool(const char *v, bool *out);

/* INI files ([section], key = value, # and ; comments) as GDM, LightDM,
 * SDDM, KDE and dconf keyfiles write them. Keys and values are trimmed. */
typedef void (*ini_fn)(const char *section, const char *key, const char *value, int lineno,
		       void *ctx);
void conf_each_ini(char *data, ini_fn fn, void *ctx);

/* Whether a systemd unit starts at boot, as `systemctl is-enabled --root`
 * judges it: its unit file exists (the first of /etc/systemd/system,
 * /run/systemd/system, /usr/local/lib, /usr/lib, /lib), is not masked
 * (a link to /dev/null or an empty file), and a link named unit is in a
 * <target>.wants/ or .requires/ directory of one of those places.
 * Returns 1 enabled, 0 not enabled, -1 masked; where says what was seen. */
int conf_unit_enabled(const host *h, const char *unit, char *where, size_t size);

/* readlink(2) of root+path. 0 or a negative errno. */
int conf_readlink(const host *h, const char *path, char *buf, size_t size);

/* Accounts of people from /etc/passwd: UID 1000-60000 (login.defs may
 * move the range) with a login shell. 0 or a negative errno. */
typedef struct account {
	char *name;
	char *home;
} account;
int conf_human_accounts(const host *h, account **out, size_t *count);
void conf_accounts_free(account *a, size_t count);
/* Whether a login shell lets the account log in (not nologin/false). */
bool conf_login_shell(const char *shell);

/* Appends "; text" (or text when empty) to buf, truncating safely. */
void conf_append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
