/*
 * roster_local.c: coachd's own roster files (bell_schedules, timetable,
 * coaches, questions) and roster_finish(), which derives teachers'
 * subjects and grades and the weekly timetable of teach and free slots
 * (rules in docs/roster.md).
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

/*
 * Row i's column col must name a record that find knows ("<what>_id:
 * unknown <what> 'x'" otherwise): its index, or -1 after the error.
 */
static long
rs_known(struct rs_file *f, size_t i, int col, const struct roster *r,
    long (*find)(const struct roster *, const char *), const char *what)
{
	long	idx;

	if ((idx = find(r, rs_val(f, i, col))) == -1)
		rs_err(f, f->t.rows[i].line, "%s_id: unknown %s '%s'", what,
		    what, rs_val(f, i, col));
	return idx;
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
	int			 st, en;

	if (rs_open(&f, bells_spec, text, len, filename, err, errlen) == -1)
		return -1;
	free(p->bell_file);
	p->bell_file = xstrdup(f.t.file);
	for (i = 0; i < f.t.nrows; i++) {
		line = f.t.rows[i].line;
		if (rs_required(&f, i) == -1 ||
		    rs_known(&f, i, B_SCHOOL, r, rs_school, "school") == -1)
			return rs_close(&f, -1);
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
		key = rs_key(p, rs_val(&f, i, B_SCHOOL), day,
		    rs_val(&f, i, B_PERIOD));
		if (rs_map_get(&p->keys, key, NULL)) {
			rs_err(&f, line, "period: '%s' listed twice for "
			    "school '%s' day '%s'", rs_val(&f, i, B_PERIOD),
			    rs_val(&f, i, B_SCHOOL), day);
			return rs_close(&f, -1);
		}
		rs_map_put(&p->keys, key, 0);
		rs_key_put(p, rs_val(&f, i, B_SCHOOL), "", "");
		rs_key_put(p, rs_val(&f, i, B_SCHOOL), "",
		    rs_val(&f, i, B_PERIOD));
		rs_grow(&r->bells, r->nbells, sizeof *r->bells);
		b = &r->bells[r->nbells++];
		b->school_id = xstrdup(rs_val(&f, i, B_SCHOOL));
		b->day_type = xstrdup(day);
		b->period = xstrdup(rs_val(&f, i, B_PERIOD));
		b->start_min = st;
		b->end_min = en;
		b->line = line;
	}
	return rs_close(&f, 0);
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
	int				 teach;

	if (rs_open(&f, tt_spec, text, len, filename, err, errlen) == -1)
		return -1;
	if (p->tt_teacher == NULL && r->nteachers > 0)
		p->tt_teacher = xcalloc(r->nteachers, 1);
	for (i = 0; i < f.t.nrows; i++) {
		line = f.t.rows[i].line;
		if (rs_required(&f, i) == -1 || (t = rs_known(&f, i, T_TEACHER,
		    r, rs_teacher, "teacher")) == -1)
			return rs_close(&f, -1);
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
		rs_key_put(p, rs_val(&f, i, T_TEACHER), bday,
		    rs_val(&f, i, T_PERIOD));
		rs_grow(&r->slots, r->nslots, sizeof *r->slots);
		p->tt_teacher[t] = 1;
		subj = rs_val(&f, i, T_SUBJECT);
		room = rs_val(&f, i, T_ROOM);
		if (subj[0] == '\0' && c != NULL && c->subjects.n > 0)
			subj = c->subjects.v[0];
		if (room[0] == '\0' && c != NULL)
			room = c->room;
		s = &r->slots[r->nslots++];
		s->teacher_id = xstrdup(r->teachers[t].id);
		s->day = xstrdup(day);
		s->period = xstrdup(rs_val(&f, i, T_PERIOD));
		s->kind = teach ? ROSTER_SLOT_TEACH : ROSTER_SLOT_FREE;
		s->class_id = c != NULL ? xstrdup(c->id) : NULL;
		s->subject = subj[0] != '\0' ? xstrdup(subj) : NULL;
		s->room = room[0] != '\0' ? xstrdup(room) : NULL;
		s->source = ROSTER_SRC_CSV;
		s->line = line;
	}
	return rs_close(&f, 0);
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

	rs_split(s, ';', &items);
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
		rs_grow(&c->expertise, c->nexpertise, sizeof *c->expertise);
		c->expertise[c->nexpertise].area = xstrdup(items.v[k]);
		c->expertise[c->nexpertise++].level = (int)lvl;
	}
	rc = 0;
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
		rs_grow(&r->coaches, r->ncoaches, sizeof *r->coaches);
		c = &r->coaches[r->ncoaches++];
		c->id = xstrdup(rs_val(&f, i, H_ID));
		c->name = xstrdup(rs_val(&f, i, H_NAME));
		c->email = xstrdup(email);
		c->line = f.t.rows[i].line;
		rs_split(rs_val(&f, i, H_SCHOOLS), ';', &c->schools);
		rs_split(rs_val(&f, i, H_INTERESTS), ';', &c->interests);
		if (rs_expertise(&f, c->line, rs_val(&f, i, H_EXPERTISE),
		    c) == -1 || rs_coach_check(r, &f, i, c) == -1)
			return rs_close(&f, -1);
		if (rs_map_get(&r->priv->coaches, c->id, NULL)) {
			rs_err(&f, c->line, "id: duplicate '%s'", c->id);
			return rs_close(&f, -1);
		}
		rs_map_put(&r->priv->coaches, c->id, r->ncoaches - 1);
	}
	return rs_close(&f, 0);
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

	if (rs_open(&f, questions_spec, text, len, filename, err, errlen) ==
	    -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		line = f.t.rows[i].line;
		if (rs_required(&f, i) == -1 || rs_known(&f, i, Q_TEACHER, r,
		    rs_teacher, "teacher") == -1)
			return rs_close(&f, -1);
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
		rs_grow(&r->questions, r->nquestions, sizeof *r->questions);
		q = &r->questions[r->nquestions++];
		q->teacher_id = xstrdup(rs_val(&f, i, Q_TEACHER));
		q->text = xstrdup(rs_val(&f, i, Q_TEXT));
		q->topic = xstrdup(rs_val(&f, i, Q_TOPIC));
		q->line = line;
	}
	return rs_close(&f, 0);
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

