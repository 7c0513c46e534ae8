/*
 * roster_util.c: helpers of the roster parsers (rs_*): id hash maps, string
 * lists, column lookup by header name, value checks and the
 * "file:line: column: reason" error format.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "roster.h"
#include "roster_int.h"
#include "xmalloc.h"

/* FNV-1a, enough for ids. */
static uint64_t
rs_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Look key up; returns 1 and *val when present. */
int
rs_map_get(const struct rs_map *m, const char *key, size_t *val)
{
	size_t	i;

	if (m->cap == 0)
		return 0;
	for (i = rs_hash(key) & (m->cap - 1); m->key[i] != NULL;
	    i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->key[i], key) == 0) {
			if (val != NULL)
				*val = m->val[i];
			return 1;
		}
	}
	return 0;
}

/* Insert or overwrite. */
void
rs_map_put(struct rs_map *m, const char *key, size_t val)
{
	struct rs_map	nm;
	size_t		i;

	if ((m->n + 1) * 2 > m->cap) {
		nm.cap = m->cap ? m->cap * 2 : 64;
		nm.n = 0;
		nm.key = xcalloc(nm.cap, sizeof *nm.key);
		nm.val = xcalloc(nm.cap, sizeof *nm.val);
		for (i = 0; i < m->cap; i++)
			if (m->key[i] != NULL)
				rs_map_put(&nm, m->key[i], m->val[i]);
		free(m->key);
		free(m->val);
		*m = nm;
	}
	for (i = rs_hash(key) & (m->cap - 1); m->key[i] != NULL;
	    i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->key[i], key) == 0) {
			m->val[i] = val;
			return;
		}
	}
	m->key[i] = key;
	m->val[i] = val;
	m->n++;
}

void
rs_map_free(struct rs_map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

/*
 * Arrays grow through capacities 4, 8, 16, ... without storing the
 * capacity: an array of n elements is full exactly when n is 0 or a power
 * of two of at least 4.
 */
static int
rs_need_grow(size_t n)
{
	return n == 0 || (n >= 4 && (n & (n - 1)) == 0);
}

static size_t
rs_next_cap(size_t n)
{
	return n == 0 ? 4 : n * 2;
}

/* Append a copy of s to v. */
void
rs_strv_add(struct roster_strv *v, const char *s)
{
	rs_grow(&v->v, v->n, sizeof *v->v);
	v->v[v->n++] = xstrdup(s);
}

int
rs_strv_has(const struct roster_strv *v, const char *s)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return 1;
	return 0;
}

/* Append s unless already present (lists of subjects, grades...). */
void
rs_strv_addu(struct roster_strv *v, const char *s)
{
	if (!rs_strv_has(v, s))
		rs_strv_add(v, s);
}

void
rs_strv_free(struct roster_strv *v)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/* Grow an array of elements of size sz to hold n + 1, the new one zeroed. */
void
rs_grow(void *arrp, size_t n, size_t sz)
{
	void	**p = arrp;

	if (rs_need_grow(n))
		*p = xreallocarray(*p, rs_next_cap(n), sz);
	memset((char *)*p + n * sz, 0, sz);
}

/* "file:line: reason". */
void
rs_err(struct rs_file *f, size_t line, const char *fmt, ...)
{
	char	msg[320];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (f->errlen > 0)
		snprintf(f->err, f->errlen, "%s:%zu: %s", f->t.file, line, msg);
}

/* Parse text and map the spec's columns; missing required ones fail. */
int
rs_open(struct rs_file *f, const struct rs_col *spec, const char *text,
    size_t len, const char *filename, char *err, size_t errlen)
{
	return rs_open_part(f, spec, NULL, text, len, filename, err, errlen);
}

