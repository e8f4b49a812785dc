/* SPDX-License-Identifier: Apache-2.0 */
/* Disk encryption on Linux: whether the filesystems holding / and /home,
 * and the swap areas, sit on dm-crypt.
 *
 * The kernel tells: /proc/self/mountinfo gives each mount's device number,
 * /sys/dev/block/MAJ:MIN is that device, its slaves/ are the devices under
 * it (LVM on LUKS: dm-1 -> dm-0 -> sda3), and a dm-crypt device's dm/uuid
 * starts with "CRYPT-". A filesystem is encrypted when every path down
 * from its device passes through such a layer. /etc/crypttab is read to
 * say where each mapping is configured. Under --root these files come
 * from the tree (fixtures carry fake /proc and /sys). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/probe.h"
#include "linuxconf.h"
#include "util.h"

#define WALK_MAX_DEPTH 16

typedef struct mount_entry {
	char mountpoint[1024];
	char devno[32];  /* "254:1" */
	char fstype[64];
	char source[1024];
	int lineno;
} mount_entry;

typedef struct mounts {
	mount_entry *v;
	size_t n;
} mounts;

/* Mount points escape blanks as \040, \011, \012, \134. */
static void unescape_octal(char *s)
{
	char *w = s;
	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw" */
static bool mountinfo_line(char *line, int lineno, void *ctx)
{
	mounts *m = ctx;
	char *field[64];
	int n = 0;
	for (char *save = NULL, *t = strtok_r(line, " ", &save); t && n < 64;
	     t = strtok_r(NULL, " ", &save))
		field[n++] = t;
	int dash = -1;
	for (int i = 6; i < n; i++)
		if (!strcmp(field[i], "-")) {
			dash = i;
			break;
		}
	if (n < 5 || dash < 0 || dash + 2 >= n)
		return true;
	m->v = xrealloc(m->v, (m->n + 1) * sizeof *m->v);
	mount_entry *e = &m->v[m->n++];
	snprintf(e->devno, sizeof e->devno, "%s", field[2]);
	snprintf(e->mountpoint, sizeof e->mountpoint, "%s", field[4]);
	unescape_octal(e->mountpoint);
	snprintf(e->fstype, sizeof e->fstype, "%s", field[dash + 1]);
	snprintf(e->source, sizeof e->source, "%s", field[dash + 2]);
	unescape_octal(e->source);
	e->lineno = lineno;
	return true;
}

/* The mount that serves path: the last mount (later ones cover earlier)
 * with the longest mount point that is a prefix of path. */
static const mount_entry *mount_for(const mounts *m, const char *path)
{
	const mount_entry *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < m->n; i++) {
		const char *mp = m->v[i].mountpoint;
		size_t k = strlen(mp);
		bool covers = !strcmp(mp, "/") ||
			      (!strncmp(path, mp, k) && (path[k] == '/' || path[k] == '\0'));
		if (!covers)
			continue;
		if (!strcmp(mp, "/"))
			k = 1;
		if (k >= best_len) {
			best = &m->v[i];
			best_len = k;
		}
	}
	return best;
}

/* What the walk found under one device. */
typedef struct walk {
	char chain[1024];   /* "dm-1 (LVM) -> dm-0 (CRYPT-LUKS2) -> vda2" */
	char crypt[256];    /* dm names of the crypt layers */
} walk;

static void read_sys_line(const host *h, const char *path, char *buf, size_t size)
{
	char *data;
	buf[0] = '\0';
	if (host_read_file(h, path, 4096, &data, NULL) != 0)
		return;
	data[strcspn(data, "\n")] = '\0';
	snprintf(buf, size, "%s", data);
	free(data);
}

/* Whether every path down from the device at sysdir passes a dm-crypt
 * layer. */
