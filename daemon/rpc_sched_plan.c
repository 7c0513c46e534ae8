/*
 * rpc_sched_plan.c: `admin schedule` (schedule_run).  Turns the database
 * into a sched_problem (one engine period per school and bell period, so
 * a slot also says where it is), runs the pure engine, and writes the
 * outcome back: new sessions, moved published sessions (sequence + 1),
 * cycles scheduled or unplaceable with the engine's reason.  A dry run
 * makes the same writes under a savepoint and rolls them back, so what it
 * shows is exactly what publishing would do.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coachd.h"
#include "config.h"
#include "feeds.h"
#include "log.h"
#include "rpc_sched.h"
#include "rpc_sched_int.h"
#include "sched.h"
#include "store_sched.h"
#ifdef COACHD_HAVE_CAPS_BOOKING
#include "rpc_caps.h"
#endif

/* An engine period: one bell period of one school. */
struct p_period {
	const char	*school, *period;	/* borrowed from tt */
	const char	*school_name;		/* borrowed from a teacher */
	int		 start;
	char		 label[160];
};

struct p_slot {
	char	*day_type, *period, *class_id, *room;
	int	 teach;
};

struct p_teacher {
	char		*id, *name, *school, *school_name;
	struct p_slot	*slots;
	size_t		 n_slots;
	uint64_t	*teach, *free;
};

struct p_avail {
	int	 weekday, start, end;
	char	*school;
};

struct p_block {
	int	 day, start, end;
};

struct p_coach {
	char		*id, *name;
	char		**schools;
	size_t		 n_schools;
	struct p_avail	*avail;
	size_t		 n_avail;
	struct p_block	*blocks;
	size_t		 n_blocks;
	uint64_t	*avail_bits;
};

struct p_sess {
	int64_t	 id, cycle;
	char	*kind, *coach, *teacher, *school, *date, *period, *status;
	int	 day_num;
};

struct p_cycle {
	int64_t		 id, question;
	char		*coach, *teacher, *class_id, *state, *tname, *cname;
	int		 in_problem;
	int		 coach_i, teacher_i;
	uint64_t	*observe;
	int		 has_prev;
	int64_t		 prev_id[SCHED_NKINDS];
	struct sched_slot prev[SCHED_NKINDS];
};

struct plan {
	struct rpc_ctx		*ctx;
	struct tt		 tt;
	int			*days;		/* day numbers of the horizon */
	int			 n_days;
	char			(*dlabel)[CALENDAR_LABEL_LEN];
	const char		**dnames;	/* "Thu 2026-11-26", for reasons */
	struct p_period		*all;		/* every (school, period) */
	int			 n_all;
	struct p_period		*periods;	/* the group being solved */
	int			 n_periods;
	struct p_teacher	*teachers;
	size_t			 n_teachers;
	struct p_coach		*coaches;
	size_t			 n_coaches;
	struct p_cycle		*cycles;
	size_t			 n_cycles;
	struct p_sess		*sess;
	size_t			 n_sess;
	int64_t			*newq;		/* (question, coach, teacher) */
	char			**newq_s;
	size_t			 n_newq;
	size_t			 newq_cap, cycles_cap, sess_cap;
	size_t			 teachers_cap, coaches_cap;
};

static void *
xgrow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	if ((p = realloc(p, *cap * size)) == NULL)
		fatalx("out of memory");
	return p;
}

static char *
xdup(const char *s)
{
	char	*p;

	if ((p = strdup(s != NULL ? s : "")) == NULL)
		fatalx("out of memory");
	return p;
}

static uint64_t *
bits_new(int days)
{
	uint64_t	*b;

	if ((b = calloc((size_t)days, sizeof(*b))) == NULL)
		fatalx("out of memory");
	return b;
}

