/*
 * cmd_calendar.c: `coachctl admin calendar block|availability|closure|
 * list|remove`: the coach blocks, availability rows and closures that
 * `admin schedule` plans around (docs/scheduling.md).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coachctl.h"
#include "xmalloc.h"

static const char *const wd_names[] = { "mon", "tue", "wed", "thu", "fri",
    "sat", "sun" };

/* ---- admin calendar ------------------------------------------------------ */

/* "HH:MM" -> minutes after midnight; -1 if malformed. */
static int
parse_hhmm(const char *s)
{
	int	h, m, n = 0;

	if (s == NULL || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 ||
	    s[n] != '\0' || h < 0 || h > 24 || m < 0 || m > 59 ||
	    (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

static const struct ctl_opt block_opts[] = {
	{ "coach", "ID", CTL_OPT_REQUIRED, "whose time (coaches: their own)" },
	{ "date", "DATE", CTL_OPT_REQUIRED, "YYYY-MM-DD" },
	{ "from", "HH:MM", CTL_OPT_REQUIRED, "start" },
	{ "to", "HH:MM", CTL_OPT_REQUIRED, "end" },
	{ "category", "NAME", 0, "duty category (default duty)" },
	{ "reason", "TEXT", 0, "e.g. lunch duty" },
	{ NULL, NULL, 0, NULL }
};

static int
calendar_block(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedBlock	b = COACHD__V1__SCHED_BLOCK__INIT;
	int			s, e;

	if ((s = parse_hhmm(ctl_opt(a, "from"))) == -1 ||
	    (e = parse_hhmm(ctl_opt(a, "to"))) == -1)
		return ctl_usage(a, "--from/--to: expected HH:MM");
	b.coach = (char *)ctl_opt(a, "coach");
	b.date = (char *)ctl_opt(a, "date");
	b.start_min = (uint32_t)s;
	b.end_min = (uint32_t)e;
	ctl_opt_str(a, "category", &b.category);
	ctl_opt_str(a, "reason", &b.reason);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CALENDAR_BLOCK_ADD, &b);
	return call_done(ctl, &req, "blocked");
}

static const struct ctl_opt avail_opts[] = {
	{ "coach", "ID", CTL_OPT_REQUIRED, "the coach" },
	{ "slot", "DAY HH:MM-HH:MM SCHOOL", CTL_OPT_MULTI,
	  "e.g. \"mon 08:00-12:00 lincoln\"; none = back to the default" },
	{ NULL, NULL, 0, NULL }
};

static int
calendar_availability(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedAvailability	 av =
	    COACHD__V1__SCHED_AVAILABILITY__INIT;
	Coachd__V1__SchedAvailRow	*rows = NULL, **rp = NULL;
	const char *const		*v;
	char				 day[8], t1[8], t2[8], school[256];
	size_t				 n, i;
	int				 k, rc, s, e;

	v = ctl_opt_all(a, "slot", &n);
	if (n > 0) {
		rows = xcalloc(n, sizeof(*rows));
		rp = xcalloc(n, sizeof(*rp));
	}
	for (i = 0; i < n; i++) {
		coachd__v1__sched_avail_row__init(&rows[i]);
		rp[i] = &rows[i];
		if (sscanf(v[i], "%7s %5[0-9:]-%5[0-9:] %255s", day, t1, t2,
		    school) != 4 || (s = parse_hhmm(t1)) == -1 ||
		    (e = parse_hhmm(t2)) == -1) {
			free(rows);
			free(rp);
			return ctl_usage(a, "--slot '%s': expected \"mon "
			    "08:00-12:00 SCHOOL\"", v[i]);
		}
		for (k = 0; k < 7 && strcmp(day, wd_names[k]) != 0; k++)
			;
		if (k == 7) {
			free(rows);
			free(rp);
			return ctl_usage(a, "--slot '%s': day is mon..sun",
			    v[i]);
		}
		rows[i].weekday = (uint32_t)k;
		rows[i].start_min = (uint32_t)s;
		rows[i].end_min = (uint32_t)e;
		rows[i].school = xstrdup(school);
	}
	av.coach = (char *)ctl_opt(a, "coach");
	av.rows = rp;
	av.n_rows = n;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CALENDAR_AVAILABILITY_SET,
	    &av);
	rc = call_done(ctl, &req, "availability set");
	for (i = 0; i < n; i++)
		free(rows[i].school);
	free(rows);
	free(rp);
	return rc;
}

static const struct ctl_opt closure_opts[] = {
	{ "date", "DATE", CTL_OPT_REQUIRED, "YYYY-MM-DD" },
	{ "school", "ID", 0, "one school only (default: district-wide)" },
	{ "reason", "TEXT", 0, "e.g. winter break" },
	{ NULL, NULL, 0, NULL }
};

static int
calendar_closure(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedClosure c = COACHD__V1__SCHED_CLOSURE__INIT;

	c.date = (char *)ctl_opt(a, "date");
	ctl_opt_str(a, "school", &c.school);
	ctl_opt_str(a, "reason", &c.reason);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CALENDAR_CLOSURE_ADD, &c);
	return call_done(ctl, &req, "closed");
}

static void
hhmm(uint32_t m, char *buf, size_t len)
{
	snprintf(buf, len, "%02u:%02u", (m / 60) % 100, m % 60);
}

