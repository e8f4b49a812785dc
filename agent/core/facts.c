/* SPDX-License-Identifier: Apache-2.0 */
/* The fact set: one slot per catalogue entry. */
#include "hostaudit/facts.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct fact_set {
	fact *slots; /* catalog_count() entries */
};

fact_set *fact_set_new(void)
{
	fact_set *fs = xcalloc(1, sizeof *fs);
	size_t n = catalog_count();
	fs->slots = xcalloc(n, sizeof *fs->slots);
	for (size_t i = 0; i < n; i++)
		fs->slots[i].def = catalog_at(i);
	return fs;
}

static void fact_msg_free(fact_msg *m)
{
	for (size_t i = 0; i < m->count; i++) {
		free(m->args[i]);
		if (m->parts && m->parts[i]) {
			fact_msg_free(m->parts[i]);
			free(m->parts[i]);
		}
	}
	free(m->args);
	free(m->parts);
	free(m->id);
	memset(m, 0, sizeof *m);
}

static fact_msg *msg_copy(const fact_msg *m)
{
	fact_msg *c = xcalloc(1, sizeof *c);
	c->id = xstrdup(m->id);
	c->count = m->count;
	c->args = xcalloc(m->count ? m->count : 1, sizeof *c->args);
	c->parts = xcalloc(m->count ? m->count : 1, sizeof *c->parts);
	for (size_t i = 0; i < m->count; i++) {
		c->args[i] = xstrdup(m->args[i]);
		if (m->parts && m->parts[i])
			c->parts[i] = msg_copy(m->parts[i]);
	}
	return c;
}

/* The fact_texts alive now (a probe's locals), so that their text passed
 * to "%s" is recorded with its pieces. Probes run one after another. */
static fact_text *live_texts;

/* The texts composed in char buffers lately (fact_buf_*), by content:
 * the newest REMEMBERED_MAX, each with its message. */
#define REMEMBERED_MAX 256
static struct {
	char *text;
	fact_msg *msg;
} remembered[REMEMBERED_MAX];
static size_t remembered_next;

static void remember(const char *text, fact_msg *msg)
{
	size_t i = remembered_next++ % REMEMBERED_MAX;
	free(remembered[i].text);
	if (remembered[i].msg) {
		fact_msg_free(remembered[i].msg);
		free(remembered[i].msg);
	}
	remembered[i].text = xstrdup(text);
	remembered[i].msg = msg;
}

static const fact_msg *composed_msg(const char *s)
{
	if (!s || !*s)
		return NULL;
	for (const fact_text *t = live_texts; t; t = t->next_live)
		if (t->text == s)
			return &t->msg;
	for (size_t k = 1; k <= REMEMBERED_MAX && k <= remembered_next; k++) {
		size_t i = (remembered_next - k) % REMEMBERED_MAX;
		if (remembered[i].text && !strcmp(remembered[i].text, s))
			return remembered[i].msg;
	}
	return NULL;
}

/* "%s", "%s; %s", "%s; %s; %s"...: a composition of pieces joined by sep. */
static bool is_join(const char *id, const char *sep)
{
	size_t n = strlen(sep);
	if (strncmp(id, "%s", 2))
		return false;
	for (id += 2; *id; id += 2 + n)
		if (strncmp(id, sep, n) || strncmp(id + n, "%s", 2))
			return false;
	return true;
}

static void msg_push(fact_msg *m, char *text, fact_msg *part)
{
	m->args = xrealloc(m->args, (m->count + 1) * sizeof *m->args);
	m->parts = xrealloc(m->parts, (m->count + 1) * sizeof *m->parts);
	m->args[m->count] = text;
	m->parts[m->count++] = part;
}

