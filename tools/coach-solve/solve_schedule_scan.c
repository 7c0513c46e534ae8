/*
 * solve_schedule_scan.c: `coach-solve schedule`'s reading machinery: a
 * scanner that finds the spans of JSON values without building a tree,
 * decoding of one span (or one array element at a time) with jansson,
 * and the id -> index tables for coaches, teachers and cycles.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "solve_schedule.h"

int
sj_fail(struct input *in, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(in->err, sizeof(in->err), fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t
hash_str(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

size_t
sj_names_find(const struct names *t, const char *s)
{
	size_t	i;

	if (t->nslot == 0)
		return SIZE_MAX;
	for (i = hash_str(s) & (t->nslot - 1); t->slot[i];
	    i = (i + 1) & (t->nslot - 1))
		if (strcmp(t->name[t->slot[i] - 1], s) == 0)
			return t->slot[i] - 1;
	return SIZE_MAX;
}

/* Size the table for n names up front (arrays are counted first). */
int
sj_names_init(struct names *t, size_t n)
{
	t->nslot = 16;
	while (t->nslot < 2 * n + 2)
		t->nslot *= 2;
	t->slot = calloc(t->nslot, sizeof(*t->slot));
	t->name = calloc(n + 1, sizeof(*t->name));
	t->cap = n;
	return t->slot && t->name ? 0 : -1;
}

/* Add a name; SIZE_MAX if it is a duplicate or memory ran out. */
size_t
sj_names_add(struct names *t, const char *s)
{
	size_t	i;

	if (t->n >= t->cap || sj_names_find(t, s) != SIZE_MAX)
		return SIZE_MAX;
	if ((t->name[t->n] = strdup(s)) == NULL)
		return SIZE_MAX;
	for (i = hash_str(s) & (t->nslot - 1); t->slot[i];
	    i = (i + 1) & (t->nslot - 1))
		;
	t->slot[i] = t->n + 1;
	return t->n++;
}

void
sj_names_free(struct names *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		free(t->name[i]);
	free(t->name);
	free(t->slot);
}

size_t
sj_skip_ws(const char *b, size_t i, size_t len)
{
	while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' ||
	    b[i] == '\r'))
		i++;
	return i;
}

/*
 * End (exclusive) of the JSON value starting at i, by brackets and
 * strings only; jansson validates the content later.  0 if unbalanced.
 */
static size_t
skip_value(const char *b, size_t i, size_t len)
{
	size_t	depth = 0;
	int	instr = 0;

	for (; i < len; i++) {
		char c = b[i];

		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
			if (!instr && depth == 0)
				return i + 1;
			continue;
		}
		if (c == '"')
			instr = 1;
		else if (c == '[' || c == '{')
			depth++;
		else if (c == ']' || c == '}') {
			if (depth == 0)
				return i;	/* end of a scalar */
			if (--depth == 0)
				return i + 1;
		} else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' ||
		    c == '\t' || c == '\r' || c == ':'))
			return i;
	}
	return depth == 0 && !instr ? i : 0;
}

json_t *
sj_decode(struct input *in, struct span sp, const char *what)
{
	json_error_t	e;
	json_t		*j;

	j = json_loadb(in->buf + sp.start, sp.end - sp.start,
	    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &e);
	if (j == NULL)
		sj_fail(in, "%s (byte %zu): %s", what, sp.start + e.position,
		    e.text);
	return j;
}

/* Find the spans of the top-level fields. */
int
sj_scan_top(struct input *in, struct top *top)
{
	static const char	*keys[] = { "days", "periods", "coaches",
				    "teachers", "cycles", "published", "fixed",
				    "seed", "iterations" };
	struct span		*sp[] = { &top->days, &top->periods,
				    &top->coaches, &top->teachers,
				    &top->cycles, &top->published,
				    &top->fixed, &top->seed, &top->iterations };
	const char		*b = in->buf;
	size_t			 i, e, k;
	struct span		 ks;
	json_t			*key;

	memset(top, 0, sizeof(*top));
	i = sj_skip_ws(b, 0, in->len);
	if (i >= in->len || b[i] != '{')
		return sj_fail(in, "input is not a JSON object");
	i = sj_skip_ws(b, i + 1, in->len);
	while (i < in->len && b[i] != '}') {
		ks.start = i;
		ks.end = skip_value(b, i, in->len);
		if (b[i] != '"' || ks.end == 0)
			return sj_fail(in, "malformed JSON at byte %zu", i);
		if ((key = sj_decode(in, ks, "field name")) == NULL)
			return -1;
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(json_string_value(key), keys[k]) == 0)
				break;
		if (k == sizeof(keys) / sizeof(keys[0])) {
			sj_fail(in, "unknown field \"%s\" at byte %zu",
			    json_string_value(key), i);
			json_decref(key);
			return -1;
		}
		json_decref(key);
		if (sp[k]->end != 0)
			return sj_fail(in, "duplicate field \"%s\"", keys[k]);
		i = sj_skip_ws(b, ks.end, in->len);
		if (i >= in->len || b[i] != ':')
			return sj_fail(in, "malformed JSON at byte %zu", i);
		i = sj_skip_ws(b, i + 1, in->len);
		if ((e = skip_value(b, i, in->len)) == 0 || e == i)
			return sj_fail(in, "malformed JSON at byte %zu", i);
		sp[k]->start = i;
		sp[k]->end = e;
		i = sj_skip_ws(b, e, in->len);
		if (i < in->len && b[i] == ',')
			i = sj_skip_ws(b, i + 1, in->len);
		else if (i >= in->len || b[i] != '}')
			return sj_fail(in, "malformed JSON at byte %zu", i);
	}
	if (i >= in->len || sj_skip_ws(b, i + 1, in->len) != in->len)
		return sj_fail(in, "malformed JSON at byte %zu", i);
	return 0;
}

