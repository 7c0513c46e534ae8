/*
 * sched_setup: the engine's input checks and working state: a problem it
 * cannot represent is refused with what and where; the state holds the
 * per-coach and per-teacher bookings, the cycles of each coach and
 * teacher, and the fixed sessions, booked before any cycle.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"
#include "sched_int.h"

/* Reject problems the engine cannot represent; names what and where. */
int
sched_validate(const struct sched_problem *p, char *err, size_t errlen)
{
	size_t	i;
	int	k;

	if (p->days < 1 || p->days > SCHED_MAX_DAYS) {
		errmsg(err, errlen, "days must be 1..%d", SCHED_MAX_DAYS);
		return -1;
	}
	if (p->n_periods < 1 || p->n_periods > SCHED_MAX_PERIODS) {
		errmsg(err, errlen, "periods must number 1..%d",
		    SCHED_MAX_PERIODS);
		return -1;
	}
	for (i = 0; i < p->n_coaches; i++) {
		const struct sched_coach *c = &p->coaches[i];

		if (c->available == NULL || c->max_per_day < 0 ||
		    c->max_teachers_per_week < 0 || c->max_per_week < 0) {
			errmsg(err, errlen, "coach %zu: missing "
			    "availability or negative limit", i);
			return -1;
		}
	}
	for (i = 0; i < p->n_teachers; i++) {
		if (p->teachers[i].teaching == NULL ||
		    p->teachers[i].free == NULL) {
			errmsg(err, errlen, "teacher %zu: missing "
			    "timetable", i);
			return -1;
		}
	}
	for (i = 0; i < p->n_cycles; i++) {
		const struct sched_cycle *c = &p->cycles[i];

		if (c->coach < 0 || (size_t)c->coach >= p->n_coaches ||
		    c->teacher < 0 || (size_t)c->teacher >= p->n_teachers ||
		    c->debrief_within_days < 0) {
			errmsg(err, errlen, "cycle %zu: bad coach, "
			    "teacher or debrief window", i);
			return -1;
		}
		for (k = 0; c->has_prev && k < SCHED_NKINDS; k++) {
			if (c->prev[k].day < 0)
				continue;
			if (c->prev[k].day >= p->days || c->prev[k].period < 0 ||
			    c->prev[k].period >= p->n_periods) {
				errmsg(err, errlen, "cycle %zu: published "
				    "%s outside the horizon", i,
				    sched_kind_name((enum sched_kind)k));
				return -1;
			}
		}
	}
	for (i = 0; i < p->n_fixed; i++) {
		const struct sched_fixed *f = &p->fixed[i];

		if (f->coach >= (int)p->n_coaches ||
		    f->teacher >= (int)p->n_teachers ||
		    (f->coach < 0 && f->teacher < 0) || f->day < 0 ||
		    f->day >= p->days || f->period < 0 ||
		    f->period >= p->n_periods) {
			errmsg(err, errlen, "fixed session %zu: bad coach, "
			    "teacher or slot", i);
			return -1;
		}
	}
	return 0;
}

/* Compressed lists of the cycles of each coach / teacher. */
static int
build_csr(const struct sched_problem *p, size_t n, int by_teacher,
    size_t **offp, size_t **listp)
{
	size_t	*off, *list, *fill, i, k;

	off = calloc(n + 1, sizeof(*off));
	list = calloc(p->n_cycles ? p->n_cycles : 1, sizeof(*list));
	fill = calloc(n + 1, sizeof(*fill));
	if (off == NULL || list == NULL || fill == NULL) {
		free(off);
		free(list);
		free(fill);
		return -1;
	}
	for (i = 0; i < p->n_cycles; i++) {
		k = (size_t)(by_teacher ? p->cycles[i].teacher :
		    p->cycles[i].coach);
		off[k + 1]++;
	}
	for (i = 0; i < n; i++)
		off[i + 1] += off[i];
	for (i = 0; i < p->n_cycles; i++) {
		k = (size_t)(by_teacher ? p->cycles[i].teacher :
		    p->cycles[i].coach);
		list[off[k] + fill[k]++] = i;
	}
	free(fill);
	*offp = off;
	*listp = list;
	return 0;
}

/* Fixed sessions with both a coach and a teacher, per coach. */
static int
build_fixed(struct sched_st *st)
{
	const struct sched_problem	*p = st->p;
	size_t				 n = p->n_coaches, i, c, *fill;

	st->fcoff = calloc(n + 1, sizeof(*st->fcoff));
	st->fclist = calloc(p->n_fixed ? p->n_fixed : 1, sizeof(*st->fclist));
	fill = calloc(n + 1, sizeof(*fill));
	if (st->fcoff == NULL || st->fclist == NULL || fill == NULL) {
		free(fill);
		return -1;
	}
	for (i = 0; i < p->n_fixed; i++)
		if (p->fixed[i].coach >= 0 && p->fixed[i].teacher >= 0)
			st->fcoff[p->fixed[i].coach + 1]++;
	for (i = 0; i < n; i++)
		st->fcoff[i + 1] += st->fcoff[i];
	for (i = 0; i < p->n_fixed; i++) {
		if (p->fixed[i].coach < 0 || p->fixed[i].teacher < 0)
			continue;
		c = (size_t)p->fixed[i].coach;
		st->fclist[st->fcoff[c] + fill[c]++] = i;
	}
	free(fill);
	return 0;
}