static void
print_calendar(const Coachd__V1__SchedCalendar *c)
{
	static const char *const ah[] = { "COACH", "DAY", "FROM", "TO",
	    "SCHOOL", NULL };
	static const char *const bh[] = { "ID", "COACH", "DATE", "FROM",
	    "TO", "CATEGORY", "REASON", NULL };
	static const char *const ch[] = { "DATE", "SCHOOL", "REASON", NULL };
	struct out_table	*t;
	char			 a[16], b[16], id[24];
	size_t			 i, k;

	printf("Availability (coaches without rows work at their schools, "
	    "one a weekday in turn):\n");
	t = out_table_new(ah);
	for (i = 0; i < c->n_availability; i++)
		for (k = 0; k < c->availability[i]->n_rows; k++) {
			const Coachd__V1__SchedAvailRow *r =
			    c->availability[i]->rows[k];

			hhmm(r->start_min, a, sizeof(a));
			hhmm(r->end_min, b, sizeof(b));
			out_table_add(t, c->availability[i]->coach,
			    wd_names[r->weekday % 7], a, b, r->school);
		}
	out_table_print(t, stdout);
	out_table_free(t);
	printf("\nBlocks:\n");
	t = out_table_new(bh);
	for (i = 0; i < c->n_blocks; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)c->blocks[i]->id);
		hhmm(c->blocks[i]->start_min, a, sizeof(a));
		hhmm(c->blocks[i]->end_min, b, sizeof(b));
		out_table_add(t, id, c->blocks[i]->coach, c->blocks[i]->date,
		    a, b, c->blocks[i]->category, c->blocks[i]->reason);
	}
	out_table_print(t, stdout);
	out_table_free(t);
	printf("\nClosures:\n");
	t = out_table_new(ch);
	for (i = 0; i < c->n_closures; i++)
		out_table_add(t, c->closures[i]->date,
		    c->closures[i]->school[0] ? c->closures[i]->school :
		    "(district)", c->closures[i]->reason);
	out_table_print(t, stdout);
	out_table_free(t);
}

static const struct ctl_opt list_opts[] = {
	{ "coach", "ID", 0, "one coach's rows (coaches: their own)" },
	{ "from", "DATE", 0, "blocks and closures from (default today)" },
	{ NULL, NULL, 0, NULL }
};

static int
calendar_list(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedCalendarRequest r =
	    COACHD__V1__SCHED_CALENDAR_REQUEST__INIT;
	Coachd__V1__Response		*resp;
	int				 rc;

	ctl_opt_str(a, "coach", &r.coach);
	ctl_opt_str(a, "from", &r.from);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CALENDAR_LIST, &r);
	if ((rc = srv_call(ctl->srv, &req, &resp)) != CTL_EX_OK)
		return rc;
	if (ctl->json)
		rc = out_result(ctl, resp, NULL);
	else if (resp->calendar != NULL)
		print_calendar(resp->calendar);
	srv_response_free(resp);
	return rc;
}

static const struct ctl_opt remove_opts[] = {
	{ "block", "ID", 0, "a block (its ID in `calendar list`)" },
	{ "availability", NULL, 0, "a coach's availability rows (--coach)" },
	{ "closure", NULL, 0, "a closure (--date, --school)" },
	{ "coach", "ID", 0, "whose availability" },
	{ "day", "DAY", 0, "only that weekday's rows (mon..sun)" },
	{ "date", "DATE", 0, "the closure's date" },
	{ "school", "ID", 0, "the closure's school (default district-wide)" },
	{ NULL, NULL, 0, NULL }
};

static int
calendar_remove(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedCalendarRemove	r =
	    COACHD__V1__SCHED_CALENDAR_REMOVE__INIT;
	char				*end;
	int				 k;

	r.weekday = -1;
	if (ctl_opt(a, "block") != NULL) {
		r.what = (char *)"block";
		r.id = strtoll(ctl_opt(a, "block"), &end, 10);
		if (*end != '\0' || r.id <= 0)
			return ctl_usage(a, "--block: expected a block ID");
	} else if (ctl_flag(a, "availability")) {
		r.what = (char *)"availability";
		if (ctl_opt(a, "coach") == NULL)
			return ctl_usage(a, "--availability needs --coach");
		r.coach = (char *)ctl_opt(a, "coach");
		if (ctl_opt(a, "day") != NULL) {
			for (k = 0; k < 7 && strcmp(ctl_opt(a, "day"),
			    wd_names[k]) != 0; k++)
				;
			if (k == 7)
				return ctl_usage(a, "--day: mon..sun");
			r.weekday = k;
		}
	} else if (ctl_flag(a, "closure")) {
		r.what = (char *)"closure";
		if (ctl_opt(a, "date") == NULL)
			return ctl_usage(a, "--closure needs --date");
		r.date = (char *)ctl_opt(a, "date");
		ctl_opt_str(a, "school", &r.school);
	} else
		return ctl_usage(a, "remove what? --block ID, --availability "
		    "or --closure");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CALENDAR_REMOVE, &r);
	return call_done(ctl, &req, "removed");
}

const struct ctl_cmd cmd_admin_calendar[] = {
	{ .name = "block", .summary = "block a coach's time (duty, PD)",
	  .opts = block_opts, .fn = calendar_block },
	{ .name = "availability", .summary = "when and where a coach works",
	  .opts = avail_opts, .fn = calendar_availability },
	{ .name = "closure", .summary = "a day without school",
	  .opts = closure_opts, .fn = calendar_closure },
	{ .name = "list", .summary = "availability, blocks and closures",
	  .opts = list_opts, .fn = calendar_list },
	{ .name = "remove", .summary = "remove a block, availability or "
	  "closure", .opts = remove_opts, .fn = calendar_remove },
	{ .name = NULL }
};