static bool walk_device(const host *h, const char *sysdir, const char *name, int depth, walk *w)
{
	char path[1024], uuid[256], dmname[256];
	snprintf(path, sizeof path, "%s/dm/uuid", sysdir);
	read_sys_line(h, path, uuid, sizeof uuid);
	snprintf(path, sizeof path, "%s/dm/name", sysdir);
	read_sys_line(h, path, dmname, sizeof dmname);
	char kind[64] = "";
	if (uuid[0]) {
		snprintf(kind, sizeof kind, " (%.*s)", (int)strcspn(uuid, "-_"), uuid);
		if (!strncmp(uuid, "CRYPT-", 6))
			snprintf(kind, sizeof kind, " (%.*s)",
				 (int)(strcspn(uuid + 6, "-") + 6), uuid);
	}
	size_t used = strlen(w->chain);
	snprintf(w->chain + used, sizeof w->chain - used, "%s%s%s", used ? " -> " : "", name, kind);
	if (!strncmp(uuid, "CRYPT-", 6) && strncmp(uuid, "CRYPT-SUBDEV", 12)) {
		conf_append(w->crypt, sizeof w->crypt, "%s", dmname[0] ? dmname : name);
		return true;
	}
	if (depth >= WALK_MAX_DEPTH)
		return false;
	char **names;
	size_t n;
	snprintf(path, sizeof path, "%s/slaves", sysdir);
	if (host_list_dir(h, path, &names, &n) != 0)
		return false; /* a disk or partition: nothing under it */
	bool all = true, any = false;
	for (size_t i = 0; i < n; i++) {
		if (names[i][0] == '.')
			continue; /* kernel names never start with a dot */
		any = true;
		char sub[512];
		snprintf(sub, sizeof sub, "/sys/class/block/%s", names[i]);
		all &= walk_device(h, sub, names[i], depth + 1, w);
	}
	host_names_free(names, n);
	return any && all;
}

/* The kernel's name for the device at sysdir ("dm-1", "sda2"), from its
 * uevent; fallback when there is none. */
static void kernel_name(const host *h, const char *sysdir, const char *fallback, char *out,
			size_t size)
{
	char path[600], *data;
	snprintf(out, size, "%s", fallback);
	snprintf(path, sizeof path, "%s/uevent", sysdir);
	if (host_read_file(h, path, 4096, &data, NULL) != 0)
		return;
	char *v = strstr(data, "DEVNAME=");
	if (v && (v == data || v[-1] == '\n')) {
		v += 8;
		v[strcspn(v, "\n")] = '\0';
		snprintf(out, size, "%s", v);
	}
	free(data);
}

/* The /sys/class/block name of the dm device called dmname. */
static bool find_dm_by_name(const host *h, const char *dmname, char *out, size_t size)
{
	char **names;
	size_t n;
	bool found = false;
	if (host_list_dir(h, "/sys/class/block", &names, &n) != 0)
		return false;
	for (size_t i = 0; i < n && !found; i++) {
		char path[512], v[256];
		snprintf(path, sizeof path, "/sys/class/block/%s/dm/name", names[i]);
		read_sys_line(h, path, v, sizeof v);
		if (!strcmp(v, dmname)) {
			snprintf(out, size, "%s", names[i]);
			found = true;
		}
	}
	host_names_free(names, n);
	return found;
}

/* The sysfs directory of a block device given by its /dev path (btrfs and
 * swap name devices this way, as btrfs reports an anonymous 0:N number). */
static bool sysdir_from_devpath(const host *h, const char *dev, char *sysdir, size_t size,
				char *name, size_t name_size)
{
	char base[256];
	if (!strncmp(dev, "/dev/mapper/", 12)) {
		if (!find_dm_by_name(h, dev + 12, base, sizeof base))
			return false;
	} else if (!strncmp(dev, "/dev/", 5) && !strchr(dev + 5, '/')) {
		snprintf(base, sizeof base, "%s", dev + 5);
	} else {
		return false;
	}
	snprintf(sysdir, size, "/sys/class/block/%s", base);
	snprintf(name, name_size, "%s", base);
	return host_exists(h, sysdir);
}

/* crypttab: "name device [keyfile [options]]". */
typedef struct crypttab_find {
	const char *names; /* "; "-separated dm names to look up */
	char found[512];
	int swap_entries;
	char swap_where[256];
} crypttab_find;

