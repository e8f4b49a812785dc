/* SPDX-License-Identifier: Apache-2.0 */
/* Host firewall on Linux: which front end is configured (ufw, firewalld,
 * nftables, iptables-persistent), whether it starts at boot, and whether
 * the live kernel ruleset filters incoming traffic.
 *
 * The configuration comes from files. The live ruleset has no file: it
 * lives in the kernel and is read over netlink. Rather than link libnftnl
 * and re-implement nft's decoder, we run the reference reader,
 * /usr/sbin/nft list ruleset (read-only, absolute path, no shell, clean
 * environment, timeout), or iptables-save where nft is missing. Both need
 * CAP_NET_ADMIN, and neither means anything under --root, so those cases
 * give unknown with the reason. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostaudit/probe.h"
#include "linuxconf.h"
#include "ruleset.h"
#include "util.h"

#define RULESET_MAX_BYTES (8u << 20)
#define RUN_TIMEOUT_MS 5000

/* One front end as configured on disk. */
typedef struct frontend {
	const char *product;
	bool installed;
	bool enabled_at_boot;
	char evidence[1024];
} frontend;

static bool ufw_line(char *line, int lineno, void *ctx)
{
	int *enabled_line = ctx;
	char *p = conf_trim(line);
	if (!strncmp(p, "ENABLED=", 8)) {
		char *v = p + 8;
		if (*v == '"' || *v == '\'')
			v++;
		*enabled_line = strncasecmp(v, "yes", 3) ? -lineno : lineno;
	}
	return true;
}

static void probe_ufw(const host *h, frontend *f)
{
	char *data;
	f->product = "ufw";
	if (conf_read(h, "/etc/ufw/ufw.conf", &data) != 0)
		return;
	f->installed = true;
	int enabled_line = 0; /* >0 yes at that line, <0 no at that line */
	conf_each_line(data, ufw_line, &enabled_line);
	free(data);
	char where[600];
	int unit = conf_unit_enabled(h, "ufw.service", where, sizeof where);
	if (enabled_line > 0)
		conf_append(f->evidence, sizeof f->evidence, "/etc/ufw/ufw.conf:%d ENABLED=yes",
			    enabled_line);
	else if (enabled_line < 0)
		conf_append(f->evidence, sizeof f->evidence, "/etc/ufw/ufw.conf:%d ENABLED=no",
			    -enabled_line);
	else
		conf_append(f->evidence, sizeof f->evidence,
			    "/etc/ufw/ufw.conf: no ENABLED= line (ufw default: no)");
	conf_append(f->evidence, sizeof f->evidence, "%s", where);
	f->enabled_at_boot = enabled_line > 0 && unit == 1;
}

static void probe_firewalld(const host *h, frontend *f)
{
	f->product = "firewalld";
	/* /etc/firewalld outlives the package (removed, not purged): the
	 * daemon is what counts. */
	f->installed = host_exists(h, "/usr/sbin/firewalld");
	if (!f->installed)
		return;
	char where[600];
	f->enabled_at_boot = conf_unit_enabled(h, "firewalld.service", where, sizeof where) == 1;
	conf_append(f->evidence, sizeof f->evidence, "firewalld installed; %s", where);
}

/* A persistent ruleset loaded by a boot unit. */
static void probe_persistent(const host *h, frontend *f, const char *product, const char *file,
			     const char *unit, bool nft)
{
	char *data;
	f->product = product;
	if (conf_read(h, file, &data) != 0)
		return;
	f->installed = true;
	ruleset_view v = {0};
	if (nft)
		ruleset_parse_nft(h, file, data, &v);
	else
		ruleset_parse_iptables(data, &v);
	free(data);
	char where[600];
	int on = conf_unit_enabled(h, unit, where, sizeof where);
	/* policy drop or accept: nft's own words, quoted */
	const char *policy = v.input_drop ? "drop" : "accept";
	if (v.filters && !v.note[0])
		conf_append(f->evidence, sizeof f->evidence, "%s: %d input rule(s), input policy %s",
			    file, v.input_rules, policy);
	else if (v.filters)
		conf_append(f->evidence, sizeof f->evidence,
			    "%s: %d input rule(s), input policy %s (%s)", file, v.input_rules,
			    policy, v.note);
	else if (!v.note[0])
		conf_append(f->evidence, sizeof f->evidence,
			    "%s: %d input rule(s), input policy %s, nothing dropped", file,
			    v.input_rules, policy);
	else
		conf_append(f->evidence, sizeof f->evidence,
			    "%s: %d input rule(s), input policy %s, nothing dropped (%s)", file,
			    v.input_rules, policy, v.note);
	conf_append(f->evidence, sizeof f->evidence, "%s", where);
	f->enabled_at_boot = on == 1 && v.filters;
}

