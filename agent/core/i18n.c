/* SPDX-License-Identifier: Apache-2.0 */
/* gettext for hostaudit (docs/i18n.md).
 *
 * glibc's gettext picks the catalogue from LC_MESSAGES, or from the
 * LANGUAGE variable, but ignores LANGUAGE when LC_MESSAGES is the "C"
 * locale, and setlocale(LC_MESSAGES, "ja_JP.UTF-8") fails on a host where
 * that locale was never generated (a fresh Debian has only C.UTF-8). So
 * the language is not left to the locale: LC_MESSAGES is set to C.UTF-8
 * (built into glibc 2.35 and later, so always there), LANGUAGE to the
 * language hostaudit chose, and the domain's output is bound to UTF-8.
 * Only LC_MESSAGES changes: numbers keep printing with a '.' whatever the
 * user's LC_NUMERIC.
 *
 * Windows: GNU libintl, cross-built static from Debian's gettext source
 * (packaging/windows/build-deps.sh). It reads LANGUAGE too, and takes
 * the locale from LC_ALL/LC_MESSAGES/LANG or else from Windows, never
 * "C" unless one of those variables says so; the CRT's locale is not
 * touched. The catalogue is found beside the program (the platform
 * layer's PLATFORM_LOCALE_DIR). */
#include "i18n.h"

#include <libintl.h>
#ifdef _WIN32
#include <windows.h>
#else
#include <locale.h>
#endif
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostaudit/platform.h"

static char current[3] = "";

static bool has_catalogue(const char *dir)
{
	char path[4096];
	struct stat st;
	size_t n = strlen(dir);
	if (n + sizeof "/ja/LC_MESSAGES/" HOSTAUDIT_TEXTDOMAIN ".mo" > sizeof path)
		return false;
	memcpy(path, dir, n);
	strcpy(path + n, "/ja/LC_MESSAGES/" HOSTAUDIT_TEXTDOMAIN ".mo");
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* $HOSTAUDIT_LOCALEDIR, then the install location, then (POSIX) the build
 * tree this binary came from, so tests and `./build/hostaudit` translate.
 * On Windows the build tree has the installed layout beside the .exe. */
const char *i18n_locale_dir(void)
{
	const char *env = getenv("HOSTAUDIT_LOCALEDIR");
	if (env && *env)
		return env;
	const char *installed = platform_default_path(PLATFORM_LOCALE_DIR);
#ifdef HOSTAUDIT_BUILD_LOCALEDIR
	if (!has_catalogue(installed) && has_catalogue(HOSTAUDIT_BUILD_LOCALEDIR))
		return HOSTAUDIT_BUILD_LOCALEDIR;
#else
	(void)has_catalogue;
#endif
	return installed;
}

const char *i18n_lang_from_langid(unsigned langid)
{
	/* The primary language is the low 10 bits; LANG_JAPANESE is 0x11. */
	return (langid & 0x3ff) == 0x11 ? "ja" : "en";
}

const char *i18n_lang_from_env(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "ja", 2) == 0 ? "ja" : "en";
	}
#ifdef _WIN32
	/* No Unix-style variable (the usual case on Windows): the language of
	 * the user's Windows display, e.g. 0x0411 ja-JP. */
	return i18n_lang_from_langid(GetUserDefaultUILanguage());
#else
	return "en";
#endif
}

/* Makes libintl look for `want` (LANGUAGE) with a locale that is not "C". */
static void select_catalogue(const char *want)
{
#ifdef _WIN32
	_putenv_s("LANGUAGE", want);
#else
	setenv("LANGUAGE", want, 1);
	/* Not "C", or LANGUAGE is ignored; setlocale also tells gettext that
	 * its cached translations are stale. */
	if (!setlocale(LC_MESSAGES, "C.UTF-8") && !setlocale(LC_MESSAGES, "C.utf8"))
		setlocale(LC_MESSAGES, "");
#endif
}

void i18n_set_lang(const char *lang)
{
	const char *want = lang && !strcmp(lang, "ja") ? "ja" : "en";
	if (!strcmp(current, want))
		return;
	if (!current[0]) {
		bindtextdomain(HOSTAUDIT_TEXTDOMAIN, i18n_locale_dir());
		bind_textdomain_codeset(HOSTAUDIT_TEXTDOMAIN, "UTF-8");
#ifndef _WIN32
		/* strerror() in Japanese comes from glibc's own catalogue, in the
		 * codeset of LC_CTYPE ("C": ASCII, every kana a '?'): UTF-8 too */
		bind_textdomain_codeset("libc", "UTF-8");
#endif
		textdomain(HOSTAUDIT_TEXTDOMAIN);
	}
	strcpy(current, want);
	select_catalogue(want);
}

const char *i18n_lang(void)
{
	if (!current[0])
		i18n_set_lang(i18n_lang_from_env());
	return current;
}

const char *i18n_gettext(const char *msgid)
{
	if (!strcmp(i18n_lang(), "en"))
		return msgid;
	return dgettext(HOSTAUDIT_TEXTDOMAIN, msgid);
}

const char *i18n_tr(const char *lang, const char *msgid)
{
	if (!lang || strcmp(lang, "ja"))
		return msgid;
	i18n_set_lang("ja");
	return dgettext(HOSTAUDIT_TEXTDOMAIN, msgid);
}
