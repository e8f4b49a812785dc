/* SPDX-License-Identifier: Apache-2.0 */
/* Which system this is: /etc/os-release, the host name, the machine id. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "util.h"

/* The value of KEY= in os-release, unquoted. */
static bool os_release_value(const char *data, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	for (const char *line = data; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, key, klen) || line[klen] != '=')
			continue;
		const char *v = line + klen + 1;
		size_t n = strcspn(v, "\n");
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
			v++, n -= 2;
		if (n >= size)
			n = size - 1;
		memcpy(out, v, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

static void first_line(const host *h, fact_set *fs, const char *path, const char *fact_name)
{
	char *data;
	int rc = host_read_file(h, path, 4096, &data, NULL);
	if (rc != 0) {
		fact_set_unknown(fs, fact_name, "cannot read %s: %s", path, strerror(-rc));
		return;
	}
	data[strcspn(data, "\r\n")] = '\0';
	if (data[0])
		fact_set_string(fs, fact_name, data, "%s", path);
	else
		fact_set_unknown(fs, fact_name, "%s is empty", path);
	free(data);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	const char *path = "/etc/os-release";
	char *data;
	if (host_read_file(h, path, 65536, &data, NULL) != 0) {
		path = "/usr/lib/os-release";
		if (host_read_file(h, path, 65536, &data, NULL) != 0)
			data = NULL;
	}
	static const char *const keys[][2] = {{"ID", "os.id"},
					      {"VERSION_ID", "os.version_id"},
					      {"PRETTY_NAME", "os.pretty_name"}};
	for (size_t i = 0; i < 3; i++) {
		char v[256];
		if (data && os_release_value(data, keys[i][0], v, sizeof v))
			fact_set_string(fs, keys[i][1], v, "%s %s", path, keys[i][0]);
		else
			fact_set_unknown(fs, keys[i][1], "no %s in /etc/os-release or "
					 "/usr/lib/os-release", keys[i][0]);
	}
	free(data);
	first_line(h, fs, "/etc/hostname", "host.name");
	first_line(h, fs, "/etc/machine-id", "host.machine_id");
	return 0;
}

const probe probe_os = {"os", "os.", run};