/* rs_open of the part of a big file roster_dir.c is reading (p: NULL). */
int
rs_open_part(struct rs_file *f, const struct rs_col *spec,
    const struct roster_priv *p, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	size_t	i;

	memset(f, 0, sizeof *f);
	f->spec = spec;
	f->err = err;
	f->errlen = errlen;
	if (csv_parse_part(text, len, p != NULL ? p->part_hdr : 0,
	    p != NULL ? p->part_line : 0, filename, &f->t, err, errlen) == -1)
		return -1;
	for (i = 0; spec[i].name != NULL; i++) {
		f->idx[i] = csv_col(&f->t, spec[i].name);
		if (f->idx[i] == -1 && spec[i].required) {
			rs_err(f, 1, "missing required column '%s'",
			    spec[i].name);
			csv_free(&f->t);
			return -1;
		}
	}
	return 0;
}

/* Value of spec column c in row r; "" when the file lacks the column. */
const char *
rs_val(const struct rs_file *f, size_t r, int c)
{
	if (f->idx[c] == -1)
		return "";
	return f->t.rows[r].field[f->idx[c]];
}

/* Check every required column of row r has a value. */
int
rs_required(struct rs_file *f, size_t r)
{
	size_t	c;

	for (c = 0; f->spec[c].name != NULL; c++) {
		if (f->spec[c].required && rs_val(f, r, (int)c)[0] == '\0') {
			rs_err(f, f->t.rows[r].line, "%s: required value is "
			    "empty", f->spec[c].name);
			return -1;
		}
	}
	return 0;
}

/* Case-insensitive membership in a NULL-terminated list of words. */
int
rs_oneof(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcasecmp(s, *words) == 0)
			return 1;
	return 0;
}

/* A boolean column: 1, 0, or -1 when the text is not a boolean. */
int
rs_bool(const char *s, int dflt)
{
	static const char *const yes[] = { "true", "yes", "1", NULL };
	static const char *const no[] = { "false", "no", "0", NULL };

	if (s[0] == '\0')
		return dflt;
	if (rs_oneof(s, yes))
		return 1;
	if (rs_oneof(s, no))
		return 0;
	return -1;
}

/* A token: 1..ROSTER_TOKEN_MAX of letters, digits, '-', '_', '.'. */
int
rs_token(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '-' &&
		    s[n] != '_' && s[n] != '.')
			return 0;
	return n > 0 && n <= ROSTER_TOKEN_MAX;
}

/* Split s on sep into v, trimming blanks and dropping empty items. */
void
rs_split(const char *s, char sep, struct roster_strv *v)
{
	char	*item;
	size_t	 a, b;

	while (*s != '\0') {
		for (a = 0; s[a] != '\0' && s[a] != sep; a++)
			;
		b = a;
		while (*s == ' ' || *s == '\t') {
			s++;
			a--;
			b--;
		}
		while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		if (b > 0) {
			item = xstrndup(s, b);
			rs_strv_add(v, item);
			free(item);
		}
		s += a;
		if (*s == sep)
			s++;
	}
}

/* The row's status column: skip rows marked tobedeleted. */
int
rs_status(struct rs_file *f, size_t r, int c, int *deleted)
{
	static const char *const ok[] = { "", "active", "tobedeleted",
	    "inactive", NULL };
	const char	*s = rs_val(f, r, c);

	if (!rs_oneof(s, ok)) {
		rs_err(f, f->t.rows[r].line, "status: bad value '%s' (want "
		    "active or tobedeleted)", s);
		return -1;
	}
	*deleted = strcasecmp(s, "tobedeleted") == 0;
	return 0;
}

/* Check each grade code of a list against OneRoster's vocabulary. */
int
rs_grades(struct rs_file *f, size_t r, const char *col,
    const struct roster_strv *v)
{
	static const char *const codes[] = { "IT", "PR", "PK", "TK", "KG",
	    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
	    "12", "13", "PS", "UG", "Other", NULL };
	size_t	i;

	for (i = 0; i < v->n; i++) {
		if (!rs_oneof(v->v[i], codes)) {
			rs_err(f, f->t.rows[r].line, "%s: bad grade '%s'", col,
			    v->v[i]);
			return -1;
		}
	}
	return 0;
}

