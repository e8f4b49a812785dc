/* SPDX-License-Identifier: Apache-2.0 */
/* The shared HTML writer (include/hostaudit/html.h): hostile text and
 * attribute values come out inert, invalid UTF-8 and control characters
 * become U+FFFD, valid Japanese passes unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "hostaudit/html.h"

static char *capture(void (*write)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	write(f, arg);
	fclose(f);
	return buf;
}

static void w_text(FILE *f, const void *s) { html_text(f, s); }

static void text_is_escaped(void **state)
{
	(void)state;
	char *s = capture(w_text, "<script>alert('x')</script> & \"q\"");
	assert_string_equal(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	free(s);
	s = capture(w_text, "パスワード\tok\n");
	assert_string_equal(s, "パスワード\tok\n");
	free(s);
	/* a lone continuation byte, an overlong '/', a surrogate, ESC, DEL */
	s = capture(w_text, "a\x80" "b\xC0\xAF" "c\xED\xA0\x80" "d\x1B" "e\x7F");
	assert_string_equal(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD"
			       "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e\xEF\xBF\xBD");
	free(s);
	s = capture(w_text, NULL);
	assert_string_equal(s, "");
	free(s);
}

static void w_elems(FILE *f, const void *arg)
{
	(void)arg;
	html_open(f, "a", "href", "/ui/hosts/x\"><script>", "class", NULL, NULL);
	html_textf(f, "%d<%s", 3, "b");
	html_close(f, "a");
	html_elem(f, "td", "1 & 2", "class", "n", NULL);
	html_lit(f, "<br>");
}

static void attributes_are_escaped(void **state)
{
	(void)state;
	char *s = capture(w_elems, NULL);
	assert_string_equal(s, "<a href=\"/ui/hosts/x&quot;&gt;&lt;script&gt;\">3&lt;b</a>"
			       "<td class=\"n\">1 &amp; 2</td><br>");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_is_escaped),
		cmocka_unit_test(attributes_are_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
