/*
 * roster.c: OneRoster 1.1 CSV and coachd's own roster CSVs into a struct
 * roster (see roster.h and docs/roster.md).
 *
 * Every parser works on text already in memory and reports the first bad
 * row as "file:line: column: reason"; only roster_load_dir() at the bottom
 * reads files.  Rows are checked against what earlier files defined, so
 * ids are indexed in small hash maps as they arrive.
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

/* Map values for users that are not teachers (ids are kept only here). */
#define RS_STUDENT	((size_t)-1)
#define RS_OTHER	((size_t)-2)
#define RS_NONSCHOOL	((size_t)-3)

/* String -> index hash map; keys are borrowed from the roster's arrays. */
struct rs_map {
	const char	**key;
	size_t		 *val;
	size_t		  cap;
	size_t		  n;
};

struct roster_priv {
	struct rs_map		orgs, sessions, courses, users, classes;
	struct rs_map		coaches, enrollments, keys;
	struct roster_strv	owned;		/* keys owned by the maps */
	int			have_sessions, have_courses;
	char			*bell_file;
	char			*tt_file;
	unsigned char		*tt_teacher;	/* teacher listed in timetable */
};

/* Column of a file: name and whether it is required (non-empty). */
struct rs_col {
	const char	*name;
	int		 required;
};

/* One file being parsed. */
struct rs_file {
	struct csv_table	 t;
	const struct rs_col	*spec;
	int			 idx[16];
	char			*err;
	size_t			 errlen;
};

static void	rs_err(struct rs_file *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

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
static int
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

/* Insert or overwrite; returns -1 on allocation failure. */
static int
rs_map_put(struct rs_map *m, const char *key, size_t val)
{
	struct rs_map	nm;
	size_t		i;

	if ((m->n + 1) * 2 > m->cap) {
		nm.cap = m->cap ? m->cap * 2 : 64;
		nm.n = 0;
		nm.key = calloc(nm.cap, sizeof *nm.key);
		nm.val = calloc(nm.cap, sizeof *nm.val);
		if (nm.key == NULL || nm.val == NULL) {
			free(nm.key);
			free(nm.val);
			return -1;
		}
		for (i = 0; i < m->cap; i++)
			if (m->key[i] != NULL)
				(void)rs_map_put(&nm, m->key[i], m->val[i]);
		free(m->key);
		free(m->val);
		*m = nm;
	}
	for (i = rs_hash(key) & (m->cap - 1); m->key[i] != NULL;
	    i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->key[i], key) == 0) {
			m->val[i] = val;
			return 0;
		}
	}
	m->key[i] = key;
	m->val[i] = val;
	m->n++;
	return 0;
}

static void
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

/* Append a copy of s to v; -1 on allocation failure. */
static int
rs_strv_add(struct roster_strv *v, const char *s)
{
	char	**nv, *c;

	if ((c = strdup(s)) == NULL)
		return -1;
	if (rs_need_grow(v->n)) {
		if ((nv = realloc(v->v, rs_next_cap(v->n) * sizeof *nv)) ==
		    NULL) {
			free(c);
			return -1;
		}
		v->v = nv;
	}
	v->v[v->n++] = c;
	return 0;
}

static int
rs_strv_has(const struct roster_strv *v, const char *s)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return 1;
	return 0;
}

/* Append s unless already present (lists of subjects, grades...). */
static int
rs_strv_addu(struct roster_strv *v, const char *s)
{
	if (rs_strv_has(v, s))
		return 0;
	return rs_strv_add(v, s);
}

static void
rs_strv_free(struct roster_strv *v)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/* Grow an array of elements of size sz to hold n + 1; -1 on failure. */
static int
rs_grow(void *arrp, size_t n, size_t sz)
{
	void	**p = arrp, *np;

	if (rs_need_grow(n)) {
		if ((np = realloc(*p, rs_next_cap(n) * sz)) == NULL)
			return -1;
		*p = np;
	}
	np = *p;
	memset((char *)np + n * sz, 0, sz);
	return 0;
}

/* "file:line: reason". */
static void
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
static int
rs_open(struct rs_file *f, const struct rs_col *spec, const char *text,
    size_t len, const char *filename, char *err, size_t errlen)
{
	size_t	i;

	memset(f, 0, sizeof *f);
	f->spec = spec;
	f->err = err;
	f->errlen = errlen;
	if (csv_parse(text, len, filename, &f->t, err, errlen) == -1)
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
static const char *
rs_val(const struct rs_file *f, size_t r, int c)
{
	if (f->idx[c] == -1)
		return "";
	return f->t.rows[r].field[f->idx[c]];
}

/* Check every required column of row r has a value. */
static int
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
static int
rs_oneof(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcasecmp(s, *words) == 0)
			return 1;
	return 0;
}

/* A boolean column: 1, 0, or -1 when the text is not a boolean. */
static int
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
static int
rs_token(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '-' &&
		    s[n] != '_' && s[n] != '.')
			return 0;
	return n > 0 && n <= ROSTER_TOKEN_MAX;
}

/*
 * Split s on sep into v, trimming blanks and dropping empty items.
 * Returns 0, -1 on allocation failure.
 */
static int
rs_split(const char *s, char sep, struct roster_strv *v)
{
	char	 buf[256];
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
			if (b >= sizeof buf)
				b = sizeof buf - 1;
			memcpy(buf, s, b);
			buf[b] = '\0';
			if (rs_strv_add(v, buf) == -1)
				return -1;
		}
		s += a;
		if (*s == sep)
			s++;
	}
	return 0;
}

/* The row's status column: skip rows marked tobedeleted. */
static int
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
static int
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
static int
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
static int
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
static int
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

/* strdup that records failure in *bad instead of returning NULL checks. */
static char *
rs_dup(const char *s, int *bad)
{
	char	*c;

	if ((c = strdup(s)) == NULL)
		*bad = 1;
	return c;
}

/* Keep a composite key alive for a map; returns it or NULL. */
static const char *
rs_key(struct roster_priv *p, const char *a, const char *b, const char *c)
{
	char	buf[2 * ROSTER_TOKEN_MAX + 512];

	snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s", a, b, c);
	if (rs_strv_add(&p->owned, buf) == -1)
		return NULL;
	return p->owned.v[p->owned.n - 1];
}

