/*
 * taxonomy: a small INI-like reader and the inquiry-question topic list.
 *
 * We use our own reader instead of inih because the messages must carry
 * the file name and line of every problem (duplicate ids, missing keys),
 * and because the daemon re-reads these files on SIGHUP from text it
 * already holds; no file I/O happens here.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taxonomy.h"

#define LINE_MAX_LEN 4096

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Prefix err (already holding the message) with "name:line: ". */
static void
prefix_err(char *err, size_t errlen, const char *name, int line)
{
	char	 msg[512];

	if (err == NULL || errlen == 0)
		return;
	snprintf(msg, sizeof msg, "%s", err);
	snprintf(err, errlen, "%s:%d: %s", name, line, msg);
}

/* Read text line by line and hand sections and keys to cb. */
int
taxonomy_ini_parse(const char *text, const char *name, taxonomy_ini_cb cb,
    void *arg, char *err, size_t errlen)
{
	char		 buf[LINE_MAX_LEN], section[LINE_MAX_LEN];
	const char	*p = text, *nl;
	char		*s, *eq, *end;
	size_t		 len;
	int		 line = 0;

	section[0] = '\0';
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	while (p != NULL && *p != '\0') {
		line++;
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof buf) {
			snprintf(err, errlen, "line too long");
			goto fail;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p = nl != NULL ? nl + 1 : NULL;

		s = trim(buf);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			end = strchr(s, ']');
			if (end == NULL || end[1] != '\0') {
				snprintf(err, errlen,
				    "section header must end with ']'");
				goto fail;
			}
			*end = '\0';
			snprintf(section, sizeof section, "%s", trim(s + 1));
			if (cb(arg, section, NULL, NULL, line, err, errlen) != 0)
				goto fail;
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			snprintf(err, errlen, "expected 'key = value'");
			goto fail;
		}
		*eq = '\0';
		if (*trim(s) == '\0') {
			snprintf(err, errlen, "empty key");
			goto fail;
		}
		if (section[0] == '\0') {
			snprintf(err, errlen, "key '%s' outside any section",
			    trim(s));
			goto fail;
		}
		if (cb(arg, section, trim(s), trim(eq + 1), line, err,
		    errlen) != 0)
			goto fail;
	}
	return 0;
fail:
	prefix_err(err, errlen, name, line);
	return -1;
}

void
taxonomy_free_list(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Split a comma list into trimmed lower-case items with single spaces. */
int
taxonomy_split_list(const char *value, char ***out, size_t *nout)
{
	char		**v = NULL, **nv, *item;
	const char	 *p = value, *q;
	size_t		  n = 0, i, j;

	*out = NULL;
	*nout = 0;
	for (;;) {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		if ((item = malloc((size_t)(q - p) + 1)) == NULL)
			goto fail;
		/* Lower-case and collapse runs of blanks into one space. */
		for (i = 0, j = 0; p + i < q; i++) {
			unsigned char c = (unsigned char)p[i];
			if (isspace(c)) {
				if (j > 0 && item[j - 1] != ' ')
					item[j++] = ' ';
				continue;
			}
			item[j++] = (char)tolower(c);
		}
		while (j > 0 && item[j - 1] == ' ')
			j--;
		item[j] = '\0';
		if (j == 0)
			free(item);
		else {
			if ((nv = realloc(v, (n + 1) * sizeof *v)) == NULL) {
				free(item);
				goto fail;
			}
			v = nv;
			v[n++] = item;
		}
		if (*q == '\0')
			break;
		p = q + 1;
	}
	*out = v;
	*nout = n;
	return 0;
fail:
	taxonomy_free_list(v, n);
	return -1;
}

/* Identifiers end up in URLs, protobuf fields and CLI arguments. */
int
taxonomy_valid_id(const char *s)
{
	size_t	i;

	if (s == NULL || *s == '\0' || strlen(s) >= TAXONOMY_ID_MAX)
		return 0;
	if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))
		return 0;
	for (i = 1; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!islower(c) && !isdigit(c) && strchr("_.:-", c) == NULL)
			return 0;
	}
	return 1;
}

/* Parser state while reading topics.conf. */
struct topic_parse {
	struct taxonomy_topics	*t;
	struct taxonomy_topic	*cur;
	unsigned		 seen;	/* bit per key in the current section */
};

#define SEEN_NAME	0x1
#define SEEN_AREA	0x2
#define SEEN_KEYWORDS	0x4
#define SEEN_PRIORITY	0x8

static void
topic_free(struct taxonomy_topic *tp)
{
	free(tp->id);
	free(tp->name);
	free(tp->area);
	taxonomy_free_list(tp->keywords, tp->nkeywords);
	memset(tp, 0, sizeof *tp);
}

/* The section just finished: every required key must have been given. */
static int
topic_finish(struct topic_parse *tp, char *err, size_t errlen)
{
	struct taxonomy_topic	*cur = tp->cur;
	const char		*missing = NULL;

	if (cur == NULL)
		return 0;
	if (!(tp->seen & SEEN_NAME))
		missing = "name";
	else if (!(tp->seen & SEEN_AREA))
		missing = "area";
	else if (!(tp->seen & SEEN_KEYWORDS))
		missing = "keywords";
	if (missing != NULL) {
		snprintf(err, errlen, "topic '%s' (line %d) has no %s",
		    cur->id, cur->line, missing);
		return -1;
	}
	return 0;
}

