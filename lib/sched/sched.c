/*
 * sched: the scheduling engine's state, its hard-rule checks, the search
 * for the best placement of one cycle, the keeping of published
 * placements, and the reasons given to coaches.  The construction order
 * and the local search live in sched_search.c.
 *
 * Time is a slot index s = day * n_periods + period, so "meeting before
 * observation before debrief" is plain integer order.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"
#include "sched_int.h"

/* Feasible placements scored per cycle before taking the best. */
#define SCHED_EVAL_LIMIT	48
#define SCHED_DEFAULT_ITERS	20000

static const char *kind_names[SCHED_NKINDS] = {
	"meeting", "observation", "debrief"
};

/* Name of a session kind. */
const char *
sched_kind_name(enum sched_kind k)
{
	if ((int)k < 0 || k >= SCHED_NKINDS)
		return "?";
	return kind_names[k];
}

/* Kinds a cycle has; 0 means the full three-session template. */
unsigned
sched_kinds(const struct sched_cycle *cy)
{
	unsigned	k = cy->kinds & SCHED_T_FULL;

	return k ? k : SCHED_T_FULL;
}

/* xorshift64*: the only randomness, seeded from the problem. */
uint64_t
sched_rand(struct sched_st *st)
{
	st->rng ^= st->rng >> 12;
	st->rng ^= st->rng << 25;
	st->rng ^= st->rng >> 27;
	return st->rng * 0x2545f4914f6cdd1dULL;
}

/* "P3 on day 2" for reasons. */
void
sched_slot_words(const struct sched_st *st, int s, char *buf, size_t len)
{
	int	d = s / st->P, p = s % st->P;
	char	day[64];

	sched_day_words(st, d, day, sizeof(day));
	if (st->p->period_names != NULL && st->p->period_names[p] != NULL)
		snprintf(buf, len, "%s on %s", st->p->period_names[p], day);
	else
		snprintf(buf, len, "period %d on %s", p, day);
}

/* "Thu 2026-11-26" when the caller named the days, else "day 3". */
void
sched_day_words(const struct sched_st *st, int d, char *buf, size_t len)
{
	if (st->p->day_names != NULL && st->p->day_names[d] != NULL)
		snprintf(buf, len, "%s", st->p->day_names[d]);
	else
		snprintf(buf, len, "day %d", d);
}

/* "the week of Mon 2026-11-30" or "week 1, days 5-9". */
void
sched_week_words(const struct sched_st *st, int w, char *buf, size_t len)
{
	int	d = w * SCHED_DAYS_PER_WEEK;

	if (st->p->day_names != NULL && d < st->D &&
	    st->p->day_names[d] != NULL)
		snprintf(buf, len, "the week of %s", st->p->day_names[d]);
	else
		snprintf(buf, len, "week %d, days %d-%d", w, d,
		    d + SCHED_DAYS_PER_WEEK - 1);
}

uint64_t
sched_period_mask(int n)
{
	return n >= 64 ? ~0ULL : ((1ULL << n) - 1);
}

/*
 * Candidate slots per kind for cycle ci, as per-day bitmaps: the static
 * rules (free / teaching / observe_in / coach available) and, unless
 * relaxed, not already booked.
 */
void
sched_candidates(const struct sched_st *st, size_t ci, unsigned relax,
    uint64_t cand[SCHED_NKINDS][SCHED_MAX_DAYS])
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	const struct sched_coach	*co = &st->p->coaches[cy->coach];
	const struct sched_teacher	*te = &st->p->teachers[cy->teacher];
	uint64_t			 all = sched_period_mask(st->P), busy, avail;
	int				 d;

	for (d = 0; d < st->D; d++) {
		busy = 0;
		if (!(relax & SCHED_R_BUSY))
			busy = st->cbusy[(size_t)cy->coach * st->D + d] |
			    st->tbusy[(size_t)cy->teacher * st->D + d];
		avail = co->available[d] & ~busy & all;
		cand[SCHED_MEETING][d] = avail & te->free[d];
		cand[SCHED_DEBRIEF][d] = avail & te->free[d];
		cand[SCHED_OBSERVATION][d] = avail & te->teaching[d] &
		    (cy->observe_in ? cy->observe_in[d] : all);
	}
}

