/*
 * test_caps: cap specs, the categories file, cap precedence, evaluation,
 * "would this entry pass a cap?" and the reports, against hand-computed
 * fixtures (docs/caps.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"

/* Mon 2026-11-23 is day 20780; the fixture's "today" is Wed 20782. */
#define MON	20780
#define TODAY	20782

static void
test_spec_good(void **state)
{
	static const struct {
		const char	*in, *canon;
		enum caps_unit	 unit;
		enum caps_period period;
		long		 value;
	} t[] = {
		{ "4h/week", "4h/week", CAPS_MINUTES, CAPS_WEEK, 240 },
		{ "90m/week", "90m/week", CAPS_MINUTES, CAPS_WEEK, 90 },
		{ "1h30m/week", "90m/week", CAPS_MINUTES, CAPS_WEEK, 90 },
		{ "1.5h/week", "90m/week", CAPS_MINUTES, CAPS_WEEK, 90 },
		{ "15%/week", "15%/week", CAPS_SHARE, CAPS_WEEK, 1500 },
		{ "12.5%/week", "12.50%/week", CAPS_SHARE, CAPS_WEEK, 1250 },
		{ "40h/term", "40h/term", CAPS_MINUTES, CAPS_TERM, 2400 },
		{ "5%/term", "5%/term", CAPS_SHARE, CAPS_TERM, 500 },
		{ " 4H/Week ", "4h/week", CAPS_MINUTES, CAPS_WEEK, 240 },
		{ "0h/week", "0h/week", CAPS_MINUTES, CAPS_WEEK, 0 },
		{ "none", "none", CAPS_NOCAP, CAPS_WEEK, 0 },
	};
	struct caps_spec	s;
	char			err[128], buf[64];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (caps_parse_spec(t[i].in, &s, err, sizeof err) != 0)
			fail_msg("%s: %s", t[i].in, err);
		assert_int_equal(s.unit, t[i].unit);
		assert_int_equal(s.period, t[i].period);
		assert_int_equal(s.value, t[i].value);
		caps_format_spec(&s, buf, sizeof buf);
		assert_string_equal(buf, t[i].canon);
	}
}

static void
test_spec_bad(void **state)
{
	static const char *t[][2] = {
		{ "", "bad cap: empty" },
		{ "4h", "bad cap '4h': expected AMOUNT/week or AMOUNT/term, "
		    "e.g. 4h/week or 15%/week" },
		{ "4h/month", "bad cap '4h/month': period must be week or "
		    "term, not 'month'" },
		{ "4x/week", "bad cap '4x/week': unit must be h, m or %" },
		{ "h/week", "bad cap 'h/week': expected a number before the "
		    "unit" },
		{ "-4h/week", "bad cap '-4h/week': expected a number before "
		    "the unit" },
		{ "4/week", "bad cap '4/week': missing unit (h, m or %)" },
		{ "150%/week", "bad cap '150%/week': a share cannot be above "
		    "100%" },
		{ "15%x/week", "bad cap '15%x/week': a share is written like "
		    "15%" },
		{ "200h/week", "bad cap '200h/week': a week has only 168 "
		    "hours" },
		{ "1.5m/week", "bad cap '1.5m/week': minutes must be a whole "
		    "number" },
		{ "0.01h/week", "bad cap '0.01h/week': not a whole number of "
		    "minutes" },
		{ "1.234h/week", "bad cap '1.234h/week': expected a number "
		    "before the unit" },
	};
	struct caps_spec	s;
	char			err[160];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (caps_parse_spec(t[i][0], &s, err, sizeof err) == 0)
			fail_msg("'%s' accepted", t[i][0]);
		assert_string_equal(err, t[i][1]);
	}
}

static const char policy_text[] =
    "[settings]\n"
    "warn_threshold = 75%\n"
    "protected_coaching = 50%\n"
    "working_week = 40h\n"
    "term_weeks = 10\n"
    "\n"
    "[category observation]\n"
    "name = Observation\n"
    "role = classroom-supporter\n"
    "kind = coaching\n"
    "mark = will\n"
    "\n"
    "[category data-work]\n"
    "name = Data work\n"
    "role = data-coach\n"
    "kind = coaching\n"
    "cap = 4h/week, 30h/term\n"
    "\n"
    "[category curriculum]\n"
    "name = Curriculum\n"
    "role = curriculum-specialist\n"
    "kind = coaching\n"
    "cap = 10%/week\n"
    "\n"
    "[category duty]\n"
    "name = Duty\n"
    "role = none\n"
    "kind = non-coaching\n"
    "mark = will-not\n"
    "\n"
    "[caps school:lincoln]\n"
    "data-work = 3h/week\n"
    "\n"
    "[caps coach:ann]\n"
    "data-work = 5h/week\n"
    "curriculum = none\n";

