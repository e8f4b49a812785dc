/* SPDX-License-Identifier: Apache-2.0 */
/* apt's preferences (apt_preferences(5)): the pins of /etc/apt/preferences
 * and the files of /etc/apt/preferences.d, and APT::Default-Release, read and
 * matched the way apt 2.x does (apt-pkg/policy.cc, versionmatch.cc):
 *
 *  - a record is "Package:", "Pin:" and "Pin-Priority:"; "Package: *" is
 *    the general form, anything else the specific form; several names,
 *    globs (fnmatch, case-insensitive) and /regular expressions/ (POSIX
 *    extended, case-insensitive, unanchored) may be listed; "src:name"
 *    pins the binaries of a source package; ":arch" / ":any" suffixes, no
 *    suffix meaning the native architecture only;
 *  - "Pin: version V" (specific form only; a trailing '*' is a prefix,
 *    otherwise a glob or /regex/); from apt 2.9.10 (apt 3.0, Debian 13)
 *    also "Pin: source-version V", matched the same way against the
 *    version of the package's source (the Source field's "(version)",
 *    else the binary's own), which apt 2.6 skips as an unknown type;
 *  - "Pin: release a=,n=,v=,o=,l=,c=,b="
 *    (all must match; a bare word is a=/n=, a bare number v=), "Pin:
 *    origin host" (the site of the source's URI; "" is a local one);
 *  - priorities are C shorts; 0 or none is an error (apt refuses to run),
 *    "never" is allowed in the general form only;
 *  - APT::Default-Release is a general release pin of 990 placed before
 *    every pin of the files.
 * Unknown pin types are skipped (apt warns); the first warning is kept. */
#ifndef HOSTAUDIT_APTPREF_H
#define HOSTAUDIT_APTPREF_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "hostaudit/host.h"

#define APT_PIN_NEVER (-32768)

typedef enum {
	APT_PIN_VERSION,
	APT_PIN_RELEASE,
	APT_PIN_ORIGIN,
	APT_PIN_SOURCE_VERSION /* apt 2.9.10 and later (Debian 13's apt 3.0) */
} apt_pin_type;

/* One package file as pins see it: a Packages list with the fields of its
 * Release file, or dpkg's status (no Release; component "now"). A field
 * the file does not have is NULL, and no pattern matches it (as in apt,
 * where even "*" does not match an absent field). */
typedef struct apt_file_info {
	bool has_release;
	const char *archive, *codename, *version, *origin, *label; /* Release */
	const char *component, *arch;                                /* the list's */
	const char *site;                                            /* URI host */
} apt_file_info;

typedef struct apt_pin {
	char *name;          /* NULL: general form (Package: *) */
	char *arch;          /* NULL: native only; "any"; or an architecture */
	bool source;         /* src:name */
	bool name_pattern;   /* glob or /regex/ */
	apt_pin_type type;
	char *data;          /* the Pin value after the type word */
	int prio;
	char where[160];     /* "file:line" of the record */
	/* Parsed data. */
	bool match_all;      /* release * */
	bool prefix;         /* version or v= with a trailing '*' */
	char *ver;           /* version (Pin: version), or release v= */
	char *origin, *archive, *codename, *release, *label, *component, *barch, *site;
	/* Compiled /regex/ names and values, NULL when not a regex. */
	regex_t *name_re;
} apt_pin;

typedef struct apt_prefs {
	apt_pin *pins;
	size_t count, cap;
	size_t files_read;   /* preferences files read */
	size_t records;      /* records with a pin */
	bool high;           /* some priority >= 1000: older versions matter */
	bool source_pins;    /* some src: pin: source names matter */
	char default_release[128]; /* APT::Default-Release, "" when unset */
	/* Set by the caller before parsing: the apt of the audited system
	 * knows "Pin: source-version" (apt >= 2.9.10). */
	bool source_version;
	char warning[256];   /* the first thing apt would warn about */
} apt_prefs;

/* Parses one preferences file's text; file names the records' "where".
 * 0, or -EINVAL with err set when apt would refuse the file (no Package,
 * no or zero priority, out of range, "never" in a specific record). */
int apt_prefs_parse(apt_prefs *p, const char *text, const char *file, char *err, size_t size);

/* Reads /etc/apt/preferences, then the valid parts of
 * /etc/apt/preferences.d in order (no extension or ".pref"; letters,
 * digits, '_', '-', ':' and '.'). 0, or a negative errno with err set. */
int apt_prefs_read(apt_prefs *p, const host *h, char *err, size_t size);

/* Puts the general 990 pin of APT::Default-Release first. */
int apt_prefs_default_release(apt_prefs *p, const char *release);

/* Whether APT::Default-Release names an archive apt knows (apt refuses
 * to run otherwise): an archive, codename or version matches, or it has
 * the "x=" form, or it is "now". */
bool apt_default_release_known(const char *release, const apt_file_info *files, size_t n);

/* Whether a specific pin's Package entry names this package. source is
 * the package's source name (the package's own when it has none). */
bool apt_pin_names(const apt_pin *pin, const char *name, const char *arch, const char *native,
		   const char *source);
/* Whether a release or origin pin matches a package file. */
bool apt_pin_file_matches(const apt_pin *pin, const apt_file_info *f);
/* Whether a version pin matches a version string (for a source-version
 * pin, pass the source version). */
bool apt_pin_version_matches(const apt_pin *pin, const char *ver);
/* apt's ExpressionMatches: /regex/ (extended, ignoring case) or a glob
 * (ignoring case). Exposed for tests. */
bool apt_expression_matches(const char *pattern, const char *s);

void apt_prefs_free(apt_prefs *p);

#endif