/* Distinct teachers coach c sees in week w; *has_t if teacher t is one. */
int
sched_week_teachers(struct sched_st *st, int c, int w, int t, int *has_t)
{
	const struct sched_problem	*p = st->p;
	size_t				 i, ci, k;
	int				 n = 0, j, s, tt, seen;

	*has_t = 0;
	for (i = st->coff[c]; i < st->coff[c + 1]; i++) {
		ci = st->clist[i];
		if (!st->placed[ci])
			continue;
		seen = 0;
		for (k = 0; k < SCHED_NKINDS; k++) {
			s = st->slot[ci * SCHED_NKINDS + k];
			if (s >= 0 && s / st->P / SCHED_DAYS_PER_WEEK == w)
				seen = 1;
		}
		if (!seen)
			continue;
		tt = p->cycles[ci].teacher;
		for (j = 0; j < n && st->scratch[j] != tt; j++)
			;
		if (j == n)
			st->scratch[n++] = tt;
	}
	for (i = st->fcoff[c]; i < st->fcoff[c + 1]; i++) {
		const struct sched_fixed *f = &p->fixed[st->fclist[i]];

		if (f->day / SCHED_DAYS_PER_WEEK != w)
			continue;
		for (j = 0; j < n && st->scratch[j] != f->teacher; j++)
			;
		if (j == n)
			st->scratch[n++] = f->teacher;
	}
	for (j = 0; j < n; j++)
		if (st->scratch[j] == t)
			*has_t = 1;
	return n;
}

/* Per week: may this cycle's teacher be seen by its coach that week? */
void
sched_week_ok(struct sched_st *st, size_t ci, unsigned relax, uint8_t *ok)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	int				 lim, w, has;

	lim = st->p->coaches[cy->coach].max_teachers_per_week;
	for (w = 0; w < st->W; w++) {
		if (lim == 0 || (relax & SCHED_R_WEEKT))
			ok[w] = 1;
		else
			ok[w] = sched_week_teachers(st, cy->coach, w, cy->teacher,
			    &has) < lim || has;
	}
}

/* Do the sessions s[] respect the coach's day and week limits? */
int
sched_caps_ok(const struct sched_st *st, size_t ci, unsigned relax,
    const uint8_t *wok, const int16_t *s)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	const struct sched_coach	*co = &st->p->coaches[cy->coach];
	int				 k, j, d, w, nd, nw;

	for (k = 0; k < SCHED_NKINDS; k++) {
		if (s[k] < 0)
			continue;
		d = s[k] / st->P;
		w = d / SCHED_DAYS_PER_WEEK;
		if (!wok[w])
			return 0;
		nd = nw = 0;
		for (j = 0; j < SCHED_NKINDS; j++) {
			if (s[j] < 0)
				continue;
			nd += s[j] / st->P == d;
			nw += s[j] / st->P / SCHED_DAYS_PER_WEEK == w;
		}
		if (co->max_per_day > 0 && !(relax & SCHED_R_DAY) &&
		    st->cday[(size_t)cy->coach * st->D + d] + nd >
		    co->max_per_day)
			return 0;
		if (co->max_per_week > 0 && !(relax & SCHED_R_WEEKS) &&
		    st->cweek[(size_t)cy->coach * st->W + w] + nw >
		    co->max_per_week)
			return 0;
	}
	return 1;
}

/*
 * Soft cost of a feasible placement (lower is better): opening a day the
 * coach has no other session on (isolated sessions), a period the coach
 * does not use yet (consistent times), days between the sessions, an
 * observation outside the class the question is about, and any session
 * that differs from the published one (stability).
 */
static int
soft_cost(const struct sched_st *st, size_t ci, const int16_t *s)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	size_t				 c = (size_t)cy->coach;
	int				 k, j, d, cost = 0, first = -1, last = -1;
	int				 dup;

	for (k = 0; k < SCHED_NKINDS; k++) {
		if (s[k] < 0)
			continue;
		d = s[k] / st->P;
		for (dup = 0, j = 0; j < k; j++)
			if (s[j] >= 0 && s[j] / st->P == d)
				dup = 1;
		if (!dup && st->cday[c * st->D + d] == 0)
			cost += 4;
		if (st->ctotal[c] > 0 && st->cper[c * st->P + s[k] % st->P] == 0)
			cost += 1;
		if (cy->has_prev && (cy->prev[k].day < 0 ||
		    s[k] != cy->prev[k].day * st->P + cy->prev[k].period))
			cost += 64;
		if (k == SCHED_OBSERVATION && cy->prefer_in != NULL &&
		    !(cy->prefer_in[d] >> (s[k] % st->P) & 1))
			cost += 8;
		if (first < 0)
			first = d;
		last = d;
	}
	return cost + (last - first);
}

