/*
 * test_match: unit tests for the matching engine (lib/match/match.c): small
 * hand-checked instances, the lexicographic objective, zero capacities,
 * requests without edges, determinism, input errors, the score model and
 * a brute-force cross-check on random small instances.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Solve and check the plan is feasible; fails the test on error. */
static void
solve_ok(const struct match_problem *p, struct match_result *r)
{
	char	err[256] = "";

	if (match_solve(p, r, err, sizeof(err)) != 0)
		fail_msg("match_solve: %s", err);
	if (match_check(p, r, err, sizeof(err)) != 0)
		fail_msg("match_check: %s", err);
}

/* A request and the coach (or score) the optimum must give it. */
struct want {
	int		request;	/* -1 ends a list */
	int64_t		value;
};

/* A small hand-checked instance and what its optimum must hold. */
struct solve_case {
	const uint32_t		*cap;
	size_t			 ncoaches;
	size_t			 nrequests;
	const struct match_edge	*edges;
	size_t			 nedges;
	size_t			 assigned;
	uint64_t		 total;
	struct want		 coach[3];
	struct want		 score[2];
};

#define CASE_CAP(...)	(const uint32_t[]){ __VA_ARGS__ }, \
	NELEM(((const uint32_t[]){ __VA_ARGS__ }))
#define CASE_EDGES(...)	(const struct match_edge[]){ __VA_ARGS__ }, \
	NELEM(((const struct match_edge[]){ __VA_ARGS__ }))

/* One coach, two requests: the better pair wins. */
static const struct solve_case single_coach_takes_best = {
	CASE_CAP(1), 2, CASE_EDGES({ 0, 0, 5 }, { 1, 0, 7 }), 1, 7,
	{ { 0, -1 }, { 1, 0 }, { -1, 0 } }, { { 1, 7 }, { -1, 0 } },
};

/* Two modest pairs beat one excellent pair: count comes first. */
static const struct solve_case count_before_score = {
	CASE_CAP(1, 1), 2,
	CASE_EDGES({ 0, 0, 100 }, { 0, 1, 1 }, { 1, 0, 1 }), 2, 2,
	{ { 0, 1 }, { 1, 0 }, { -1, 0 } }, { { -1, 0 } },
};

/*
 * A long augmenting path that loses a lot of score: r0..r3 each sit on a
 * high-score coach; a fifth request can only be placed by shifting all of
 * them down a chain onto low-score coaches.
 */
static const struct solve_case long_augmenting_path = {
	CASE_CAP(1, 1, 1, 1, 1), 5,
	CASE_EDGES({ 0, 0, 1000 }, { 0, 1, 0 }, { 1, 1, 1000 }, { 1, 2, 0 },
	    { 2, 2, 1000 }, { 2, 3, 0 }, { 3, 3, 1000 }, { 3, 4, 0 },
	    { 4, 0, 0 }), 5, 0,
	{ { -1, 0 } }, { { -1, 0 } },
};

/* A zero capacity holds, and a request without edges stays unassigned. */
static const struct solve_case capacity_respected = {
	CASE_CAP(2, 0), 4,
	CASE_EDGES({ 0, 0, 3 }, { 1, 0, 4 }, { 2, 0, 5 }, { 0, 1, 9 },
	    { 1, 1, 9 }, { 2, 1, 9 }), 2, 9,
	{ { 0, -1 }, { 3, -1 }, { -1, 0 } }, { { -1, 0 } },
};

static void
test_solve_case(void **state)
{
	const struct solve_case	*c = *state;
	struct match_problem	 p = { c->ncoaches, c->cap, c->nrequests,
				    c->nedges, c->edges };
	struct match_result	 r;
	const struct want	*w;

	solve_ok(&p, &r);
	assert_int_equal(r.assigned, c->assigned);
	assert_int_equal(r.total_score, c->total);
	for (w = c->coach; w->request != -1; w++)
		assert_int_equal(r.coach[w->request], w->value);
	for (w = c->score; w->request != -1; w++)
		assert_int_equal(r.score[w->request], w->value);
	match_result_free(&r);
}

