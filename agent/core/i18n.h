/* SPDX-License-Identifier: Apache-2.0 */
/* Program messages in English and Japanese, through gettext (po/ja.po).
 *
 * The language is chosen by hostaudit, not by the C library: --lang, then
 * the config's `lang:`, then LC_ALL / LC_MESSAGES / LANG starting "ja",
 * then (Windows, with none of those set) the user's display language.
 * i18n_set_lang() makes gettext follow that choice even on a host where no
 * ja_JP locale was generated (docs/i18n.md explains how). */
#ifndef HOSTAUDIT_I18N_H
#define HOSTAUDIT_I18N_H

#define HOSTAUDIT_TEXTDOMAIN "hostaudit"

/* A message in the current language. */
#define _(msgid) i18n_gettext(msgid)
/* Marks a message for translation where it is declared (tables). */
#define N_(msgid) (msgid)
/* A message in the given language ("en" or "ja"), for renderers, which
 * are told their language. */
#define L_(lang, msgid) i18n_tr(lang, msgid)

/* "en" or "ja". Idempotent; the first call binds the text domain. */
void i18n_set_lang(const char *lang);
const char *i18n_lang(void);
const char *i18n_gettext(const char *msgid) __attribute__((format_arg(1)));
const char *i18n_tr(const char *lang, const char *msgid) __attribute__((format_arg(2)));
/* Where the message catalogues are read from (for `--version` and tests). */
const char *i18n_locale_dir(void);
/* "ja" when the environment's locale asks for Japanese, else "en". On
 * Windows, when no LC_ALL/LC_MESSAGES/LANG is set, the user's display
 * language (GetUserDefaultUILanguage) decides. */
const char *i18n_lang_from_env(void);
/* "ja" for a Windows LANGID whose primary language is Japanese (0x0411
 * ja-JP), else "en". */
const char *i18n_lang_from_langid(unsigned langid);

#endif
