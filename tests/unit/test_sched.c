/*
 * Unit tests for the scheduling engine (lib/sched/include/sched.h): one small
 * handmade timetable per rule, determinism for a seed, templates, and
 * incremental re-planning that must move only the affected teacher.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sched.h"

#define ND	10
#define NP	4
#define MAXC	4
#define MAXT	8
#define MAXY	16

/* A small district: bitmaps, people and cycles in one fixture. */
struct fx {
	uint64_t		cav[MAXC][ND];
	uint64_t		teach[MAXT][ND];
	uint64_t		fr[MAXT][ND];
	uint64_t		obs[MAXY][ND];
	struct sched_coach	co[MAXC];
	struct sched_teacher	te[MAXT];
	struct sched_cycle	cy[MAXY];
	struct sched_fixed	fixed[4];
	struct sched_problem	p;
	struct sched_result	r;
};

static const char *cnames[MAXC] = { "c0", "c1", "c2", "c3" };
static const char *tnames[MAXT] = { "t0", "t1", "t2", "t3", "t4", "t5",
	"t6", "t7" };
static const char *ynames[MAXY] = { "k0", "k1", "k2", "k3", "k4", "k5",
	"k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13", "k14", "k15" };
static const char *pnames[NP] = { "P1", "P2", "P3", "P4" };

/* Coaches available always; teachers teach P1, P3 and are free P2, P4. */
static void
fx_init(struct fx *f, int days, size_t nc, size_t nt)
{
	size_t	i;
	int	d;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < MAXC; i++) {
		for (d = 0; d < ND; d++)
			f->cav[i][d] = 0xf;
		f->co[i].name = cnames[i];
		f->co[i].available = f->cav[i];
	}
	for (i = 0; i < MAXT; i++) {
		for (d = 0; d < ND; d++) {
			f->teach[i][d] = 0x5;
			f->fr[i][d] = 0xa;
		}
		f->te[i].name = tnames[i];
		f->te[i].teaching = f->teach[i];
		f->te[i].free = f->fr[i];
	}
	f->p.days = days;
	f->p.n_periods = NP;
	f->p.period_names = pnames;
	f->p.coaches = f->co;
	f->p.n_coaches = nc;
	f->p.teachers = f->te;
	f->p.n_teachers = nt;
	f->p.cycles = f->cy;
	f->p.fixed = f->fixed;
	f->p.seed = 1;
}

static void
fx_cycle(struct fx *f, int coach, int teacher, int window)
{
	struct sched_cycle	*c = &f->cy[f->p.n_cycles];

	memset(c, 0, sizeof(*c));
	c->name = ynames[f->p.n_cycles];
	c->coach = coach;
	c->teacher = teacher;
	c->debrief_within_days = window;
	c->prev[0].day = c->prev[1].day = c->prev[2].day = -1;
	f->p.n_cycles++;
}

static int
at(const struct sched_slot *s)
{
	return s->day * NP + s->period;
}

/* Every hard rule, checked directly on the result. */
static void
assert_valid(const struct fx *f)
{
	int	cbook[MAXC][ND * NP], tbook[MAXT][ND * NP];
	int	perday[MAXC][ND], perweek[MAXC][2], seen[MAXC][2][MAXT];
	size_t	i;
	int	k, s, d, c, t, w, n, last;

	memset(cbook, 0, sizeof(cbook));
	memset(tbook, 0, sizeof(tbook));
	memset(perday, 0, sizeof(perday));
	memset(perweek, 0, sizeof(perweek));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < f->p.n_fixed; i++) {
		s = f->fixed[i].day * NP + f->fixed[i].period;
		if (f->fixed[i].coach >= 0) {
			cbook[f->fixed[i].coach][s]++;
			perday[f->fixed[i].coach][f->fixed[i].day]++;
			perweek[f->fixed[i].coach][f->fixed[i].day / 5]++;
		}
		if (f->fixed[i].teacher >= 0)
			tbook[f->fixed[i].teacher][s]++;
	}
	for (i = 0; i < f->p.n_cycles; i++) {
		const struct sched_outcome *o = &f->r.cycles[i];
		const struct sched_cycle *cy = &f->cy[i];
		unsigned kinds = cy->kinds ? cy->kinds : SCHED_T_FULL;

		if (o->status == SCHED_UNSCHEDULED ||
		    o->status == SCHED_DROPPED) {
			assert_true(o->reason[0] != '\0');
			for (k = 0; k < SCHED_NKINDS; k++)
				assert_int_equal(o->slot[k].day, -1);
			continue;
		}
		c = cy->coach;
		t = cy->teacher;
		last = -1;
		for (k = 0; k < SCHED_NKINDS; k++) {
			if (!(kinds & SCHED_T_KIND(k))) {
				assert_int_equal(o->slot[k].day, -1);
				continue;
			}
			assert_true(o->slot[k].day >= 0);
			s = at(&o->slot[k]);
			d = o->slot[k].day;
			assert_true(s > last);
			last = s;
			assert_true(f->cav[c][d] >> o->slot[k].period & 1);
			if (k == SCHED_OBSERVATION) {
				assert_true(f->teach[t][d] >>
				    o->slot[k].period & 1);
				if (cy->observe_in)
					assert_true(cy->observe_in[d] >>
					    o->slot[k].period & 1);
			} else
				assert_true(f->fr[t][d] >> o->slot[k].period & 1);
			cbook[c][s]++;
			tbook[t][s]++;
			perday[c][d]++;
			perweek[c][d / 5]++;
			seen[c][d / 5][t] = 1;
		}
		if ((kinds & 0x6) == 0x6)
			assert_true(o->slot[2].day - o->slot[1].day <=
			    cy->debrief_within_days);
	}
	for (c = 0; c < MAXC; c++) {
		for (s = 0; s < ND * NP; s++)
			assert_true(cbook[c][s] <= 1);
		for (d = 0; d < ND; d++)
			if (f->co[c].max_per_day)
				assert_true(perday[c][d] <= f->co[c].max_per_day);
		for (w = 0; w < 2; w++) {
			if (f->co[c].max_per_week)
				assert_true(perweek[c][w] <=
				    f->co[c].max_per_week);
			for (n = 0, t = 0; t < MAXT; t++)
				n += seen[c][w][t];
			if (f->co[c].max_teachers_per_week)
				assert_true(n <= f->co[c].max_teachers_per_week);
		}
	}
	for (t = 0; t < MAXT; t++)
		for (s = 0; s < ND * NP; s++)
			assert_true(tbook[t][s] <= 1);
}