struct sched_best {
	int16_t	s[SCHED_NKINDS];
	int	cost;
	int	nfeas;
	int	limit;
};

/* Score one candidate placement; 1 if it is feasible. */
static int
consider(struct sched_st *st, size_t ci, unsigned relax, const uint8_t *wok,
    int16_t m, int16_t o, int16_t d, struct sched_best *b)
{
	int16_t	s[SCHED_NKINDS] = { m, o, d };
	int	cost;

	if (!sched_caps_ok(st, ci, relax, wok, s))
		return 0;
	cost = soft_cost(st, ci, s);
	if (st->noise > 0)
		cost += (int)(sched_rand(st) % (unsigned)st->noise);
	b->nfeas++;
	if (cost < b->cost) {
		b->cost = cost;
		memcpy(b->s, s, sizeof(s));
	}
	return 1;
}

static int
top_bit(uint64_t x)
{
	return 63 - __builtin_clzll(x);
}

/*
 * With observation o and debrief d fixed, try meetings from the latest
 * before o backwards, one per day: within a day only the caps can fail
 * and they fail for every slot of that day alike.
 */
static void
try_meetings(struct sched_st *st, size_t ci, unsigned relax,
    const uint8_t *wok, uint64_t cand[SCHED_NKINDS][SCHED_MAX_DAYS],
    int has_m, int16_t o, int16_t d, struct sched_best *b)
{
	int		od = o / st->P, md;
	uint64_t	bits;

	if (!has_m) {
		consider(st, ci, relax, wok, -1, o, d, b);
		return;
	}
	for (md = od; md >= 0 && b->nfeas < b->limit; md--) {
		bits = cand[SCHED_MEETING][md];
		if (md == od)
			bits &= sched_period_mask(o % st->P);
		if (bits == 0)
			continue;
		if (consider(st, ci, relax, wok,
		    (int16_t)(md * st->P + top_bit(bits)), o, d, b) &&
		    !st->p->cycles[ci].has_prev)
			return;
	}
}

/* Debriefs after slot a within the window, then meetings before o. */
static void
try_debriefs(struct sched_st *st, size_t ci, unsigned relax,
    const uint8_t *wok, uint64_t cand[SCHED_NKINDS][SCHED_MAX_DAYS],
    unsigned kinds, int16_t a, struct sched_best *b)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	int				 ad = a / st->P, dd, last;
	uint64_t			 bits;
	int16_t				 ds;

	last = ad + cy->debrief_within_days;
	if (last >= st->D)
		last = st->D - 1;
	for (dd = ad; dd <= last && b->nfeas < b->limit; dd++) {
		bits = cand[SCHED_DEBRIEF][dd];
		if (dd == ad)
			bits &= ~sched_period_mask(a % st->P + 1);
		while (bits && b->nfeas < b->limit) {
			ds = (int16_t)(dd * st->P + __builtin_ctzll(bits));
			bits &= bits - 1;
			if (kinds & SCHED_T_KIND(SCHED_OBSERVATION))
				try_meetings(st, ci, relax, wok, cand,
				    kinds & SCHED_T_KIND(SCHED_MEETING), a,
				    ds, b);
			else
				consider(st, ci, relax, wok, a, -1, ds, b);
		}
	}
}

/*
 * Best placement of cycle ci in the current timetable, ignoring the rule
 * families in relax.  Observations are the anchor, tried earliest first;
 * the debrief follows as closely as possible and the meeting precedes as
 * closely as possible.  Returns 1 and fills out[] if one exists.
 */