void
sched_st_free(struct sched_st *st)
{
	free(st->cbusy);
	free(st->tbusy);
	free(st->cday);
	free(st->cweek);
	free(st->cper);
	free(st->ctotal);
	free(st->coff);
	free(st->clist);
	free(st->toff);
	free(st->tlist);
	free(st->fcoff);
	free(st->fclist);
	free(st->scratch);
	free(st->slot);
	free(st->placed);
	free(st->pinned);
	free(st->alone);
}

int
sched_st_init(struct sched_st *st, const struct sched_problem *p)
{
	size_t	nc = p->n_coaches, nt = p->n_teachers, ny = p->n_cycles;
	size_t	i, deg = 1;

	memset(st, 0, sizeof(*st));
	st->p = p;
	st->D = p->days;
	st->P = p->n_periods;
	st->W = (p->days + SCHED_DAYS_PER_WEEK - 1) / SCHED_DAYS_PER_WEEK;
	st->rng = p->seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
	if (st->rng == 0)
		st->rng = 1;
	st->cbusy = calloc(nc * st->D + 1, sizeof(*st->cbusy));
	st->tbusy = calloc(nt * st->D + 1, sizeof(*st->tbusy));
	st->cday = calloc(nc * st->D + 1, sizeof(*st->cday));
	st->cweek = calloc(nc * st->W + 1, sizeof(*st->cweek));
	st->cper = calloc(nc * st->P + 1, sizeof(*st->cper));
	st->ctotal = calloc(nc + 1, sizeof(*st->ctotal));
	st->slot = malloc((ny * SCHED_NKINDS + 1) * sizeof(*st->slot));
	st->placed = calloc(ny + 1, 1);
	st->pinned = calloc(ny + 1, 1);
	st->alone = calloc(ny + 1, 1);
	if (st->cbusy == NULL || st->tbusy == NULL || st->cday == NULL ||
	    st->cweek == NULL || st->cper == NULL || st->ctotal == NULL ||
	    st->slot == NULL || st->placed == NULL || st->pinned == NULL ||
	    st->alone == NULL)
		return -1;
	memset(st->slot, 0xff, (ny * SCHED_NKINDS + 1) * sizeof(*st->slot));
	if (build_csr(p, nc, 0, &st->coff, &st->clist) == -1 ||
	    build_csr(p, nt, 1, &st->toff, &st->tlist) == -1 ||
	    build_fixed(st) == -1)
		return -1;
	for (i = 0; i < nc; i++) {
		if (st->coff[i + 1] - st->coff[i] +
		    st->fcoff[i + 1] - st->fcoff[i] + 1 > deg)
			deg = st->coff[i + 1] - st->coff[i] +
			    st->fcoff[i + 1] - st->fcoff[i] + 1;
	}
	st->scratch = calloc(deg, sizeof(*st->scratch));
	return st->scratch == NULL ? -1 : 0;
}

/* Book the fixed sessions; two of them in one slot is an input error. */
int
sched_apply_fixed(struct sched_st *st, char *err, size_t errlen)
{
	const struct sched_problem	*p = st->p;
	size_t				 i, c, t;
	uint64_t			 bit;

	for (i = 0; i < p->n_fixed; i++) {
		const struct sched_fixed *f = &p->fixed[i];

		bit = 1ULL << f->period;
		if (f->coach >= 0) {
			c = (size_t)f->coach;
			if (st->cbusy[c * st->D + f->day] & bit) {
				errmsg(err, errlen, "fixed session %zu "
				    "double-books coach %zu", i, c);
				return -1;
			}
			st->cbusy[c * st->D + f->day] |= bit;
			st->cday[c * st->D + f->day]++;
			st->cweek[c * st->W + f->day / SCHED_DAYS_PER_WEEK]++;
			st->cper[c * st->P + f->period]++;
			st->ctotal[c]++;
		}
		if (f->teacher >= 0) {
			t = (size_t)f->teacher;
			if (st->tbusy[t * st->D + f->day] & bit) {
				errmsg(err, errlen, "fixed session %zu "
				    "double-books teacher %zu", i, t);
				return -1;
			}
			st->tbusy[t * st->D + f->day] |= bit;
		}
	}
	return 0;
}