static void
solve_ok(struct fx *f)
{
	char	err[256];

	assert_int_equal(sched_solve(&f->p, &f->r, err, sizeof(err)), 0);
	assert_int_equal(f->r.n_cycles, f->p.n_cycles);
	assert_valid(f);
}

static void
test_one_cycle(void **state)
{
	struct fx	f;

	(void)state;
	fx_init(&f, 1, 1, 1);
	fx_cycle(&f, 0, 0, 2);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 1);
	/* Only order on one day: P2 meeting, P3 observation, P4 debrief. */
	assert_int_equal(f.r.cycles[0].slot[0].period, 1);
	assert_int_equal(f.r.cycles[0].slot[1].period, 2);
	assert_int_equal(f.r.cycles[0].slot[2].period, 3);
	sched_result_free(&f.r);
}

static void
test_order_and_window(void **state)
{
	struct fx	f;
	int		d;

	(void)state;
	/* Teaching only on day 0 P1, free on day 0 P2 and day 3 only: the
	 * meeting cannot precede the only observation. */
	fx_init(&f, 5, 1, 1);
	for (d = 0; d < ND; d++)
		f.teach[0][d] = f.fr[0][d] = 0;
	f.teach[0][0] = 0x1;
	f.fr[0][0] = 0x2;
	f.fr[0][3] = 0x2;
	fx_cycle(&f, 0, 0, 3);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 0);
	assert_non_null(strstr(f.r.cycles[0].reason, "no observation of t0"));
	sched_result_free(&f.r);

	/* Observation day 1, free day 0 and day 4: window 2 too short. */
	f.teach[0][0] = 0;
	f.teach[0][1] = 0x1;
	f.fr[0][3] = 0;
	f.fr[0][4] = 0x2;
	f.cy[0].debrief_within_days = 2;
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 0);
	sched_result_free(&f.r);
	f.cy[0].debrief_within_days = 3;
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 1);
	assert_int_equal(f.r.cycles[0].slot[2].day, 4);
	sched_result_free(&f.r);

	/* Without an observation (a meeting + debrief model) the reason
	 * speaks of two free periods, not of an observation: free on day 0
	 * and day 4 only, window 2. */
	f.cy[0].kinds = SCHED_T_KIND(SCHED_MEETING) |
	    SCHED_T_KIND(SCHED_DEBRIEF);
	f.cy[0].debrief_within_days = 2;
	f.fr[0][0] = 0x2;
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 0);
	assert_non_null(strstr(f.r.cycles[0].reason, "no free period of t0"));
	assert_null(strstr(f.r.cycles[0].reason, "observation"));
	sched_result_free(&f.r);
}

static void
test_observe_in(void **state)
{
	struct fx	f;

	(void)state;
	fx_init(&f, 3, 1, 1);
	f.obs[0][2] = 0x4;	/* only day 2, P3 */
	fx_cycle(&f, 0, 0, 2);
	f.cy[0].observe_in = f.obs[0];
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 1);
	assert_int_equal(f.r.cycles[0].slot[1].day, 2);
	assert_int_equal(f.r.cycles[0].slot[1].period, 2);
	sched_result_free(&f.r);
}