/* Normalise a day name into out: "*", "A".."H" or "mon".."fri". */
int
rs_day(const char *s, char *out, size_t outlen)
{
	static const char *const wd[] = { "mon", "tue", "wed", "thu", "fri",
	    NULL };
	static const char *const full[] = { "monday", "tuesday", "wednesday",
	    "thursday", "friday", NULL };
	size_t	i;

	if (strcmp(s, "*") == 0) {
		snprintf(out, outlen, "*");
		return 0;
	}
	if (s[0] != '\0' && s[1] == '\0' &&
	    toupper((unsigned char)s[0]) >= 'A' &&
	    toupper((unsigned char)s[0]) <= 'H') {
		snprintf(out, outlen, "%c", toupper((unsigned char)s[0]));
		return 0;
	}
	for (i = 0; wd[i] != NULL; i++) {
		if (strcasecmp(s, wd[i]) == 0 || strcasecmp(s, full[i]) == 0) {
			snprintf(out, outlen, "%s", wd[i]);
			return 0;
		}
	}
	return -1;
}

/* "HH:MM" or "H:MM" (24 h) into minutes after midnight, or -1. */
int
rs_time(const char *s)
{
	int	h = 0, m, nd = 0;

	while (isdigit((unsigned char)*s) && nd < 2) {
		h = h * 10 + (*s - '0');
		s++;
		nd++;
	}
	if (nd == 0 || s[0] != ':' || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]) || s[3] != '\0')
		return -1;
	m = (s[1] - '0') * 10 + (s[2] - '0');
	if (h > 23 || m > 59)
		return -1;
	return h * 60 + m;
}

/* A date "YYYY-MM-DD" (shape only; the calendar checks real dates). */
int
rs_date(const char *s)
{
	static const char	shape[] = "dddd-dd-dd";
	size_t			i;

	if (strlen(s) != sizeof shape - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != '-')
			return 0;
	return 1;
}

/* Keep a composite key alive for a map; returns it. */
const char *
rs_key(struct roster_priv *p, const char *a, const char *b, const char *c)
{
	char	buf[2 * ROSTER_TOKEN_MAX + 512];

	snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s", a, b, c);
	rs_strv_add(&p->owned, buf);
	return p->owned.v[p->owned.n - 1];
}

/* Whether id may be recorded in m: not too long, not there yet. */
static int
rs_id_fresh(struct rs_file *f, size_t r, struct rs_map *m, const char *id)
{
	if (strlen(id) > ROSTER_ID_MAX) {
		rs_err(f, f->t.rows[r].line, "sourcedId: longer than %d bytes",
		    ROSTER_ID_MAX);
		return 0;
	}
	if (rs_map_get(m, id, NULL)) {
		rs_err(f, f->t.rows[r].line, "sourcedId: duplicate '%s'", id);
		return 0;
	}
	return 1;
}

/* The fingerprint of an id: FNV-1a, mixed so every bit counts; never 0. */
static uint64_t
rs_fp(const char *id)
{
	uint64_t	h = rs_hash(id);

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h != 0 ? h : 1;
}

