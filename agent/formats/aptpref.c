/* SPDX-License-Identifier: Apache-2.0 */
/* apt preferences: reading the files and matching pins; see aptpref.h. */
#define _GNU_SOURCE
#include "aptpref.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostaudit/facts.h"

#define PREFS_MAX_BYTES (1024 * 1024)
#define RELEASE_SPEC_MAX 300  /* apt copies the spec into a buffer this big */
#define RELEASE_FRAGMENTS_MAX 20

bool apt_expression_matches(const char *pattern, const char *s)
{
	if (!pattern || !s)
		return false;
	size_t n = strlen(pattern);
	if (n >= 2 && pattern[0] == '/' && pattern[n - 1] == '/') {
		char *body = strndup(pattern + 1, n - 2);
		regex_t re;
		bool res = false;
		if (body && regcomp(&re, body, REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0) {
			res = regexec(&re, s, 0, NULL, 0) == 0;
			regfree(&re);
		}
		free(body);
		return res;
	}
	return fnmatch(pattern, s, FNM_CASEFOLD) == 0;
}

/* apt's MatchVer: equal ignoring case, or a prefix when prefix is set. */
static bool match_ver(const char *a, const char *b, bool prefix)
{
	if (!a || !b)
		return false;
	size_t al = strlen(a), bl = strlen(b);
	if ((al != bl && !prefix) || al < bl)
		return false;
	return strncasecmp(a, b, bl) == 0;
}

static void pin_free(apt_pin *p)
{
	free(p->name);
	free(p->arch);
	free(p->data);
	free(p->ver);
	free(p->origin);
	free(p->archive);
	free(p->codename);
	free(p->release);
	free(p->label);
	free(p->component);
	free(p->barch);
	free(p->site);
	if (p->name_re) {
		regfree(p->name_re);
		free(p->name_re);
	}
}

void apt_prefs_free(apt_prefs *p)
{
	for (size_t i = 0; i < p->count; i++)
		pin_free(&p->pins[i]);
	free(p->pins);
	memset(p, 0, sizeof *p);
}

/* Trailing '*' of a version: a prefix match (apt strips it). */
static void take_prefix(char *v, bool *prefix)
{
	size_t n = v ? strlen(v) : 0;
	if (n && v[n - 1] == '*') {
		v[n - 1] = '\0';
		*prefix = true;
	}
}

static void set_field(char **slot, const char *v)
{
	free(*slot);
	*slot = strdup(v);
}

/* versionmatch.cc's constructor for the release type. */
static void parse_release(apt_pin *p, const char *data)
{
	if (!data[0])
		return;
	if (strcmp(data, "*") == 0) {
		p->match_all = true;
		return;
	}
	if (!strchr(data, '=')) {
		if (isdigit((unsigned char)data[0])) {
			p->ver = strdup(data);
			take_prefix(p->ver, &p->prefix);
		} else {
			p->release = strdup(data);
		}
		return;
	}
	char spec[RELEASE_SPEC_MAX];
	snprintf(spec, sizeof spec, "%s", data);
	size_t frags = 0;
	for (char *s = spec; *s;) {
		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		char *e = strchr(s, ',');
		char *next = e ? e + 1 : s + strlen(s);
		if (e)
			*e = '\0';
		for (char *t = s + strlen(s); t > s && isspace((unsigned char)t[-1]);)
			*--t = '\0';
		if (++frags >= RELEASE_FRAGMENTS_MAX) {
			p->type = (apt_pin_type)-1; /* apt gives up: matches nothing */
			return;
		}
		if (strlen(s) >= 3 && s[1] == '=') {
			static const char keys[] = "voanlcb";
			char **slots[] = {&p->ver, &p->origin, &p->archive, &p->codename,
					  &p->label, &p->component, &p->barch};
			const char *k = strchr(keys, tolower((unsigned char)s[0]));
			if (k)
				set_field(slots[k - keys], s + 2);
		}
		s = next;
	}
	take_prefix(p->ver, &p->prefix);
}

static void parse_data(apt_pin *p)
{
	const char *d = p->data;
	size_t n = strlen(d);

	switch (p->type) {
	case APT_PIN_VERSION:
	case APT_PIN_SOURCE_VERSION:
		p->ver = strdup(d);
		take_prefix(p->ver, &p->prefix);
		break;
	case APT_PIN_RELEASE:
		parse_release(p, d);
		break;
	case APT_PIN_ORIGIN:
		if (n >= 2 && d[0] == '"' && d[n - 1] == '"')
			p->site = strndup(d + 1, n - 2);
		else
			p->site = strdup(d);
		break;
	}
}

static int push_pin(apt_prefs *p, apt_pin *pin)
{
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		apt_pin *np = realloc(p->pins, cap * sizeof *np);
		if (!np)
			return -ENOMEM;
		p->pins = np;
		p->cap = cap;
	}
	p->pins[p->count++] = *pin;
	if (pin->prio >= 1000)
		p->high = true;
	if (pin->source || pin->type == APT_PIN_SOURCE_VERSION)
		p->source_pins = true;
	return 0;
}