static void
test_prefer_class(void **state)
{
	struct fx	f;

	(void)state;
	/* Either class can be observed; the question is about P3 on
	 * day 1, so that is where the observation goes. */
	fx_init(&f, 3, 1, 1);
	f.obs[0][1] = 0x4;
	fx_cycle(&f, 0, 0, 2);
	f.cy[0].prefer_in = f.obs[0];
	solve_ok(&f);
	assert_int_equal(f.r.cycles[0].slot[1].day, 1);
	assert_int_equal(f.r.cycles[0].slot[1].period, 2);
	sched_result_free(&f.r);
}

static void
test_no_double_booking(void **state)
{
	struct fx	f;

	(void)state;
	/* One day, one teacher, two coaches: room for one cycle only. */
	fx_init(&f, 1, 2, 1);
	fx_cycle(&f, 0, 0, 2);
	fx_cycle(&f, 1, 0, 2);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 1);
	assert_int_equal(f.r.unscheduled, 1);
	assert_non_null(strstr(f.r.cycles[f.r.cycles[0].status ==
	    SCHED_PLACED ? 1 : 0].reason, "taken by other sessions"));
	sched_result_free(&f.r);
}

static void
test_priority(void **state)
{
	struct fx	f;

	(void)state;
	/* Room for one of two cycles: the more urgent one gets it, for
	 * either seed. */
	fx_init(&f, 1, 2, 1);
	fx_cycle(&f, 0, 0, 2);
	fx_cycle(&f, 1, 0, 2);
	f.cy[1].priority = 5;
	for (f.p.seed = 0; f.p.seed < 4; f.p.seed++) {
		solve_ok(&f);
		assert_int_equal(f.r.cycles[1].status, SCHED_PLACED);
		assert_int_equal(f.r.cycles[0].status, SCHED_UNSCHEDULED);
		sched_result_free(&f.r);
	}
}

static void
test_max_per_day(void **state)
{
	struct fx	f;

	(void)state;
	fx_init(&f, 1, 1, 1);
	f.co[0].max_per_day = 2;
	fx_cycle(&f, 0, 0, 2);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 0);
	assert_string_equal(f.r.cycles[0].reason,
	    "c0 would have 3 sessions on day 0 (limit 2 a day)");
	sched_result_free(&f.r);
	f.p.days = 2;
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 1);
	sched_result_free(&f.r);
}

static void
test_teachers_per_week(void **state)
{
	struct fx	f;

	(void)state;
	/* Three teachers, limit 2 a week, one week: two cycles fit. */
	fx_init(&f, 5, 1, 3);
	f.co[0].max_teachers_per_week = 2;
	fx_cycle(&f, 0, 0, 2);
	fx_cycle(&f, 0, 1, 2);
	fx_cycle(&f, 0, 2, 2);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 2);
	assert_int_equal(f.r.unscheduled, 1);
	sched_result_free(&f.r);
	/* A second week lets the third in. */
	f.p.days = 10;
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 3);
	sched_result_free(&f.r);
	/* The reason names the week and the limit. */
	f.p.days = 5;
	f.co[0].max_teachers_per_week = 1;
	fx_cycle(&f, 0, 0, 2);	/* same teacher again: still fits */
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 2);
	for (size_t i = 0; i < f.p.n_cycles; i++)
		if (f.r.cycles[i].status == SCHED_UNSCHEDULED)
			assert_non_null(strstr(f.r.cycles[i].reason,
			    "already sees 1 distinct teachers in week 0"));
	sched_result_free(&f.r);
}

static void
test_max_per_week_and_fixed(void **state)
{
	struct fx	f;

	(void)state;
	fx_init(&f, 5, 1, 3);
	f.co[0].max_per_week = 7;
	fx_cycle(&f, 0, 0, 2);
	fx_cycle(&f, 0, 1, 2);
	fx_cycle(&f, 0, 2, 2);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 2);
	sched_result_free(&f.r);
	/* A fixed session counts toward the cap: now only one fits. */
	f.fixed[0].coach = 0;
	f.fixed[0].teacher = -1;
	f.fixed[0].day = 0;
	f.fixed[0].period = 0;
	f.fixed[1].coach = 0;
	f.fixed[1].teacher = -1;
	f.fixed[1].day = 0;
	f.fixed[1].period = 1;
	f.p.n_fixed = 2;
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 1);
	sched_result_free(&f.r);
}