/* Splits a printf call into its format and each argument printed alone
 * with its own conversion ("%5.1f", "%.*s"...), reading ap as vprintf
 * would. The formats come from the probes' own literals. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void msg_capture(fact_msg *m, const char *fmt, va_list ap)
{
	m->id = xstrdup(fmt);
	for (const char *p = fmt; (p = strchr(p, '%'));) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		char spec[64];
		size_t n = 0;
		spec[n++] = *p++;
		int star[2], stars = 0;
		while (*p && !strchr("diouxXcspfFeEgGaAn", *p) && n < sizeof spec - 8) {
			if (*p == '*') {
				if (stars < 2)
					star[stars++] = va_arg(ap, int);
				p++;
				continue;
			}
			spec[n++] = *p++;
		}
		if (!*p)
			break;
		char conv = *p++;
		spec[n++] = conv;
		spec[n] = '\0';
		char *text;
		fact_msg *part = NULL;
		bool longlong = strstr(spec, "ll") || strchr(spec, 'j');
		bool size = strchr(spec, 'z') || strchr(spec, 't');
		bool lng = !longlong && strchr(spec, 'l');
		/* Rebuild the spec with '*' replaced by the values read. */
		const char *use = spec;
		char rebuilt[96];
		if (stars) {
			size_t o = 0;
			int k = 0;
			rebuilt[o++] = '%';
			/* flags were kept in spec after '%'; width/precision from stars */
			const char *s = spec + 1;
			while (*s && strchr("#0- +'", *s))
				rebuilt[o++] = *s++;
			if (*s != '.' && k < stars)
				o += (size_t)snprintf(rebuilt + o, sizeof rebuilt - o, "%d", star[k++]);
			while (*s >= '0' && *s <= '9')
				rebuilt[o++] = *s++;
			if (*s == '.') {
				rebuilt[o++] = *s++;
				if (k < stars && !(*s >= '0' && *s <= '9'))
					o += (size_t)snprintf(rebuilt + o, sizeof rebuilt - o, "%d",
							      star[k++]);
			}
			snprintf(rebuilt + o, sizeof rebuilt - o, "%s", s);
			use = rebuilt;
		}
		switch (conv) {
		case 's': {
			const char *sv = va_arg(ap, const char *);
			const fact_msg *cm = composed_msg(sv);
			text = xasprintf(use, sv);
			/* Only a whole text: "%.40s" of one would cut a piece. */
			if (cm && !strcmp(use, "%s"))
				/* a text of one piece is that piece */
				part = msg_copy(cm->count == 1 && cm->parts[0] ? cm->parts[0] : cm);
			break;
		}
		case 'c': text = xasprintf(use, va_arg(ap, int)); break;
		case 'p': text = xasprintf(use, va_arg(ap, void *)); break;
		case 'n': (void)va_arg(ap, int *); text = xstrdup(""); break;
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
			text = xasprintf(use, va_arg(ap, double));
			break;
		default:
			if (longlong)
				text = xasprintf(use, va_arg(ap, long long));
			else if (size)
				text = xasprintf(use, va_arg(ap, size_t));
			else if (lng)
				text = xasprintf(use, va_arg(ap, long));
			else
				text = xasprintf(use, va_arg(ap, int));
		}
		msg_push(m, text, part);
	}
}

/* The text and its message, from one printf call. */
static char *record_msg(fact_msg *m, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	char *text = xvasprintf(fmt, ap);
	fact_msg_free(m);
	msg_capture(m, fmt, copy);
	va_end(copy);
	return text;
}

void fact_buf_vappend(char *buf, size_t size, const char *sep, const char *fmt, va_list ap)
{
	size_t used = strlen(buf);
	if (used && used + strlen(sep) + 1 >= size)
		return;
	fact_msg *piece = xcalloc(1, sizeof *piece);
	char *text = record_msg(piece, fmt, ap);
	char *joined = used ? xasprintf("%s%s%s", buf, sep, text) : xstrdup(text);
	fact_msg *m = piece;
	if (used) {
		/* the buffer so far: its pieces, or one piece as it stands */
		const fact_msg *old = composed_msg(buf);
		m = xcalloc(1, sizeof *m);
		if (old && is_join(old->id, sep)) {
			fact_msg *c = msg_copy(old);
			*m = *c;
			free(c);
		} else {
			m->id = xstrdup("%s");
			msg_push(m, xstrdup(buf), old ? msg_copy(old) : NULL);
		}
		char *id = xasprintf("%s%s%%s", m->id, sep);
		free(m->id);
		m->id = id;
		msg_push(m, xstrdup(text), piece);
	}
	free(text);
	if (strlen(joined) < size) {
		memcpy(buf, joined, strlen(joined) + 1);
		remember(joined, m);
	} else {
		snprintf(buf, size, "%s", joined);
		fact_msg_free(m);
		free(m);
	}
	free(joined);
}