/* Whether s has id's fingerprint. */
int
rs_fp_has(const struct rs_fpset *s, const char *id)
{
	uint64_t	h = rs_fp(id);
	size_t		i;

	if (s->cap == 0)
		return 0;
	for (i = h & (s->cap - 1); s->v[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == h)
			return 1;
	return 0;
}

/* Add fingerprint h (not in s yet); -1 on allocation failure. */
static int
rs_fp_put(struct rs_fpset *s, uint64_t h)
{
	uint64_t	*nv, *old = s->v;
	size_t		 i, ncap, ocap = s->cap;

	if ((s->n + 1) * 2 > s->cap) {
		ncap = s->cap ? s->cap * 2 : 1024;
		if ((nv = calloc(ncap, sizeof *nv)) == NULL)
			return -1;
		s->v = nv;
		s->cap = ncap;
		s->n = 0;
		for (i = 0; i < ocap; i++)
			if (old[i] != 0)
				(void)rs_fp_put(s, old[i]);
		free(old);
	}
	for (i = h & (s->cap - 1); s->v[i] != 0; i = (i + 1) & (s->cap - 1))
		;
	s->v[i] = h;
	s->n++;
	return 0;
}

void
rs_fp_free(struct rs_fpset *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

/*
 * Record id's fingerprint in s, refusing an id already there or in m.
 * Two different ids with one fingerprint (odds about n^2 / 2^65) would
 * read as a duplicate: refused loudly, never merged silently.
 */
int
rs_new_fp_id(struct rs_file *f, size_t r, struct rs_fpset *s,
    const struct rs_map *m, const char *id)
{
	if (strlen(id) > ROSTER_ID_MAX) {
		rs_err(f, f->t.rows[r].line, "sourcedId: longer than %d bytes",
		    ROSTER_ID_MAX);
		return -1;
	}
	if ((m != NULL && rs_map_get(m, id, NULL)) || rs_fp_has(s, id)) {
		rs_err(f, f->t.rows[r].line, "sourcedId: duplicate '%s'", id);
		return -1;
	}
	if (rs_fp_put(s, rs_fp(id)) == -1) {
		rs_err(f, f->t.rows[r].line, "out of memory");
		return -1;
	}
	return 0;
}

/* Record id in map m, refusing duplicates within and across files. */
int
rs_new_id(struct rs_file *f, size_t r, struct rs_map *m, const char *id,
    size_t val)
{
	if (!rs_id_fresh(f, r, m, id))
		return -1;
	rs_map_put(m, id, val);
	return 0;
}

/* Like rs_new_id() for ids the roster keeps no struct for (students...). */
int
rs_new_owned_id(struct rs_file *f, size_t r, struct roster_priv *p,
    struct rs_map *m, const char *id, size_t val)
{
	if (!rs_id_fresh(f, r, m, id))
		return -1;
	rs_strv_add(&p->owned, id);
	rs_map_put(m, p->owned.v[p->owned.n - 1], val);
	return 0;
}

/* Finish a parser: free the table and pass the status through. */
int
rs_close(struct rs_file *f, int rc)
{
	csv_free(&f->t);
	return rc;
}

/* Index of a school by id, or -1 (district and other orgs are not). */
long
rs_school(const struct roster *r, const char *id)
{
	size_t	v;

	if (!rs_map_get(&r->priv->orgs, id, &v) || v == RS_NONSCHOOL)
		return -1;
	return (long)v;
}

/*
 * Composite keys fit the buffers below because every id in them was
 * checked against ROSTER_ID_MAX (sourcedIds) or ROSTER_TOKEN_MAX.
 *
 * Does school have a bell schedule, and does it list period on any day?
 * Bell rows index "school\x1f\x1f" and "school\x1f\x1fperiod" beside their
 * full key so that these checks stay O(1) at district scale.
 */
int
rs_bell_has(struct roster *r, const char *school, const char *period,
    int *any)
{
	char	buf[2 * ROSTER_TOKEN_MAX + 512];

	snprintf(buf, sizeof buf, "%s\x1f\x1f", school);
	*any = rs_map_get(&r->priv->keys, buf, NULL);
	snprintf(buf, sizeof buf, "%s\x1f\x1f%s", school, period);
	return rs_map_get(&r->priv->keys, buf, NULL);
}

/* Is key a\x1fb\x1fc in the keys map? */
int
rs_key_exists(struct roster_priv *p, const char *a, const char *b,
    const char *c)
{
	char	buf[2 * ROSTER_TOKEN_MAX + 512];

	snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s", a, b, c);
	return rs_map_get(&p->keys, buf, NULL);
}

/* Add key a\x1fb\x1fc to the keys map unless present. */
void
rs_key_put(struct roster_priv *p, const char *a, const char *b,
    const char *c)
{
	char		 buf[2 * ROSTER_TOKEN_MAX + 512];
	const char	*k;

	snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s", a, b, c);
	if (rs_map_get(&p->keys, buf, NULL))
		return;
	k = rs_key(p, a, b, c);
	rs_map_put(&p->keys, k, 0);
}

/* The teacher's index, or -1 when id is not a teacher. */
long
rs_teacher(const struct roster *r, const char *id)
{
	size_t	v;

	if (!rs_map_get(&r->priv->users, id, &v) || v == RS_STUDENT ||
	    v == RS_OTHER)
		return -1;
	return (long)v;
}