static void
test_deterministic(void **state)
{
	struct fx		f;
	struct sched_result	first;
	size_t			i;

	(void)state;
	fx_init(&f, 10, 3, 8);
	f.co[0].max_per_day = f.co[1].max_per_day = f.co[2].max_per_day = 3;
	f.co[0].max_teachers_per_week = 2;
	for (i = 0; i < MAXY; i++)
		fx_cycle(&f, (int)(i % 3), (int)(i % 8), 1);
	f.p.seed = 42;
	solve_ok(&f);
	first = f.r;
	solve_ok(&f);
	assert_int_equal(first.scheduled, f.r.scheduled);
	assert_memory_equal(first.cycles, f.r.cycles,
	    f.p.n_cycles * sizeof(*first.cycles));
	sched_result_free(&f.r);
	sched_result_free(&first);
	f.p.seed = 43;
	solve_ok(&f);
	sched_result_free(&f.r);
}

static void
test_replan_one_teacher(void **state)
{
	struct fx	f;
	size_t		i;
	int		k, d, victim = -1;

	(void)state;
	fx_init(&f, 10, 3, 6);
	for (i = 0; i < 12; i++)
		fx_cycle(&f, (int)(i % 3), (int)(i % 6), 2);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 12);
	/* Publish everything, then teacher t2 loses the free period of
	 * her first cycle's meeting. */
	for (i = 0; i < f.p.n_cycles; i++) {
		f.cy[i].has_prev = 1;
		for (k = 0; k < SCHED_NKINDS; k++)
			f.cy[i].prev[k] = f.r.cycles[i].slot[k];
		if (victim < 0 && f.cy[i].teacher == 2)
			victim = (int)i;
	}
	d = f.r.cycles[victim].slot[0].day;
	f.fr[2][d] &= ~(1ULL << f.r.cycles[victim].slot[0].period);
	sched_result_free(&f.r);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 12);
	assert_int_equal(f.r.cycles[victim].status, SCHED_MOVED);
	assert_non_null(strstr(f.r.cycles[victim].reason,
	    "t2 is no longer free in"));
	for (i = 0; i < f.p.n_cycles; i++) {
		if (f.cy[i].teacher == 2)
			continue;
		assert_int_equal(f.r.cycles[i].status, SCHED_KEPT);
	}
	assert_true(f.r.moved >= 1);
	assert_true(f.r.kept >= 10);
	sched_result_free(&f.r);

	/* t2 loses every free period: its cycles are dropped, with what
	 * broke and why nothing else fits; the others stay put. */
	memset(f.fr[2], 0, sizeof(f.fr[2]));
	solve_ok(&f);
	for (i = 0; i < f.p.n_cycles; i++) {
		if (f.cy[i].teacher != 2) {
			assert_int_equal(f.r.cycles[i].status, SCHED_KEPT);
			continue;
		}
		assert_int_equal(f.r.cycles[i].status, SCHED_DROPPED);
		assert_non_null(strstr(f.r.cycles[i].reason,
		    "t2 is no longer free in"));
		assert_non_null(strstr(f.r.cycles[i].reason, "; now no period"));
	}
	sched_result_free(&f.r);
}

static void
test_template(void **state)
{
	struct fx	f;

	(void)state;
	fx_init(&f, 1, 1, 1);
	fx_cycle(&f, 0, 0, 0);
	f.cy[0].kinds = SCHED_T_KIND(SCHED_OBSERVATION) |
	    SCHED_T_KIND(SCHED_DEBRIEF);
	solve_ok(&f);
	assert_int_equal(f.r.scheduled, 1);
	assert_int_equal(f.r.cycles[0].slot[0].day, -1);
	assert_int_equal(f.r.cycles[0].slot[1].period, 0);
	sched_result_free(&f.r);
}

static void
test_bad_problem(void **state)
{
	struct fx	f;
	char		err[256];

	(void)state;
	fx_init(&f, 1, 1, 1);
	fx_cycle(&f, 0, 5, 2);	/* teacher out of range */
	assert_int_equal(sched_solve(&f.p, &f.r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cycle 0"));
	f.cy[0].teacher = 0;
	f.p.n_periods = 65;
	assert_int_equal(sched_solve(&f.p, &f.r, err, sizeof(err)), -1);
	f.p.n_periods = NP;
	f.fixed[0].coach = 0;
	f.fixed[0].teacher = -1;
	f.fixed[1] = f.fixed[0];
	f.p.n_fixed = 2;
	assert_int_equal(sched_solve(&f.p, &f.r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "double-books"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_cycle),
		cmocka_unit_test(test_order_and_window),
		cmocka_unit_test(test_observe_in),
		cmocka_unit_test(test_prefer_class),
		cmocka_unit_test(test_no_double_booking),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_max_per_day),
		cmocka_unit_test(test_teachers_per_week),
		cmocka_unit_test(test_max_per_week_and_fixed),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_replan_one_teacher),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_bad_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