/* Order of the day schedules bells belong to: school, then day type. */
static int
rs_bell_day_cmp(const struct roster_bell *a, const struct roster_bell *b)
{
	int	c;

	if ((c = strcmp(a->school_id, b->school_id)) != 0)
		return c;
	return strcmp(a->day_type, b->day_type);
}

/* qsort: bells by day schedule, then start time. */
static int
rs_bell_cmp(const void *va, const void *vb)
{
	const struct roster_bell	*a = va, *b = vb;
	int				 c;

	if ((c = rs_bell_day_cmp(a, b)) != 0)
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
		if (rs_bell_day_cmp(a, b) != 0 || b->start_min >= a->end_min)
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
static void
rs_add_slot(struct roster *r, const char *teacher, const char *day,
    const char *period, enum roster_slot_kind kind, const char *class_id,
    const char *subject, const char *room, enum roster_slot_source src)
{
	struct roster_slot	*s;

	rs_grow(&r->slots, r->nslots, sizeof *r->slots);
	s = &r->slots[r->nslots++];
	s->teacher_id = xstrdup(teacher);
	s->day = xstrdup(day);
	s->period = xstrdup(period);
	s->kind = kind;
	s->class_id = class_id != NULL ? xstrdup(class_id) : NULL;
	s->subject = subject != NULL && subject[0] != '\0' ?
	    xstrdup(subject) : NULL;
	s->room = room != NULL && room[0] != '\0' ? xstrdup(room) : NULL;
	s->source = src;
}

/*
 * Classes give their teachers, their grades and subjects, and (unless
 * timetable.csv lists the teacher) a teaching slot every day in each of
 * their periods.
 */
static void
rs_from_classes(struct roster *r)
{
	struct roster_class	*c;
	struct roster_teacher	*t;
	size_t			 i, k, j;
	long			 ti;

	for (i = 0; i < r->nclasses; i++) {
		c = &r->classes[i];
		if (c->teacher_id == NULL && c->teacher_ids.n > 0)
			c->teacher_id = xstrdup(c->teacher_ids.v[0]);
		for (k = 0; k < c->teacher_ids.n; k++) {
			ti = rs_teacher(r, c->teacher_ids.v[k]);
			t = &r->teachers[ti];
			for (j = 0; j < c->subjects.n; j++)
				rs_strv_addu(&t->subjects, c->subjects.v[j]);
			for (j = 0; j < c->grades.n; j++)
				rs_strv_addu(&t->grades, c->grades.v[j]);
			if (r->priv->tt_teacher != NULL &&
			    r->priv->tt_teacher[ti])
				continue;
			for (j = 0; j < c->periods.n; j++)
				rs_add_slot(r, t->id, "*", c->periods.v[j],
				    ROSTER_SLOT_TEACH, c->id,
				    c->subjects.n ? c->subjects.v[0] : NULL,
				    c->room, ROSTER_SRC_CLASSES);
		}
	}
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
static void
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
			rs_add_slot(r, t->id, r->bells[b].day_type,
			    r->bells[b].period, ROSTER_SLOT_FREE, NULL, NULL,
			    NULL, ROSTER_SRC_BELL);
		}
	}
	if (r->nslots > 1)
		qsort(r->slots, r->nslots, sizeof *r->slots, rs_slot_cmp);
}

/* Cross-file derivations; see roster.h. */
int
roster_finish(struct roster *r, char *err, size_t errlen)
{
	if (rs_bell_overlaps(r, err, errlen) == -1)
		return -1;
	rs_from_classes(r);
	rs_free_slots(r);
	return 0;
}