/* CreatePin for one name of a Package field ("" for the general form). */
static int create_pin(apt_prefs *p, const char *token, apt_pin_type type, const char *data,
		      int prio, const char *where)
{
	apt_pin pin = {.type = type, .prio = prio};
	snprintf(pin.where, sizeof pin.where, "%s", where);
	pin.data = strdup(data);
	if (!pin.data)
		return -ENOMEM;
	if (token[0]) {
		if (strncmp(token, "src:", 4) == 0) {
			pin.source = true;
			token += 4;
		}
		const char *colon = strrchr(token, ':');
		pin.name = colon ? strndup(token, (size_t)(colon - token)) : strdup(token);
		pin.arch = colon ? strdup(colon + 1) : NULL;
		size_t nl = pin.name ? strlen(pin.name) : 0;
		if (nl >= 2 && pin.name[0] == '/' && pin.name[nl - 1] == '/') {
			pin.name_pattern = true;
			pin.name_re = malloc(sizeof *pin.name_re);
			char *body = strndup(pin.name + 1, nl - 2);
			if (!pin.name_re || !body ||
			    regcomp(pin.name_re, body, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0) {
				free(pin.name_re);
				pin.name_re = NULL; /* apt warns; the pin then matches nothing */
				if (!p->warning[0])
					fact_buf_set(p->warning, sizeof p->warning,
						     "%s: invalid regular expression %s", where,
						     pin.name);
			}
			free(body);
		} else if (pin.name && strpbrk(pin.name, "*[?")) {
			pin.name_pattern = true;
		}
	}
	parse_data(&pin);
	int r = push_pin(p, &pin);
	if (r < 0)
		pin_free(&pin);
	return r;
}

typedef struct record {
	int line;           /* of its first field */
	bool any;           /* has a field */
	char *package, *pin, *prio; /* values, NULL when absent */
	size_t package_len, pin_len, prio_len;
} record;

/* ReadPinFile's treatment of one record. */
static int take_record(apt_prefs *p, const record *rec, const char *file, char *err,
		       size_t size)
{
	char where[160];
	snprintf(where, sizeof where, "%s:%d", file, rec->line);
	if (!rec->any)
		return 0;
	if (!rec->package || rec->package_len == 0) {
		fact_buf_set(err, size, "%s: invalid record in the preferences file, no Package header",
			     where);
		return -EINVAL;
	}
	char *name = strndup(rec->package, rec->package_len);
	if (!name)
		return -ENOMEM;
	bool general = strcmp(name, "*") == 0;
	int r = 0;
	if (!rec->pin) {
		free(name);
		return 0;
	}
	char *pin = strndup(rec->pin, rec->pin_len);
	char *prio = rec->prio ? strndup(rec->prio, rec->prio_len) : strdup("");
	if (!pin || !prio) {
		r = -ENOMEM;
		goto out;
	}
	size_t wl = strcspn(pin, " \t\n");
	char *data = pin + wl;
	while (isspace((unsigned char)*data))
		data++;
	apt_pin_type type;
	if (wl == 7 && strncasecmp(pin, "version", 7) == 0 && !general)
		type = APT_PIN_VERSION;
	else if (wl == 14 && strncasecmp(pin, "source-version", 14) == 0 && !general &&
		 p->source_version)
		type = APT_PIN_SOURCE_VERSION;
	else if (wl == 7 && strncasecmp(pin, "release", 7) == 0)
		type = APT_PIN_RELEASE;
	else if (wl == 6 && strncasecmp(pin, "origin", 6) == 0)
		type = APT_PIN_ORIGIN;
	else {
		if (!p->warning[0])
			fact_buf_set(p->warning, sizeof p->warning,
				     "%s: pin type '%.*s' not understood (apt skips the record)", where,
				     (int)wl, pin);
		goto out;
	}
	long v;
	if (strcmp(prio, "never") == 0) {
		if (!general) {
			fact_buf_set(err, size,
				     "%s: 'Pin-Priority: never' can only be used for 'Package: *' records",
				     where);
			r = -EINVAL;
			goto out;
		}
		v = APT_PIN_NEVER;
	} else {
		char *end;
		errno = 0;
		v = strtol(prio, &end, 10);
		if (end == prio)
			v = 0;
		if (errno == ERANGE || v < SHRT_MIN || v > SHRT_MAX) {
			fact_buf_set(err, size, "%s: Pin-Priority %s is outside %d..%d", where, prio,
				     SHRT_MIN, SHRT_MAX);
			r = -EINVAL;
			goto out;
		}
		if (v == APT_PIN_NEVER)
			v = APT_PIN_NEVER + 1; /* only "never" is never */
		if (v == 0) {
			fact_buf_set(err, size, "%s: no priority (or zero) specified for pin", where);
			r = -EINVAL;
			goto out;
		}
	}
	p->records++;
	if (general) {
		r = create_pin(p, "", type, data, (int)v, where);
		goto out;
	}
	for (char *save = NULL, *t = strtok_r(name, " \t\n", &save); t && r == 0;
	     t = strtok_r(NULL, " \t\n", &save))
		r = create_pin(p, t, type, data, (int)v, where);
out:
	free(name);
	free(pin);
	free(prio);
	return r;
}

/* The value of "Name: value" when line is that field, with its length up
 * to the end of the line (continuations are appended by the caller). */
static bool field_is(const char *line, size_t len, const char *name, const char **val,
		     size_t *vlen)
{
	size_t nl = strlen(name);
	if (len <= nl || line[nl] != ':' || strncasecmp(line, name, nl) != 0)
		return false;
	const char *v = line + nl + 1, *e = line + len;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && isspace((unsigned char)e[-1]))
		e--;
	*val = v;
	*vlen = (size_t)(e - v);
	return true;
}