static bool crypttab_line(char *line, int lineno, void *ctx)
{
	crypttab_find *c = ctx;
	char *p = conf_trim(line);
	if (*p == '#' || *p == '\0')
		return true;
	char name[256] = "", dev[256] = "", key[256] = "", opts[512] = "";
	if (sscanf(p, "%255s %255s %255s %511s", name, dev, key, opts) < 2)
		return true;
	if (strstr(opts, "swap")) {
		c->swap_entries++;
		conf_append(c->swap_where, sizeof c->swap_where, "/etc/crypttab:%d %s (swap)",
			    lineno, name);
	}
	if (c->names) {
		char needle[260];
		size_t k = strlen(name);
		const char *s = c->names;
		snprintf(needle, sizeof needle, "%s", name);
		for (const char *hit = strstr(s, needle); hit; hit = strstr(hit + 1, needle)) {
			bool start = hit == s || hit[-1] == ' ';
			bool end = hit[k] == '\0' || hit[k] == ';';
			if (start && end) {
				conf_append(c->found, sizeof c->found, "%s is /etc/crypttab:%d", name,
					    lineno);
				break;
			}
		}
	}
	return true;
}

static void crypttab_lookup(const host *h, crypttab_find *c)
{
	char *data;
	if (conf_read(h, "/etc/crypttab", &data) != 0)
		return;
	conf_each_line(data, crypttab_line, c);
	free(data);
}

/* Records whether the filesystem serving path is encrypted. */
static void record_fs(const host *h, fact_set *fs, const mounts *m, const char *path,
		      const char *fact_name)
{
	const mount_entry *e = mount_for(m, path);
	if (!e) {
		fact_set_unknown(fs, fact_name, "no mount serving %s in /proc/self/mountinfo", path);
		return;
	}
	char where[1200];
	if (strcmp(path, e->mountpoint))
		fact_buf_set(where, sizeof where,
			     "%s is on the / filesystem (%s from %s, device %s; "
			     "/proc/self/mountinfo:%d)",
			     path, e->fstype, e->source, e->devno, e->lineno);
	else
		fact_buf_set(where, sizeof where,
			     "%s is mounted (%s from %s, device %s; /proc/self/mountinfo:%d)", path,
			     e->fstype, e->source, e->devno, e->lineno);
	if (!strcmp(e->fstype, "ecryptfs")) {
		fact_set_bool(fs, fact_name, true, "%s: eCryptfs encrypts the files", where);
		return;
	}
	if (!strcmp(e->fstype, "zfs")) {
		fact_set_unknown(fs, fact_name, "%s: ZFS native encryption is not modelled", where);
		return;
	}
	char sysdir[512], name[256];
	bool have = false;
	if (strncmp(e->devno, "0:", 2)) {
		snprintf(sysdir, sizeof sysdir, "/sys/dev/block/%s", e->devno);
		kernel_name(h, sysdir, e->devno, name, sizeof name);
		have = host_exists(h, sysdir);
	}
	if (!have)
		have = sysdir_from_devpath(h, e->source, sysdir, sizeof sysdir, name, sizeof name);
	if (!have) {
		fact_set_unknown(fs, fact_name, "%s: no block device for it under /sys (%s)", where,
				 e->fstype);
		return;
	}
	walk w = {0};
	bool enc = walk_device(h, sysdir, name, 0, &w);
	crypttab_find c = {.names = w.crypt};
	if (enc)
		crypttab_lookup(h, &c);
	if (!enc)
		fact_set_bool(fs, fact_name, enc, "%s; %s: %s (no dm-crypt layer)", where, sysdir,
			      w.chain);
	else if (c.found[0])
		fact_set_bool(fs, fact_name, enc, "%s; %s: %s; %s", where, sysdir, w.chain, c.found);
	else
		fact_set_bool(fs, fact_name, enc,
			      "%s; %s: %s; not in /etc/crypttab (set up by the initramfs?)", where,
			      sysdir, w.chain);
}

/* /proc/swaps: "Filename Type Size Used Priority". */
typedef struct swap_walk {
	const host *h;
	const mounts *m;
	int on_disk, encrypted;
	char evidence[2048];
} swap_walk;