int
sched_find(struct sched_st *st, size_t ci, unsigned relax, int16_t *out)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	static const int		 anchor_of[] = { SCHED_OBSERVATION,
					    SCHED_MEETING, SCHED_DEBRIEF };
	uint64_t			 cand[SCHED_NKINDS][SCHED_MAX_DAYS];
	uint8_t				 wok[SCHED_MAX_DAYS];
	struct sched_best		 b;
	unsigned			 kinds = sched_kinds(cy);
	int				 anchor = -1, i, d;
	uint64_t			 bits;
	int16_t				 a;

	for (i = 0; i < 3 && anchor < 0; i++)
		if (kinds & SCHED_T_KIND(anchor_of[i]))
			anchor = anchor_of[i];
	sched_candidates(st, ci, relax, cand);
	sched_week_ok(st, ci, relax, wok);
	b.cost = INT_MAX;
	b.nfeas = 0;
	/* A moved cycle looks at every placement to keep as many of its
	 * published sessions as it can; existence checks stop at one. */
	b.limit = st->exists_only ? 1 : cy->has_prev ? INT_MAX :
	    st->noise ? 4 * SCHED_EVAL_LIMIT : SCHED_EVAL_LIMIT;
	for (d = 0; d < st->D && b.nfeas < b.limit; d++) {
		bits = cand[anchor][d];
		while (bits && b.nfeas < b.limit) {
			a = (int16_t)(d * st->P + __builtin_ctzll(bits));
			bits &= bits - 1;
			if (anchor == SCHED_DEBRIEF)
				consider(st, ci, relax, wok, -1, -1, a, &b);
			else if (kinds & SCHED_T_KIND(SCHED_DEBRIEF))
				try_debriefs(st, ci, relax, wok, cand, kinds,
				    a, &b);
			else if (anchor == SCHED_OBSERVATION)
				try_meetings(st, ci, relax, wok, cand,
				    kinds & SCHED_T_KIND(SCHED_MEETING), a,
				    -1, &b);
			else
				consider(st, ci, relax, wok, a, -1, -1, &b);
		}
	}
	if (b.nfeas == 0)
		return 0;
	memcpy(out, b.s, sizeof(b.s));
	return 1;
}

/* Book (or unbook, sign -1) the sessions s[] of cycle ci. */
static void
book(struct sched_st *st, size_t ci, const int16_t *s, int sign)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	size_t				 c = (size_t)cy->coach;
	size_t				 t = (size_t)cy->teacher;
	int				 k, d, p;
	uint64_t			 bit;

	for (k = 0; k < SCHED_NKINDS; k++) {
		if (s[k] < 0)
			continue;
		d = s[k] / st->P;
		p = s[k] % st->P;
		bit = 1ULL << p;
		if (sign > 0) {
			st->cbusy[c * st->D + d] |= bit;
			st->tbusy[t * st->D + d] |= bit;
		} else {
			st->cbusy[c * st->D + d] &= ~bit;
			st->tbusy[t * st->D + d] &= ~bit;
		}
		st->cday[c * st->D + d] += sign;
		st->cweek[c * st->W + d / SCHED_DAYS_PER_WEEK] += sign;
		st->cper[c * st->P + p] += sign;
		st->ctotal[c] += sign;
	}
}

/* Put cycle ci at s[] (the caller checked it is allowed). */
void
sched_place(struct sched_st *st, size_t ci, const int16_t *s)
{
	memcpy(&st->slot[ci * SCHED_NKINDS], s, SCHED_NKINDS * sizeof(*s));
	book(st, ci, s, 1);
	st->placed[ci] = 1;
}

/* Take cycle ci out of the timetable. */
void
sched_unplace(struct sched_st *st, size_t ci)
{
	book(st, ci, &st->slot[ci * SCHED_NKINDS], -1);
	st->placed[ci] = 0;
}

struct keep_key {
	int	prio;
	size_t	idx;
};

static int
keep_cmp(const void *a, const void *b)
{
	const struct keep_key	*x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio > y->prio ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Keep every published placement that still holds, most urgent first. */
static int
keep_published(struct sched_st *st, struct sched_result *res)
{
	const struct sched_problem	*p = st->p;
	struct keep_key			*key;
	int16_t				 s[SCHED_NKINDS];
	size_t				 i, n = 0, ci;

	key = calloc(p->n_cycles + 1, sizeof(*key));
	if (key == NULL)
		return -1;
	for (i = 0; i < p->n_cycles; i++) {
		if (!p->cycles[i].has_prev)
			continue;
		key[n].prio = p->cycles[i].priority;
		key[n++].idx = i;
	}
	qsort(key, n, sizeof(*key), keep_cmp);
	for (i = 0; i < n; i++) {
		ci = key[i].idx;
		if (sched_check_prev(st, ci, s, res->cycles[ci].reason,
		    sizeof(res->cycles[ci].reason))) {
			sched_place(st, ci, s);
			st->pinned[ci] = 1;
		}
	}
	free(key);
	return 0;
}

/* Same sessions as published? */
static int
same_as_prev(const struct sched_st *st, size_t ci)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	int				 k, s;

	for (k = 0; k < SCHED_NKINDS; k++) {
		s = st->slot[ci * SCHED_NKINDS + k];
		if ((s < 0) != (cy->prev[k].day < 0))
			return 0;
		if (s >= 0 && s != cy->prev[k].day * st->P + cy->prev[k].period)
			return 0;
	}
	return 1;
}