static void
load(struct caps_policy *p)
{
	char	err[256];

	if (caps_policy_parse(policy_text, "c.conf", p, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void
test_policy_parse(void **state)
{
	struct caps_policy	p;

	(void)state;
	load(&p);
	assert_int_equal(p.ncats, 4);
	assert_int_equal(p.warn_bp, 7500);
	assert_int_equal(p.protected_bp, 5000);
	assert_int_equal(p.working_minutes_week, 2400);
	assert_int_equal(p.term_weeks, 10);
	assert_string_equal(p.cats[1].id, "data-work");
	assert_string_equal(p.cats[1].name, "Data work");
	assert_int_equal(p.cats[1].role, CAPS_ROLE_DATA_COACH);
	assert_int_equal(p.cats[1].mark, CAPS_MARK_MAY);	/* default */
	assert_int_equal(p.cats[3].coaching, 0);
	assert_int_equal(p.cats[3].mark, CAPS_MARK_WILL_NOT);
	assert_int_equal(p.nrules, 6);
	assert_true(caps_needs_override(&p, "duty"));
	assert_false(caps_needs_override(&p, "observation"));
	assert_false(caps_needs_override(&p, "nope"));
	caps_policy_free(&p);
}

static void
expect_policy_error(const char *text, const char *want)
{
	struct caps_policy	p;
	char			err[256];

	assert_int_equal(caps_policy_parse(text, "c.conf", &p, err,
	    sizeof err), -1);
	assert_string_equal(err, want);
	assert_int_equal(p.ncats, 0);
	assert_null(p.cats);
	assert_null(p.rules);
}

#define CAT_A "[category a]\nname=A\nrole=mentor\nkind=coaching\n"

/*
 * Term dates: 2026-08-17 is day 20682 (hand count: 2026-01-01 is day
 * 20454, + 228 days to 17 August), 2026-12-18 is day 20805, the second
 * term 2027-01-05..2027-05-28 days 20823..20966.
 */
static void
test_terms(void **state)
{
	struct caps_policy	p;
	struct caps_term	t;
	char			err[256];

	(void)state;
	if (caps_policy_parse("[settings]\nterms = 2026-08-17..2026-12-18, "
	    " 2027-01-05..2027-05-28\n" CAT_A, "c.conf", &p, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(p.nterms, 2);
	assert_int_equal(p.terms[0].start, 20682);
	assert_int_equal(p.terms[0].end, 20805);
	assert_int_equal(p.terms[1].start, 20823);
	assert_int_equal(p.terms[1].end, 20966);
	assert_int_equal(caps_term_of(&p, 20682, &t), 1);
	assert_int_equal(t.end, 20805);
	assert_int_equal(caps_term_of(&p, 20805, &t), 1);
	assert_int_equal(caps_term_of(&p, 20806, &t), 0);	/* holidays */
	assert_int_equal(caps_term_of(&p, 20900, &t), 1);
	assert_int_equal(t.start, 20823);
	assert_int_equal(caps_term_of(&p, 20681, &t), 0);
	caps_policy_free(&p);
	expect_policy_error("[settings]\nterms = 2026-08-17\n" CAT_A,
	    "c.conf:2: terms must be a comma list of FROM..TO dates "
	    "(YYYY-MM-DD..YYYY-MM-DD), not '2026-08-17'");
	expect_policy_error("[settings]\nterms = 2027-01-05..2027-05-28, "
	    "2026-08-17..2026-12-18\n" CAT_A, "c.conf:2: terms must be in "
	    "date order and must not overlap ('2026-08-17..2026-12-18')");
	expect_policy_error("[settings]\nterms = 2026-12-18..2026-08-17\n"
	    CAT_A, "c.conf:2: terms must be in date order and must not "
	    "overlap ('2026-12-18..2026-08-17')");
}

static void
test_policy_errors(void **state)
{
	(void)state;
	expect_policy_error(CAT_A "colour = red\n", "c.conf:5: unknown key "
	    "'colour' in category 'a' (expected name, role, kind, mark, cap)");
	expect_policy_error("[category a]\nname=A\nrole=none\nkind=coaching\n",
	    "c.conf:1: category 'a' (line 1): a coaching category must map "
	    "to one of the ten coaching roles");
	expect_policy_error("[category a]\nname=A\nkind=coaching\n"
	    "[category b]\n", "c.conf:4: category 'a' (line 1) has no role");
	expect_policy_error(CAT_A CAT_A, "c.conf:5: duplicate category id "
	    "'a'");
	expect_policy_error(CAT_A "role=learner\n", "c.conf:5: duplicate key "
	    "'role' in category 'a'");
	expect_policy_error(CAT_A "role2=x\n", "c.conf:5: unknown key "
	    "'role2' in category 'a' (expected name, role, kind, mark, cap)");
	expect_policy_error("[category a]\nrole=boss\n", "c.conf:2: unknown "
	    "role 'boss' (expected one of the ten coaching roles, e.g. "
	    "data-coach, mentor, or none)");
	expect_policy_error(CAT_A "mark=must\n", "c.conf:5: mark must be "
	    "will, may or will-not, not 'must'");
	expect_policy_error(CAT_A "cap = 4h/week, 3h/week\n", "c.conf:5: a "
	    "has two weekly caps here");
	expect_policy_error(CAT_A "cap = 4x/week\n", "c.conf:5: bad cap "
	    "'4x/week': unit must be h, m or %");
	expect_policy_error("[caps school:x]\nb = 1h/week\n" CAT_A,
	    "c.conf:2: unknown category 'b'");
	expect_policy_error("[caps district]\n", "c.conf:1: expected [caps "
	    "school:ID] or [caps coach:ID], not [caps district]");
	expect_policy_error("[rules]\n", "c.conf:1: unknown section [rules] "
	    "(expected [settings], [category ID], [caps school:ID] or "
	    "[caps coach:ID])");
	expect_policy_error("[settings]\nwarn_threshold = lots\n" CAT_A,
	    "c.conf:2: warn_threshold must be a share like 80%, not 'lots'");
	expect_policy_error("[settings]\nterm_weeks = 0\n", "c.conf:2: "
	    "term_weeks must be 1..52, not '0'");
	expect_policy_error("[settings]\nholidays = 3\n", "c.conf:2: unknown "
	    "key 'holidays' in [settings] (expected warn_threshold, "
	    "protected_coaching, working_week, term_weeks, terms)");
	expect_policy_error("[settings]\n", "c.conf: no [category ID] "
	    "sections");
}

/*
 * A coach serving lincoln and other, time of no known school: the
 * strictest school wins.  data-work/week: lincoln 3h (180), other the
 * district's 4h (240) -> 180 from the school level.
 */
static void
test_resolve_schools(void **state)
{
	static const char *const both[] = { "other", "lincoln" };
	struct caps_policy	p;
	struct caps_who		eve = { "eve", NULL, both, 2 };
	struct caps_who		eve_l = { "eve", "lincoln", both, 2 };
	enum caps_scope		sc = CAPS_SCOPE_DISTRICT;
	char			err[128];

	(void)state;
	load(&p);
	assert_int_equal(caps_resolve_limit(&p, &eve, "data-work",
	    CAPS_WEEK, 2400, &sc), 180);
	assert_int_equal(sc, CAPS_SCOPE_SCHOOL);
	assert_int_equal(caps_resolve_limit(&p, &eve, "data-work",
	    CAPS_TERM, 2400, &sc), 1800);	/* district 30h both */
	/* curriculum 10% of 40h = 240 at both; other 2h: 120 */
	assert_int_equal(caps_resolve_limit(&p, &eve, "curriculum",
	    CAPS_WEEK, 2400, NULL), 240);
	if (caps_policy_set(&p, CAPS_SCOPE_SCHOOL, "other", "curriculum",
	    "2h/week", err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(caps_resolve_limit(&p, &eve, "curriculum",
	    CAPS_WEEK, 2400, NULL), 120);
	/* lincoln lifts it: no cap there does not loosen other's 2h */
	if (caps_policy_set(&p, CAPS_SCOPE_SCHOOL, "lincoln", "curriculum",
	    "none", err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(caps_resolve_limit(&p, &eve, "curriculum",
	    CAPS_WEEK, 2400, NULL), 120);
	/* the time's own school known: only that school counts */
	assert_int_equal(caps_resolve_limit(&p, &eve_l, "curriculum",
	    CAPS_WEEK, 2400, NULL), -1);
	assert_int_equal(caps_resolve_limit(&p, &eve_l, "data-work",
	    CAPS_WEEK, 2400, NULL), 180);
	caps_policy_free(&p);
}

/* Most specific wins, per category and period. */
static void
test_resolve(void **state)
{
	struct caps_policy	p;
	struct caps_spec	s;
	enum caps_scope		sc;
	struct caps_who		ann = { "ann", "lincoln", NULL, 0 };
	struct caps_who		bob = { "bob", "lincoln", NULL, 0 };
	struct caps_who		cy = { "cy", "other", NULL, 0 };
	struct caps_who		dee = { "dee", NULL, NULL, 0 };
	char			err[128];

	(void)state;
	load(&p);
	assert_int_equal(caps_resolve(&p, &ann, "data-work", CAPS_WEEK, &s,
	    &sc), 1);
	assert_int_equal(s.value, 300);
	assert_int_equal(sc, CAPS_SCOPE_COACH);
	/* ann's own rule is weekly only: the term cap is the district's. */
	assert_int_equal(caps_resolve(&p, &ann, "data-work", CAPS_TERM, &s,
	    &sc), 1);
	assert_int_equal(s.value, 1800);
	assert_int_equal(sc, CAPS_SCOPE_DISTRICT);
	/* "none" at coach level lifts the district's curriculum cap. */
	assert_int_equal(caps_resolve(&p, &ann, "curriculum", CAPS_WEEK, &s,
	    &sc), 0);
	assert_int_equal(caps_resolve(&p, &bob, "data-work", CAPS_WEEK, &s,
	    &sc), 1);
	assert_int_equal(s.value, 180);
	assert_int_equal(sc, CAPS_SCOPE_SCHOOL);
	assert_int_equal(caps_resolve(&p, &bob, "curriculum", CAPS_WEEK, &s,
	    &sc), 1);
	assert_int_equal(caps_limit_minutes(&s, 2400, 10), 240);
	assert_int_equal(caps_limit_minutes(&s, 2000, 10), 200);
	assert_int_equal(caps_resolve(&p, &cy, "data-work", CAPS_WEEK, &s,
	    &sc), 1);
	assert_int_equal(s.value, 240);
	assert_int_equal(caps_resolve(&p, &dee, "data-work", CAPS_WEEK, &s,
	    &sc), 1);
	assert_int_equal(sc, CAPS_SCOPE_DISTRICT);
	assert_int_equal(caps_resolve(&p, &cy, "observation", CAPS_WEEK, &s,
	    &sc), 0);
	s.unit = CAPS_SHARE;
	s.period = CAPS_TERM;
	s.value = 500;
	assert_int_equal(caps_limit_minutes(&s, 2400, 10), 1200);

	/* Runtime changes replace the rule for the same scope and period. */
	assert_int_equal(caps_policy_set(&p, CAPS_SCOPE_COACH, "bob",
	    "data-work", "2h/week", err, sizeof err), 0);
	assert_int_equal(caps_policy_set(&p, CAPS_SCOPE_COACH, "bob",
	    "data-work", "90m/week", err, sizeof err), 0);
	assert_int_equal(p.nrules, 7);
	assert_int_equal(caps_resolve(&p, &bob, "data-work", CAPS_WEEK, &s,
	    &sc), 1);
	assert_int_equal(s.value, 90);
	assert_int_equal(sc, CAPS_SCOPE_COACH);
	assert_int_equal(caps_policy_set(&p, CAPS_SCOPE_SCHOOL, "lincoln",
	    "data-work", "none", err, sizeof err), 0);
	assert_int_equal(p.nrules, 7);
	cy.school_id = "lincoln";
	assert_int_equal(caps_resolve(&p, &cy, "data-work", CAPS_WEEK, &s,
	    &sc), 0);
	assert_int_equal(caps_resolve(&p, &cy, "data-work", CAPS_TERM, &s,
	    &sc), 0);
	assert_int_equal(caps_policy_set(&p, CAPS_SCOPE_DISTRICT, "",
	    "lunch", "1h/week", err, sizeof err), -1);
	assert_string_equal(err, "unknown category 'lunch'");
	assert_int_equal(caps_policy_set(&p, CAPS_SCOPE_DISTRICT, "x",
	    "duty", "1h/week", err, sizeof err), -1);
	assert_string_equal(err, "bad district id 'x'");
	assert_int_equal(caps_policy_set(&p, CAPS_SCOPE_DISTRICT, "",
	    "duty", "1h/fortnight", err, sizeof err), -1);
	assert_int_equal(p.nrules, 7);
	caps_policy_free(&p);
}

static void
test_dates(void **state)
{
	int32_t	d;
	char	err[128];

	(void)state;
	assert_int_equal(caps_day_from_ymd(1970, 1, 1), 0);
	assert_int_equal(caps_day_from_ymd(2026, 11, 25), TODAY);
	assert_int_equal(caps_day_from_ymd(2024, 3, 1) -
	    caps_day_from_ymd(2024, 2, 28), 2);
	assert_int_equal(caps_day_from_ymd(2023, 2, 29), -1);
	assert_int_equal(caps_parse_date("2026-11-23", &d, err, sizeof err),
	    0);
	assert_int_equal(d, MON);
	assert_int_equal(caps_parse_date("2026-13-01", &d, err, sizeof err),
	    -1);
	assert_string_equal(err, "bad date '2026-13-01': expected YYYY-MM-DD");
	assert_int_equal(caps_parse_date("2026-11-2", &d, err, sizeof err),
	    -1);
	assert_int_equal(caps_week_start(TODAY), MON);
	assert_int_equal(caps_week_start(MON), MON);
	assert_int_equal(caps_week_start(MON + 6), MON);
	assert_int_equal(caps_week_start(0), -3);
}

/* Bob (school lincoln) in the week of MON; term from 2026-09-07. */
static struct caps_entry bob_entries[] = {
	{ "observation", 120, MON, CAPS_SCHEDULED, CAPS_ENTRY_DONE, 0 },
	{ "observation", 60, MON + 3, CAPS_SCHEDULED, CAPS_ENTRY_PLANNED, 0 },
	{ "data-work", 90, MON, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
	{ "data-work", 60, MON + 1, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
	{ "curriculum", 200, MON + 1, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
	{ "observation", 45, MON + 2, CAPS_SCHEDULED, CAPS_ENTRY_CANCELLED, 0 },
	{ "duty", 30, MON + 2, CAPS_LOGGED, CAPS_ENTRY_DONE, 1 },
	{ "data-work", 600, MON - 6, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
	{ "data-work", 1200, 0, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 }, /* Oct 1 */
	{ "data-work", 300, 0, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },  /* Aug 20 */
};
#define NBOB (sizeof bob_entries / sizeof bob_entries[0])

static struct caps_window
term_window(void)
{
	struct caps_window	w;

	bob_entries[8].day = caps_day_from_ymd(2026, 10, 1);
	bob_entries[9].day = caps_day_from_ymd(2026, 8, 20);
	w.week_start = MON;
	w.term_start = caps_day_from_ymd(2026, 9, 7);
	w.term_end = caps_day_from_ymd(2026, 12, 18);
	w.working_minutes_week = 0;
	return w;
}

/*
 * Week: observation 120 done + 60 planned = 180 (7.5% of 2400), no cap;
 * data-work 150 of 180 (school cap) = 83% >= 75%: warning, but the term
 * has 150 + 600 + 1200 = 1950 of 1800: over; curriculum 200 of 240
 * (10%) = 83%: warning; duty 30.  Total 560, coaching 530 = 94.64%.
 */
static void
test_evaluate(void **state)
{
	struct caps_policy	p;
	struct caps_eval	ev;
	struct caps_window	w = term_window();
	struct caps_who		bob = { "bob", "lincoln", NULL, 0 };
	struct caps_entry	bad = { "lunch", 10, MON, CAPS_LOGGED,
				    CAPS_ENTRY_DONE, 0 };
	char			err[128];

	(void)state;
	load(&p);
	assert_int_equal(caps_evaluate(&p, &bob, bob_entries, NBOB, &w, &ev,
	    err, sizeof err), 0);
	assert_int_equal(ev.n, 4);
	assert_string_equal(ev.v[0].category, "observation");
	assert_int_equal(ev.v[0].week_actual, 120);
	assert_int_equal(ev.v[0].week_planned, 60);
	assert_int_equal(ev.v[0].week_used, 180);
	assert_int_equal(ev.v[0].share_bp, 750);
	assert_int_equal(ev.v[0].week_limit, -1);
	assert_int_equal(ev.v[0].status, CAPS_OK);
	assert_int_equal(ev.v[1].week_used, 150);
	assert_int_equal(ev.v[1].week_limit, 180);
	assert_int_equal(ev.v[1].week_scope, CAPS_SCOPE_SCHOOL);
	assert_int_equal(ev.v[1].term_used, 1950);
	assert_int_equal(ev.v[1].term_limit, 1800);
	assert_int_equal(ev.v[1].term_scope, CAPS_SCOPE_DISTRICT);
	assert_int_equal(ev.v[1].share_bp, 625);
	assert_int_equal(ev.v[1].status, CAPS_OVER);
	assert_int_equal(ev.v[2].week_used, 200);
	assert_int_equal(ev.v[2].week_limit, 240);
	assert_int_equal(ev.v[2].status, CAPS_WARNING);
	assert_int_equal(ev.v[3].week_used, 30);
	assert_int_equal(ev.week_used, 560);
	assert_int_equal(ev.coaching_used, 530);
	assert_int_equal(ev.coaching_share_bp, 9464);
	assert_int_equal(ev.below_protected, 0);
	assert_int_equal(ev.worst, CAPS_OVER);
	caps_eval_free(&ev);

	/* Without a term only the week counts: data-work is a warning. */
	w.term_start = 1;
	w.term_end = 0;
	assert_int_equal(caps_evaluate(&p, &bob, bob_entries, NBOB, &w, &ev,
	    err, sizeof err), 0);
	assert_int_equal(ev.v[1].status, CAPS_WARNING);
	assert_int_equal(ev.v[1].term_limit, -1);
	assert_int_equal(ev.worst, CAPS_WARNING);
	caps_eval_free(&ev);

	/* A 30h working week: curriculum's 10% is 180, so 200 is over. */
	w.working_minutes_week = 1800;
	assert_int_equal(caps_evaluate(&p, &bob, bob_entries, NBOB, &w, &ev,
	    err, sizeof err), 0);
	assert_int_equal(ev.v[2].week_limit, 180);
	assert_int_equal(ev.v[2].status, CAPS_OVER);
	caps_eval_free(&ev);

	assert_int_equal(caps_evaluate(&p, &bob, &bad, 1, &w, &ev, err,
	    sizeof err), -1);
	assert_string_equal(err, "unknown category 'lunch'");
	caps_policy_free(&p);
}

static void
check(const struct caps_policy *p, const struct caps_who *who,
    const struct caps_window *w, const char *cat, int minutes, int32_t day,
    int override, struct caps_check *c)
{
	struct caps_entry	add = { cat, minutes, day, CAPS_SCHEDULED,
				    CAPS_ENTRY_PLANNED, override };
	char			err[128];

	if (caps_check_entry(p, who, bob_entries, NBOB, w, &add, c, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
}

static void
test_check_entry(void **state)
{
	struct caps_policy	p;
	struct caps_check	c;
	struct caps_window	w = term_window();
	struct caps_who		bob = { "bob", "lincoln", NULL, 0 };
	struct caps_who		ann = { "ann", "lincoln", NULL, 0 };
	struct caps_entry	add = { "lunch", 10, MON, CAPS_LOGGED,
				    CAPS_ENTRY_DONE, 0 };
	char			err[128];

	(void)state;
	load(&p);
	/* The term is already past its 30h: any more data work is refused. */
	check(&p, &bob, &w, "data-work", 30, MON + 3, 0, &c);
	assert_int_equal(c.allowed, 0);
	assert_int_equal(c.over_cap, 1);
	assert_int_equal(c.period, CAPS_TERM);
	assert_int_equal(c.used, 1950);
	assert_int_equal(c.limit, 1800);
	assert_int_equal(c.after, 1980);
	assert_string_equal(c.reason, "data-work: 32h30m already this term, "
	    "30 more minutes make 33h, past the cap of 30h (district level)");

	/* No term: 150 + 30 = 180 reaches the 3h cap exactly: allowed. */
	w.term_start = 1;
	w.term_end = 0;
	check(&p, &bob, &w, "data-work", 30, MON + 3, 0, &c);
	assert_int_equal(c.allowed, 1);
	assert_int_equal(c.status, CAPS_WARNING);
	assert_int_equal(c.after, 180);
	assert_string_equal(c.reason, "");
	check(&p, &bob, &w, "data-work", 31, MON + 3, 0, &c);
	assert_int_equal(c.allowed, 0);
	assert_int_equal(c.status, CAPS_OVER);
	assert_string_equal(c.reason, "data-work: 2h30m already this week, "
	    "31 more minutes make 3h01m, past the cap of 3h (school level)");
	/* Next week starts from zero: 200 > 180 on its own. */
	check(&p, &bob, &w, "data-work", 180, MON + 7, 0, &c);
	assert_int_equal(c.allowed, 1);
	assert_int_equal(c.used, 0);
	check(&p, &bob, &w, "data-work", 200, MON + 7, 0, &c);
	assert_int_equal(c.allowed, 0);
	/* ann's own 5h cap: 150 + 120 = 270 <= 300. */
	check(&p, &ann, &w, "data-work", 120, MON + 3, 0, &c);
	assert_int_equal(c.allowed, 1);
	assert_int_equal(c.limit, 300);

	/* Will-not-do needs an override; with one it passes. */
	check(&p, &bob, &w, "duty", 30, MON + 3, 0, &c);
	assert_int_equal(c.allowed, 0);
	assert_int_equal(c.needs_override, 1);
	assert_int_equal(c.over_cap, 0);
	assert_string_equal(c.reason, "duty is marked will-not-do: an admin "
	    "override is needed");
	check(&p, &bob, &w, "duty", 30, MON + 3, 1, &c);
	assert_int_equal(c.allowed, 1);
	assert_int_equal(c.breaks_protected, 0);	/* 530/590 = 89.8% */
	/* 600 more minutes of duty: 530 / 1160 = 45.7% < 50%. */
	check(&p, &bob, &w, "duty", 600, MON + 3, 1, &c);
	assert_int_equal(c.allowed, 1);
	assert_int_equal(c.breaks_protected, 1);

	assert_int_equal(caps_check_entry(&p, &bob, bob_entries, NBOB, &w,
	    &add, &c, err, sizeof err), -1);
	assert_string_equal(err, "unknown category 'lunch'");
	caps_policy_free(&p);
}

/*
 * Two weeks (MON - 7 .. MON + 6): planned = scheduled minutes incl. the
 * cancelled one: 120 + 60 + 45 = 225 observation.  Actual: observation
 * 120, data-work 90 + 60 + 600 = 750, curriculum 200, duty 30: 1100.
 * Shares: 1090, 6818, 1818, 272 bp; coaching 1070 / 1100 = 9727 bp.
 */
static void
test_report_time(void **state)
{
	struct caps_policy	p;
	struct caps_report	r;
	struct caps_entry	odd[] = {
		{ "retired", 50, MON, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
		{ "observation", 150, MON, CAPS_SCHEDULED, CAPS_ENTRY_DONE, 0 },
		{ "retired", 25, MON, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
	};
	char			err[128];

	(void)state;
	load(&p);
	(void)term_window();
	assert_int_equal(caps_report_time(&p, bob_entries, NBOB, MON - 7,
	    MON + 6, &r, err, sizeof err), 0);
	assert_int_equal(r.nrows, 4);
	assert_int_equal(r.weeks, 2);
	assert_int_equal(r.rows[0].planned, 225);
	assert_int_equal(r.rows[0].actual, 120);
	assert_int_equal(r.rows[0].share_bp, 1090);
	assert_int_equal(r.rows[1].actual, 750);
	assert_int_equal(r.rows[1].planned, 0);
	assert_int_equal(r.rows[1].share_bp, 6818);
	assert_int_equal(r.rows[2].share_bp, 1818);
	assert_int_equal(r.rows[3].share_bp, 272);
	assert_int_equal(r.planned, 225);
	assert_int_equal(r.actual, 1100);
	assert_int_equal(r.coaching_actual, 1070);
	assert_int_equal(r.coaching_share_bp, 9727);
	assert_int_equal(r.below_protected, 0);
	caps_report_free(&r);

	/* A category no longer in the file still shows, as non-coaching:
	   coaching 150 / 225 = 66.66% -> 6666 bp. */
	assert_int_equal(caps_report_time(&p, odd, 3, MON, MON, &r, err,
	    sizeof err), 0);
	assert_int_equal(r.nrows, 5);
	assert_string_equal(r.rows[4].category, "retired");
	assert_int_equal(r.rows[4].actual, 75);
	assert_int_equal(r.rows[4].share_bp, 3333);
	assert_int_equal(r.coaching_share_bp, 6666);
	assert_int_equal(r.weeks, 1);
	caps_report_free(&r);

	/* Coaching below the protected minimum. */
	odd[1].minutes = 60;	/* 60 / 135 = 44.4% < 50% */
	assert_int_equal(caps_report_time(&p, odd, 3, MON, MON, &r, err,
	    sizeof err), 0);
	assert_int_equal(r.coaching_share_bp, 4444);
	assert_int_equal(r.below_protected, 1);
	caps_report_free(&r);

	assert_int_equal(caps_report_time(&p, odd, 3, MON, MON - 1, &r, err,
	    sizeof err), -1);
	caps_policy_free(&p);
}

/*
 * This week: observation 120 (bob) + 600 (cy) = 720; curriculum 200 +
 * 500 = 700; data-work 150 + 400 + 100 = 650; duty 30: total 2100.
 * Over: ann data-work 400 of her 300 (133.33%); bob's term 1950 of 1800
 * (108.33%); cy is within every cap.
 */
static void
test_report_district(void **state)
{
	static const struct caps_entry ann_e[] = {
		{ "data-work", 400, MON, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
		{ "curriculum", 500, MON, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
	};
	static const struct caps_entry cy_e[] = {
		{ "observation", 600, MON, CAPS_SCHEDULED, CAPS_ENTRY_DONE, 0 },
		{ "data-work", 100, MON, CAPS_LOGGED, CAPS_ENTRY_DONE, 0 },
	};
	static const struct caps_teacher_seen teachers[] = {
		{ "t-a", TODAY - 28 },	/* exactly 4 weeks: not listed */
		{ "t-b", TODAY - 29 },
		{ "t-c", -1 },
		{ "t-d", TODAY - 82 },
		{ "t-e", TODAY - 2 },
	};
	struct caps_coach_input	coaches[3];
	struct caps_policy	p;
	struct caps_district	d;
	struct caps_window	w = term_window();
	char			err[128];

	(void)state;
	load(&p);
	coaches[0] = (struct caps_coach_input){ "bob", "lincoln", bob_entries,
	    NBOB, 0, NULL, 0 };
	coaches[1] = (struct caps_coach_input){ "ann", "lincoln", ann_e, 2,
	    0, NULL, 0 };
	coaches[2] = (struct caps_coach_input){ "cy", "other", cy_e, 2, 0,
	    NULL, 0 };
	assert_int_equal(caps_report_district(&p, coaches, 3, MON, MON + 6,
	    &w, teachers, 5, TODAY, 28, &d, err, sizeof err), 0);
	assert_int_equal(d.nranked, 4);
	assert_int_equal(d.actual, 2100);
	assert_string_equal(d.ranked[0].category, "observation");
	assert_int_equal(d.ranked[0].actual, 720);
	assert_int_equal(d.ranked[0].share_bp, 3428);
	assert_string_equal(d.ranked[1].category, "curriculum");
	assert_int_equal(d.ranked[1].share_bp, 3333);
	assert_string_equal(d.ranked[2].category, "data-work");
	assert_int_equal(d.ranked[2].actual, 650);
	assert_string_equal(d.ranked[3].category, "duty");

	assert_int_equal(d.nover, 2);
	assert_string_equal(d.over[0].coach_id, "ann");
	assert_string_equal(d.over[0].category, "data-work");
	assert_int_equal(d.over[0].period, CAPS_WEEK);
	assert_int_equal(d.over[0].pct_bp, 13333);
	assert_string_equal(d.over[1].coach_id, "bob");
	assert_int_equal(d.over[1].period, CAPS_TERM);
	assert_int_equal(d.over[1].used, 1950);
	assert_int_equal(d.over[1].limit, 1800);
	assert_int_equal(d.over[1].pct_bp, 10833);

	assert_int_equal(d.nunseen, 3);
	assert_string_equal(d.unseen[0].teacher_id, "t-c");
	assert_int_equal(d.unseen[0].days, -1);
	assert_string_equal(d.unseen[1].teacher_id, "t-d");
	assert_int_equal(d.unseen[1].days, 82);
	assert_string_equal(d.unseen[2].teacher_id, "t-b");
	assert_int_equal(d.unseen[2].days, 29);
	caps_district_free(&d);
	caps_policy_free(&p);
}

/* The shipped categories.conf parses and has the expected categories. */
static void
test_shipped_categories(void **state)
{
	struct caps_policy	 p;
	struct caps_spec	 s;
	struct caps_who		 who = { "c", "s", NULL, 0 };
	char			 path[1024], err[256], *text;
	FILE			*f;
	long			 len;

	(void)state;
	snprintf(path, sizeof path, "%s/conf/categories.conf", COACHD_SRC_DIR);
	assert_non_null(f = fopen(path, "rb"));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	assert_non_null(text = calloc(1, (size_t)len + 1));
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	if (caps_policy_parse(text, "categories.conf", &p, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(p.ncats, 15);
	assert_int_equal(p.warn_bp, 8000);
	assert_int_equal(caps_resolve(&p, &who, "data-work", CAPS_WEEK, &s,
	    NULL), 1);
	assert_int_equal(s.value, 240);
	assert_true(caps_needs_override(&p, "covering-classes"));
	assert_true(caps_find_category(&p, "observation") >= 0);
	caps_policy_free(&p);

	/* Every prefix parses or fails with "name:..."; nothing leaks. */
	for (len = (long)strlen(text); len >= 0; len--) {
		text[len] = '\0';
		if (caps_policy_parse(text, "p", &p, err, sizeof err) == 0) {
			assert_true(p.ncats > 0);
			caps_policy_free(&p);
			continue;
		}
		assert_true(strncmp(err, "p:", 2) == 0);
		assert_null(p.cats);
	}
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_good),
		cmocka_unit_test(test_spec_bad),
		cmocka_unit_test(test_policy_parse),
		cmocka_unit_test(test_policy_errors),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_schools),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_check_entry),
		cmocka_unit_test(test_report_time),
		cmocka_unit_test(test_report_district),
		cmocka_unit_test(test_shipped_categories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
