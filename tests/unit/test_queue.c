/*
 * test_queue: the question state machine, topic suggestion, queue order
 * under aging with a fixed clock, the one-active-question rule, standing
 * and statistics, all against hand-computed fixtures (docs/queues.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "queue.h"

#define H	3600
#define D	(24 * H)
#define NOW	((int64_t)1795608000)	/* Wed 2026-11-25 12:00 UTC, ISO W48 */

/* --- state machine ----------------------------------------------------- */

static void
test_state_names(void **state)
{
	enum queue_state	s;
	enum queue_role		r;
	int			i;

	(void)state;
	for (i = 0; i < QUEUE_NSTATES; i++) {
		assert_int_equal(queue_state_parse(
		    queue_state_name((enum queue_state)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_string_equal(queue_state_name(QUEUE_IN_CYCLE), "in-cycle");
	assert_int_equal(queue_state_parse("IN_CYCLE", &s), 0);
	assert_int_equal(s, QUEUE_IN_CYCLE);
	assert_int_equal(queue_state_parse("done", &s), -1);
	assert_int_equal(queue_role_parse("Admin", &r), 0);
	assert_int_equal(r, QUEUE_ROLE_ADMIN);
	assert_int_equal(queue_role_parse("principal", &r), -1);
	assert_string_equal(queue_role_name(QUEUE_ROLE_SYSTEM), "system");
}

struct tcase {
	enum queue_state	from, to;
	enum queue_role		role;
	int			owner, coach, note;
	const char		*err;	/* NULL: allowed */
};

#define SUB	QUEUE_SUBMITTED
#define QUE	QUEUE_QUEUED
#define ASG	QUEUE_ASSIGNED
#define CYC	QUEUE_IN_CYCLE
#define CLO	QUEUE_CLOSED
#define WDR	QUEUE_WITHDRAWN
#define TCH	QUEUE_ROLE_TEACHER
#define CCH	QUEUE_ROLE_COACH
#define ADM	QUEUE_ROLE_ADMIN
#define SYS	QUEUE_ROLE_SYSTEM

static const struct tcase tcases[] = {
	/* every legal edge, with a role allowed to take it */
	{ SUB, QUE, TCH, 1, 0, 0, NULL },
	{ SUB, QUE, CCH, 0, 0, 0, NULL },
	{ SUB, QUE, SYS, 0, 0, 0, NULL },
	{ SUB, WDR, TCH, 1, 0, 0, NULL },
	{ SUB, WDR, ADM, 0, 0, 0, NULL },
	{ QUE, ASG, CCH, 0, 0, 0, NULL },
	{ QUE, ASG, ADM, 0, 0, 0, NULL },
	{ QUE, ASG, SYS, 0, 0, 0, NULL },
	{ QUE, WDR, TCH, 1, 0, 0, NULL },
	{ ASG, CYC, CCH, 0, 1, 0, NULL },
	{ ASG, CYC, ADM, 0, 0, 0, NULL },
	{ ASG, CYC, SYS, 0, 0, 0, NULL },
	{ ASG, ASG, ADM, 0, 0, 0, NULL },
	{ ASG, QUE, ADM, 0, 0, 0, NULL },
	{ ASG, WDR, TCH, 1, 0, 0, NULL },
	{ ASG, WDR, ADM, 0, 0, 0, NULL },
	{ CYC, CLO, CCH, 0, 1, 1, NULL },
	{ CYC, CLO, ADM, 0, 0, 1, NULL },
	/* edges that do not exist */
	{ CLO, ASG, ADM, 0, 0, 0, "cannot move question from closed to "
	    "assigned" },
	{ WDR, QUE, ADM, 0, 0, 0, "cannot move question from withdrawn to "
	    "queued" },
	{ SUB, ASG, ADM, 0, 0, 0, "cannot move question from submitted to "
	    "assigned" },
	{ QUE, CYC, ADM, 0, 0, 0, "cannot move question from queued to "
	    "in-cycle" },
	{ CYC, WDR, TCH, 1, 0, 0, "cannot move question from in-cycle to "
	    "withdrawn" },
	{ CYC, QUE, ADM, 0, 0, 0, "cannot move question from in-cycle to "
	    "queued" },
	{ QUE, SUB, ADM, 0, 0, 0, "cannot move question from queued to "
	    "submitted" },
	{ CLO, CLO, ADM, 0, 0, 1, "question is already closed" },
	{ QUE, QUE, CCH, 0, 0, 0, "question is already queued" },
	/* edges that exist, taken by the wrong role */
	{ SUB, QUE, TCH, 0, 0, 0, "a teacher may only confirm the topic of "
	    "their own question" },
	{ QUE, ASG, TCH, 1, 0, 0, "a teacher cannot assign a question; a "
	    "coach claims it or an admin assigns it" },
	{ QUE, WDR, TCH, 0, 0, 0, "only the question's own teacher or an "
	    "admin may withdraw it (teacher is not its owner)" },
	{ QUE, WDR, CCH, 0, 0, 0, "only the question's own teacher or an "
	    "admin may withdraw it (coach is not allowed)" },
	{ ASG, ASG, CCH, 0, 1, 0, "only an admin may reassign a question" },
	{ ASG, QUE, CCH, 0, 1, 0, "only an admin may put an assigned "
	    "question back in its queue" },
	{ ASG, CYC, CCH, 0, 0, 0, "only the assigned coach or an admin may "
	    "start the coaching cycle of a question" },
	{ ASG, CYC, TCH, 1, 0, 0, "only the assigned coach or an admin may "
	    "start the coaching cycle of a question" },
	{ CYC, CLO, CCH, 0, 0, 1, "only the assigned coach or an admin may "
	    "close a question" },
	{ CYC, CLO, SYS, 0, 0, 1, "only the assigned coach or an admin may "
	    "close a question" },
	{ CYC, CLO, CCH, 0, 1, 0, "closing a question needs an outcome "
	    "note" },
	{ CYC, CLO, ADM, 0, 0, 0, "closing a question needs an outcome "
	    "note" },
};

static void
test_transitions(void **state)
{
	struct queue_transition_ctx	ctx;
	char				err[256];
	size_t				i;
	int				rc;

	(void)state;
	for (i = 0; i < sizeof tcases / sizeof tcases[0]; i++) {
		const struct tcase *t = &tcases[i];

		ctx.is_owner = t->owner;
		ctx.is_assigned_coach = t->coach;
		ctx.has_outcome_note = t->note;
		err[0] = '\0';
		rc = queue_transition_check(t->from, t->to, t->role, &ctx, err,
		    sizeof err);
		if (t->err == NULL && rc != 0)
			fail_msg("case %zu: refused: %s", i, err);
		if (t->err != NULL) {
			if (rc == 0)
				fail_msg("case %zu: allowed", i);
			assert_string_equal(err, t->err);
		}
	}
	/* NULL context counts as "nothing known": a teacher may not withdraw. */
	assert_int_equal(queue_transition_check(QUE, WDR, TCH, NULL, err,
	    sizeof err), -1);
}

static void
test_text_check(void **state)
{
	char	err[128], big[QUEUE_TEXT_MAX + 2];

	(void)state;
	assert_int_equal(queue_text_check("How do I use wait time?", err,
	    sizeof err), 0);
	assert_int_equal(queue_text_check(" \t\n", err, sizeof err), -1);
	assert_string_equal(err, "question text is empty");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(queue_text_check(big, err, sizeof err), -1);
	assert_string_equal(err, "question text is 2001 bytes, the limit is "
	    "2000");
	big[QUEUE_TEXT_MAX] = '\0';
	assert_int_equal(queue_text_check(big, err, sizeof err), 0);
}

/* --- suggestion ------------------------------------------------------------ */

static void
test_stem(void **state)
{
	static const char *pairs[][2] = {
		{ "questions", "question" }, { "questioning", "question" },
		{ "managing", "manag" }, { "management", "manag" },
		{ "manage", "manag" }, { "classes", "class" },
		{ "stories", "story" }, { "discuss", "discuss" },
		{ "focus", "focus" }, { "differentiation", "differenti" },
		{ "differentiated", "differentiat" }, { "is", "is" },
	};
	char	w[32];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		strcpy(w, pairs[i][0]);
		queue_stem(w);
		assert_string_equal(w, pairs[i][1]);
	}
}

static const char topics_text[] =
    "[topic classroom-management]\nname=CM\narea=classroom-culture\n"
    "keywords = classroom management, behavior, routine, transition\n"
    "[topic student-autonomy]\nname=SA\narea=classroom-culture\n"
    "keywords = student choice, autonomy, engagement\n"
    "[topic questioning]\nname=Q\narea=instruction\n"
    "keywords = questioning, discussion, wait time\n"
    "[topic differentiation]\nname=D\narea=instruction\n"
    "keywords = differentiation\n";

static void
test_suggest(void **state)
{
	struct taxonomy_topics	t;
	struct queue_suggestion	s[8];
	size_t			n;
	char			err[256];

	(void)state;
	assert_int_equal(taxonomy_parse_topics(topics_text, "t", &t, err,
	    sizeof err), 0);
	/*
	 * classroom-management: behavior (1) + transition (1) = 2, 2 hits;
	 * student-autonomy: "student choice" (2 words) = 2, 1 hit;
	 * questioning: questioning (1) + discussion (1) = 2, 2 hits.
	 * Equal scores: more hits first, then file order.
	 */
	assert_int_equal(queue_suggest(&t, "My students' BEHAVIOR during "
	    "transitions is chaotic; I want more student choice and better "
	    "questions in discussion.", s, 8, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].topic, 0);
	assert_int_equal(s[0].score, 2);
	assert_int_equal(s[0].hits, 2);
	assert_int_equal(s[1].topic, 2);
	assert_int_equal(s[1].score, 2);
	assert_int_equal(s[2].topic, 1);
	assert_int_equal(s[2].score, 2);
	assert_int_equal(s[2].hits, 1);
	/* max limits the output, keeping the best. */
	assert_int_equal(queue_suggest(&t, "behavior transitions discussion",
	    s, 1, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].topic, 0);
	/* A phrase must appear in order; "time wait" is not "wait time". */
	assert_int_equal(queue_suggest(&t, "More wait time, not time wait",
	    s, 8, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].topic, 2);
	assert_int_equal(s[0].score, 2);
	/* Prefix match: "differentiated" finds "differentiation". */
	assert_int_equal(queue_suggest(&t, "Differentiated centers", s, 8,
	    &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].topic, 3);
	/* Nothing matches: no suggestions, not an error. */
	assert_int_equal(queue_suggest(&t, "", s, 8, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	taxonomy_topics_free(&t);
}

/* --- ordering ------------------------------------------------------------- */

/*
 * The literacy queue at NOW (H = 24h, cap 14):
 *   id  waited  base              aging total
 *    3   20d    0                 14    14   (cap, not 20)
 *    9   30m    1 + 5 (boost)     0      6
 *    1   72h    0                 3      3   submitted before id 2
 *    2   24h    2 (new teacher)   1      3
 *   10    0     2 (new teacher)   0      2
 *    4   47h    0                 1      1   same time as 5: lower id
 *    5   47h    0                 1      1
 * id 7 is held (teacher t1 already has id 1), 8 assigned, 11/12 closed,
 * 6 is in the math queue.
 */
static const struct queue_item items[] = {
	{ 5, "t5", "literacy", QUEUE_QUEUED, NOW - 47 * H, 0, 0, 0 },
	{ 1, "t1", "literacy", QUEUE_QUEUED, NOW - 3 * D, 0, 0, 0 },
	{ 2, "t2", "literacy", QUEUE_QUEUED, NOW - 1 * D, 0, 0,
	    QUEUE_FLAG_NEW_TEACHER },
	{ 3, "t3", "literacy", QUEUE_QUEUED, NOW - 20 * D, 0, 0, 0 },
	{ 4, "t4", "literacy", QUEUE_QUEUED, NOW - 47 * H, 0, 0, 0 },
	{ 6, "t6", "math", QUEUE_QUEUED, NOW - 2 * H, 0, 0, 0 },
	{ 7, "t1", "literacy", QUEUE_QUEUED, NOW - 1 * H, 0, 0, 0 },
	{ 8, "t8", "literacy", QUEUE_ASSIGNED, NOW - 5 * D, NOW - 3 * D, 0, 0 },
	{ 9, "t9", "literacy", QUEUE_QUEUED, NOW - 30 * 60, 0, 1,
	    QUEUE_FLAG_ADMIN_BOOST },
	{ 10, "t10", "literacy", QUEUE_QUEUED, NOW, 0, 0,
	    QUEUE_FLAG_NEW_TEACHER },
	{ 11, "t11", "literacy", QUEUE_CLOSED, NOW - 16 * D, NOW - 10 * D, 0,
	    0 },
	{ 12, "t12", "literacy", QUEUE_CLOSED, NOW - 45 * D, NOW - 40 * D, 0,
	    0 },
};
#define NITEMS (sizeof items / sizeof items[0])

static void
expect_order(int64_t now, const int64_t *ids, const int *totals, size_t n)
{
	struct queue_params	p;
	struct queue_rank	r[NITEMS];
	size_t			m, i;
	char			err[128];

	queue_params_default(&p);
	assert_int_equal(queue_order(items, NITEMS, "literacy", now, &p, r,
	    &m, err, sizeof err), 0);
	assert_int_equal(m, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(items[r[i].index].id, ids[i]);
		assert_int_equal(r[i].total, totals[i]);
		assert_int_equal(r[i].position, (int)i + 1);
		assert_int_equal(r[i].base + r[i].aging, r[i].total);
	}
}

static void
test_order_aging(void **state)
{
	static const int64_t	ids_now[] = { 3, 9, 1, 2, 10, 4, 5 };
	static const int	tot_now[] = { 14, 6, 3, 3, 2, 1, 1 };
	/*
	 * Ten days later: 9 = 6 + 10 = 16 overtakes 3 (still capped at
	 * 14); 1 = 13 and 2 = 2 + 11 = 13 tie again (1 older); 10 = 12;
	 * 4 and 5 waited 287h: 11.
	 */
	static const int64_t	ids_later[] = { 9, 3, 1, 2, 10, 4, 5 };
	static const int	tot_later[] = { 16, 14, 13, 13, 12, 11, 11 };
	struct queue_params	p;
	struct queue_rank	r[NITEMS];
	size_t			m, i;
	char			err[128];

	(void)state;
	expect_order(NOW, ids_now, tot_now, 7);
	expect_order(NOW + 10 * D, ids_later, tot_later, 7);

	/* The breakdown of id 9 and 3 at NOW. */
	queue_params_default(&p);
	assert_int_equal(queue_order(items, NITEMS, "literacy", NOW, &p, r,
	    &m, err, sizeof err), 0);
	assert_int_equal(r[0].base, 0);
	assert_int_equal(r[0].aging, 14);
	assert_int_equal(r[0].waited, 20 * D);
	assert_int_equal(r[1].base, 6);
	assert_int_equal(r[1].aging, 0);

	/* area NULL: each area numbered on its own. */
	assert_int_equal(queue_order(items, NITEMS, NULL, NOW, &p, r, &m, err,
	    sizeof err), 0);
	assert_int_equal(m, 8);
	for (i = 0; i < m; i++)
		if (items[r[i].index].id == 6)
			assert_int_equal(r[i].position, 1);

	/* A different H: 12h per point, so id 1 (72h) gets 6. */
	p.aging_hours = 12;
	assert_int_equal(queue_order(items, NITEMS, "literacy", NOW, &p, r,
	    &m, err, sizeof err), 0);
	for (i = 0; i < m; i++)
		if (items[r[i].index].id == 1)
			assert_int_equal(r[i].aging, 6);
}

/* Two questions submitted in the same second: the lower id goes first,
   whatever the input order. */
static void
test_order_ties(void **state)
{
	struct queue_item	two[2] = {
		{ 42, "a", "math", QUEUE_QUEUED, NOW - D, 0, 0, 0 },
		{ 41, "b", "math", QUEUE_QUEUED, NOW - D, 0, 0, 0 },
	};
	struct queue_params	p;
	struct queue_rank	r[2];
	size_t			m;
	char			err[128];

	(void)state;
	queue_params_default(&p);
	assert_int_equal(queue_order(two, 2, "math", NOW, &p, r, &m, err,
	    sizeof err), 0);
	assert_int_equal(m, 2);
	assert_int_equal(two[r[0].index].id, 41);
	assert_int_equal(two[r[1].index].id, 42);
}

static void
test_teacher_split(void **state)
{
	static const struct queue_item q[] = {
		{ 1, "ta", "x", QUEUE_QUEUED, 100, 0, 0, 0 },	/* held 1 */
		{ 2, "ta", "x", QUEUE_QUEUED, 50, 0, 0, 0 },	/* active */
		{ 3, "ta", "x", QUEUE_SUBMITTED, 200, 0, 0, 0 }, /* held 2 */
		{ 4, "ta", "x", QUEUE_CLOSED, 10, 20, 0, 0 },	/* done */
		{ 5, "tb", "x", QUEUE_QUEUED, 10, 0, 0, 0 },	/* held 1 */
		{ 6, "tb", "x", QUEUE_IN_CYCLE, 30, 40, 0, 0 },	/* active */
		{ 7, "tc", "x", QUEUE_WITHDRAWN, 5, 0, 0, 0 },	/* done */
		{ 8, "td", "x", QUEUE_QUEUED, 60, 0, 0, 0 },	/* same time */
		{ 9, "td", "x", QUEUE_QUEUED, 60, 0, 0, 0 },	/*  lower id */
	};
	static const enum queue_activity want[] = { QUEUE_HELD, QUEUE_ACTIVE,
	    QUEUE_HELD, QUEUE_DONE, QUEUE_HELD, QUEUE_ACTIVE, QUEUE_DONE,
	    QUEUE_ACTIVE, QUEUE_HELD };
	static const int want_pos[] = { 1, 0, 2, 0, 1, 0, 0, 0, 1 };
	enum queue_activity	act[9];
	int			pos[9];
	char			err[64];
	size_t			i;

	(void)state;
	assert_int_equal(queue_teacher_split(q, 9, act, pos, err, sizeof err),
	    0);
	for (i = 0; i < 9; i++) {
		assert_int_equal(act[i], want[i]);
		assert_int_equal(pos[i], want_pos[i]);
	}
}

/*
 * Rate for literacy: assignments in the 4 weeks before NOW are id 8 (3d
 * ago) and 11 (10d ago); id 12 (40d) is outside: 2 / 4 = 0.5 a week.
 * id 2 is 4th: 4 / 0.5 = 8 weeks.  Math has no history: fallback 1/week.
 */
static void
test_standing(void **state)
{
	struct queue_params	p;
	struct queue_standing	s;
	char			err[128];

	(void)state;
	queue_params_default(&p);
	assert_int_equal(queue_standing(items, NITEMS, 2, NOW, &p, &s, err,
	    sizeof err), 0);
	assert_int_equal(s.activity, QUEUE_ACTIVE);
	assert_int_equal(s.position, 4);
	assert_int_equal(s.depth, 7);
	assert_true(s.rate_per_week == 0.5);
	assert_int_equal(s.rate_is_fallback, 0);
	assert_int_equal(s.expected_wait, 8 * 7 * D);

	assert_int_equal(queue_standing(items, NITEMS, 6, NOW, &p, &s, err,
	    sizeof err), 0);
	assert_int_equal(s.position, 1);
	assert_int_equal(s.depth, 1);
	assert_int_equal(s.rate_is_fallback, 1);
	assert_int_equal(s.expected_wait, 7 * D);

	assert_int_equal(queue_standing(items, NITEMS, 7, NOW, &p, &s, err,
	    sizeof err), 0);
	assert_int_equal(s.activity, QUEUE_HELD);
	assert_int_equal(s.held_pos, 1);
	assert_int_equal(s.held_behind, 1);
	assert_int_equal(s.position, 0);
	assert_int_equal(s.expected_wait, -1);

	assert_int_equal(queue_standing(items, NITEMS, 8, NOW, &p, &s, err,
	    sizeof err), 0);
	assert_int_equal(s.state, QUEUE_ASSIGNED);
	assert_int_equal(s.expected_wait, -1);

	assert_int_equal(queue_standing(items, NITEMS, 99, NOW, &p, &s, err,
	    sizeof err), -1);
	assert_string_equal(err, "no question 99");
}

/* --- statistics --------------------------------------------------------------- */

static void
test_percentile(void **state)
{
	int64_t	v[] = { 7, 1, 5, 3, 9, 2, 8, 4, 6, 10 };
	int64_t	one[] = { 42 };

	(void)state;
	/* n = 10: median rank ceil(5) = 5 -> 5; p90 rank 9 -> 9. */
	assert_int_equal(queue_percentile(v, 10, 50), 5);
	assert_int_equal(queue_percentile(v, 10, 90), 9);
	assert_int_equal(queue_percentile(v, 10, 100), 10);
	assert_int_equal(queue_percentile(one, 1, 90), 42);
	assert_int_equal(queue_percentile(NULL, 0, 50), 0);
}

static void
test_iso_week(void **state)
{
	int	y, w;

	(void)state;
	queue_iso_week(NOW, &y, &w);
	assert_int_equal(y, 2026);
	assert_int_equal(w, 48);
	/* 2027-01-01 is a Friday: it belongs to 2026-W53. */
	queue_iso_week((int64_t)1798761600, &y, &w);
	assert_int_equal(y, 2026);
	assert_int_equal(w, 53);
	/* 2024-12-30 (Monday) starts 2025-W01. */
	queue_iso_week((int64_t)1735516800, &y, &w);
	assert_int_equal(y, 2025);
	assert_int_equal(w, 1);
}

/*
 * Literacy at NOW: in the queue, waits 0, 30m, 24h, 47h, 47h, 72h, 480h
 * (n = 7): median = rank 4 = 47h, p90 = rank ceil(6.3) = 7 = 480h;
 * oldest id 3.  Held: id 7.  Assigned in the 4-week window (from Mon
 * 2026-11-02): id 8 after 2d and id 11 after 6d: median 2d, p90 6d.
 * Arrivals W45..W48: 3 | 11 | 1, 8 | 2, 4, 5, 7, 9, 10 -> 1 1 2 6;
 * assignments: 11 in W46, 8 in W47.
 */
static void
test_stats(void **state)
{
	static const char *const areas[] = { "literacy", "math", "science" };
	static const int arr[] = { 1, 1, 2, 6 }, asg[] = { 0, 1, 1, 0 };
	struct queue_params	p;
	struct queue_stats	st;
	char			err[128];
	int			i;

	(void)state;
	queue_params_default(&p);
	assert_int_equal(queue_stats(items, NITEMS, areas, 3, NOW, 4, &p, &st,
	    err, sizeof err), 0);
	assert_int_equal(st.nareas, 3);
	assert_string_equal(st.areas[0].area, "literacy");
	assert_int_equal(st.areas[0].depth, 7);
	assert_int_equal(st.areas[0].held, 1);
	assert_int_equal(st.areas[0].wait_median, 47 * H);
	assert_int_equal(st.areas[0].wait_p90, 480 * H);
	assert_int_equal(st.areas[0].oldest_id, 3);
	assert_int_equal(st.areas[0].oldest_wait, 20 * D);
	assert_int_equal(st.areas[0].assigned, 2);
	assert_int_equal(st.areas[0].assign_median, 2 * D);
	assert_int_equal(st.areas[0].assign_p90, 6 * D);
	assert_int_equal(st.areas[1].depth, 1);
	assert_int_equal(st.areas[1].wait_median, 2 * H);
	assert_int_equal(st.areas[2].depth, 0);
	assert_int_equal(st.areas[2].oldest_id, 0);
	assert_int_equal(st.nweeks, 12);
	for (i = 0; i < 4; i++) {
		assert_string_equal(st.weeks[i].area, "literacy");
		assert_int_equal(st.weeks[i].iso_year, 2026);
		assert_int_equal(st.weeks[i].iso_week, 45 + i);
		assert_int_equal(st.weeks[i].arrivals, arr[i]);
		assert_int_equal(st.weeks[i].assignments, asg[i]);
	}
	assert_int_equal(st.weeks[7].arrivals, 1);	/* math W48: id 6 */
	queue_stats_free(&st);

	assert_int_equal(queue_stats(items, NITEMS, areas, 3, NOW, 0, &p, &st,
	    err, sizeof err), -1);
	assert_string_equal(err, "weeks must be 1..520, not 0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_stem),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_order_aging),
		cmocka_unit_test(test_order_ties),
		cmocka_unit_test(test_teacher_split),
		cmocka_unit_test(test_standing),
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_iso_week),
		cmocka_unit_test(test_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