static int
day_index(const struct plan *p, int day)
{
	int	lo = 0, hi = p->n_days, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (p->days[mid] == day)
			return mid;
		if (p->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
period_index(const struct plan *p, const char *school, const char *period)
{
	int	i;

	for (i = 0; i < p->n_periods; i++)
		if (strcmp(p->periods[i].school, school) == 0 &&
		    strcmp(p->periods[i].period, period) == 0)
			return i;
	return -1;
}

/* ---- loading ------------------------------------------------------------ */

static int
newq_row(void *arg, int n, const char *const *c)
{
	struct plan	*p = arg;

	if (n < 3)
		return -1;
	p->newq = xgrow(p->newq, &p->newq_cap, p->n_newq, sizeof(*p->newq));
	p->newq[p->n_newq] = strtoll(c[0], NULL, 10);
	p->newq_s = realloc(p->newq_s, (p->n_newq + 1) * 2 *
	    sizeof(*p->newq_s));
	if (p->newq_s == NULL)
		fatalx("out of memory");
	p->newq_s[2 * p->n_newq] = xdup(c[1]);
	p->newq_s[2 * p->n_newq + 1] = xdup(c[2]);
	p->n_newq++;
	return 0;
}

static int
cycle_row(void *arg, int n, const char *const *c)
{
	struct plan	*p = arg;
	struct p_cycle	*y;
	int		 k;

	if (n < 9)
		return -1;
	p->cycles = xgrow(p->cycles, &p->cycles_cap, p->n_cycles,
	    sizeof(*p->cycles));
	y = &p->cycles[p->n_cycles++];
	memset(y, 0, sizeof(*y));
	y->id = strtoll(c[0], NULL, 10);
	y->coach = xdup(c[1]);
	y->teacher = xdup(c[2]);
	y->class_id = xdup(c[3]);
	y->state = xdup(c[5]);
	y->question = strtoll(c[6], NULL, 10);
	y->tname = xdup(c[7]);
	y->cname = xdup(c[8]);
	for (k = 0; k < SCHED_NKINDS; k++)
		y->prev[k].day = -1;
	return 0;
}

static int
sess_row(void *arg, int n, const char *const *c)
{
	struct plan	*p = arg;
	struct p_sess	*s;

	if (n < 10)
		return -1;
	p->sess = xgrow(p->sess, &p->sess_cap, p->n_sess, sizeof(*p->sess));
	s = &p->sess[p->n_sess++];
	s->id = strtoll(c[0], NULL, 10);
	s->cycle = strtoll(c[1], NULL, 10);
	s->kind = xdup(c[2]);
	s->coach = xdup(c[3]);
	s->teacher = xdup(c[4]);
	s->school = xdup(c[5]);
	s->date = xdup(c[6]);
	s->period = xdup(c[7]);
	s->status = xdup(c[8]);
	if (calendar_parse_date(s->date, &s->day_num) == -1)
		s->day_num = -1;
	return 0;
}

struct slot_load {
	struct p_teacher	*t;
	size_t			 cap;
};

static int
slot_row(void *arg, int n, const char *const *c)
{
	struct slot_load	*l = arg;
	struct p_slot		*s;

	if (n < 5)
		return -1;
	l->t->slots = xgrow(l->t->slots, &l->cap, l->t->n_slots,
	    sizeof(*l->t->slots));
	s = &l->t->slots[l->t->n_slots++];
	s->day_type = xdup(c[0]);
	s->period = xdup(c[1]);
	s->teach = strcmp(c[2], "teach") == 0;
	s->class_id = xdup(c[3]);
	s->room = xdup(c[4]);
	return 0;
}

static int
teacher_school_row(void *arg, int n, const char *const *c)
{
	struct p_teacher	*t = arg;

	if (n < 3)
		return -1;
	free(t->school);
	free(t->name);
	free(t->school_name);
	t->school = xdup(c[0]);
	t->name = xdup(c[1]);
	t->school_name = xdup(c[2]);
	return 0;
}

struct coach_load {
	struct p_coach	*c;
	size_t		 cap;
};

static int
coach_school_row(void *arg, int n, const char *const *c)
{
	struct coach_load	*l = arg;

	if (n < 1)
		return -1;
	l->c->schools = xgrow(l->c->schools, &l->cap, l->c->n_schools,
	    sizeof(*l->c->schools));
	l->c->schools[l->c->n_schools++] = xdup(c[0]);
	return 0;
}

static int
coach_avail_row(void *arg, int n, const char *const *c)
{
	struct coach_load	*l = arg;
	struct p_avail		*a;

	if (n < 4)
		return -1;
	l->c->avail = xgrow(l->c->avail, &l->cap, l->c->n_avail,
	    sizeof(*l->c->avail));
	a = &l->c->avail[l->c->n_avail++];
	a->weekday = atoi(c[0]);
	a->start = atoi(c[1]);
	a->end = atoi(c[2]);
	a->school = xdup(c[3]);
	return 0;
}

static int
coach_block_row(void *arg, int n, const char *const *c)
{
	struct coach_load	*l = arg;
	struct p_block		*b;
	int			 day;

	if (n < 3 || calendar_parse_date(c[0], &day) == -1)
		return 0;
	l->c->blocks = xgrow(l->c->blocks, &l->cap, l->c->n_blocks,
	    sizeof(*l->c->blocks));
	b = &l->c->blocks[l->c->n_blocks++];
	b->day = day;
	b->start = atoi(c[1]);
	b->end = atoi(c[2]);
	return 0;
}

static int
find_teacher(const struct plan *p, const char *id)
{
	size_t	i;

	for (i = 0; i < p->n_teachers; i++)
		if (strcmp(p->teachers[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int
find_coach(const struct plan *p, const char *id)
{
	size_t	i;

	for (i = 0; i < p->n_coaches; i++)
		if (strcmp(p->coaches[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int
add_teacher(struct plan *p, const char *id, char *err, size_t errlen)
{
	struct p_teacher	*t;
	struct slot_load	 l;
	int			 i;

	if ((i = find_teacher(p, id)) != -1)
		return i;
	p->teachers = xgrow(p->teachers, &p->teachers_cap, p->n_teachers,
	    sizeof(*p->teachers));
	t = &p->teachers[p->n_teachers];
	memset(t, 0, sizeof(*t));
	t->id = xdup(id);
	p->n_teachers++;
	if (store_sched_query(p->ctx->store, SS_Q_TEACHER_SCHOOL, id, NULL,
	    teacher_school_row, t, err, errlen) != STORE_OK)
		return -1;
	if (t->school == NULL) {
		t->school = xdup("");
		t->name = xdup(id);
		t->school_name = xdup("");
	}
	l.t = t;
	l.cap = 0;
	if (store_sched_query(p->ctx->store, SS_Q_TEACHER_SLOTS, id, NULL,
	    slot_row, &l, err, errlen) != STORE_OK)
		return -1;
	return (int)(p->n_teachers - 1);
}

static int
add_coach(struct plan *p, const char *id, const char *name, char *err,
    size_t errlen)
{
	struct p_coach		*c;
	struct coach_load	 l;
	int			 i;

	if ((i = find_coach(p, id)) != -1)
		return i;
	p->coaches = xgrow(p->coaches, &p->coaches_cap, p->n_coaches,
	    sizeof(*p->coaches));
	c = &p->coaches[p->n_coaches];
	memset(c, 0, sizeof(*c));
	c->id = xdup(id);
	c->name = xdup(name);
	p->n_coaches++;
	l.c = c;
	l.cap = 0;
	if (store_sched_query(p->ctx->store, SS_Q_COACH_SCHOOLS, id, NULL,
	    coach_school_row, &l, err, errlen) != STORE_OK)
		return -1;
	l.cap = 0;
	if (store_sched_query(p->ctx->store, SS_Q_COACH_AVAIL, id, NULL,
	    coach_avail_row, &l, err, errlen) != STORE_OK)
		return -1;
	l.cap = 0;
	if (store_sched_query(p->ctx->store, SS_Q_COACH_BLOCKS, id, NULL,
	    coach_block_row, &l, err, errlen) != STORE_OK)
		return -1;
	return (int)(p->n_coaches - 1);
}

/* ---- building the engine problem --------------------------------------- */

static int
cmp_period(const void *a, const void *b)
{
	const struct p_period	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->school, y->school)) != 0)
		return c;
	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return strcmp(x->period, y->period);
}

/*
 * One engine period per (school, bell period) of the planned teachers;
 * each group of the run uses a subset of them (plan_solve).
 */
static void
build_periods(struct plan *p)
{
	size_t	i, t;
	int	j, found;

	p->periods = calloc(p->tt.n + 1, sizeof(*p->periods));
	if (p->periods == NULL)
		fatalx("out of memory");
	for (i = 0; i < p->tt.n; i++) {
		found = -1;
		for (t = 0; t < p->n_teachers && found == -1; t++)
			if (strcmp(p->teachers[t].school,
			    p->tt.b[i].school) == 0)
				found = (int)t;
		if (found == -1)
			continue;
		j = period_index(p, p->tt.b[i].school, p->tt.b[i].period);
		if (j != -1) {
			if (p->tt.b[i].start < p->periods[j].start)
				p->periods[j].start = p->tt.b[i].start;
			continue;
		}
		p->periods[p->n_periods].school = p->tt.b[i].school;
		p->periods[p->n_periods].period = p->tt.b[i].period;
		p->periods[p->n_periods].start = p->tt.b[i].start;
		p->periods[p->n_periods].school_name =
		    p->teachers[found].school_name;
		p->n_periods++;
	}
	qsort(p->periods, (size_t)p->n_periods, sizeof(*p->periods),
	    cmp_period);
	for (j = 0; j < p->n_periods; j++)
		snprintf(p->periods[j].label, sizeof(p->periods[j].label),
		    "period %s at %s", p->periods[j].period,
		    p->periods[j].school_name);
	p->all = p->periods;
	p->n_all = p->n_periods;
}

/* Teaching and free bitmaps; teaching wins over free (docs/roster.md). */
static void
build_teacher(struct plan *p, struct p_teacher *t)
{
	const struct p_slot	*s;
	int			 d, j, teach, isfree;
	size_t			 k;

	t->teach = bits_new(p->n_days);
	t->free = bits_new(p->n_days);
	for (d = 0; d < p->n_days; d++) {
		for (j = 0; j < p->n_periods; j++) {
			if (strcmp(p->periods[j].school, t->school) != 0 ||
			    tt_period(&p->tt, t->school, p->days[d],
			    p->periods[j].period) == NULL)
				continue;
			teach = isfree = 0;
			for (k = 0; k < t->n_slots; k++) {
				s = &t->slots[k];
				if (strcmp(s->period, p->periods[j].period) ||
				    !tt_day_matches(&p->tt, t->school,
				    p->days[d], s->day_type))
					continue;
				if (s->teach)
					teach = 1;
				else
					isfree = 1;
			}
			if (teach)
				t->teach[d] |= UINT64_C(1) << j;
			else if (isfree)
				t->free[d] |= UINT64_C(1) << j;
		}
	}
}

/* The teaching slot of t at (day index, period index), or NULL. */
static const struct p_slot *
teacher_slot(const struct plan *p, const struct p_teacher *t, int d, int j,
    int teach)
{
	size_t	k;

	for (k = 0; k < t->n_slots; k++)
		if (t->slots[k].teach == teach &&
		    strcmp(t->slots[k].period, p->periods[j].period) == 0 &&
		    tt_day_matches(&p->tt, t->school, p->days[d],
		    t->slots[k].day_type))
			return &t->slots[k];
	return NULL;
}

/* Periods of school on day d fully inside [start, end). */
static void
set_school_periods(struct plan *p, uint64_t *bits, int d, const char *school,
    int start, int end)
{
	const struct tt_bell	*b;
	int			 j;

	for (j = 0; j < p->n_periods; j++) {
		if (strcmp(p->periods[j].school, school) != 0)
			continue;
		b = tt_period(&p->tt, school, p->days[d], p->periods[j].period);
		if (b != NULL && b->start >= start && b->end <= end)
			bits[d] |= UINT64_C(1) << j;
	}
}

/*
 * Availability rows when the coach has any; otherwise one school a
 * weekday in turn (Monday the first of their schools...), so a coach
 * serving two schools is never booked at both at overlapping times.
 * Blocks clear the periods they overlap.
 */
static void
build_coach(struct plan *p, struct p_coach *c)
{
	const struct tt_bell	*b;
	size_t			 k;
	int			 d, j, wd;

	c->avail_bits = bits_new(p->n_days);
	for (d = 0; d < p->n_days; d++) {
		wd = calendar_weekday(p->days[d]);
		if (c->n_avail > 0) {
			for (k = 0; k < c->n_avail; k++)
				if (c->avail[k].weekday == wd)
					set_school_periods(p, c->avail_bits, d,
					    c->avail[k].school,
					    c->avail[k].start, c->avail[k].end);
		} else if (c->n_schools > 0)
			set_school_periods(p, c->avail_bits, d,
			    c->schools[(size_t)wd % c->n_schools], 0, 1440);
		for (k = 0; k < c->n_blocks; k++) {
			if (c->blocks[k].day != p->days[d])
				continue;
			for (j = 0; j < p->n_periods; j++) {
				b = tt_period(&p->tt, p->periods[j].school,
				    p->days[d], p->periods[j].period);
				if (b != NULL && b->start < c->blocks[k].end &&
				    b->end > c->blocks[k].start)
					c->avail_bits[d] &=
					    ~(UINT64_C(1) << j);
			}
		}
	}
}

static int
kind_of(const char *name)
{
	int	k;

	for (k = 0; k < SCHED_NKINDS; k++)
		if (strcmp(name, sched_kind_name((enum sched_kind)k)) == 0)
			return k;
	return -1;
}

/*
 * A scheduled cycle is re-planned when all three of its live sessions lie
 * in the horizon and none is confirmed; otherwise it stays as it is and
 * its sessions are fixed obstacles.
 */
static void
mark_prev(struct plan *p, struct p_cycle *y)
{
	size_t	i;
	int	k, n = 0, ok = 1, d, j;

	for (i = 0; i < p->n_sess; i++) {
		if (p->sess[i].cycle != y->id)
			continue;
		k = kind_of(p->sess[i].kind);
		d = day_index(p, p->sess[i].day_num);
		j = period_index(p, p->sess[i].school, p->sess[i].period);
		if (k == -1 || d == -1 || j == -1 ||
		    strcmp(p->sess[i].status, "confirmed") == 0 ||
		    y->prev[k].day != -1) {
			ok = 0;
			continue;
		}
		y->prev[k].day = d;
		y->prev[k].period = j;
		y->prev_id[k] = p->sess[i].id;
		n++;
	}
	y->has_prev = ok && n == SCHED_NKINDS;
	y->in_problem = y->has_prev;
}

/* ---- output -------------------------------------------------------------- */

static Coachd__V1__SchedSession *
out_session(const struct plan *p, const struct p_cycle *y,
    const struct p_teacher *t, int k, struct sched_slot sl, int64_t id)
{
	Coachd__V1__SchedSession	*m;
	const struct tt_bell		*b;
	const struct p_slot		*ts;
	char				 date[CALENDAR_DATE_LEN];

	if ((m = malloc(sizeof(*m))) == NULL)
		fatalx("out of memory");
	coachd__v1__sched_session__init(m);
	calendar_format_date(p->days[sl.day], date, sizeof(date));
	b = tt_period(&p->tt, p->periods[sl.period].school, p->days[sl.day],
	    p->periods[sl.period].period);
	ts = teacher_slot(p, t, sl.day, sl.period, k == SCHED_OBSERVATION);
	m->id = id;
	m->cycle = y->id;
	m->kind = rpc_strdup(sched_kind_name((enum sched_kind)k));
	m->coach = rpc_strdup(y->coach);
	m->teacher = rpc_strdup(y->teacher);
	m->coach_name = rpc_strdup(y->cname);
	m->teacher_name = rpc_strdup(y->tname);
	m->school = rpc_strdup(p->periods[sl.period].school);
	m->room = rpc_strdup(ts != NULL ? ts->room : "");
	m->class_id = rpc_strdup(ts != NULL && k == SCHED_OBSERVATION ?
	    ts->class_id : "");
	m->date = rpc_strdup(date);
	m->period = rpc_strdup(p->periods[sl.period].period);
	m->start_min = b != NULL ? (uint32_t)b->start : 0;
	m->end_min = b != NULL ? (uint32_t)b->end : 0;
	m->status = rpc_strdup("proposed");
	m->initiated_by = rpc_strdup("scheduler");
	return m;
}

static void
entry_add_session(Coachd__V1__SchedPlanEntry *e, Coachd__V1__SchedSession *m)
{
	e->sessions = realloc(e->sessions, (e->n_sessions + 1) *
	    sizeof(*e->sessions));
	if (e->sessions == NULL)
		fatalx("out of memory");
	e->sessions[e->n_sessions++] = m;
}

/*
 * Caps check of a whole cycle before anything is written (1 = allowed):
 * its sessions together, minutes of a category summed per week.
 */
static int
caps_ok(struct rpc_ctx *ctx, Coachd__V1__SchedPlanEntry *e, char *reason,
    size_t reasonlen)
{
#ifdef COACHD_HAVE_CAPS_BOOKING
	struct caps_booking	b[SCHED_NKINDS];
	size_t			i, n = 0;

	for (i = 0; i < e->n_sessions && n < SCHED_NKINDS; i++, n++) {
		b[n].school = e->sessions[i]->school;
		b[n].category = caps_session_category(e->sessions[i]->kind);
		b[n].date = e->sessions[i]->date;
		b[n].minutes = (int)(e->sessions[i]->end_min -
		    e->sessions[i]->start_min);
	}
	return caps_bookings_allowed(ctx->store, e->sessions[0]->coach, b, n,
	    reason, reasonlen);
#else
	(void)ctx;
	(void)e;
	(void)reason;
	(void)reasonlen;
	return 1;
#endif
}

static int
write_new(struct plan *p, struct p_cycle *y, Coachd__V1__SchedPlanEntry *e,
    char *err, size_t errlen)
{
	struct store_sched_session	 ss;
	Coachd__V1__SchedSession	*m;
	char				 reason[512];
	size_t				 i;
	int				 r;

	if ((r = caps_ok(p->ctx, e, reason, sizeof(reason))) != 1) {
		if (r == -1) {
			snprintf(err, errlen, "%s", reason);
			return -1;
		}
		free(e->status);
		e->status = rpc_strdup("unplaceable");
		free(e->reason);
		e->reason = rpc_strdup(reason);
		return store_sched_cycle_state(p->ctx->store, y->id,
		    "unplaceable", reason, err, errlen) == STORE_OK ? 0 : -1;
	}
	for (i = 0; i < e->n_sessions; i++) {
		m = e->sessions[i];
		memset(&ss, 0, sizeof(ss));
		ss.cycle = y->id;
		ss.kind = m->kind;
		ss.coach = m->coach;
		ss.teacher = m->teacher;
		ss.school = m->school;
		ss.room = m->room;
		ss.class_id = m->class_id;
		ss.date = m->date;
		ss.period = m->period;
		ss.start_min = (int)m->start_min;
		ss.end_min = (int)m->end_min;
		ss.status = "proposed";
		ss.initiated_by = "scheduler";
		if (store_sched_session_insert(p->ctx->store, &ss, p->ctx->now,
		    &m->id, err, errlen) != STORE_OK)
			return -1;
	}
	if (store_sched_cycle_state(p->ctx->store, y->id, "scheduled", NULL,
	    err, errlen) != STORE_OK)
		return -1;
	if (y->question > 0 && store_sched_question_in_cycle(p->ctx->store,
	    y->question, p->ctx->who->user, p->ctx->now, err, errlen) !=
	    STORE_OK)
		return -1;
	return 0;
}

static const char *
status_word(enum sched_status s)
{
	switch (s) {
	case SCHED_PLACED:
		return "new";
	case SCHED_KEPT:
		return "unchanged";
	case SCHED_MOVED:
		return "moved";
	case SCHED_DROPPED:
		return "dropped";
	case SCHED_UNSCHEDULED:
		break;
	}
	return "unplaceable";
}

/* The feeds showing a cycle's sessions, old and new places (issue 7). */
static void
touch_feeds(struct plan *p, const struct p_cycle *y,
    const Coachd__V1__SchedPlanEntry *e, const Coachd__V1__SchedRun *run)
{
	size_t	i;
	int	k;

	if (run->dry_run)
		return;
	feeds_touch(p->ctx->daemon, y->coach, y->teacher,
	    p->teachers[y->teacher_i].school);
	for (i = 0; i < e->n_sessions; i++)
		feeds_touch(p->ctx->daemon, NULL, NULL, e->sessions[i]->school);
	for (k = 0; k < SCHED_NKINDS; k++)
		if (y->prev_id[k] > 0 && y->prev[k].day >= 0)
			feeds_touch(p->ctx->daemon, NULL, NULL,
			    p->periods[y->prev[k].period].school);
}

/* Write one cycle's outcome and describe it in the response. */
static int
apply_outcome(struct plan *p, struct p_cycle *y,
    const struct sched_outcome *o, Coachd__V1__SchedRun *run, char *err,
    size_t errlen)
{
	Coachd__V1__SchedPlanEntry	*e;
	Coachd__V1__SchedSession	*m;
	const struct p_teacher		*t = &p->teachers[y->teacher_i];
	char				 from[256], date[CALENDAR_DATE_LEN];
	int				 k;
	size_t				 i;

	if ((e = malloc(sizeof(*e))) == NULL)
		fatalx("out of memory");
	coachd__v1__sched_plan_entry__init(e);
	run->entries[run->n_entries++] = e;
	e->cycle = y->id;
	e->question = y->question;
	e->coach = rpc_strdup(y->coach);
	e->teacher = rpc_strdup(y->teacher);
	e->status = rpc_strdup(status_word(o->status));
	e->reason = rpc_strdup(o->reason);
	for (k = 0; k < SCHED_NKINDS; k++) {
		if (o->slot[k].day < 0)
			continue;
		entry_add_session(e, out_session(p, y, t, k, o->slot[k],
		    y->prev_id[k]));
	}
	switch (o->status) {
	case SCHED_PLACED:
		if (write_new(p, y, e, err, errlen) == -1)
			return -1;
		if (strcmp(e->status, "new") == 0) {
			run->placed++;
			touch_feeds(p, y, e, run);
		} else
			run->unplaceable++;
		return 0;
	case SCHED_KEPT:
		run->unchanged++;
		return 0;
	case SCHED_MOVED:
		run->moved++;
		touch_feeds(p, y, e, run);
		for (i = 0; i < e->n_sessions; i++) {
			m = e->sessions[i];
			k = kind_of(m->kind);
			if (k < 0 || (o->slot[k].day == y->prev[k].day &&
			    o->slot[k].period == y->prev[k].period))
				continue;
			calendar_format_date(p->days[y->prev[k].day], date,
			    sizeof(date));
			snprintf(from, sizeof(from), "%s %s %s", m->kind, date,
			    p->periods[y->prev[k].period].period);
			e->moved_from = realloc(e->moved_from,
			    (e->n_moved_from + 1) * sizeof(*e->moved_from));
			if (e->moved_from == NULL)
				fatalx("out of memory");
			e->moved_from[e->n_moved_from++] = rpc_strdup(from);
			if (store_sched_session_move(p->ctx->store, m->id,
			    m->date, m->period, (int)m->start_min,
			    (int)m->end_min, m->room, m->class_id, p->ctx->now,
			    err, errlen) != STORE_OK)
				return -1;
		}
		return 0;
	case SCHED_DROPPED:
		touch_feeds(p, y, e, run);
		for (k = 0; k < SCHED_NKINDS; k++)
			if (y->prev_id[k] > 0 && store_sched_session_status(
			    p->ctx->store, y->prev_id[k], "cancelled", 1,
			    p->ctx->now, err, errlen) != STORE_OK)
				return -1;
		/* FALLTHROUGH */
	case SCHED_UNSCHEDULED:
		run->unplaceable++;
		return store_sched_cycle_state(p->ctx->store, y->id,
		    "unplaceable", o->reason, err, errlen) == STORE_OK ? 0 : -1;
	}
	return 0;
}

/* ---- the handler --------------------------------------------------------- */

static void
plan_free(struct plan *p)
{
	size_t	i, k;

	for (i = 0; i < p->n_teachers; i++) {
		for (k = 0; k < p->teachers[i].n_slots; k++) {
			free(p->teachers[i].slots[k].day_type);
			free(p->teachers[i].slots[k].period);
			free(p->teachers[i].slots[k].class_id);
			free(p->teachers[i].slots[k].room);
		}
		free(p->teachers[i].slots);
		free(p->teachers[i].id);
		free(p->teachers[i].name);
		free(p->teachers[i].school);
		free(p->teachers[i].school_name);
		free(p->teachers[i].teach);
		free(p->teachers[i].free);
	}
	free(p->teachers);
	for (i = 0; i < p->n_coaches; i++) {
		for (k = 0; k < p->coaches[i].n_schools; k++)
			free(p->coaches[i].schools[k]);
		for (k = 0; k < p->coaches[i].n_avail; k++)
			free(p->coaches[i].avail[k].school);
		free(p->coaches[i].schools);
		free(p->coaches[i].avail);
		free(p->coaches[i].blocks);
		free(p->coaches[i].avail_bits);
		free(p->coaches[i].id);
		free(p->coaches[i].name);
	}
	free(p->coaches);
	for (i = 0; i < p->n_cycles; i++) {
		free(p->cycles[i].coach);
		free(p->cycles[i].teacher);
		free(p->cycles[i].class_id);
		free(p->cycles[i].state);
		free(p->cycles[i].tname);
		free(p->cycles[i].cname);
		free(p->cycles[i].observe);
	}
	free(p->cycles);
	for (i = 0; i < p->n_sess; i++) {
		free(p->sess[i].kind);
		free(p->sess[i].coach);
		free(p->sess[i].teacher);
		free(p->sess[i].school);
		free(p->sess[i].date);
		free(p->sess[i].period);
		free(p->sess[i].status);
	}
	free(p->sess);
	for (i = 0; i < 2 * p->n_newq; i++)
		free(p->newq_s[i]);
	free(p->newq_s);
	free(p->newq);
	free(p->all);
	free(p->days);
	free(p->dlabel);
	free(p->dnames);
	tt_free(&p->tt);
}

/* observe_in: the teaching periods of the question's class, if any. */
static void
build_observe(struct plan *p, struct p_cycle *y)
{
	const struct p_teacher	*t = &p->teachers[y->teacher_i];
	const struct p_slot	*s;
	int			 d, j, any = 0;

	if (y->class_id[0] == '\0')
		return;
	y->observe = bits_new(p->n_days);
	for (d = 0; d < p->n_days; d++)
		for (j = 0; j < p->n_periods; j++)
			if ((t->teach[d] >> j) & 1 &&
			    (s = teacher_slot(p, t, d, j, 1)) != NULL &&
			    strcmp(s->class_id, y->class_id) == 0) {
				y->observe[d] |= UINT64_C(1) << j;
				any = 1;
			}
	if (!any) {	/* class not on the timetable: any teaching period */
		free(y->observe);
		y->observe = NULL;
	}
}

static int
plan_load(struct plan *p, int from, Coachd__V1__SchedRun *run, char *err,
    size_t errlen)
{
	char	date[CALENDAR_DATE_LEN];
	size_t	i;
	int64_t	id;
	int	horizon = p->ctx->conf->sched_horizon_days;

	if (tt_load(p->ctx, &p->tt, NULL, err, errlen) == -1)
		return -1;
	if (horizon <= 0)
		horizon = 10;
	if ((p->days = calloc((size_t)horizon, sizeof(*p->days))) == NULL)
		fatalx("out of memory");
	p->n_days = (int)calendar_school_days(&p->tt.cal, from,
	    (size_t)horizon, p->days);
	if (p->n_days == 0) {
		snprintf(err, errlen, "no school days within a year of the "
		    "start date");
		return -1;
	}
	run->school_days = (uint32_t)p->n_days;
	if ((p->dlabel = calloc((size_t)p->n_days, sizeof(*p->dlabel))) ==
	    NULL || (p->dnames = calloc((size_t)p->n_days,
	    sizeof(*p->dnames))) == NULL)
		fatalx("out of memory");
	for (i = 0; i < (size_t)p->n_days; i++) {
		calendar_format_label(p->days[i], p->dlabel[i],
		    sizeof(p->dlabel[i]));
		p->dnames[i] = p->dlabel[i];
	}
	calendar_format_date(p->days[0], date, sizeof(date));
	run->from = rpc_strdup(date);
	calendar_format_date(p->days[p->n_days - 1], date, sizeof(date));
	run->to = rpc_strdup(date);
	/* Every assigned question without an open cycle gets one. */
	if (store_sched_query(p->ctx->store, SS_Q_ASSIGNED_NO_CYCLE, NULL,
	    NULL, newq_row, p, err, errlen) != STORE_OK)
		return -1;
	for (i = 0; i < p->n_newq; i++) {
		if (store_sched_cycle_create(p->ctx->store, p->newq[i],
		    p->newq_s[2 * i], p->newq_s[2 * i + 1], p->ctx->now, &id,
		    err, errlen) != STORE_OK)
			return -1;
		run->cycles_created++;
	}
	if (store_sched_query(p->ctx->store, SS_Q_CYCLES_OPEN, NULL, NULL,
	    cycle_row, p, err, errlen) != STORE_OK)
		return -1;
	calendar_format_date(p->days[0], date, sizeof(date));
	return store_sched_query(p->ctx->store, SS_Q_SESSIONS_FROM, date,
	    NULL, sess_row, p, err, errlen) == STORE_OK ? 0 : -1;
}

/* Decide which cycles are planned and gather their people. */
static int
plan_people(struct plan *p, char *err, size_t errlen)
{
	struct p_cycle	*y;
	size_t		 i;

	for (i = 0; i < p->n_cycles; i++) {
		y = &p->cycles[i];
		/* scheduled cycles: mark_prev() decides once periods exist */
		y->in_problem = 1;
		if ((y->teacher_i = add_teacher(p, y->teacher, err, errlen))
		    == -1)
			return -1;
		if ((y->coach_i = add_coach(p, y->coach, y->cname, err,
		    errlen)) == -1)
			return -1;
	}
	return 0;
}

/* Sessions that stay put, as obstacles of one group (local indices). */
static struct sched_fixed *
build_fixed(struct plan *p, const int *cmap, const int *tmap, size_t *n)
{
	struct sched_fixed	*f;
	const struct p_sess	*s;
	size_t			 i, k;
	int			 replanned;

	if ((f = calloc(p->n_sess + 1, sizeof(*f))) == NULL)
		fatalx("out of memory");
	*n = 0;
	for (i = 0; i < p->n_sess; i++) {
		s = &p->sess[i];
		replanned = 0;
		for (k = 0; k < p->n_cycles && !replanned; k++)
			replanned = p->cycles[k].id == s->cycle &&
			    p->cycles[k].in_problem;
		if (replanned)
			continue;
		f[*n].day = day_index(p, s->day_num);
		f[*n].period = period_index(p, s->school, s->period);
		f[*n].coach = find_coach(p, s->coach);
		f[*n].teacher = find_teacher(p, s->teacher);
		f[*n].coach = f[*n].coach >= 0 ? cmap[f[*n].coach] : -1;
		f[*n].teacher = f[*n].teacher >= 0 ? tmap[f[*n].teacher] : -1;
		if (f[*n].day < 0 || f[*n].period < 0 ||
		    (f[*n].coach < 0 && f[*n].teacher < 0))
			continue;
		(*n)++;
	}
	return f;
}

/* ---- groups: independent sub-problems ---------------------------------- */

static int
uf_find(int *up, int x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

/*
 * Cycles that share no coach and no teacher never compete for anything,
 * so the run splits into groups (connected components of coaches and
 * teachers through their cycles), each solved on its own with only its
 * schools' periods: the 64-period limit of the engine then applies per
 * group, not to the district.  grp[i] = group of cycle i (its root).
 */
static void
plan_groups(struct plan *p, int *grp)
{
	int	*up, nc = (int)p->n_coaches;
	size_t	 i;
	int	 a, b;

	if ((up = calloc(p->n_coaches + p->n_teachers + 1, sizeof(*up))) ==
	    NULL)
		fatalx("out of memory");
	for (a = 0; a < nc + (int)p->n_teachers; a++)
		up[a] = a;
	for (i = 0; i < p->n_cycles; i++) {
		a = uf_find(up, p->cycles[i].coach_i);
		b = uf_find(up, nc + p->cycles[i].teacher_i);
		if (a != b)
			up[b] = a;
	}
	for (i = 0; i < p->n_cycles; i++)
		grp[i] = uf_find(up, p->cycles[i].coach_i);
	free(up);
}

/* Whether a coach of the group can ever be at school in the horizon. */
static int
coach_reaches(const struct plan *p, const struct p_coach *c,
    const char *school)
{
	size_t	k;
	int	d;

	if (c->n_avail > 0) {
		for (k = 0; k < c->n_avail; k++)
			if (strcmp(c->avail[k].school, school) == 0)
				return 1;
		return 0;
	}
	for (d = 0; d < p->n_days && c->n_schools > 0; d++)
		if (strcmp(c->schools[(size_t)calendar_weekday(p->days[d]) %
		    c->n_schools], school) == 0)
			return 1;
	return 0;
}

/*
 * The periods of group g: those of its teachers' schools where one of its
 * coaches can be.  Sets p->periods to that view; -1 if over the engine's
 * limit.
 */
static int
group_periods(struct plan *p, const int *grp, int g, struct p_period *view)
{
	size_t	i, k;
	int	j, n = 0, mine, reach;

	for (j = 0; j < p->n_all; j++) {
		mine = reach = 0;
		for (i = 0; i < p->n_cycles && !(mine && reach); i++) {
			if (grp[i] != g)
				continue;
			k = (size_t)p->cycles[i].teacher_i;
			mine |= strcmp(p->teachers[k].school,
			    p->all[j].school) == 0;
			reach |= coach_reaches(p,
			    &p->coaches[p->cycles[i].coach_i], p->all[j].school);
		}
		if (!mine || !reach)
			continue;
		if (n == SCHED_MAX_PERIODS)
			return -1;
		view[n++] = p->all[j];
	}
	p->periods = view;
	p->n_periods = n;
	return 0;
}

/* A cycle of an oversized group: say so, leave scheduled ones alone. */
static int
group_too_big(struct plan *p, struct p_cycle *y, Coachd__V1__SchedRun *run,
    char *err, size_t errlen)
{
	struct sched_outcome	o;
	int			k;

	if (strcmp(y->state, "scheduled") == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.status = SCHED_UNSCHEDULED;
	for (k = 0; k < SCHED_NKINDS; k++)
		o.slot[k].day = -1;
	snprintf(o.reason, sizeof(o.reason), "%s and %s share coaches and "
	    "teachers with more than %d school periods; split the coaches' "
	    "schools or set their availability", y->cname, y->tname,
	    SCHED_MAX_PERIODS);
	return apply_outcome(p, y, &o, run, err, errlen);
}

struct group_solve {
	struct sched_coach	*sc;
	struct sched_teacher	*st;
	struct sched_cycle	*cy;
	size_t			*ci;		/* plan cycle of cy[i] */
	int			*cmap, *tmap;	/* plan index -> local, -1 */
	const char		**pnames;
	size_t			 nc, nt, ny;
};

/* Local coach/teacher arrays and cycles of group g. */
static void
group_build(struct plan *p, const int *grp, int g, struct group_solve *gs)
{
	struct p_cycle	*y;
	size_t		 i;
	int		 k;

	for (i = 0; i < p->n_cycles; i++) {
		y = &p->cycles[i];
		if (grp[i] != g)
			continue;
		if (gs->cmap[y->coach_i] == -1) {
			gs->cmap[y->coach_i] = (int)gs->nc;
			build_coach(p, &p->coaches[y->coach_i]);
			gs->sc[gs->nc].name = p->coaches[y->coach_i].name;
			gs->sc[gs->nc].available =
			    p->coaches[y->coach_i].avail_bits;
			gs->sc[gs->nc].max_per_day =
			    p->ctx->conf->sched_max_per_day;
			gs->sc[gs->nc].max_teachers_per_week =
			    p->ctx->conf->sched_max_teachers_per_week;
			gs->sc[gs->nc].max_per_week =
			    p->ctx->conf->sched_max_per_week;
			gs->nc++;
		}
		if (gs->tmap[y->teacher_i] == -1) {
			gs->tmap[y->teacher_i] = (int)gs->nt;
			build_teacher(p, &p->teachers[y->teacher_i]);
			gs->st[gs->nt].name = p->teachers[y->teacher_i].name;
			gs->st[gs->nt].place =
			    p->teachers[y->teacher_i].school_name;
			gs->st[gs->nt].teaching =
			    p->teachers[y->teacher_i].teach;
			gs->st[gs->nt].free = p->teachers[y->teacher_i].free;
			gs->nt++;
		}
		if (strcmp(y->state, "scheduled") == 0)
			mark_prev(p, y);
		if (!y->in_problem)
			continue;
		build_observe(p, y);
		gs->ci[gs->ny] = i;
		gs->cy[gs->ny].name = y->tname;
		gs->cy[gs->ny].coach = gs->cmap[y->coach_i];
		gs->cy[gs->ny].teacher = gs->tmap[y->teacher_i];
		gs->cy[gs->ny].kinds = SCHED_T_FULL;
		gs->cy[gs->ny].observe_in = y->observe;
		gs->cy[gs->ny].debrief_within_days =
		    p->ctx->conf->sched_debrief_within_days;
		gs->cy[gs->ny].has_prev = y->has_prev;
		for (k = 0; k < SCHED_NKINDS; k++)
			gs->cy[gs->ny].prev[k] = y->prev[k];
		gs->ny++;
	}
}

/* Solve group g and write its outcomes; -1 with err on failure. */
static int
group_solve(struct plan *p, const int *grp, int g, struct group_solve *gs,
    Coachd__V1__SchedRun *run, char *err, size_t errlen)
{
	struct sched_problem	 pb;
	struct sched_result	 res;
	struct sched_fixed	*fx;
	struct timespec		 t0, t1;
	size_t			 i, nfx;
	int			 k, rc = -1;

	gs->nc = gs->nt = gs->ny = 0;
	group_build(p, grp, g, gs);
	if (gs->ny == 0)
		return 0;
	for (k = 0; k < p->n_periods; k++)
		gs->pnames[k] = p->periods[k].label;
	fx = build_fixed(p, gs->cmap, gs->tmap, &nfx);
	memset(&pb, 0, sizeof(pb));
	memset(&res, 0, sizeof(res));
	pb.days = p->n_days;
	pb.n_periods = p->n_periods > 0 ? p->n_periods : 1;
	pb.period_names = p->n_periods > 0 ? gs->pnames : NULL;
	pb.day_names = p->dnames;
	pb.coaches = gs->sc;
	pb.n_coaches = gs->nc;
	pb.teachers = gs->st;
	pb.n_teachers = gs->nt;
	pb.cycles = gs->cy;
	pb.n_cycles = gs->ny;
	pb.fixed = fx;
	pb.n_fixed = nfx;
	pb.seed = (uint64_t)p->ctx->conf->sched_seed;
	pb.iterations = (uint64_t)p->ctx->conf->sched_iterations;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sched_solve(&pb, &res, err, errlen) == -1)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	run->solve_ms += (uint32_t)((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	for (i = 0; i < gs->ny; i++)
		if (apply_outcome(p, &p->cycles[gs->ci[i]], &res.cycles[i],
		    run, err, errlen) == -1)
			goto out;
	rc = 0;
out:
	sched_result_free(&res);
	free(fx);
	return rc;
}

/* Every group in turn, in the order of their first cycle. */
static int
plan_solve(struct plan *p, Coachd__V1__SchedRun *run, char *err,
    size_t errlen)
{
	struct group_solve	 gs;
	struct p_period		 view[SCHED_MAX_PERIODS];
	int			*grp;
	size_t			 i, j;
	int			 rc = -1, seen;

	memset(&gs, 0, sizeof(gs));
	if ((grp = calloc(p->n_cycles + 1, sizeof(*grp))) == NULL ||
	    (gs.sc = calloc(p->n_coaches + 1, sizeof(*gs.sc))) == NULL ||
	    (gs.st = calloc(p->n_teachers + 1, sizeof(*gs.st))) == NULL ||
	    (gs.cy = calloc(p->n_cycles + 1, sizeof(*gs.cy))) == NULL ||
	    (gs.ci = calloc(p->n_cycles + 1, sizeof(*gs.ci))) == NULL ||
	    (gs.cmap = calloc(p->n_coaches + 1, sizeof(int))) == NULL ||
	    (gs.tmap = calloc(p->n_teachers + 1, sizeof(int))) == NULL ||
	    (gs.pnames = calloc(SCHED_MAX_PERIODS, sizeof(char *))) == NULL)
		fatalx("out of memory");
	memset(gs.cmap, 0xff, (p->n_coaches + 1) * sizeof(int));
	memset(gs.tmap, 0xff, (p->n_teachers + 1) * sizeof(int));
	plan_groups(p, grp);
	for (i = 0; i < p->n_cycles; i++) {
		for (seen = 0, j = 0; j < i && !seen; j++)
			seen = grp[j] == grp[i];
		if (seen)
			continue;
		if (group_periods(p, grp, grp[i], view) == -1) {
			for (j = i; j < p->n_cycles; j++)
				if (grp[j] == grp[i] && group_too_big(p,
				    &p->cycles[j], run, err, errlen) == -1)
					goto out;
			continue;
		}
		if (group_solve(p, grp, grp[i], &gs, run, err, errlen) == -1)
			goto out;
		run->groups++;
	}
	rc = 0;
out:
	p->periods = p->all;
	p->n_periods = p->n_all;
	free(grp);
	free(gs.sc);
	free(gs.st);
	free(gs.cy);
	free(gs.ci);
	free(gs.cmap);
	free(gs.tmap);
	free(gs.pnames);
	return rc;
}

int
rpc_schedule_run(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__SchedRunRequest	*rq = req->schedule_run;
	Coachd__V1__SchedRun			*run;
	struct plan				 p;
	char					 err[512];
	int					 from, rc = -1, sp = 0;

	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	if (rq == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "schedule_run: missing request");
	if (rq->from != NULL && rq->from[0] != '\0') {
		if (calendar_parse_date(rq->from, &from) == -1)
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "--from: '%s' is not a YYYY-MM-DD date", rq->from);
	} else
		from = tt_today(ctx);
	if ((run = malloc(sizeof(*run))) == NULL)
		fatalx("out of memory");
	coachd__v1__sched_run__init(run);
	run->dry_run = rq->dry_run;
	resp->result_case = COACHD__V1__RESPONSE__RESULT_SCHEDULE_RUN;
	resp->schedule_run = run;
	if (rq->dry_run) {
		if (store_savepoint(ctx->store, err, sizeof(err)) != STORE_OK)
			return rpc_fail_store(resp, STORE_ERROR, err);
		sp = 1;
	}
	if (plan_load(&p, from, run, err, sizeof(err)) == -1 ||
	    plan_people(&p, err, sizeof(err)) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
		goto out;
	}
	build_periods(&p);
	if ((run->entries = calloc(p.n_cycles + 1, sizeof(*run->entries))) ==
	    NULL)
		fatalx("out of memory");
	if (plan_solve(&p, run, err, sizeof(err)) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
		goto out;
	}
	rc = 0;
out:
	if (sp)
		store_savepoint_rollback(ctx->store);
	plan_free(&p);
	return rc;
}