void fact_buf_append(char *buf, size_t size, const char *sep, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fact_buf_vappend(buf, size, sep, fmt, ap);
	va_end(ap);
}

void fact_buf_set(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	if (!size)
		return;
	buf[0] = '\0';
	va_start(ap, fmt);
	fact_buf_vappend(buf, size, "", fmt, ap);
	va_end(ap);
}

void fact_text_add(fact_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fact_text_vadd(t, fmt, ap);
	va_end(ap);
}

void fact_text_vadd(fact_text *t, const char *fmt, va_list ap)
{
	if (!t->msg.id) {
		if (!t->sep)
			t->sep = "; ";
		t->msg.id = xstrdup("");
		t->next_live = live_texts;
		live_texts = t;
	}
	fact_msg *piece = xcalloc(1, sizeof *piece);
	char *text = record_msg(piece, fmt, ap);
	bool first = t->msg.count == 0;
	char *joined = xasprintf("%s%s%s", first ? "" : t->text, first ? "" : t->sep, text);
	free(t->text);
	t->text = joined;
	/* The composition itself: "%s; %s; %s", one "%s" per piece. */
	char *id = xasprintf("%s%s%%s", t->msg.id, first ? "" : t->sep);
	free(t->msg.id);
	t->msg.id = id;
	msg_push(&t->msg, text, piece);
}

#pragma GCC diagnostic pop

const char *fact_text_str(fact_text *t)
{
	if (!t->text)
		t->text = xstrdup("");
	return t->text;
}

bool fact_text_empty(const fact_text *t)
{
	return !t->text || !t->text[0];
}

void fact_text_free(fact_text *t)
{
	for (fact_text **p = &live_texts; *p; p = &(*p)->next_live)
		if (*p == t) {
			*p = t->next_live;
			break;
		}
	fact_msg_free(&t->msg);
	free(t->text);
	const char *sep = t->sep;
	memset(t, 0, sizeof *t);
	t->sep = sep;
}

static void fact_clear(fact *f)
{
	if (f->state == FACT_KNOWN) {
		if (f->def->type == FACT_STRING)
			free(f->v.s);
		else if (f->def->type == FACT_LIST)
			fact_list_free(&f->v.list);
	}
	free(f->reason);
	free(f->evidence);
	fact_msg_free(&f->reason_msg);
	fact_msg_free(&f->evidence_msg);
	const fact_def *def = f->def;
	memset(f, 0, sizeof *f);
	f->def = def;
}

void fact_set_free(fact_set *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < catalog_count(); i++)
		fact_clear(&fs->slots[i]);
	free(fs->slots);
	free(fs);
}

static fact *slot(const fact_set *fs, const char *name)
{
	const fact_def *d = catalog_find(name);
	if (!d)
		return NULL;
	return &fs->slots[d - catalog_at(0)];
}

const fact *fact_get(const fact_set *fs, const char *name)
{
	return slot(fs, name);
}

const fact *fact_at(const fact_set *fs, size_t i)
{
	return i < catalog_count() ? &fs->slots[i] : NULL;
}

/* Recording a fact the catalogue does not have, or with the wrong type, is
 * a bug in a probe: fail loudly in every build. */
static fact *slot_for_write(fact_set *fs, const char *name, int want_type)
{
	fact *f = slot(fs, name);
	if (!f) {
		fprintf(stderr, "hostaudit: internal error: fact '%s' is not in the catalogue\n",
			name);
		abort();
	}
	if (want_type >= 0 && f->def->type != (fact_type)want_type) {
		fprintf(stderr, "hostaudit: internal error: fact '%s' is a %s, recorded as a %s\n",
			name, fact_type_name(f->def->type), fact_type_name((fact_type)want_type));
		abort();
	}
	fact_clear(f);
	return f;
}

