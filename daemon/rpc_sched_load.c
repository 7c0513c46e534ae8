/*
 * rpc_sched_load.c: `admin schedule` reads the database into plain
 * structs: the horizon's school days, the planned cycles and their
 * teachers and coaches, the (school, bell period) pairs, and from them
 * the engine's per-day bitmaps (teaching, free, coach availability,
 * observable class periods) and the fixed obstacles.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "rpc_sched_plan.h"
#include "store_sched.h"

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

/*
 * The sessions of a cycle of `model` ("" = the district default).  A
 * model since removed from the configuration falls back to the default
 * rather than leaving the cycle unschedulable.
 */
static unsigned
plan_model_kinds(const struct coachd_config *conf, const char *model)
{
	unsigned	kinds;

	if (*model != '\0' &&
	    (kinds = config_sched_model_kinds(conf, model)) != 0)
		return kinds;
	if (*model != '\0')
		log_warnx("schedule: coaching model '%s' is no longer in the "
		    "configuration; using %s", model,
		    conf->sched_default_model);
	kinds = config_sched_model_kinds(conf, conf->sched_default_model);
	return kinds != 0 ? kinds : SCHED_T_FULL;
}

static int
cycle_row(void *arg, int n, const char *const *c)
{
	struct plan	*p = arg;
	struct p_cycle	*y;
	int		 k;

	if (n < 10)
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
	y->kinds = plan_model_kinds(p->ctx->conf, c[9]);
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
void
plan_build_periods(struct plan *p)
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
void
plan_build_teacher(struct plan *p, struct p_teacher *t)
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
const struct p_slot *
plan_teacher_slot(const struct plan *p, const struct p_teacher *t, int d, int j,
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
 * Periods of day d that have already begun (district-local now): no
 * session can be placed in them, so the coach is not available then.
 */
void
plan_clear_past(const struct plan *p, uint64_t *bits, int d, int today,
    int minute)
{
	const struct tt_bell	*b;
	int			 j;

	if (p->days[d] < today) {
		bits[d] = 0;
		return;
	}
	if (p->days[d] > today)
		return;
	for (j = 0; j < p->n_periods; j++) {
		b = tt_period(&p->tt, p->periods[j].school, p->days[d],
		    p->periods[j].period);
		if (b != NULL && b->start < minute)
			bits[d] &= ~(UINT64_C(1) << j);
	}
}

/*
 * When a coach's day has windows at two schools, the later window begins
 * only once they can have travelled: travel_minutes after the end of the
 * latest earlier window at another school that weekday.  Done on the
 * bitmaps, so the engine needs no notion of travel.
 */
static int
arrival(const struct p_coach *c, const struct p_avail *w, int travel)
{
	size_t	k;
	int	start = w->start;

	for (k = 0; travel > 0 && k < c->n_avail; k++) {
		if (c->avail[k].weekday != w->weekday ||
		    c->avail[k].start >= w->start ||
		    strcmp(c->avail[k].school, w->school) == 0)
			continue;
		if (c->avail[k].end + travel > start)
			start = c->avail[k].end + travel;
	}
	return start;
}

/*
 * Where a coach without availability rows is on day `day`: one of their
 * schools a weekday, in id order (Monday the first).  With more than five
 * schools the weeks take turns (week w's Monday is school 5w mod n, and
 * so on), so that every school gets its days; the mapping depends only on
 * the date, so re-plans agree with earlier ones.
 */
const char *
plan_coach_school(const struct p_coach *c, int day)
{
	int	wd = calendar_weekday(day);
	long	slot = wd;

	if (c->n_schools > 5)	/* day numbers: Monday-aligned weeks */
		slot = 5L * ((day - wd) / 7) + wd;
	return c->schools[(size_t)(slot % (long)c->n_schools)];
}

/*
 * Availability rows when the coach has any; otherwise one school a
 * weekday in turn (Monday the first of their schools...), so a coach
 * serving two schools is never booked at both at overlapping times.
 * Blocks clear the periods they overlap.
 */
void
plan_build_coach(struct plan *p, struct p_coach *c)
{
	const struct tt_bell	*b;
	size_t			 k;
	int			 d, j, wd, today, minute;

	today = calendar_today((long long)p->ctx->now,
	    p->ctx->conf->timezone);
	minute = calendar_minute((long long)p->ctx->now,
	    p->ctx->conf->timezone);
	c->avail_bits = bits_new(p->n_days);
	for (d = 0; d < p->n_days; d++) {
		wd = calendar_weekday(p->days[d]);
		if (c->n_avail > 0) {
			for (k = 0; k < c->n_avail; k++)
				if (c->avail[k].weekday == wd)
					set_school_periods(p, c->avail_bits, d,
					    c->avail[k].school, arrival(c,
					    &c->avail[k], p->ctx->conf->
					    sched_travel_minutes),
					    c->avail[k].end);
		} else if (c->n_schools > 0)
			set_school_periods(p, c->avail_bits, d,
			    plan_coach_school(c, p->days[d]), 0, 1440);
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
		plan_clear_past(p, c->avail_bits, d, today, minute);
	}
}

int
plan_kind_of(const char *name)
{
	int	k;

	for (k = 0; k < SCHED_NKINDS; k++)
		if (strcmp(name, sched_kind_name((enum sched_kind)k)) == 0)
			return k;
	return -1;
}

/*
 * A scheduled cycle is re-planned when all its live sessions (those of
 * its coaching model) lie in the horizon and none is confirmed; otherwise
 * it stays as it is and its sessions are fixed obstacles.
 */
void
plan_mark_prev(struct plan *p, struct p_cycle *y)
{
	size_t	i;
	int	k, n = 0, ok = 1, d, j;

	for (i = 0; i < p->n_sess; i++) {
		if (p->sess[i].cycle != y->id)
			continue;
		k = plan_kind_of(p->sess[i].kind);
		d = day_index(p, p->sess[i].day_num);
		j = period_index(p, p->sess[i].school, p->sess[i].period);
		if (k == -1 || !(y->kinds & SCHED_T_KIND(k)) || d == -1 ||
		    j == -1 ||
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
	y->has_prev = ok && n == __builtin_popcount(y->kinds);
	y->in_problem = y->has_prev;
}

/* ---- the plan as a whole ------------------------------------------------ */

void
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
void
plan_build_observe(struct plan *p, struct p_cycle *y)
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
			    (s = plan_teacher_slot(p, t, d, j, 1)) != NULL &&
			    strcmp(s->class_id, y->class_id) == 0) {
				y->observe[d] |= UINT64_C(1) << j;
				any = 1;
			}
	if (!any) {	/* class not on the timetable: any teaching period */
		free(y->observe);
		y->observe = NULL;
	}
}

int
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
int
plan_people(struct plan *p, char *err, size_t errlen)
{
	struct p_cycle	*y;
	size_t		 i;

	for (i = 0; i < p->n_cycles; i++) {
		y = &p->cycles[i];
		/* scheduled: plan_mark_prev() decides once periods exist */
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
struct sched_fixed *
plan_build_fixed(struct plan *p, const int *cmap, const int *tmap, size_t *n)
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
