/*
 * rpc_sched_build.c: from the loaded plan (rpc_sched_load.c) to the
 * engine's problem: the (school, bell period) pairs, the per-day bitmaps
 * (teaching, free, coach availability, observable class periods), the
 * sessions each cycle had before, and the fixed obstacles.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "rpc_sched_plan.h"
#include "xmalloc.h"


/* One bitmap word per day of the horizon, all clear. */
static uint64_t *
bits_new(int days)
{
	return xcalloc((size_t)days, sizeof(uint64_t));
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

/* Index of teacher id among the plan's teachers, or -1. */
int
plan_find_teacher(const struct plan *p, const char *id)
{
	size_t	i;

	for (i = 0; i < p->n_teachers; i++)
		if (strcmp(p->teachers[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Index of coach id among the plan's coaches, or -1. */
int
plan_find_coach(const struct plan *p, const char *id)
{
	size_t	i;

	for (i = 0; i < p->n_coaches; i++)
		if (strcmp(p->coaches[i].id, id) == 0)
			return (int)i;
	return -1;
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

	p->periods = xcalloc(p->tt.n + 1, sizeof(*p->periods));
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

/* Sessions that stay put, as obstacles of one group (local indices). */
struct sched_fixed *
plan_build_fixed(struct plan *p, const int *cmap, const int *tmap, size_t *n)
{
	struct sched_fixed	*f;
	const struct p_sess	*s;
	size_t			 i, k;
	int			 replanned;

	f = xcalloc(p->n_sess + 1, sizeof(*f));

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
		f[*n].coach = plan_find_coach(p, s->coach);
		f[*n].teacher = plan_find_teacher(p, s->teacher);
		f[*n].coach = f[*n].coach >= 0 ? cmap[f[*n].coach] : -1;
		f[*n].teacher = f[*n].teacher >= 0 ? tmap[f[*n].teacher] : -1;
		if (f[*n].day < 0 || f[*n].period < 0 ||
		    (f[*n].coach < 0 && f[*n].teacher < 0))
			continue;
		(*n)++;
	}
	return f;
}