#define SOLVE_CASE(c)	{ "test_" #c, test_solve_case, NULL, NULL, \
	(void *)&(c) }

static void
test_empty_problems(void **state)
{
	struct match_problem	p = { 0, NULL, 0, 0, NULL };
	uint32_t		cap[] = { 3 };
	struct match_problem	q = { 1, cap, 3, 0, NULL };
	struct match_result	r;

	(void)state;
	solve_ok(&p, &r);
	assert_int_equal(r.assigned, 0);
	match_result_free(&r);
	solve_ok(&q, &r);
	assert_int_equal(r.assigned, 0);
	assert_int_equal(r.coach[2], -1);
	match_result_free(&r);
}

/* Many equal optima: the same input must give the same plan every time. */
static void
test_ties_deterministic(void **state)
{
	uint32_t		cap[] = { 2, 2, 2 };
	struct match_edge	e[30];
	struct match_problem	p = { 3, cap, 10, 0, e };
	struct match_result	a, b;
	uint32_t		i, c;

	(void)state;
	for (i = 0; i < 10; i++)
		for (c = 0; c < 3; c++) {
			e[p.n_edges].request = i;
			e[p.n_edges].coach = c;
			e[p.n_edges].score = 10;
			p.n_edges++;
		}
	solve_ok(&p, &a);
	for (i = 0; i < 5; i++) {
		solve_ok(&p, &b);
		assert_memory_equal(a.coach, b.coach,
		    p.n_requests * sizeof(*a.coach));
		match_result_free(&b);
	}
	assert_int_equal(a.assigned, 6);
	assert_int_equal(a.total_score, 60);
	match_result_free(&a);
}

static void
test_bad_input(void **state)
{
	uint32_t		cap[] = { 1 };
	struct match_edge	bad_req[] = { { 3, 0, 1 } };
	struct match_edge	bad_coach[] = { { 0, 1, 1 } };
	struct match_edge	bad_score[] = { { 0, 0, MATCH_SCORE_MAX + 1 } };
	struct match_problem	p = { 1, cap, 1, 1, bad_req };
	struct match_result	r;
	char			err[128];

	(void)state;
	assert_int_equal(match_solve(&p, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "request index 3"));
	assert_null(r.coach);
	p.edges = bad_coach;
	assert_int_equal(match_solve(&p, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "coach index 1"));
	p.edges = bad_score;
	assert_int_equal(match_solve(&p, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "score"));
}