int apt_prefs_parse(apt_prefs *p, const char *text, const char *file, char *err, size_t size)
{
	record rec = {0};
	bool continuing = false; /* continuation lines extend Package */
	const char *s = text;
	int lineno = 0, r = 0;

	for (;;) {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		lineno++;
		bool end = !eol && len == 0;
		bool blank = len == 0 || (len == 1 && s[0] == '\r');
		if (end || blank) {
			if ((r = take_record(p, &rec, file, err, size)) < 0)
				return r;
			memset(&rec, 0, sizeof rec);
			continuing = false;
			if (!eol)
				break;
			s = eol + 1;
			continue;
		}
		if (s[0] == '#') {
			/* a comment: neither a field nor the end of a record */
		} else if (s[0] == ' ' || s[0] == '\t') {
			/* Continuation: only Package's value runs on (more names). */
			if (continuing) {
				const char *e = s + len;
				while (e > s && isspace((unsigned char)e[-1]))
					e--;
				if (e > s)
					rec.package_len = (size_t)(e - rec.package);
			}
		} else {
			const char *v;
			size_t vl;
			if (!rec.any)
				rec.line = lineno;
			rec.any = true;
			continuing = false;
			if (!rec.pin && field_is(s, len, "Pin", &v, &vl)) {
				rec.pin = (char *)v;
				rec.pin_len = vl;
			} else if (!rec.prio && field_is(s, len, "Pin-Priority", &v, &vl)) {
				rec.prio = (char *)v;
				rec.prio_len = vl;
			} else if (!rec.package && field_is(s, len, "Package", &v, &vl)) {
				rec.package = (char *)v;
				rec.package_len = vl;
				continuing = true;
			}
		}
		if (!eol) {
			if ((r = take_record(p, &rec, file, err, size)) < 0)
				return r;
			break;
		}
		s = eol + 1;
	}
	p->files_read++;
	return 0;
}