static bool swaps_line(char *line, int lineno, void *ctx)
{
	swap_walk *s = ctx;
	char file[1024], type[32];
	if (lineno == 1 || sscanf(line, "%1023s %31s", file, type) != 2)
		return true;
	unescape_octal(file);
	if (!strncmp(file, "/dev/zram", 9)) {
		conf_append(s->evidence, sizeof s->evidence, "%s: compressed RAM, never on disk",
			    file);
		return true;
	}
	s->on_disk++;
	char sysdir[512], name[256];
	walk w = {0};
	bool enc = false;
	if (!strcmp(type, "file")) {
		const mount_entry *e = mount_for(s->m, file);
		char devpath[64];
		if (e && strncmp(e->devno, "0:", 2)) {
			snprintf(devpath, sizeof devpath, "/sys/dev/block/%s", e->devno);
			kernel_name(s->h, devpath, e->devno, name, sizeof name);
			enc = walk_device(s->h, devpath, name, 0, &w);
		} else if (e && sysdir_from_devpath(s->h, e->source, sysdir, sizeof sysdir, name,
						    sizeof name)) {
			enc = walk_device(s->h, sysdir, name, 0, &w);
		}
		if (enc)
			conf_append(s->evidence, sizeof s->evidence, "swap file %s on %s: %s", file,
				    e ? e->mountpoint : "?", w.chain);
		else
			conf_append(s->evidence, sizeof s->evidence,
				    "swap file %s on %s: %s (no dm-crypt layer)", file,
				    e ? e->mountpoint : "?", w.chain);
	} else if (sysdir_from_devpath(s->h, file, sysdir, sizeof sysdir, name, sizeof name)) {
		enc = walk_device(s->h, sysdir, name, 0, &w);
		if (enc)
			conf_append(s->evidence, sizeof s->evidence, "swap %s: %s", file, w.chain);
		else
			conf_append(s->evidence, sizeof s->evidence, "swap %s: %s (no dm-crypt layer)",
				    file, w.chain);
	} else {
		conf_append(s->evidence, sizeof s->evidence, "swap %s: device not found under /sys",
			    file);
	}
	s->encrypted += enc;
	return true;
}

static void record_swap(const host *h, fact_set *fs, const mounts *m)
{
	char *data;
	int rc = conf_read(h, "/proc/swaps", &data);
	if (rc != 0) {
		fact_set_unknown(fs, "diskcrypt.swap_encrypted", "cannot read /proc/swaps: %s",
				 strerror(-rc));
		return;
	}
	swap_walk s = {.h = h, .m = m};
	conf_each_line(data, swaps_line, &s);
	free(data);
	crypttab_find c = {0};
	crypttab_lookup(h, &c);
	if (c.swap_entries)
		conf_append(s.evidence, sizeof s.evidence, "%s", c.swap_where);
	if (s.on_disk == 0 && s.evidence[0])
		fact_set_not_applicable(fs, "diskcrypt.swap_encrypted",
					"no swap on disk in /proc/swaps: %s", s.evidence);
	else if (s.on_disk == 0)
		fact_set_not_applicable(fs, "diskcrypt.swap_encrypted",
					"no swap on disk in /proc/swaps");
	else
		fact_set_bool(fs, "diskcrypt.swap_encrypted", s.encrypted == s.on_disk,
			      "/proc/swaps: %d of %d swap area(s) on dm-crypt: %s", s.encrypted,
			      s.on_disk, s.evidence);
}

static int run(const host *h, const struct config *cfg, fact_set *fs)
{
	(void)cfg;
	char *data;
	int rc = conf_read(h, "/proc/self/mountinfo", &data);
	if (rc != 0) {
		if (h->root && h->root[0])
			fact_set_unset_prefix(fs, "diskcrypt.", FACT_UNKNOWN,
					      "cannot read /proc/self/mountinfo under --root %s: %s",
					      h->root, strerror(-rc));
		else
			fact_set_unset_prefix(fs, "diskcrypt.", FACT_UNKNOWN,
					      "cannot read /proc/self/mountinfo: %s", strerror(-rc));
		return 0;
	}
	mounts m = {0};
	conf_each_line(data, mountinfo_line, &m);
	free(data);
	record_fs(h, fs, &m, "/", "diskcrypt.root_encrypted");
	record_fs(h, fs, &m, "/home", "diskcrypt.home_encrypted");
	const mount_entry *home = mount_for(&m, "/home");
	if (home)
		fact_set_bool(fs, "diskcrypt.home_separate", strcmp(home->mountpoint, "/") != 0,
			      "/home is served by the mount at %s (/proc/self/mountinfo:%d)",
			      home->mountpoint, home->lineno);
	record_swap(h, fs, &m);
	free(m.v);
	return 0;
}

const probe probe_diskcrypt = {"diskcrypt", "diskcrypt.", run};