/*
 * Decode one element object: every member by jansson except the slot
 * lists, whose spans go to in->lists and whose members become null.
 */
static json_t *
decode_element(struct input *in, struct span sp, const char *what)
{
	const char	*b = in->buf;
	struct span	 ks, vs;
	json_t		*o, *k = NULL, *v;
	size_t		 i = sp.start;
	int		 j;

	in->nlists = 0;
	if (b[i] != '{')
		return sj_decode(in, sp, what);	/* a type error, later */
	if ((o = json_object()) == NULL) {
		sj_fail(in, "out of memory");
		return NULL;
	}
	i = sj_skip_ws(b, i + 1, sp.end);
	while (i < sp.end && b[i] != '}') {
		ks.start = i;
		ks.end = skip_value(b, i, sp.end);
		if (b[i] != '"' || ks.end == 0)
			goto bad;
		if ((k = sj_decode(in, ks, what)) == NULL)
			goto err;
		i = sj_skip_ws(b, ks.end, sp.end);
		if (i >= sp.end || b[i] != ':')
			goto bad;
		vs.start = sj_skip_ws(b, i + 1, sp.end);
		vs.end = skip_value(b, vs.start, sp.end);
		if (vs.end == 0 || vs.end == vs.start)
			goto bad;
		if (json_object_get(o, json_string_value(k)) != NULL) {
			sj_fail(in, "%s: duplicate field \"%s\"", what,
			    json_string_value(k));
			goto err;
		}
		for (j = 0; sj_list_keys[j] != NULL; j++)
			if (strcmp(sj_list_keys[j], json_string_value(k)) == 0)
				break;
		if (sj_list_keys[j] != NULL) {
			in->lists[in->nlists].key = sj_list_keys[j];
			in->lists[in->nlists].start = vs.start;
			in->lists[in->nlists].end = vs.end;
			in->nlists++;
			v = json_null();
		} else if ((v = sj_decode(in, vs, what)) == NULL)
			goto err;
		json_object_set_new(o, json_string_value(k), v);
		json_decref(k);
		k = NULL;
		i = sj_skip_ws(b, vs.end, sp.end);
		if (i < sp.end && b[i] == ',')
			i = sj_skip_ws(b, i + 1, sp.end);
		else if (i >= sp.end || b[i] != '}')
			goto bad;
	}
	if (i >= sp.end || sj_skip_ws(b, i + 1, sp.end) != sp.end)
		goto bad;
	return o;
bad:
	sj_fail(in, "%s: malformed JSON at byte %zu", what, i);
err:
	json_decref(k);
	json_decref(o);
	return NULL;
}

/*
 * Walk the elements of the array at sp, decoding one at a time.  With
 * fn NULL it only counts them.  Returns the count or -1.
 */
long
sj_each(struct input *in, struct span sp, const char *what,
    int (*fn)(struct input *, json_t *, size_t))
{
	const char	*b = in->buf;
	size_t		 i = sp.start, e, n = 0;
	struct span	 es;
	json_t		*j;
	char		 w[64];
	int		 rc;

	if (sp.end == 0)
		return 0;
	if (b[i] != '[')
		return sj_fail(in, "%s must be an array", what);
	i = sj_skip_ws(b, i + 1, sp.end);
	while (i < sp.end && b[i] != ']') {
		if ((e = skip_value(b, i, sp.end)) == 0 || e == i)
			return sj_fail(in,
			    "%s: malformed JSON at byte %zu", what,
			    i);
		if (fn != NULL) {
			es.start = i;
			es.end = e;
			snprintf(w, sizeof(w), "%s[%zu]", what, n);
			if ((j = decode_element(in, es, w)) == NULL)
				return -1;
			rc = fn(in, j, n);
			json_decref(j);
			if (rc == -1)
				return -1;
		}
		n++;
		i = sj_skip_ws(b, e, sp.end);
		if (i < sp.end && b[i] == ',')
			i = sj_skip_ws(b, i + 1, sp.end);
		else if (i >= sp.end || b[i] != ']')
			return sj_fail(in,
			    "%s: malformed JSON at byte %zu", what,
			    i);
	}
	return (long)n;
}