static int
topic_section(struct topic_parse *tp, const char *section, int line,
    char *err, size_t errlen)
{
	struct taxonomy_topic	*nv;
	const char		*id;

	if (topic_finish(tp, err, errlen) != 0)
		return -1;
	if (strncmp(section, "topic", 5) != 0 ||
	    (section[5] != ' ' && section[5] != '\t')) {
		snprintf(err, errlen, "unknown section [%s], expected "
		    "[topic ID]", section);
		return -1;
	}
	id = section + 6;
	while (*id == ' ' || *id == '\t')
		id++;
	if (!taxonomy_valid_id(id)) {
		snprintf(err, errlen, "bad topic id '%s' (lower-case letters, "
		    "digits, '-', '_', '.', ':'; under %d characters)", id,
		    TAXONOMY_ID_MAX);
		return -1;
	}
	if (taxonomy_find_topic(tp->t, id) >= 0) {
		snprintf(err, errlen, "duplicate topic id '%s' (first at "
		    "line %d)", id,
		    tp->t->v[taxonomy_find_topic(tp->t, id)].line);
		return -1;
	}
	nv = realloc(tp->t->v, (tp->t->n + 1) * sizeof *nv);
	if (nv == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	tp->t->v = nv;
	tp->cur = &nv[tp->t->n++];
	memset(tp->cur, 0, sizeof *tp->cur);
	tp->cur->line = line;
	tp->seen = 0;
	if ((tp->cur->id = strdup(id)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
topic_key(struct topic_parse *tp, const char *key, const char *value,
    char *err, size_t errlen)
{
	struct taxonomy_topic	*cur = tp->cur;
	unsigned		 bit;
	char			*end;
	long			 l;

	if (strcmp(key, "name") == 0)
		bit = SEEN_NAME;
	else if (strcmp(key, "area") == 0)
		bit = SEEN_AREA;
	else if (strcmp(key, "keywords") == 0)
		bit = SEEN_KEYWORDS;
	else if (strcmp(key, "priority") == 0)
		bit = SEEN_PRIORITY;
	else {
		snprintf(err, errlen, "unknown key '%s' in topic '%s' "
		    "(expected name, area, keywords, priority)", key, cur->id);
		return -1;
	}
	if (tp->seen & bit) {
		snprintf(err, errlen, "duplicate key '%s' in topic '%s'", key,
		    cur->id);
		return -1;
	}
	tp->seen |= bit;
	if (*value == '\0') {
		snprintf(err, errlen, "empty %s in topic '%s'", key, cur->id);
		return -1;
	}
	switch (bit) {
	case SEEN_NAME:
		cur->name = strdup(value);
		break;
	case SEEN_AREA:
		if (!taxonomy_valid_id(value)) {
			snprintf(err, errlen, "bad area id '%s'", value);
			return -1;
		}
		cur->area = strdup(value);
		break;
	case SEEN_KEYWORDS:
		if (taxonomy_split_list(value, &cur->keywords,
		    &cur->nkeywords) != 0)
			break;
		if (cur->nkeywords == 0) {
			snprintf(err, errlen, "no keywords in topic '%s'",
			    cur->id);
			return -1;
		}
		return 0;
	default:
		errno = 0;
		l = strtol(value, &end, 10);
		if (errno != 0 || *end != '\0' || l < -10 || l > 10) {
			snprintf(err, errlen, "priority must be an integer "
			    "from -10 to 10, not '%s'", value);
			return -1;
		}
		cur->priority = (int)l;
		return 0;
	}
	if ((bit == SEEN_NAME && cur->name == NULL) ||
	    (bit == SEEN_AREA && cur->area == NULL) ||
	    (bit == SEEN_KEYWORDS && cur->keywords == NULL)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
topic_cb(void *arg, const char *section, const char *key, const char *value,
    int line, char *err, size_t errlen)
{
	struct topic_parse	*tp = arg;

	if (key == NULL)
		return topic_section(tp, section, line, err, errlen);
	return topic_key(tp, key, value, err, errlen);
}

void
taxonomy_topics_free(struct taxonomy_topics *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		topic_free(&t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* Parse conf/topics.conf text into out. */
int
taxonomy_parse_topics(const char *text, const char *name,
    struct taxonomy_topics *out, char *err, size_t errlen)
{
	struct topic_parse	tp;
	int			lines = 0;
	const char		*p;

	memset(out, 0, sizeof *out);
	memset(&tp, 0, sizeof tp);
	tp.t = out;
	if (taxonomy_ini_parse(text, name, topic_cb, &tp, err, errlen) != 0)
		goto fail;
	if (topic_finish(&tp, err, errlen) != 0) {
		/* The last line: a final newline does not start another. */
		for (p = text; *p != '\0'; p++)
			lines += *p == '\n' || p[1] == '\0';
		prefix_err(err, errlen, name, lines);
		goto fail;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "%s: no [topic ID] sections", name);
		goto fail;
	}
	return 0;
fail:
	taxonomy_topics_free(out);
	return -1;
}

int
taxonomy_find_topic(const struct taxonomy_topics *t, const char *id)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].id != NULL && strcmp(t->v[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Distinct areas in order of first appearance. */
size_t
taxonomy_areas(const struct taxonomy_topics *t, const char **out, size_t max)
{
	size_t	i, j, n = 0;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(t->v[j].area, t->v[i].area) == 0)
				break;
		if (j < i)
			continue;
		if (n < max)
			out[n] = t->v[i].area;
		n++;
	}
	return n;
}