/* Small deterministic generator, so the test is the same everywhere. */
static uint32_t
lcg(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

/* Exhaustive search: best (count, score) over all feasible plans. */
static void
brute(const struct match_problem *p, size_t r, uint32_t *load, size_t n,
    uint64_t s, size_t *bn, uint64_t *bs)
{
	size_t	i;

	if (r == p->n_requests) {
		if (n > *bn || (n == *bn && s > *bs)) {
			*bn = n;
			*bs = s;
		}
		return;
	}
	brute(p, r + 1, load, n, s, bn, bs);
	for (i = 0; i < p->n_edges; i++) {
		const struct match_edge	*e = &p->edges[i];

		if (e->request != r || load[e->coach] >= p->capacity[e->coach])
			continue;
		load[e->coach]++;
		brute(p, r + 1, load, n + 1, s + e->score, bn, bs);
		load[e->coach]--;
	}
}

static void
test_random_vs_brute_force(void **state)
{
	uint32_t		cap[4], load[4];
	struct match_edge	e[7 * 4];
	struct match_problem	p;
	struct match_result	r;
	uint32_t		seed = 12345;
	unsigned		iter;
	size_t			bn;
	uint64_t		bs;
	uint32_t		i, c;

	(void)state;
	for (iter = 0; iter < 400; iter++) {
		memset(&p, 0, sizeof(p));
		p.n_coaches = 1 + (size_t)(lcg(&seed) % 4);
		p.n_requests = (size_t)(lcg(&seed) % 8);
		p.capacity = cap;
		p.edges = e;
		for (c = 0; c < p.n_coaches; c++)
			cap[c] = (uint32_t)(lcg(&seed) % 3);
		for (i = 0; i < p.n_requests; i++)
			for (c = 0; c < p.n_coaches; c++) {
				if (lcg(&seed) % 2)
					continue;
				/* Few distinct scores, so ties are common. */
				e[p.n_edges].request = i;
				e[p.n_edges].coach = c;
				e[p.n_edges].score =
				    (uint32_t)(lcg(&seed) % 4) * 5;
				p.n_edges++;
			}
		memset(load, 0, sizeof(load));
		bn = 0;
		bs = 0;
		brute(&p, 0, load, 0, 0, &bn, &bs);
		solve_ok(&p, &r);
		assert_int_equal(r.assigned, bn);
		assert_int_equal(r.total_score, bs);
		match_result_free(&r);
	}
}

static void
test_score_model(void **state)
{
	struct match_weights	w;
	struct match_features	f = { 1, 1, 2, 1, 1, 45, 0, 0 };
	struct match_score	s;
	char			err[128];

	(void)state;
	match_weights_default(&w);
	assert_int_equal(match_weights_check(&w, err, sizeof(err)), 0);
	assert_int_equal(match_score_pair(&w, &f, &s), 1);
	assert_int_equal(s.expertise, 35);
	assert_int_equal(s.interest, 10);
	assert_int_equal(s.continuity, 15);
	assert_int_equal(s.aging, 30);		/* capped at 30 days */
	assert_int_equal(s.boost, 0);
	assert_int_equal(s.total, 90);
	f.boosted = 1;				/* an admin's boost */
	assert_int_equal(match_score_pair(&w, &f, &s), 1);
	assert_int_equal(s.boost, 30);
	assert_int_equal(s.total, 120);
	f.new_teacher = 1;			/* and a new teacher's */
	assert_int_equal(match_score_pair(&w, &f, &s), 1);
	assert_int_equal(s.new_teacher, 10);
	assert_int_equal(s.total, 130);
	f.boosted = 0;
	f.new_teacher = 0;

	f.expertise_level = 0;			/* interest only */
	assert_int_equal(match_score_pair(&w, &f, &s), 1);
	assert_int_equal(s.total, 0 + 10 + 15 + 30);
	w.allow_interest_only = 0;
	assert_int_equal(match_score_pair(&w, &f, &s), 0);
	assert_int_equal(s.total, 0);

	f.expertise_level = 1;
	f.active = 0;
	assert_int_equal(match_score_pair(&w, &f, &s), 0);
	f.active = 1;
	f.serves_school = 0;
	assert_int_equal(match_score_pair(&w, &f, &s), 0);

	w.aging_per_day = 100000;
	assert_int_equal(match_weights_check(&w, err, sizeof(err)), -1);
	w.aging_per_day = 1;
	w.boost = MATCH_SCORE_MAX;		/* the boost counts in the top */
	assert_int_equal(match_weights_check(&w, err, sizeof(err)), -1);
}

static void
test_diff_plans(void **state)
{
	int32_t			old[] = { -1, 0, 1, 2, -1 };
	int32_t			cur[] = { 0, 0, 2, -1, -1 };
	struct match_diff	d;

	(void)state;
	match_diff_plans(old, cur, NELEM(old), &d);
	assert_int_equal(d.added, 1);
	assert_int_equal(d.kept, 1);
	assert_int_equal(d.moved, 1);
	assert_int_equal(d.removed, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		SOLVE_CASE(single_coach_takes_best),
		SOLVE_CASE(count_before_score),
		SOLVE_CASE(long_augmenting_path),
		SOLVE_CASE(capacity_respected),
		cmocka_unit_test(test_empty_problems),
		cmocka_unit_test(test_ties_deterministic),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_random_vs_brute_force),
		cmocka_unit_test(test_score_model),
		cmocka_unit_test(test_diff_plans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