/* GetListOfFilesInDir(dir, "pref", sorted, no extension allowed). */
static bool part_name_ok(const char *n)
{
	if (n[0] == '.')
		return false;
	for (const char *c = n; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_-:.", *c))
			return false;
	size_t l = strlen(n);
	if (n[l - 1] == '.')
		return false;
	const char *dot = strrchr(n, '.');
	return !dot || strcmp(dot + 1, "pref") == 0;
}

static int read_one(apt_prefs *p, const host *h, const char *path, char *err, size_t size)
{
	char *data = NULL;
	size_t len = 0;
	host_stat st;

	if (host_stat_path(h, path, &st) < 0)
		return 0;
	if (st.is_dir)
		return 0;
	int r = host_read_file(h, path, PREFS_MAX_BYTES, &data, &len);
	if (r == -ENOENT || r == -EISDIR)
		return 0; /* a dangling link, a link to a directory: apt skips them */
	if (r < 0) {
		fact_buf_set(err, size, "cannot read %s: %s", path, strerror(-r));
		return r;
	}
	r = apt_prefs_parse(p, data, path, err, size);
	free(data);
	return r;
}

int apt_prefs_read(apt_prefs *p, const host *h, char *err, size_t size)
{
	static const char dir[] = "/etc/apt/preferences.d";
	char **names = NULL;
	size_t n = 0;
	char path[512];
	int r = read_one(p, h, "/etc/apt/preferences", err, size);

	if (r < 0)
		return r;
	if (host_list_dir(h, dir, &names, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		if (!part_name_ok(names[i]))
			continue;
		snprintf(path, sizeof path, "%s/%.400s", dir, names[i]);
		r = read_one(p, h, path, err, size);
	}
	host_names_free(names, n);
	return r;
}

int apt_prefs_default_release(apt_prefs *p, const char *release)
{
	int r = create_pin(p, "", APT_PIN_RELEASE, release, 990, "APT::Default-Release");
	if (r < 0)
		return r;
	snprintf(p->default_release, sizeof p->default_release, "%s", release);
	apt_pin pin = p->pins[p->count - 1];
	memmove(p->pins + 1, p->pins, (p->count - 1) * sizeof *p->pins);
	p->pins[0] = pin;
	return 0;
}

bool apt_default_release_known(const char *release, const apt_file_info *files, size_t n)
{
	if (strlen(release) > 2 && release[1] == '=')
		return true;
	for (size_t i = 0; i < n; i++)
		if (apt_expression_matches(release, files[i].archive) ||
		    apt_expression_matches(release, files[i].codename) ||
		    apt_expression_matches(release, files[i].version))
			return true;
	return apt_expression_matches(release, "now");
}

bool apt_pin_names(const apt_pin *pin, const char *name, const char *arch, const char *native,
		   const char *source)
{
	if (!pin->name)
		return false;
	if (!pin->arch ? strcmp(arch, native) != 0
		       : strcmp(pin->arch, "any") != 0 && strcmp(pin->arch, arch) != 0)
		return false;
	const char *subject = pin->source ? source : name;
	if (!pin->name_pattern)
		return strcmp(pin->name, subject) == 0;
	if (strcmp(pin->name, subject) == 0)
		return false; /* apt expands patterns to other names only */
	if (pin->name[0] == '/' && strlen(pin->name) >= 2 && pin->name[strlen(pin->name) - 1] == '/')
		return pin->name_re && regexec(pin->name_re, subject, 0, NULL, 0) == 0;
	return fnmatch(pin->name, subject, FNM_CASEFOLD) == 0;
}

bool apt_pin_version_matches(const apt_pin *pin, const char *ver)
{
	if ((pin->type != APT_PIN_VERSION && pin->type != APT_PIN_SOURCE_VERSION) || !pin->ver)
		return false;
	return match_ver(ver, pin->ver, pin->prefix) || apt_expression_matches(pin->ver, ver);
}

static bool release_fields_match(const apt_pin *p, const apt_file_info *f)
{
	if (p->match_all)
		return true;
	if (!p->ver && !p->origin && !p->archive && !p->label && !p->release && !p->codename &&
	    !p->component && !p->barch)
		return false;
	if (p->ver && !match_ver(f->version, p->ver, p->prefix) &&
	    !apt_expression_matches(p->ver, f->version))
		return false;
	if (p->origin && !apt_expression_matches(p->origin, f->origin))
		return false;
	if (p->archive && !apt_expression_matches(p->archive, f->archive))
		return false;
	if (p->codename && !apt_expression_matches(p->codename, f->codename))
		return false;
	if (p->release && !apt_expression_matches(p->release, f->archive) &&
	    !apt_expression_matches(p->release, f->codename))
		return false;
	if (p->label && !apt_expression_matches(p->label, f->label))
		return false;
	return true;
}

bool apt_pin_file_matches(const apt_pin *p, const apt_file_info *f)
{
	if (p->type != APT_PIN_RELEASE && p->type != APT_PIN_ORIGIN)
		return false;
	if (f->has_release) {
		if (p->type == APT_PIN_ORIGIN)
			return apt_expression_matches(p->site ? p->site : "", f->site);
		if (!release_fields_match(p, f))
			return false;
	} else if (p->type == APT_PIN_RELEASE) {
		/* dpkg's status and lists without a Release: apt keeps the
		 * archive ("now") in the component. */
		if (p->archive && !apt_expression_matches(p->archive, f->component))
			return false;
		if (p->release && !apt_expression_matches(p->release, f->component))
			return false;
		if (p->origin || p->label || p->ver || p->codename)
			return false;
	} else {
		return false;
	}
	if (p->match_all)
		return true;
	if (p->component && !apt_expression_matches(p->component, f->component))
		return false;
	if (p->barch && !apt_expression_matches(p->barch, f->arch))
		return false;
	return true;
}