/* Fill the outcome of cycle ci from the final timetable. */
static void
outcome(struct sched_st *st, size_t ci, struct sched_result *res)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	struct sched_outcome		*o = &res->cycles[ci];
	char				 why[SCHED_REASON_MAX];
	int				 k, s;

	for (k = 0; k < SCHED_NKINDS; k++) {
		s = st->placed[ci] ? st->slot[ci * SCHED_NKINDS + k] : -1;
		o->slot[k].day = s < 0 ? -1 : s / st->P;
		o->slot[k].period = s < 0 ? -1 : s % st->P;
	}
	if (st->placed[ci]) {
		res->scheduled++;
		if (st->pinned[ci] || (cy->has_prev && same_as_prev(st, ci))) {
			o->status = SCHED_KEPT;
			o->reason[0] = '\0';
			res->kept++;
		} else if (cy->has_prev) {
			o->status = SCHED_MOVED;
			res->moved++;
		} else {
			o->status = SCHED_PLACED;
			o->reason[0] = '\0';
		}
		return;
	}
	sched_diagnose(st, ci, why, sizeof(why));
	res->unscheduled++;
	if (cy->has_prev) {
		o->status = SCHED_DROPPED;
		res->moved++;
		/* Keep what broke the published slot, then why no other. */
		k = (int)strlen(o->reason);
		snprintf(o->reason + k, sizeof(o->reason) - (size_t)k,
		    "%s%s", k ? "; now " : "", why);
	} else {
		o->status = SCHED_UNSCHEDULED;
		snprintf(o->reason, sizeof(o->reason), "%s", why);
	}
}

/* Free a result filled by sched_solve. */
void
sched_result_free(struct sched_result *res)
{
	if (res == NULL)
		return;
	free(res->cycles);
	memset(res, 0, sizeof(*res));
}

/* Place the problem's cycles; see sched.h. */
int
sched_solve(const struct sched_problem *p, struct sched_result *res,
    char *err, size_t errlen)
{
	struct sched_st	 st;
	int16_t		 s[SCHED_NKINDS];
	size_t		 i;
	uint64_t	 budget;
	int		 rc = -1;

	memset(res, 0, sizeof(*res));
	if (sched_validate(p, err, errlen) == -1)
		return -1;
	if (sched_st_init(&st, p) == -1) {
		errmsg(err, errlen, "out of memory");
		goto out;
	}
	res->cycles = calloc(p->n_cycles + 1, sizeof(*res->cycles));
	if (res->cycles == NULL) {
		errmsg(err, errlen, "out of memory");
		goto out;
	}
	res->n_cycles = p->n_cycles;
	if (sched_apply_fixed(&st, err, errlen) == -1)
		goto out;
	st.exists_only = 1;
	for (i = 0; i < p->n_cycles; i++) {
		st.alone[i] = (uint8_t)sched_find(&st, i, 0, s);
		res->feasible_alone += st.alone[i];
	}
	st.exists_only = 0;
	if (keep_published(&st, res) == -1) {
		errmsg(err, errlen, "out of memory");
		goto out;
	}
	sched_construct(&st);
	budget = p->iterations ? p->iterations : SCHED_DEFAULT_ITERS;
	res->iterations = sched_improve(&st, budget);
	st.exists_only = 1;	/* diagnosis only asks "is there any?" */
	for (i = 0; i < p->n_cycles; i++)
		outcome(&st, i, res);
	rc = 0;
out:
	sched_st_free(&st);
	if (rc == -1)
		sched_result_free(res);
	return rc;
}