#define RECORD(fs, name, type, ev)                                  \
	fact *f = slot_for_write(fs, name, type);                   \
	va_list ap;                                                 \
	va_start(ap, ev);                                           \
	f->evidence = record_msg(&f->evidence_msg, ev, ap);         \
	va_end(ap);                                                 \
	f->state = FACT_KNOWN

void fact_set_bool(fact_set *fs, const char *name, bool v, const char *evidence, ...)
{
	RECORD(fs, name, FACT_BOOL, evidence);
	f->v.b = v;
}

void fact_set_int(fact_set *fs, const char *name, int64_t v, const char *evidence, ...)
{
	RECORD(fs, name, FACT_INT, evidence);
	f->v.i = v;
}

void fact_set_string(fact_set *fs, const char *name, const char *v, const char *evidence, ...)
{
	RECORD(fs, name, FACT_STRING, evidence);
	f->v.s = xstrdup(v);
}

void fact_set_time(fact_set *fs, const char *name, int64_t epoch, const char *evidence, ...)
{
	RECORD(fs, name, FACT_TIME, evidence);
	f->v.i = epoch;
}

void fact_set_list(fact_set *fs, const char *name, fact_list *list, const char *evidence, ...)
{
	RECORD(fs, name, FACT_LIST, evidence);
	f->v.list = *list;
	list->items = NULL;
	list->count = 0;
}

static void set_state(fact_set *fs, const char *name, fact_state st, const char *fmt,
		      va_list ap)
{
	fact *f = slot_for_write(fs, name, -1);
	f->state = st;
	f->reason = record_msg(&f->reason_msg, fmt, ap);
}

void fact_set_unknown(fact_set *fs, const char *name, const char *reason, ...)
{
	va_list ap;
	va_start(ap, reason);
	set_state(fs, name, FACT_UNKNOWN, reason, ap);
	va_end(ap);
}

void fact_set_not_applicable(fact_set *fs, const char *name, const char *reason, ...)
{
	va_list ap;
	va_start(ap, reason);
	set_state(fs, name, FACT_NOT_APPLICABLE, reason, ap);
	va_end(ap);
}

void fact_set_error(fact_set *fs, const char *name, const char *reason, ...)
{
	va_list ap;
	va_start(ap, reason);
	set_state(fs, name, FACT_ERROR, reason, ap);
	va_end(ap);
}

void fact_mark_attested(fact_set *fs, const char *name)
{
	fact *f = slot(fs, name);
	if (f)
		f->attested = true;
}

void fact_mark_attested_for(fact_set *fs, const char *name, const char *source)
{
	fact *f = slot(fs, name);
	if (f)
		f->attested_for = source;
}

void fact_set_unset_prefix(fact_set *fs, const char *prefix, fact_state state,
			   const char *reason, ...)
{
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < catalog_count(); i++) {
		fact *f = &fs->slots[i];
		if (f->state != FACT_UNSET || strncmp(f->def->name, prefix, plen) != 0)
			continue;
		va_list ap;
		va_start(ap, reason);
		f->state = state;
		f->reason = record_msg(&f->reason_msg, reason, ap);
		va_end(ap);
	}
}

void fact_list_push(fact_list *l, const char *item)
{
	l->items = xrealloc(l->items, (l->count + 1) * sizeof *l->items);
	l->items[l->count++] = xstrdup(item);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void fact_list_sort(fact_list *l)
{
	if (l->count > 1)
		qsort(l->items, l->count, sizeof *l->items, cmp_str);
}

void fact_list_free(fact_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

const char *fact_type_name(fact_type t)
{
	switch (t) {
	case FACT_BOOL: return "bool";
	case FACT_INT: return "int";
	case FACT_STRING: return "string";
	case FACT_TIME: return "time";
	case FACT_LIST: return "list";
	}
	return "?";
}

const char *fact_state_name(fact_state s)
{
	switch (s) {
	case FACT_UNSET: return "unknown";
	case FACT_KNOWN: return "known";
	case FACT_UNKNOWN: return "unknown";
	case FACT_NOT_APPLICABLE: return "not_applicable";
	case FACT_ERROR: return "error";
	}
	return "?";
}