static void record_config(const host *h, fact_set *fs)
{
	frontend fe[5] = {0};
	probe_ufw(h, &fe[0]);
	probe_firewalld(h, &fe[1]);
	probe_persistent(h, &fe[2], "nftables", "/etc/nftables.conf", "nftables.service", true);
	probe_persistent(h, &fe[3], "iptables", "/etc/iptables/rules.v4",
			 "netfilter-persistent.service", false);
	if (!fe[3].installed) /* Red Hat's iptables-services */
		probe_persistent(h, &fe[3], "iptables", "/etc/sysconfig/iptables",
				 "iptables.service", false);
	char evidence[4096] = "";
	const frontend *chosen = NULL, *first = NULL;
	for (size_t i = 0; i < 4; i++) {
		if (!fe[i].installed)
			continue;
		conf_append(evidence, sizeof evidence, "%s: %s", fe[i].product, fe[i].evidence);
		if (!first)
			first = &fe[i];
		if (!chosen && fe[i].enabled_at_boot)
			chosen = &fe[i];
	}
	if (!first) {
		/* The places looked at, written out so the message translates whole. */
		fact_set_string(fs, "firewall.product", "none", "none of %s exists",
				"/etc/ufw/ufw.conf, /usr/sbin/firewalld, "
				"/etc/nftables.conf, /etc/iptables/rules.v4, /etc/sysconfig/iptables");
		fact_set_bool(fs, "firewall.enabled_at_boot", false, "none of %s exists",
			      "/etc/ufw/ufw.conf, /usr/sbin/firewalld, "
			      "/etc/nftables.conf, /etc/iptables/rules.v4, /etc/sysconfig/iptables");
		return;
	}
	if (!chosen)
		chosen = first;
	fact_set_string(fs, "firewall.product", chosen->product, "%s", evidence);
	fact_set_bool(fs, "firewall.enabled_at_boot", chosen->enabled_at_boot, "%s", evidence);
}

static void record_live(const host *h, fact_set *fs)
{
	if (h->root && h->root[0]) {
		fact_set_unknown(fs, "firewall.active",
				 "the live ruleset belongs to the running kernel, not to --root %s",
				 h->root);
		return;
	}
	if (!h->privileged) {
		fact_set_unknown(fs, "firewall.active",
				 "reading the live ruleset needs root (CAP_NET_ADMIN)");
		return;
	}
	static const char *const nft[] = {"/usr/sbin/nft", "list", "ruleset", NULL};
	static const char *const ipt[] = {"/usr/sbin/iptables-save", "-t", "filter", NULL};
	const char *const *argv = host_exists(h, nft[0]) ? nft : ipt;
	if (!host_exists(h, argv[0])) {
		fact_set_unknown(fs, "firewall.active",
				 "neither /usr/sbin/nft nor /usr/sbin/iptables-save is installed "
				 "to read the live ruleset");
		return;
	}
	char *out;
	size_t len;
	int status;
	int rc = host_run(h, argv, RUN_TIMEOUT_MS, RULESET_MAX_BYTES, &out, &len, &status);
	if (rc != 0) {
		fact_set_unknown(fs, "firewall.active", "cannot run %s: %s", argv[0],
				 strerror(-rc));
		return;
	}
	if (status != 0) {
		fact_set_unknown(fs, "firewall.active", "%s %s exited with status %d", argv[0],
				 argv[1], status);
		free(out);
		return;
	}
	ruleset_view v = {0};
	if (argv == nft)
		ruleset_parse_nft(h, NULL, out, &v);
	else
		ruleset_parse_iptables(out, &v);
	free(out);
	fact_set_bool(fs, "firewall.active", v.filters,
		      "%s %s %s: %d chain(s), %d rule(s) on incoming traffic, input policy %s",
		      argv[0], argv[1], argv[2], v.chains, v.input_rules,
		      v.input_drop ? "drop" : "accept");
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	record_config(h, fs);
	record_live(h, fs);
	return 0;
}

const probe probe_firewall = {"firewall", "firewall.", run};
