/* SPDX-License-Identifier: Apache-2.0 */
/* Facts: what a probe observed, typed, with its state and its evidence.
 *
 * Every fact name is declared once in the catalogue (agent/core/catalog.c)
 * with its type and meaning. Probes record facts into a fact_set; the
 * evaluator only reads them. A fact nobody recorded is unknown. */
#ifndef HOSTAUDIT_FACTS_H
#define HOSTAUDIT_FACTS_H

#include "hostaudit/compiler.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	FACT_BOOL,
	FACT_INT,
	FACT_STRING,
	FACT_TIME, /* seconds since the Unix epoch, UTC */
	FACT_LIST, /* list of strings */
} fact_type;

typedef enum {
	FACT_UNSET,          /* no probe recorded it: reads as unknown */
	FACT_KNOWN,
	FACT_UNKNOWN,        /* with a reason */
	FACT_NOT_APPLICABLE, /* with a reason, e.g. no desktop on this host */
	FACT_ERROR,          /* the probe failed; with a reason */
} fact_state;

/* One entry of the catalogue. */
typedef struct fact_def {
	const char *name;   /* "password.pwquality.minlen" */
	fact_type type;
	const char *unit;   /* "characters", "days", or NULL */
	const char *meaning;
} fact_def;

typedef struct fact_list {
	char **items;
	size_t count;
} fact_list;

/* An evidence or reason as its message: the printf format the probe
 * wrote (the message id, translated in po/ja.po) and each argument as
 * printed, so a renderer can show it in the reader's language. */
typedef struct fact_msg {
	char *id;
	char **args;
	/* Per argument, NULL or the message of the composed text it printed
	 * (a fact_text, below): the renderer translates it piece by piece.
	 * NULL when no argument was composed. */
	struct fact_msg **parts;
	size_t count;
} fact_msg;

/* Evidence or a reason built from pieces when one format cannot say it
 * all (a varying number of files, optional notes): each piece is a
 * message of its own, so each is translated. The English text is the
 * pieces joined by sep ("; " unless set before the first piece). Pass
 * fact_text_str(t) as the "%s" argument of fact_set_* (or of another
 * piece): while t lives, that string is recognised and its pieces are
 * recorded with it (JSON "parts", docs/report.md). */
typedef struct fact_text {
	char *text;
	const char *sep;
	fact_msg msg; /* id "%s; %s..." with a part per piece */
	struct fact_text *next_live;
} fact_text;

/* The same for text kept in a char buffer (probes that pass `where`
 * buffers around): fact_buf_set writes one message into buf,
 * fact_buf_append adds one after sep. Each remembers the buffer's text
 * with its message, so that the text, passed later as the "%s" of a
 * fact_set_* or of another piece, is recorded with its pieces (matched
 * by content: a text changed in any other way is recorded as it
 * stands, untranslated). A piece that does not fit is cut, as
 * snprintf would, and then not remembered. */
void fact_buf_set(char *buf, size_t size, const char *fmt, ...) HOSTAUDIT_PRINTF(3, 4);
void fact_buf_append(char *buf, size_t size, const char *sep, const char *fmt, ...)
	HOSTAUDIT_PRINTF(4, 5);
void fact_buf_vappend(char *buf, size_t size, const char *sep, const char *fmt, va_list ap)
	HOSTAUDIT_PRINTF(4, 0);

void fact_text_add(fact_text *t, const char *fmt, ...) HOSTAUDIT_PRINTF(2, 3);
void fact_text_vadd(fact_text *t, const char *fmt, va_list ap) HOSTAUDIT_PRINTF(2, 0);
/* The English text so far ("" before the first piece). */
const char *fact_text_str(fact_text *t);
bool fact_text_empty(const fact_text *t);
void fact_text_free(fact_text *t);

typedef struct fact {
	const fact_def *def;
	fact_state state;
	union {
		bool b;
		int64_t i; /* FACT_INT and FACT_TIME */
		char *s;
		fact_list list;
	} v;
	char *reason;   /* why unknown / not applicable / error */
	char *evidence; /* what was read, where */
	fact_msg reason_msg, evidence_msg; /* the same, as message id and arguments */
	bool attested;  /* vouched for by a person, not observed by a probe */
	const char *attested_for; /* an organisational item: "host" or
				   * "organisation" (whose answer applied); NULL */
} fact;

/* The catalogue, sorted by name. */
const fact_def *catalog_find(const char *name);
size_t catalog_count(void);
const fact_def *catalog_at(size_t i);
const char *fact_type_name(fact_type t);
const char *fact_state_name(fact_state s);

/* A value for every catalogue entry, indexed like the catalogue. */
typedef struct fact_set fact_set;

fact_set *fact_set_new(void);
void fact_set_free(fact_set *fs);
const fact *fact_get(const fact_set *fs, const char *name);
const fact *fact_at(const fact_set *fs, size_t i);

/* Recording. The name must be in the catalogue with the matching type: a
 * mismatch is a programming error and aborts with a message. Recording a
 * fact twice replaces the earlier value. Evidence and reasons are printf
 * formats, and each format is a message id: xgettext collects them from
 * the probes (update-po) and the report shows them translated. Write the
 * words in the format and pass only names, paths and numbers as
 * arguments, so the translation can carry the whole sentence. */
void fact_set_bool(fact_set *fs, const char *name, bool v, const char *evidence, ...)
	HOSTAUDIT_PRINTF(4, 5);
void fact_set_int(fact_set *fs, const char *name, int64_t v, const char *evidence, ...)
	HOSTAUDIT_PRINTF(4, 5);
void fact_set_string(fact_set *fs, const char *name, const char *v, const char *evidence, ...)
	HOSTAUDIT_PRINTF(4, 5);
void fact_set_time(fact_set *fs, const char *name, int64_t epoch, const char *evidence, ...)
	HOSTAUDIT_PRINTF(4, 5);
/* Takes ownership of list->items (each item and the array). */
void fact_set_list(fact_set *fs, const char *name, fact_list *list, const char *evidence, ...)
	HOSTAUDIT_PRINTF(4, 5);
void fact_set_unknown(fact_set *fs, const char *name, const char *reason, ...)
	HOSTAUDIT_PRINTF(3, 4);
void fact_set_not_applicable(fact_set *fs, const char *name, const char *reason, ...)
	HOSTAUDIT_PRINTF(3, 4);
void fact_set_error(fact_set *fs, const char *name, const char *reason, ...)
	HOSTAUDIT_PRINTF(3, 4);
/* Marks a recorded fact as attested by a person. */
void fact_mark_attested(fact_set *fs, const char *name);
/* Marks whose answer applied to an organisational item (a static string). */
void fact_mark_attested_for(fact_set *fs, const char *name, const char *source);
/* Every fact of the catalogue whose name starts with prefix and that is
 * still unset gets this state and reason. Used when a whole probe cannot
 * run (e.g. "not a Debian-family system"). */
void fact_set_unset_prefix(fact_set *fs, const char *prefix, fact_state state,
			   const char *reason, ...) HOSTAUDIT_PRINTF(4, 5);

/* Growing string list used to build FACT_LIST values. */
void fact_list_push(fact_list *l, const char *item);
void fact_list_sort(fact_list *l);
void fact_list_free(fact_list *l);

#endif