/* Initialise an empty roster. */
int
roster_init(struct roster *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	if ((r->priv = calloc(1, sizeof *r->priv)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void
rs_slot_free(struct roster_slot *s)
{
	free(s->teacher_id);
	free(s->day);
	free(s->period);
	free(s->class_id);
	free(s->subject);
	free(s->room);
}

/* Free everything the roster owns. */
void
roster_free(struct roster *r)
{
	size_t	i, j;

	if (r == NULL)
		return;
	free(r->district_id);
	free(r->district_name);
	for (i = 0; i < r->nschools; i++) {
		free(r->schools[i].id);
		free(r->schools[i].name);
		free(r->schools[i].identifier);
		free(r->schools[i].parent_id);
	}
	free(r->schools);
	for (i = 0; i < r->nteachers; i++) {
		struct roster_teacher *t = &r->teachers[i];

		free(t->id);
		free(t->given_name);
		free(t->family_name);
		free(t->email);
		free(t->username);
		rs_strv_free(&t->schools);
		rs_strv_free(&t->grades);
		rs_strv_free(&t->subjects);
	}
	free(r->teachers);
	for (i = 0; i < r->nclasses; i++) {
		struct roster_class *c = &r->classes[i];

		free(c->id);
		free(c->title);
		free(c->course_id);
		free(c->class_code);
		free(c->class_type);
		free(c->room);
		free(c->school_id);
		free(c->teacher_id);
		rs_strv_free(&c->terms);
		rs_strv_free(&c->subjects);
		rs_strv_free(&c->grades);
		rs_strv_free(&c->periods);
		rs_strv_free(&c->teacher_ids);
	}
	free(r->classes);
	for (i = 0; i < r->ncourses; i++) {
		free(r->courses[i].id);
		free(r->courses[i].title);
		free(r->courses[i].code);
		free(r->courses[i].org_id);
		rs_strv_free(&r->courses[i].subjects);
		rs_strv_free(&r->courses[i].grades);
	}
	free(r->courses);
	for (i = 0; i < r->nsessions; i++) {
		free(r->sessions[i].id);
		free(r->sessions[i].title);
		free(r->sessions[i].type);
		free(r->sessions[i].start_date);
		free(r->sessions[i].end_date);
		free(r->sessions[i].parent_id);
	}
	free(r->sessions);
	for (i = 0; i < r->ncoaches; i++) {
		struct roster_coach *c = &r->coaches[i];

		free(c->id);
		free(c->name);
		free(c->email);
		rs_strv_free(&c->schools);
		rs_strv_free(&c->interests);
		for (j = 0; j < c->nexpertise; j++)
			free(c->expertise[j].area);
		free(c->expertise);
	}
	free(r->coaches);
	for (i = 0; i < r->nbells; i++) {
		free(r->bells[i].school_id);
		free(r->bells[i].day_type);
		free(r->bells[i].period);
	}
	free(r->bells);
	for (i = 0; i < r->nslots; i++)
		rs_slot_free(&r->slots[i]);
	free(r->slots);
	for (i = 0; i < r->nquestions; i++) {
		free(r->questions[i].teacher_id);
		free(r->questions[i].text);
		free(r->questions[i].topic);
	}
	free(r->questions);
	if (r->priv != NULL) {
		struct roster_priv *p = r->priv;

		rs_map_free(&p->orgs);
		rs_map_free(&p->sessions);
		rs_map_free(&p->courses);
		rs_map_free(&p->users);
		rs_map_free(&p->classes);
		rs_map_free(&p->coaches);
		rs_map_free(&p->enrollments);
		rs_map_free(&p->keys);
		rs_strv_free(&p->owned);
		free(p->bell_file);
		free(p->tt_file);
		free(p->tt_teacher);
		free(p);
	}
	memset(r, 0, sizeof *r);
}

/* Record id in map m, refusing duplicates within and across files. */
static int
rs_new_id(struct rs_file *f, size_t r, struct rs_map *m, const char *id,
    size_t val)
{
	if (rs_map_get(m, id, NULL)) {
		rs_err(f, f->t.rows[r].line, "sourcedId: duplicate '%s'", id);
		return -1;
	}
	if (rs_map_put(m, id, val) == -1) {
		rs_err(f, f->t.rows[r].line, "out of memory");
		return -1;
	}
	return 0;
}

/* Like rs_new_id() for ids the roster keeps no struct for (students...). */
static int
rs_new_owned_id(struct rs_file *f, size_t r, struct roster_priv *p,
    struct rs_map *m, const char *id, size_t val)
{
	if (rs_map_get(m, id, NULL)) {
		rs_err(f, f->t.rows[r].line, "sourcedId: duplicate '%s'", id);
		return -1;
	}
	if (rs_strv_add(&p->owned, id) == -1 ||
	    rs_map_put(m, p->owned.v[p->owned.n - 1], val) == -1) {
		rs_err(f, f->t.rows[r].line, "out of memory");
		return -1;
	}
	return 0;
}

/* Finish a parser: free the table and pass the status through. */
static int
rs_close(struct rs_file *f, int rc)
{
	csv_free(&f->t);
	return rc;
}

enum { O_ID, O_STATUS, O_NAME, O_TYPE, O_IDENT, O_PARENT };
static const struct rs_col orgs_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "name", 1 }, { "type", 1 },
	{ "identifier", 0 }, { "parentSourcedId", 0 }, { NULL, 0 }
};

/* orgs.csv: schools, plus the district's name. */
int
roster_parse_orgs(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	static const char *const types[] = { "department", "school",
	    "district", "local", "state", "national", NULL };
	struct roster_priv	*p = r->priv;
	struct roster_school	*s;
	struct rs_file		 f;
	const char		*type;
	size_t			 i;
	int			 del, bad = 0;

	if (rs_open(&f, orgs_spec, text, len, filename, err, errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, O_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		type = rs_val(&f, i, O_TYPE);
		if (!rs_oneof(type, types)) {
			rs_err(&f, f.t.rows[i].line, "type: bad value '%s' "
			    "(want school, district, ...)", type);
			return rs_close(&f, -1);
		}
		if (strcasecmp(type, "school") != 0) {
			if (rs_new_owned_id(&f, i, p, &p->orgs,
			    rs_val(&f, i, O_ID), RS_NONSCHOOL) == -1)
				return rs_close(&f, -1);
			if (strcasecmp(type, "district") == 0 &&
			    r->district_id == NULL) {
				r->district_id = rs_dup(rs_val(&f, i, O_ID),
				    &bad);
				r->district_name = rs_dup(rs_val(&f, i,
				    O_NAME), &bad);
				if (bad)
					goto nomem;
			}
			continue;
		}
		if (rs_grow(&r->schools, r->nschools, sizeof *r->schools))
			goto nomem;
		s = &r->schools[r->nschools++];
		s->id = rs_dup(rs_val(&f, i, O_ID), &bad);
		s->name = rs_dup(rs_val(&f, i, O_NAME), &bad);
		s->identifier = rs_dup(rs_val(&f, i, O_IDENT), &bad);
		s->parent_id = rs_dup(rs_val(&f, i, O_PARENT), &bad);
		s->line = f.t.rows[i].line;
		if (bad)
			goto nomem;
		if (rs_new_id(&f, i, &p->orgs, s->id, r->nschools - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, f.t.rows[i].line, "out of memory");
	return rs_close(&f, -1);
}

enum { S_ID, S_STATUS, S_TITLE, S_TYPE, S_START, S_END, S_PARENT };
static const struct rs_col sessions_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "title", 1 }, { "type", 1 },
	{ "startDate", 1 }, { "endDate", 1 }, { "parentSourcedId", 0 },
	{ NULL, 0 }
};

/* academicSessions.csv: terms that classes refer to. */
int
roster_parse_sessions(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	static const char *const types[] = { "calendar", "gradingPeriod",
	    "schoolYear", "semester", "term", NULL };
	struct roster_session	*s;
	struct rs_file		 f;
	size_t			 i;
	int			 del, bad = 0;

	if (rs_open(&f, sessions_spec, text, len, filename, err, errlen) == -1)
		return -1;
	r->priv->have_sessions = 1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, S_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		if (!rs_oneof(rs_val(&f, i, S_TYPE), types)) {
			rs_err(&f, f.t.rows[i].line, "type: bad value '%s' "
			    "(want schoolYear, semester, term, ...)",
			    rs_val(&f, i, S_TYPE));
			return rs_close(&f, -1);
		}
		if (!rs_date(rs_val(&f, i, S_START)) ||
		    !rs_date(rs_val(&f, i, S_END))) {
			rs_err(&f, f.t.rows[i].line, "%s: not a YYYY-MM-DD "
			    "date", rs_date(rs_val(&f, i, S_START)) ?
			    "endDate" : "startDate");
			return rs_close(&f, -1);
		}
		if (strcmp(rs_val(&f, i, S_START), rs_val(&f, i, S_END)) > 0) {
			rs_err(&f, f.t.rows[i].line, "endDate: before "
			    "startDate");
			return rs_close(&f, -1);
		}
		if (rs_grow(&r->sessions, r->nsessions, sizeof *r->sessions))
			goto nomem;
		s = &r->sessions[r->nsessions++];
		s->id = rs_dup(rs_val(&f, i, S_ID), &bad);
		s->title = rs_dup(rs_val(&f, i, S_TITLE), &bad);
		s->type = rs_dup(rs_val(&f, i, S_TYPE), &bad);
		s->start_date = rs_dup(rs_val(&f, i, S_START), &bad);
		s->end_date = rs_dup(rs_val(&f, i, S_END), &bad);
		s->parent_id = rs_dup(rs_val(&f, i, S_PARENT), &bad);
		s->line = f.t.rows[i].line;
		if (bad)
			goto nomem;
		if (rs_new_id(&f, i, &r->priv->sessions, s->id,
		    r->nsessions - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, f.t.rows[i].line, "out of memory");
	return rs_close(&f, -1);
}

enum { C_ID, C_STATUS, C_TITLE, C_CODE, C_GRADES, C_ORG, C_SUBJECTS };
static const struct rs_col courses_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "title", 1 },
	{ "courseCode", 0 }, { "grades", 0 }, { "orgSourcedId", 1 },
	{ "subjects", 0 }, { NULL, 0 }
};

/* courses.csv: titles, subjects and grades that classes may inherit. */
int
roster_parse_courses(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	struct roster_course	*c;
	struct rs_file		 f;
	size_t			 i;
	int			 del, bad = 0;

	if (rs_open(&f, courses_spec, text, len, filename, err, errlen) == -1)
		return -1;
	r->priv->have_courses = 1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, C_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		if (!rs_map_get(&r->priv->orgs, rs_val(&f, i, C_ORG), NULL)) {
			rs_err(&f, f.t.rows[i].line, "orgSourcedId: unknown "
			    "org '%s'", rs_val(&f, i, C_ORG));
			return rs_close(&f, -1);
		}
		if (rs_grow(&r->courses, r->ncourses, sizeof *r->courses))
			goto nomem;
		c = &r->courses[r->ncourses++];
		c->id = rs_dup(rs_val(&f, i, C_ID), &bad);
		c->title = rs_dup(rs_val(&f, i, C_TITLE), &bad);
		c->code = rs_dup(rs_val(&f, i, C_CODE), &bad);
		c->org_id = rs_dup(rs_val(&f, i, C_ORG), &bad);
		c->line = f.t.rows[i].line;
		if (bad || rs_split(rs_val(&f, i, C_SUBJECTS), ',',
		    &c->subjects) == -1 || rs_split(rs_val(&f, i, C_GRADES),
		    ',', &c->grades) == -1)
			goto nomem;
		if (rs_grades(&f, i, "grades", &c->grades) == -1 ||
		    rs_new_id(&f, i, &r->priv->courses, c->id,
		    r->ncourses - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, f.t.rows[i].line, "out of memory");
	return rs_close(&f, -1);
}

/* Index of a school by id, or -1 (district and other orgs are not). */
static long
rs_school(const struct roster *r, const char *id)
{
	size_t	v;

	if (!rs_map_get(&r->priv->orgs, id, &v) || v == RS_NONSCHOOL)
		return -1;
	return (long)v;
}

/*
 * Does school have a bell schedule, and does it list period on any day?
 * Bell rows index "school\x1f\x1f" and "school\x1f\x1fperiod" beside their
 * full key so that these checks stay O(1) at district scale.
 */
static int
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
static int
rs_key_exists(struct roster_priv *p, const char *a, const char *b,
    const char *c)
{
	char	buf[2 * ROSTER_TOKEN_MAX + 512];

	snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s", a, b, c);
	return rs_map_get(&p->keys, buf, NULL);
}

/* Add key a\x1fb\x1fc to the keys map unless present. */
static int
rs_key_put(struct roster_priv *p, const char *a, const char *b,
    const char *c)
{
	char		 buf[2 * ROSTER_TOKEN_MAX + 512];
	const char	*k;

	snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s", a, b, c);
	if (rs_map_get(&p->keys, buf, NULL))
		return 0;
	if ((k = rs_key(p, a, b, c)) == NULL)
		return -1;
	return rs_map_put(&p->keys, k, 0);
}

enum { B_SCHOOL, B_DAY, B_PERIOD, B_START, B_END };
static const struct rs_col bells_spec[] = {
	{ "school_id", 1 }, { "day_type", 1 }, { "period", 1 },
	{ "start", 1 }, { "end", 1 }, { NULL, 0 }
};

/* bell_schedules.csv: the periods of each school's day types. */
int
roster_parse_bells(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	struct roster_priv	*p = r->priv;
	struct roster_bell	*b;
	struct rs_file		 f;
	const char		*key;
	char			 day[8];
	size_t			 i, line;
	int			 bad = 0, st, en;

	if (rs_open(&f, bells_spec, text, len, filename, err, errlen) == -1)
		return -1;
	free(p->bell_file);
	if ((p->bell_file = strdup(f.t.file)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", f.t.file);
		return rs_close(&f, -1);
	}
	for (i = 0; i < f.t.nrows; i++) {
		line = f.t.rows[i].line;
		if (rs_required(&f, i) == -1)
			return rs_close(&f, -1);
		if (rs_school(r, rs_val(&f, i, B_SCHOOL)) == -1) {
			rs_err(&f, line, "school_id: unknown school '%s'",
			    rs_val(&f, i, B_SCHOOL));
			return rs_close(&f, -1);
		}
		if (rs_day(rs_val(&f, i, B_DAY), day, sizeof day) == -1) {
			rs_err(&f, line, "day_type: bad value '%s' (want *, "
			    "A-H or mon-fri)", rs_val(&f, i, B_DAY));
			return rs_close(&f, -1);
		}
		if (!rs_token(rs_val(&f, i, B_PERIOD))) {
			rs_err(&f, line, "period: bad period '%s'",
			    rs_val(&f, i, B_PERIOD));
			return rs_close(&f, -1);
		}
		if ((st = rs_time(rs_val(&f, i, B_START))) == -1 ||
		    (en = rs_time(rs_val(&f, i, B_END))) == -1) {
			rs_err(&f, line, "%s: not a HH:MM time",
			    st == -1 ? "start" : "end");
			return rs_close(&f, -1);
		}
		if (en <= st) {
			rs_err(&f, line, "end: not after start");
			return rs_close(&f, -1);
		}
		if ((key = rs_key(p, rs_val(&f, i, B_SCHOOL), day,
		    rs_val(&f, i, B_PERIOD))) == NULL)
			goto nomem;
		if (rs_map_get(&p->keys, key, NULL)) {
			rs_err(&f, line, "period: '%s' listed twice for "
			    "school '%s' day '%s'", rs_val(&f, i, B_PERIOD),
			    rs_val(&f, i, B_SCHOOL), day);
			return rs_close(&f, -1);
		}
		if (rs_map_put(&p->keys, key, 0) == -1 ||
		    rs_key_put(p, rs_val(&f, i, B_SCHOOL), "", "") == -1 ||
		    rs_key_put(p, rs_val(&f, i, B_SCHOOL), "",
		    rs_val(&f, i, B_PERIOD)) == -1 ||
		    rs_grow(&r->bells, r->nbells, sizeof *r->bells))
			goto nomem;
		b = &r->bells[r->nbells++];
		b->school_id = rs_dup(rs_val(&f, i, B_SCHOOL), &bad);
		b->day_type = rs_dup(day, &bad);
		b->period = rs_dup(rs_val(&f, i, B_PERIOD), &bad);
		b->start_min = st;
		b->end_min = en;
		b->line = line;
		if (bad)
			goto nomem;
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, f.t.rows[i].line, "out of memory");
	return rs_close(&f, -1);
}

enum { U_ID, U_STATUS, U_ENABLED, U_ORGS, U_ROLE, U_USERNAME, U_GIVEN,
    U_FAMILY, U_EMAIL, U_GRADES };
static const struct rs_col users_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "enabledUser", 1 },
	{ "orgSourcedIds", 1 }, { "role", 1 }, { "username", 0 },
	{ "givenName", 1 }, { "familyName", 1 }, { "email", 0 },
	{ "grades", 0 }, { NULL, 0 }
};

/* Check a user's orgs exist; copy the school ones into schools. */
static int
rs_user_orgs(struct roster *r, struct rs_file *f, size_t i,
    struct roster_strv *schools)
{
	struct roster_strv	orgs = { 0 };
	size_t			k;
	int			rc = -1;

	if (rs_split(rs_val(f, i, U_ORGS), ',', &orgs) == -1) {
		rs_err(f, f->t.rows[i].line, "out of memory");
		goto out;
	}
	for (k = 0; k < orgs.n; k++) {
		if (!rs_map_get(&r->priv->orgs, orgs.v[k], NULL)) {
			rs_err(f, f->t.rows[i].line, "orgSourcedIds: unknown "
			    "org '%s'", orgs.v[k]);
			goto out;
		}
		if (schools != NULL && rs_school(r, orgs.v[k]) != -1 &&
		    rs_strv_addu(schools, orgs.v[k]) == -1) {
			rs_err(f, f->t.rows[i].line, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	rs_strv_free(&orgs);
	return rc;
}

/*
 * users.csv: teachers are kept; students and other roles are checked and
 * indexed by sourcedId only, because enrolments refer to them and coachd
 * has no business holding student names.
 */
int
roster_parse_users(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	static const char *const roles[] = { "administrator", "aide",
	    "guardian", "parent", "proctor", "relative", "student", "teacher",
	    NULL };
	struct roster_teacher	*t;
	struct rs_file		 f;
	const char		*role, *email;
	size_t			 i, line;
	int			 del, en, bad = 0;

	if (rs_open(&f, users_spec, text, len, filename, err, errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		line = f.t.rows[i].line;
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, U_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		role = rs_val(&f, i, U_ROLE);
		if (!rs_oneof(role, roles)) {
			rs_err(&f, line, "role: bad value '%s' (want teacher, "
			    "student, ...)", role);
			return rs_close(&f, -1);
		}
		if ((en = rs_bool(rs_val(&f, i, U_ENABLED), 1)) == -1) {
			rs_err(&f, line, "enabledUser: bad value '%s' (want "
			    "true or false)", rs_val(&f, i, U_ENABLED));
			return rs_close(&f, -1);
		}
		email = rs_val(&f, i, U_EMAIL);
		if (email[0] != '\0' && (strchr(email, '@') == NULL ||
		    strchr(email, ' ') != NULL)) {
			rs_err(&f, line, "email: bad address '%s'", email);
			return rs_close(&f, -1);
		}
		if (strcasecmp(role, "teacher") != 0) {
			if (rs_user_orgs(r, &f, i, NULL) == -1 ||
			    rs_new_owned_id(&f, i, r->priv, &r->priv->users,
			    rs_val(&f, i, U_ID), strcasecmp(role, "student") ==
			    0 ? RS_STUDENT : RS_OTHER) == -1)
				return rs_close(&f, -1);
			if (strcasecmp(role, "student") == 0)
				r->nstudents++;
			continue;
		}
		if (rs_grow(&r->teachers, r->nteachers, sizeof *r->teachers))
			goto nomem;
		t = &r->teachers[r->nteachers++];
		t->id = rs_dup(rs_val(&f, i, U_ID), &bad);
		t->given_name = rs_dup(rs_val(&f, i, U_GIVEN), &bad);
		t->family_name = rs_dup(rs_val(&f, i, U_FAMILY), &bad);
		t->email = rs_dup(email, &bad);
		t->username = rs_dup(rs_val(&f, i, U_USERNAME), &bad);
		t->active = en;
		t->line = line;
		if (bad || rs_split(rs_val(&f, i, U_GRADES), ',',
		    &t->grades) == -1)
			goto nomem;
		if (rs_grades(&f, i, "grades", &t->grades) == -1 ||
		    rs_user_orgs(r, &f, i, &t->schools) == -1 ||
		    rs_new_id(&f, i, &r->priv->users, t->id,
		    r->nteachers - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, f.t.rows[i].line, "out of memory");
	return rs_close(&f, -1);
}

enum { K_ID, K_STATUS, K_TITLE, K_GRADES, K_COURSE, K_CODE, K_TYPE, K_LOC,
    K_SCHOOL, K_TERMS, K_SUBJECTS, K_PERIODS };
static const struct rs_col classes_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "title", 1 }, { "grades", 0 },
	{ "courseSourcedId", 1 }, { "classCode", 0 }, { "classType", 1 },
	{ "location", 0 }, { "schoolSourcedId", 1 }, { "termSourcedIds", 1 },
	{ "subjects", 0 }, { "periods", 0 }, { NULL, 0 }
};

/* Check a class's references, inherit course subjects, check periods. */
static int
rs_class_check(struct roster *r, struct rs_file *f, size_t i,
    struct roster_class *c)
{
	const struct roster_course	*co = NULL;
	size_t				 k, v;
	int				 any;

	if (rs_school(r, c->school_id) == -1) {
		rs_err(f, c->line, "schoolSourcedId: unknown school '%s'",
		    c->school_id);
		return -1;
	}
	if (r->priv->have_courses) {
		if (!rs_map_get(&r->priv->courses, c->course_id, &v)) {
			rs_err(f, c->line, "courseSourcedId: unknown course "
			    "'%s'", c->course_id);
			return -1;
		}
		co = &r->courses[v];
	}
	for (k = 0; r->priv->have_sessions && k < c->terms.n; k++) {
		if (!rs_map_get(&r->priv->sessions, c->terms.v[k], NULL)) {
			rs_err(f, c->line, "termSourcedIds: unknown academic "
			    "session '%s'", c->terms.v[k]);
			return -1;
		}
	}
	if (co != NULL && c->subjects.n == 0)
		for (k = 0; k < co->subjects.n; k++)
			if (rs_strv_add(&c->subjects, co->subjects.v[k]) == -1)
				goto nomem;
	if (co != NULL && c->grades.n == 0)
		for (k = 0; k < co->grades.n; k++)
			if (rs_strv_add(&c->grades, co->grades.v[k]) == -1)
				goto nomem;
	if (rs_grades(f, i, "grades", &c->grades) == -1)
		return -1;
	for (k = 0; k < c->periods.n; k++) {
		if (!rs_token(c->periods.v[k])) {
			rs_err(f, c->line, "periods: bad period '%s'",
			    c->periods.v[k]);
			return -1;
		}
		if (!rs_bell_has(r, c->school_id, c->periods.v[k], &any) &&
		    any) {
			rs_err(f, c->line, "periods: period '%s' is not in "
			    "the bell schedule of school '%s'",
			    c->periods.v[k], c->school_id);
			return -1;
		}
	}
	return 0;
nomem:
	rs_err(f, c->line, "out of memory");
	return -1;
}

/* classes.csv: sections with their periods and rooms. */
int
roster_parse_classes(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	static const char *const types[] = { "homeroom", "scheduled", NULL };
	struct roster_class	*c;
	struct rs_file		 f;
	size_t			 i;
	int			 del, bad = 0;

	if (rs_open(&f, classes_spec, text, len, filename, err, errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, K_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		if (!rs_oneof(rs_val(&f, i, K_TYPE), types)) {
			rs_err(&f, f.t.rows[i].line, "classType: bad value "
			    "'%s' (want homeroom or scheduled)",
			    rs_val(&f, i, K_TYPE));
			return rs_close(&f, -1);
		}
		if (rs_grow(&r->classes, r->nclasses, sizeof *r->classes))
			goto nomem;
		c = &r->classes[r->nclasses++];
		c->id = rs_dup(rs_val(&f, i, K_ID), &bad);
		c->title = rs_dup(rs_val(&f, i, K_TITLE), &bad);
		c->course_id = rs_dup(rs_val(&f, i, K_COURSE), &bad);
		c->class_code = rs_dup(rs_val(&f, i, K_CODE), &bad);
		c->class_type = rs_dup(rs_val(&f, i, K_TYPE), &bad);
		c->room = rs_dup(rs_val(&f, i, K_LOC), &bad);
		c->school_id = rs_dup(rs_val(&f, i, K_SCHOOL), &bad);
		c->line = f.t.rows[i].line;
		if (bad ||
		    rs_split(rs_val(&f, i, K_TERMS), ',', &c->terms) == -1 ||
		    rs_split(rs_val(&f, i, K_SUBJECTS), ',', &c->subjects) ||
		    rs_split(rs_val(&f, i, K_GRADES), ',', &c->grades) ||
		    rs_split(rs_val(&f, i, K_PERIODS), ',', &c->periods))
			goto nomem;
		if (rs_class_check(r, &f, i, c) == -1 ||
		    rs_new_id(&f, i, &r->priv->classes, c->id,
		    r->nclasses - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, f.t.rows[i].line, "out of memory");
	return rs_close(&f, -1);
}

enum { E_ID, E_STATUS, E_CLASS, E_SCHOOL, E_USER, E_ROLE, E_PRIMARY };
static const struct rs_col enroll_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "classSourcedId", 1 },
	{ "schoolSourcedId", 1 }, { "userSourcedId", 1 }, { "role", 1 },
	{ "primary", 0 }, { NULL, 0 }
};

/* Apply one enrolment row to its class. */
static int
rs_enroll(struct roster *r, struct rs_file *f, size_t i)
{
	static const char *const roles[] = { "administrator", "proctor",
	    "student", "teacher", NULL };
	struct roster_class	*c;
	const char		*role = rs_val(f, i, E_ROLE);
	size_t			 cv, uv, line = f->t.rows[i].line;
	int			 prim;

	if (!rs_oneof(role, roles)) {
		rs_err(f, line, "role: bad value '%s' (want teacher or "
		    "student, ...)", role);
		return -1;
	}
	if ((prim = rs_bool(rs_val(f, i, E_PRIMARY), 0)) == -1) {
		rs_err(f, line, "primary: bad value '%s' (want true or "
		    "false)", rs_val(f, i, E_PRIMARY));
		return -1;
	}
	if (!rs_map_get(&r->priv->classes, rs_val(f, i, E_CLASS), &cv)) {
		rs_err(f, line, "classSourcedId: unknown class '%s'",
		    rs_val(f, i, E_CLASS));
		return -1;
	}
	c = &r->classes[cv];
	if (!rs_map_get(&r->priv->users, rs_val(f, i, E_USER), &uv)) {
		rs_err(f, line, "userSourcedId: unknown user '%s'",
		    rs_val(f, i, E_USER));
		return -1;
	}
	if (strcmp(rs_val(f, i, E_SCHOOL), c->school_id) != 0) {
		rs_err(f, line, "schoolSourcedId: '%s' is not the school of "
		    "class '%s' ('%s')", rs_val(f, i, E_SCHOOL), c->id,
		    c->school_id);
		return -1;
	}
	if (strcasecmp(role, "student") == 0) {
		if (uv != RS_STUDENT) {
			rs_err(f, line, "userSourcedId: '%s' is not a student",
			    rs_val(f, i, E_USER));
			return -1;
		}
		c->nstudents++;
		return 0;
	}
	if (strcasecmp(role, "teacher") != 0)
		return 0;
	if (uv == RS_STUDENT || uv == RS_OTHER) {
		rs_err(f, line, "userSourcedId: '%s' is not a teacher",
		    rs_val(f, i, E_USER));
		return -1;
	}
	if (rs_strv_has(&c->teacher_ids, r->teachers[uv].id)) {
		rs_err(f, line, "userSourcedId: teacher '%s' enrolled twice "
		    "in class '%s'", r->teachers[uv].id, c->id);
		return -1;
	}
	if (rs_strv_add(&c->teacher_ids, r->teachers[uv].id) == -1)
		goto nomem;
	if (prim && c->teacher_id == NULL &&
	    (c->teacher_id = strdup(r->teachers[uv].id)) == NULL)
		goto nomem;
	return 0;
nomem:
	rs_err(f, line, "out of memory");
	return -1;
}

/* enrollments.csv: who teaches each class; students are only counted. */
int
roster_parse_enrollments(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	struct rs_file	f;
	size_t		i;
	int		del;

	if (rs_open(&f, enroll_spec, text, len, filename, err, errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, E_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		if (rs_new_owned_id(&f, i, r->priv, &r->priv->enrollments,
		    rs_val(&f, i, E_ID), 0) == -1 || rs_enroll(r, &f, i) == -1)
			return rs_close(&f, -1);
		r->nenrollments++;
	}
	return rs_close(&f, 0);
}

/* The teacher's index, or -1 when id is not a teacher. */
static long
rs_teacher(const struct roster *r, const char *id)
{
	size_t	v;

	if (!rs_map_get(&r->priv->users, id, &v) || v == RS_STUDENT ||
	    v == RS_OTHER)
		return -1;
	return (long)v;
}

enum { T_TEACHER, T_DAY, T_PERIOD, T_KIND, T_CLASS, T_SUBJECT, T_ROOM };
static const struct rs_col tt_spec[] = {
	{ "teacher_id", 1 }, { "day", 1 }, { "period", 1 }, { "kind", 1 },
	{ "class_id", 0 }, { "subject", 0 }, { "room", 0 }, { NULL, 0 }
};

/* Check one timetable row and work out its class, subject and room. */
static int
rs_tt_row(struct roster *r, struct rs_file *f, size_t i, long t,
    char *day, size_t daylen, const struct roster_class **cp, int *teach)
{
	const struct roster_teacher	*te = &r->teachers[t];
	const char			*kind = rs_val(f, i, T_KIND);
	const char			*period = rs_val(f, i, T_PERIOD);
	const char			*cid = rs_val(f, i, T_CLASS);
	size_t				 line = f->t.rows[i].line, v;
	int				 any;

	if (rs_day(rs_val(f, i, T_DAY), day, daylen) == -1) {
		rs_err(f, line, "day: bad value '%s' (want *, A-H or "
		    "mon-fri)", rs_val(f, i, T_DAY));
		return -1;
	}
	if (!rs_token(period)) {
		rs_err(f, line, "period: bad period '%s'", period);
		return -1;
	}
	if (te->schools.n > 0 && !rs_bell_has(r, te->schools.v[0], period,
	    &any) && any) {
		rs_err(f, line, "period: period '%s' is not in the bell "
		    "schedule of school '%s'", period, te->schools.v[0]);
		return -1;
	}
	if (strcasecmp(kind, "teach") != 0 && strcasecmp(kind, "free") != 0) {
		rs_err(f, line, "kind: bad value '%s' (want teach or free)",
		    kind);
		return -1;
	}
	*teach = strcasecmp(kind, "teach") == 0;
	*cp = NULL;
	if (cid[0] == '\0')
		return 0;
	if (!*teach) {
		rs_err(f, line, "class_id: given for a free period");
		return -1;
	}
	if (!rs_map_get(&r->priv->classes, cid, &v)) {
		rs_err(f, line, "class_id: unknown class '%s'", cid);
		return -1;
	}
	*cp = &r->classes[v];
	return 0;
}

/*
 * timetable.csv: when it lists a teacher, it replaces the timetable that
 * the teacher's classes would give (see roster_finish()).
 */
int
roster_parse_timetable(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	struct roster_priv		*p = r->priv;
	const struct roster_class	*c;
	struct roster_slot		*s;
	struct rs_file			 f;
	const char			*subj, *room;
	char				 day[8], bday[9];
	size_t				 i, line;
	long				 t;
	int				 teach, bad = 0;

	if (rs_open(&f, tt_spec, text, len, filename, err, errlen) == -1)
		return -1;
	if (p->tt_teacher == NULL && r->nteachers > 0 &&
	    (p->tt_teacher = calloc(r->nteachers, 1)) == NULL) {
		i = 0;
		goto nomem;
	}
	for (i = 0; i < f.t.nrows; i++) {
		line = f.t.rows[i].line;
		if (rs_required(&f, i) == -1)
			return rs_close(&f, -1);
		if ((t = rs_teacher(r, rs_val(&f, i, T_TEACHER))) == -1) {
			rs_err(&f, line, "teacher_id: unknown teacher '%s'",
			    rs_val(&f, i, T_TEACHER));
			return rs_close(&f, -1);
		}
		if (rs_tt_row(r, &f, i, t, day, sizeof day, &c, &teach) == -1)
			return rs_close(&f, -1);
		/* '@' keeps these keys apart from the bell schedule's. */
		snprintf(bday, sizeof bday, "@%s", day);
		if (rs_key_exists(p, rs_val(&f, i, T_TEACHER), bday,
		    rs_val(&f, i, T_PERIOD))) {
			rs_err(&f, line, "period: teacher '%s' has period "
			    "'%s' on day '%s' twice", rs_val(&f, i, T_TEACHER),
			    rs_val(&f, i, T_PERIOD), day);
			return rs_close(&f, -1);
		}
		if (rs_key_put(p, rs_val(&f, i, T_TEACHER), bday,
		    rs_val(&f, i, T_PERIOD)) == -1 ||
		    rs_grow(&r->slots, r->nslots, sizeof *r->slots))
			goto nomem;
		p->tt_teacher[t] = 1;
		subj = rs_val(&f, i, T_SUBJECT);
		room = rs_val(&f, i, T_ROOM);
		if (subj[0] == '\0' && c != NULL && c->subjects.n > 0)
			subj = c->subjects.v[0];
		if (room[0] == '\0' && c != NULL)
			room = c->room;
		s = &r->slots[r->nslots++];
		s->teacher_id = rs_dup(r->teachers[t].id, &bad);
		s->day = rs_dup(day, &bad);
		s->period = rs_dup(rs_val(&f, i, T_PERIOD), &bad);
		s->kind = teach ? ROSTER_SLOT_TEACH : ROSTER_SLOT_FREE;
		s->class_id = c != NULL ? rs_dup(c->id, &bad) : NULL;
		s->subject = subj[0] != '\0' ? rs_dup(subj, &bad) : NULL;
		s->room = room[0] != '\0' ? rs_dup(room, &bad) : NULL;
		s->source = ROSTER_SRC_CSV;
		s->line = line;
		if (bad)
			goto nomem;
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, i < f.t.nrows ? f.t.rows[i].line : 1, "out of memory");
	return rs_close(&f, -1);
}

enum { H_ID, H_NAME, H_EMAIL, H_SCHOOLS, H_EXPERTISE, H_INTERESTS, H_CAP,
    H_ACTIVE };
static const struct rs_col coaches_spec[] = {
	{ "id", 1 }, { "name", 1 }, { "email", 0 }, { "schools", 0 },
	{ "expertise", 1 }, { "interests", 0 }, { "caseload_cap", 1 },
	{ "active", 0 }, { NULL, 0 }
};

/* "area:level;area:level" into the coach's expertise list. */
static int
rs_expertise(struct rs_file *f, size_t line, const char *s,
    struct roster_coach *c)
{
	struct roster_strv	 items = { 0 };
	char			*colon, *end;
	size_t			 k, j;
	long			 lvl;
	int			 rc = -1;

	if (rs_split(s, ';', &items) == -1)
		goto nomem;
	for (k = 0; k < items.n; k++) {
		if ((colon = strchr(items.v[k], ':')) == NULL) {
			rs_err(f, line, "expertise: '%s' is not area:level",
			    items.v[k]);
			goto out;
		}
		*colon = '\0';
		if (!rs_token(items.v[k])) {
			rs_err(f, line, "expertise: bad area '%s'", items.v[k]);
			goto out;
		}
		errno = 0;
		lvl = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || lvl < 1 || lvl > 3) {
			rs_err(f, line, "expertise: bad level '%s' for '%s' "
			    "(want 1-3)", colon + 1, items.v[k]);
			goto out;
		}
		for (j = 0; j < c->nexpertise; j++) {
			if (strcmp(c->expertise[j].area, items.v[k]) == 0) {
				rs_err(f, line, "expertise: area '%s' listed "
				    "twice", items.v[k]);
				goto out;
			}
		}
		if (rs_grow(&c->expertise, c->nexpertise,
		    sizeof *c->expertise) == -1)
			goto nomem;
		if ((c->expertise[c->nexpertise].area = strdup(items.v[k])) ==
		    NULL)
			goto nomem;
		c->expertise[c->nexpertise++].level = (int)lvl;
	}
	rc = 0;
	goto out;
nomem:
	rs_err(f, line, "out of memory");
out:
	rs_strv_free(&items);
	return rc;
}

/* Check the coach's schools, interests, cap and active flag. */
static int
rs_coach_check(struct roster *r, struct rs_file *f, size_t i,
    struct roster_coach *c)
{
	const char	*cap = rs_val(f, i, H_CAP);
	char		*end;
	size_t		 k;
	long		 v;

	for (k = 0; k < c->schools.n; k++) {
		if (rs_school(r, c->schools.v[k]) == -1) {
			rs_err(f, c->line, "schools: unknown school '%s'",
			    c->schools.v[k]);
			return -1;
		}
	}
	for (k = 0; k < c->interests.n; k++) {
		if (!rs_token(c->interests.v[k])) {
			rs_err(f, c->line, "interests: bad topic id '%s'",
			    c->interests.v[k]);
			return -1;
		}
	}
	errno = 0;
	v = strtol(cap, &end, 10);
	if (!isdigit((unsigned char)cap[0]) || *end != '\0' || errno != 0 ||
	    v > ROSTER_CAP_MAX) {
		rs_err(f, c->line, "caseload_cap: '%s' is not an integer "
		    "0-%d", cap, ROSTER_CAP_MAX);
		return -1;
	}
	c->caseload_cap = (int)v;
	if ((c->active = rs_bool(rs_val(f, i, H_ACTIVE), 1)) == -1) {
		rs_err(f, c->line, "active: bad value '%s' (want true or "
		    "false)", rs_val(f, i, H_ACTIVE));
		return -1;
	}
	return 0;
}

/* coaches.csv: coachd's own format, see docs/roster.md. */
int
roster_parse_coaches(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	struct roster_coach	*c;
	struct rs_file		 f;
	const char		*email;
	size_t			 i;
	int			 bad = 0;

	if (rs_open(&f, coaches_spec, text, len, filename, err, errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1)
			return rs_close(&f, -1);
		email = rs_val(&f, i, H_EMAIL);
		if (email[0] != '\0' && (strchr(email, '@') == NULL ||
		    strchr(email, ' ') != NULL)) {
			rs_err(&f, f.t.rows[i].line, "email: bad address "
			    "'%s'", email);
			return rs_close(&f, -1);
		}
		if (!rs_token(rs_val(&f, i, H_ID))) {
			rs_err(&f, f.t.rows[i].line, "id: bad id '%s'",
			    rs_val(&f, i, H_ID));
			return rs_close(&f, -1);
		}
		if (rs_grow(&r->coaches, r->ncoaches, sizeof *r->coaches))
			goto nomem;
		c = &r->coaches[r->ncoaches++];
		c->id = rs_dup(rs_val(&f, i, H_ID), &bad);
		c->name = rs_dup(rs_val(&f, i, H_NAME), &bad);
		c->email = rs_dup(email, &bad);
		c->line = f.t.rows[i].line;
		if (bad || rs_split(rs_val(&f, i, H_SCHOOLS), ';',
		    &c->schools) == -1 || rs_split(rs_val(&f, i, H_INTERESTS),
		    ';', &c->interests) == -1)
			goto nomem;
		if (rs_expertise(&f, c->line, rs_val(&f, i, H_EXPERTISE),
		    c) == -1 || rs_coach_check(r, &f, i, c) == -1)
			return rs_close(&f, -1);
		if (rs_map_get(&r->priv->coaches, c->id, NULL)) {
			rs_err(&f, c->line, "id: duplicate '%s'", c->id);
			return rs_close(&f, -1);
		}
		if (rs_map_put(&r->priv->coaches, c->id, r->ncoaches - 1))
			goto nomem;
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, f.t.rows[i].line, "out of memory");
	return rs_close(&f, -1);
}

enum { Q_TEACHER, Q_TEXT, Q_TOPIC };
static const struct rs_col questions_spec[] = {
	{ "teacher_id", 1 }, { "text", 1 }, { "topic", 0 }, { NULL, 0 }
};

/* questions.csv: inquiry questions to submit in bulk (demo data). */
int
roster_parse_questions(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	struct roster_question	*q;
	struct rs_file		 f;
	size_t			 i, line;
	int			 bad = 0;

	if (rs_open(&f, questions_spec, text, len, filename, err, errlen) ==
	    -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		line = f.t.rows[i].line;
		if (rs_required(&f, i) == -1)
			return rs_close(&f, -1);
		if (rs_teacher(r, rs_val(&f, i, Q_TEACHER)) == -1) {
			rs_err(&f, line, "teacher_id: unknown teacher '%s'",
			    rs_val(&f, i, Q_TEACHER));
			return rs_close(&f, -1);
		}
		if (strlen(rs_val(&f, i, Q_TEXT)) > ROSTER_QUESTION_MAX) {
			rs_err(&f, line, "text: longer than %d bytes",
			    ROSTER_QUESTION_MAX);
			return rs_close(&f, -1);
		}
		if (rs_val(&f, i, Q_TOPIC)[0] != '\0' &&
		    !rs_token(rs_val(&f, i, Q_TOPIC))) {
			rs_err(&f, line, "topic: bad topic id '%s'",
			    rs_val(&f, i, Q_TOPIC));
			return rs_close(&f, -1);
		}
		if (rs_grow(&r->questions, r->nquestions,
		    sizeof *r->questions))
			goto nomem;
		q = &r->questions[r->nquestions++];
		q->teacher_id = rs_dup(rs_val(&f, i, Q_TEACHER), &bad);
		q->text = rs_dup(rs_val(&f, i, Q_TEXT), &bad);
		q->topic = rs_dup(rs_val(&f, i, Q_TOPIC), &bad);
		q->line = line;
		if (bad)
			goto nomem;
	}
	return rs_close(&f, 0);
nomem:
	rs_err(&f, f.t.rows[i].line, "out of memory");
	return rs_close(&f, -1);
}

/* Order periods "2" < "10" numerically, names after numbers. */
static int
rs_period_cmp(const char *a, const char *b)
{
	char	*ea, *eb;
	long	 na, nb;

	na = strtol(a, &ea, 10);
	nb = strtol(b, &eb, 10);
	if (*a != '\0' && *ea == '\0' && *b != '\0' && *eb == '\0')
		return na < nb ? -1 : na > nb;
	if (*a != '\0' && *ea == '\0')
		return -1;
	if (*b != '\0' && *eb == '\0')
		return 1;
	return strcmp(a, b);
}

/* qsort: slots by teacher, period, day, then teaching before free. */
static int
rs_slot_cmp(const void *va, const void *vb)
{
	const struct roster_slot	*a = va, *b = vb;
	int				 c;

	if ((c = strcmp(a->teacher_id, b->teacher_id)) != 0)
		return c;
	if ((c = rs_period_cmp(a->period, b->period)) != 0)
		return c;
	if ((c = strcmp(a->day, b->day)) != 0)
		return c;
	return (int)a->kind - (int)b->kind;
}

/* qsort: bells by school, day type, start time. */
static int
rs_bell_cmp(const void *va, const void *vb)
{
	const struct roster_bell	*a = va, *b = vb;
	int				 c;

	if ((c = strcmp(a->school_id, b->school_id)) != 0)
		return c;
	if ((c = strcmp(a->day_type, b->day_type)) != 0)
		return c;
	return a->start_min - b->start_min;
}

/* Periods of one day type of a school may not overlap. */
static int
rs_bell_overlaps(struct roster *r, char *err, size_t errlen)
{
	const struct roster_bell	*a, *b;
	size_t				 i;

	if (r->nbells > 1)
		qsort(r->bells, r->nbells, sizeof *r->bells, rs_bell_cmp);
	for (i = 1; i < r->nbells; i++) {
		a = &r->bells[i - 1];
		b = &r->bells[i];
		if (strcmp(a->school_id, b->school_id) != 0 ||
		    strcmp(a->day_type, b->day_type) != 0 ||
		    b->start_min >= a->end_min)
			continue;
		/* Blame the row that comes later in the file. */
		if (a->line > b->line) {
			b = a;
			a = &r->bells[i];
		}
		snprintf(err, errlen, "%s:%zu: start: period '%s' overlaps "
		    "period '%s' (line %zu)", r->priv->bell_file, b->line,
		    b->period, a->period, a->line);
		return -1;
	}
	return 0;
}

/* Add one slot; strings are copied, NULL stays NULL. */
static int
rs_add_slot(struct roster *r, const char *teacher, const char *day,
    const char *period, enum roster_slot_kind kind, const char *class_id,
    const char *subject, const char *room, enum roster_slot_source src)
{
	struct roster_slot	*s;
	int			 bad = 0;

	if (rs_grow(&r->slots, r->nslots, sizeof *r->slots) == -1)
		return -1;
	s = &r->slots[r->nslots++];
	s->teacher_id = rs_dup(teacher, &bad);
	s->day = rs_dup(day, &bad);
	s->period = rs_dup(period, &bad);
	s->kind = kind;
	s->class_id = class_id != NULL ? rs_dup(class_id, &bad) : NULL;
	s->subject = subject != NULL && subject[0] != '\0' ?
	    rs_dup(subject, &bad) : NULL;
	s->room = room != NULL && room[0] != '\0' ? rs_dup(room, &bad) : NULL;
	s->source = src;
	return bad ? -1 : 0;
}

/*
 * Classes give their teachers, their grades and subjects, and (unless
 * timetable.csv lists the teacher) a teaching slot every day in each of
 * their periods.
 */
static int
rs_from_classes(struct roster *r)
{
	struct roster_class	*c;
	struct roster_teacher	*t;
	size_t			 i, k, j;
	long			 ti;

	for (i = 0; i < r->nclasses; i++) {
		c = &r->classes[i];
		if (c->teacher_id == NULL && c->teacher_ids.n > 0 &&
		    (c->teacher_id = strdup(c->teacher_ids.v[0])) == NULL)
			return -1;
		for (k = 0; k < c->teacher_ids.n; k++) {
			ti = rs_teacher(r, c->teacher_ids.v[k]);
			t = &r->teachers[ti];
			for (j = 0; j < c->subjects.n; j++)
				if (rs_strv_addu(&t->subjects,
				    c->subjects.v[j]) == -1)
					return -1;
			for (j = 0; j < c->grades.n; j++)
				if (rs_strv_addu(&t->grades,
				    c->grades.v[j]) == -1)
					return -1;
			if (r->priv->tt_teacher != NULL &&
			    r->priv->tt_teacher[ti])
				continue;
			for (j = 0; j < c->periods.n; j++)
				if (rs_add_slot(r, t->id, "*", c->periods.v[j],
				    ROSTER_SLOT_TEACH, c->id,
				    c->subjects.n ? c->subjects.v[0] : NULL,
				    c->room, ROSTER_SRC_CLASSES) == -1)
					return -1;
		}
	}
	return 0;
}

/* Does [from, to) of the sorted slots cover period on day? */
static int
rs_covered(const struct roster *r, size_t from, size_t to, const char *day,
    const char *period)
{
	const struct roster_slot	*s;
	size_t				 i;

	for (i = from; i < to; i++) {
		s = &r->slots[i];
		if (strcmp(s->period, period) != 0)
			continue;
		if (strcmp(s->day, day) == 0 || (s->kind == ROSTER_SLOT_TEACH &&
		    (strcmp(s->day, "*") == 0 || strcmp(day, "*") == 0)))
			return 1;
	}
	return 0;
}

/* The run [*from, *to) of the first n (sorted) slots that are id's. */
static void
rs_slot_run(const struct roster *r, size_t n, const char *id, size_t *from,
    size_t *to)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(r->slots[mid].teacher_id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	for (*to = lo; *to < n && strcmp(r->slots[*to].teacher_id, id) == 0;
	    (*to)++)
		;
}

/* First of the (sorted) bells of school, or nbells. */
static size_t
rs_bell_first(const struct roster *r, const char *school)
{
	size_t	lo = 0, hi = r->nbells, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(r->bells[mid].school_id, school) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Every bell period of a teacher's home school with no teaching slot is a
 * free (planning) slot.  Slots are sorted by teacher first so each
 * teacher's slots are one run; bells are sorted by school.
 */
static int
rs_free_slots(struct roster *r)
{
	const struct roster_teacher	*t;
	size_t				 n = r->nslots, from, to, b, ti;
	size_t				 b0;

	if (r->nslots > 1)
		qsort(r->slots, r->nslots, sizeof *r->slots, rs_slot_cmp);
	for (ti = 0; ti < r->nteachers; ti++) {
		t = &r->teachers[ti];
		rs_slot_run(r, n, t->id, &from, &to);
		if (t->schools.n == 0)
			continue;
		b0 = rs_bell_first(r, t->schools.v[0]);
		for (b = b0; b < r->nbells &&
		    strcmp(r->bells[b].school_id, t->schools.v[0]) == 0; b++) {
			if (rs_covered(r, from, to, r->bells[b].day_type,
			    r->bells[b].period))
				continue;
			if (rs_add_slot(r, t->id, r->bells[b].day_type,
			    r->bells[b].period, ROSTER_SLOT_FREE, NULL, NULL,
			    NULL, ROSTER_SRC_BELL) == -1)
				return -1;
		}
	}
	if (r->nslots > 1)
		qsort(r->slots, r->nslots, sizeof *r->slots, rs_slot_cmp);
	return 0;
}

/* Cross-file derivations; see roster.h. */
int
roster_finish(struct roster *r, char *err, size_t errlen)
{
	if (rs_bell_overlaps(r, err, errlen) == -1)
		return -1;
	if (rs_from_classes(r) == -1 || rs_free_slots(r) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* Read a whole file into a new NUL-terminated buffer. */
static int
rs_read(const char *path, char **buf, size_t *len, int *missing, char *err,
    size_t errlen)
{
	FILE		*fp;
	struct stat	 st;
	size_t		 n;
	int		 rc = -1;

	*buf = NULL;
	*missing = 0;
	if ((fp = fopen(path, "rb")) == NULL) {
		*missing = errno == ENOENT;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > 512L * 1024 * 1024) {
		snprintf(err, errlen, "%s: not a regular file of at most "
		    "512 MiB", path);
		goto out;
	}
	if ((*buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	n = fread(*buf, 1, (size_t)st.st_size, fp);
	if (ferror(fp) || n != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: read error", path);
		free(*buf);
		*buf = NULL;
		goto out;
	}
	(*buf)[n] = '\0';
	*len = n;
	rc = 0;
out:
	fclose(fp);
	return rc;
}

/* The files of a roster folder, in the order they must be parsed. */
static const struct {
	const char	*name;
	int		 required;
	int		(*parse)(struct roster *, const char *, size_t,
			    const char *, char *, size_t);
} rs_files[] = {
	{ "orgs.csv", 1, roster_parse_orgs },
	{ "academicSessions.csv", 0, roster_parse_sessions },
	{ "courses.csv", 0, roster_parse_courses },
	{ "bell_schedules.csv", 0, roster_parse_bells },
	{ "users.csv", 1, roster_parse_users },
	{ "classes.csv", 1, roster_parse_classes },
	{ "enrollments.csv", 1, roster_parse_enrollments },
	{ "timetable.csv", 0, roster_parse_timetable },
	{ "coaches.csv", 0, roster_parse_coaches },
	{ "questions.csv", 0, roster_parse_questions },
};

/* Read and parse a roster folder; see roster.h. */
int
roster_load_dir(const char *dir, struct roster *out, char *err,
    size_t errlen)
{
	char	 path[4096], *buf = NULL;
	size_t	 i, len = 0;
	int	 missing, rc = -1;

	if (roster_init(out, err, errlen) == -1)
		return -1;
	for (i = 0; i < sizeof rs_files / sizeof rs_files[0]; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
		    rs_files[i].name) >= sizeof path) {
			snprintf(err, errlen, "%s: path too long", dir);
			goto out;
		}
		if (rs_read(path, &buf, &len, &missing, err, errlen) == -1) {
			if (missing && !rs_files[i].required)
				continue;
			goto out;
		}
		if (rs_files[i].parse(out, buf, len, rs_files[i].name, err,
		    errlen) == -1)
			goto out;
		free(buf);
		buf = NULL;
	}
	rc = roster_finish(out, err, errlen);
out:
	free(buf);
	if (rc == -1)
		roster_free(out);
	return rc;
}

const struct roster_teacher *
roster_find_teacher(const struct roster *r, const char *id)
{
	long	t = rs_teacher(r, id);

	return t == -1 ? NULL : &r->teachers[t];
}

const struct roster_class *
roster_find_class(const struct roster *r, const char *id)
{
	size_t	v;

	if (!rs_map_get(&r->priv->classes, id, &v))
		return NULL;
	return &r->classes[v];
}

const struct roster_school *
roster_find_school(const struct roster *r, const char *id)
{
	long	s = rs_school(r, id);

	return s == -1 ? NULL : &r->schools[s];
}
