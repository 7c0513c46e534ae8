/*
 * cmd_schedule: the scheduling nouns of coachctl.  `schedule` lists
 * sessions, `week` draws a coach's or teacher's week, `session` requests,
 * confirms, declines, reschedules and cancels one session and keeps its
 * cycle's confidential notes; `admin schedule` (cmd_admin_schedule[])
 * plans and publishes coaching cycles.
 */
#define _POSIX_C_SOURCE 200809L

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "coachctl.h"
#include "week.h"

static int
parse_id(struct ctl_args *a, const char *s, int64_t *id)
{
	if (ctl_parse_id(s, id) == -1)
		return ctl_usage(a, "'%s' is not a session id", s);
	return CTL_EX_OK;
}

static void
hhmm(char *buf, size_t len, uint32_t a, uint32_t b)
{
	snprintf(buf, len, "%02u:%02u-%02u:%02u", a / 60, a % 60, b / 60,
	    b % 60);
}

/* Sessions as a table (ids, when, what, who, status, SEQUENCE, initiator). */
static void
print_sessions(Coachd__V1__SchedSession *const *s, size_t n)
{
	static const char *const h[] = { ">ID", "DATE", "TIME", "PERIOD",
	    "KIND", "COACH", "TEACHER", "SCHOOL", "ROOM", "STATUS", ">SEQ",
	    "BY", NULL };
	struct out_table	*t = out_table_new(h);
	char			 tm[32], seq[16], id[24];
	size_t			 i;

	for (i = 0; i < n; i++) {
		hhmm(tm, sizeof(tm), s[i]->start_min, s[i]->end_min);
		snprintf(seq, sizeof(seq), "%u", s[i]->sequence);
		snprintf(id, sizeof(id), "%lld", (long long)s[i]->id);
		out_table_add(t, id, s[i]->date, tm, s[i]->period, s[i]->kind,
		    s[i]->coach, s[i]->teacher, s[i]->school, s[i]->room,
		    s[i]->status, seq, s[i]->initiated_by);
	}
	out_table_print(t, stdout);
	out_table_free(t);
}

/* ---- schedule ------------------------------------------------------------ */

static const struct ctl_opt list_opts[] = {
	{ "coach", "ID", 0, "only this coach's sessions" },
	{ "teacher", "ID", 0, "only this teacher's sessions" },
	{ "from", "DATE", 0, "first date (YYYY-MM-DD)" },
	{ "to", "DATE", 0, "last date (YYYY-MM-DD)" },
	{ "all", NULL, 0, "include cancelled and declined sessions" },
	{ NULL, NULL, 0, NULL }
};

static int
list_call(struct ctl *ctl, const char *coach, const char *teacher,
    const char *from, const char *to, int all, Coachd__V1__Response **resp)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedListRequest	 lr =
	    COACHD__V1__SCHED_LIST_REQUEST__INIT;

	if (coach != NULL)
		lr.coach = (char *)coach;
	if (teacher != NULL)
		lr.teacher = (char *)teacher;
	if (from != NULL)
		lr.from = (char *)from;
	if (to != NULL)
		lr.to = (char *)to;
	lr.include_cancelled = all;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_SCHEDULE_LIST, &lr);
	return srv_call(ctl->srv, &req, resp);
}

static int
schedule_list(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Response	*resp;
	int			 rc, d;

	if (ctl_opt(a, "from") != NULL &&
	    calendar_parse_date(ctl_opt(a, "from"), &d) == -1)
		return ctl_usage(a, "--from: expected YYYY-MM-DD");
	if (ctl_opt(a, "to") != NULL &&
	    calendar_parse_date(ctl_opt(a, "to"), &d) == -1)
		return ctl_usage(a, "--to: expected YYYY-MM-DD");
	if ((rc = list_call(ctl, ctl_opt(a, "coach"), ctl_opt(a, "teacher"),
	    ctl_opt(a, "from"), ctl_opt(a, "to"), ctl_flag(a, "all"), &resp))
	    != CTL_EX_OK)
		return rc;
	if (ctl->json)
		rc = out_result(ctl, resp, NULL);
	else if (resp->result_case == COACHD__V1__RESPONSE__RESULT_SESSIONS)
		print_sessions(resp->sessions->sessions,
		    resp->sessions->n_sessions);
	srv_response_free(resp);
	return rc;
}

const struct ctl_cmd cmd_schedule[] = {
	{ .name = "", .summary = "list coaching sessions", .opts = list_opts,
	  .fn = schedule_list,
	  .help = "Teachers see their own sessions, coaches theirs, admins"
	  " any.  SEQ is the\niCalendar SEQUENCE: it rises each time a"
	  " session moves or is cancelled." },
	{ .name = NULL }
};

/* ---- week ---------------------------------------------------------------- */

static const struct ctl_opt week_opts[] = {
	{ "coach", "ID", 0, "whose week (coaches: their own)" },
	{ "teacher", "ID", 0, "a teacher's week instead" },
	{ "date", "DATE", 0, "any day of the week (default today)" },
	{ "ascii", NULL, 0, "ASCII frame instead of box drawing" },
	{ NULL, NULL, 0, NULL }
};

/* Today on the user's wall calendar (TZ), not UTC's date. */
static int
today_local(int *day)
{
	struct tm	tm;
	time_t		now = time(NULL);
	char		buf[CALENDAR_DATE_LEN];

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d", &tm) == 0)
		return -1;
	return calendar_parse_date(buf, day);
}

static int
week_show(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Response		*resp;
	const Coachd__V1__HelloResult	*h;
	char				 dates[5][CALENDAR_DATE_LEN];
	const char			*dp[5];
	const char			*cs;
	int				 day, mon, i, rc, coach_view, ascii;

	if (ctl_opt(a, "date") != NULL) {
		if (calendar_parse_date(ctl_opt(a, "date"), &day) == -1)
			return ctl_usage(a, "--date: expected YYYY-MM-DD");
	} else if (today_local(&day) == -1)
		return ctl_usage(a, "cannot read the clock; give --date");
	mon = calendar_monday(day);
	for (i = 0; i < 5; i++) {
		calendar_format_date(mon + i, dates[i], sizeof(dates[i]));
		dp[i] = dates[i];
	}
	if ((rc = list_call(ctl, ctl_opt(a, "coach"), ctl_opt(a, "teacher"),
	    dates[0], dates[4], 0, &resp)) != CTL_EX_OK)
		return rc;
	if (ctl->json) {
		rc = out_result(ctl, resp, NULL);
		srv_response_free(resp);
		return rc;
	}
	h = srv_hello(ctl->srv);
	coach_view = ctl_opt(a, "teacher") == NULL && !(h != NULL &&
	    h->principal != NULL &&
	    h->principal->role == COACHD__V1__ROLE__TEACHER);
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	ascii = ctl_flag(a, "ascii") || cs == NULL ||
	    (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0);
	printf("Week of %s%s%s\n", dates[0],
	    ctl_opt(a, "coach") ? ", coach " : ctl_opt(a, "teacher") ?
	    ", teacher " : "", ctl_opt(a, "coach") ? ctl_opt(a, "coach") :
	    ctl_opt(a, "teacher") ? ctl_opt(a, "teacher") : "");
	week_print(stdout, dp, resp->sessions->sessions,
	    resp->sessions->n_sessions, coach_view, ascii);
	srv_response_free(resp);
	return CTL_EX_OK;
}

const struct ctl_cmd cmd_week[] = {
	{ .name = "", .summary = "a week of sessions as a grid",
	  .opts = week_opts, .fn = week_show,
	  .help = "Days across (Monday to Friday), periods down; cells read"
	  " \"obs T.Ortiz\"\n(mtg = meeting, obs = observation, deb ="
	  " debrief; a trailing ? marks a\nrequest not yet confirmed)." },
	{ .name = NULL }
};

/* ---- session ------------------------------------------------------------- */

static int
session_reply(struct ctl *ctl, Coachd__V1__Request *req)
{
	Coachd__V1__Response	*resp;
	int			 rc;

	if ((rc = call_reply(ctl, req, COACHD__V1__RESPONSE__RESULT_SESSION,
	    &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	print_sessions(&resp->session, 1);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static const struct ctl_opt request_opts[] = {
	{ "teacher", "ID", 0, "the teacher (teachers: themself)" },
	{ "coach", "ID", 0, "the coach (coaches: themself)" },
	{ "date", "DATE", CTL_OPT_REQUIRED, "YYYY-MM-DD" },
	{ "period", "P", CTL_OPT_REQUIRED, "bell-schedule period" },
	{ "kind", "KIND", CTL_OPT_REQUIRED,
	  "meeting, observation, debrief, modelling, ..." },
	{ NULL, NULL, 0, NULL }
};

static int
session_request(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedSessionRequest	sr =
	    COACHD__V1__SCHED_SESSION_REQUEST__INIT;

	ctl_opt_str(a, "teacher", &sr.teacher);
	ctl_opt_str(a, "coach", &sr.coach);
	sr.date = (char *)ctl_opt(a, "date");
	sr.period = (char *)ctl_opt(a, "period");
	sr.kind = (char *)ctl_opt(a, "kind");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_SESSION_REQUEST, &sr);
	return session_reply(ctl, &req);
}

static int
session_ref(struct ctl *ctl, struct ctl_args *a, unsigned op)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedSessionRef	ref = COACHD__V1__SCHED_SESSION_REF__INIT;
	int				rc;

	if ((rc = parse_id(a, ctl_pos(a, 0), &ref.id)) != CTL_EX_OK)
		return rc;
	srv_request_set(&req, op, &ref);
	return session_reply(ctl, &req);
}

static int
session_confirm(struct ctl *ctl, struct ctl_args *a)
{
	return session_ref(ctl, a, COACHD__V1__REQUEST__OP_SESSION_CONFIRM);
}

static int
session_decline(struct ctl *ctl, struct ctl_args *a)
{
	return session_ref(ctl, a, COACHD__V1__REQUEST__OP_SESSION_DECLINE);
}

static int
session_cancel(struct ctl *ctl, struct ctl_args *a)
{
	return session_ref(ctl, a, COACHD__V1__REQUEST__OP_SESSION_CANCEL);
}

static const struct ctl_opt resched_opts[] = {
	{ "date", "DATE", CTL_OPT_REQUIRED, "new date, YYYY-MM-DD" },
	{ "period", "P", CTL_OPT_REQUIRED, "new period" },
	{ NULL, NULL, 0, NULL }
};

static int
session_reschedule(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedReschedule	rs = COACHD__V1__SCHED_RESCHEDULE__INIT;
	int				rc;

	if ((rc = parse_id(a, ctl_pos(a, 0), &rs.id)) != CTL_EX_OK)
		return rc;
	rs.date = (char *)ctl_opt(a, "date");
	rs.period = (char *)ctl_opt(a, "period");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_SESSION_RESCHEDULE, &rs);
	return session_reply(ctl, &req);
}

static int
note_add(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedNoteAdd na = COACHD__V1__SCHED_NOTE_ADD__INIT;
	Coachd__V1__Response	*resp;
	int			 rc;

	if ((rc = parse_id(a, ctl_pos(a, 0), &na.session)) != CTL_EX_OK)
		return rc;
	na.text = (char *)ctl_pos(a, 1);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_SESSION_NOTE_ADD, &na);
	if ((rc = call_reply(ctl, &req, COACHD__V1__RESPONSE__RESULT_NOTE,
	    &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	printf("note %lld added to cycle %lld\n",
	    (long long)resp->note->id, (long long)resp->note->cycle);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static int
note_list(struct ctl *ctl, struct ctl_args *a)
{
	static const char *const cols[] = { "id=>ID", "author=AUTHOR",
	    "at=>AT", "text=NOTE", NULL };
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedSessionRef	ref = COACHD__V1__SCHED_SESSION_REF__INIT;
	int				rc;

	if ((rc = parse_id(a, ctl_pos(a, 0), &ref.id)) != CTL_EX_OK)
		return rc;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_SESSION_NOTE_LIST, &ref);
	return call_result(ctl, &req, cols);
}

static const struct ctl_cmd note_cmds[] = {
	{ .name = "add", .summary = "add a confidential note to the cycle",
	  .usage = "SESSION TEXT", .minpos = 2, .maxpos = 2, .fn = note_add },
	{ .name = "list", .summary = "the cycle's notes (coach and teacher"
	  " only)", .usage = "SESSION", .minpos = 1, .maxpos = 1,
	  .fn = note_list },
	{ .name = NULL }
};

const struct ctl_cmd cmd_session[] = {
	{ .name = "request", .summary = "ask for a session (who asks is"
	  " recorded)", .opts = request_opts, .fn = session_request },
	{ .name = "confirm", .summary = "confirm a requested or proposed"
	  " session", .usage = "ID", .minpos = 1, .maxpos = 1,
	  .fn = session_confirm },
	{ .name = "decline", .summary = "decline a requested or proposed"
	  " session", .usage = "ID", .minpos = 1, .maxpos = 1,
	  .fn = session_decline },
	{ .name = "reschedule", .summary = "move a session (SEQUENCE + 1)",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .opts = resched_opts,
	  .fn = session_reschedule },
	{ .name = "cancel", .summary = "cancel a session (kept, SEQUENCE +"
	  " 1)", .usage = "ID", .minpos = 1, .maxpos = 1,
	  .fn = session_cancel },
	{ .name = "note", .summary = "confidential coaching notes of the"
	  " session's cycle", .sub = note_cmds },
	{ .name = NULL }
};

/* ---- admin schedule ------------------------------------------------------ */

static const struct ctl_opt run_opts[] = {
	{ "dry-run", NULL, 0, "show the plan and its diff, change nothing" },
	{ "from", "DATE", 0, "first day of the horizon (default today)" },
	{ NULL, NULL, 0, NULL }
};

static void
print_run(const Coachd__V1__SchedRun *r)
{
	static const char *const h[] = { ">CYCLE", "TEACHER", "COACH",
	    "STATUS", "MEETING", "OBSERVATION", "DEBRIEF", NULL };
	struct out_table	*t = out_table_new(h);
	char			 cyc[24], when[3][64];
	const Coachd__V1__SchedPlanEntry *e;
	size_t			 i, k;

	for (i = 0; i < r->n_entries; i++) {
		e = r->entries[i];
		snprintf(cyc, sizeof(cyc), "%lld", (long long)e->cycle);
		for (k = 0; k < 3; k++)
			when[k][0] = '\0';
		for (k = 0; k < e->n_sessions && k < 3; k++)
			snprintf(when[k], sizeof(when[k]), "%s %s",
			    e->sessions[k]->date, e->sessions[k]->period);
		out_table_add(t, cyc, e->teacher, e->coach, e->status, when[0],
		    when[1], when[2]);
	}
	out_table_print(t, stdout);
	out_table_free(t);
	for (i = 0; i < r->n_entries; i++) {
		e = r->entries[i];
		if (strcmp(e->status, "moved") == 0) {
			printf("cycle %lld moved:", (long long)e->cycle);
			for (k = 0; k < e->n_moved_from; k++)
				printf(" %s%s", k ? "; " : "",
				    e->moved_from[k]);
			printf(" (%s)\n", e->reason[0] ? e->reason :
			    "its slot is no longer valid");
		} else if (e->reason[0] != '\0')
			printf("cycle %lld %s: %s\n", (long long)e->cycle,
			    e->status, e->reason);
	}
	printf("%s %s..%s (%u school days): %u new cycles, %u new, %u moved, "
	    "%u unchanged, %u unplaceable; engine %u ms (%u group%s)%s\n",
	    r->dry_run ? "Plan" : "Published", r->from, r->to, r->school_days,
	    r->cycles_created, r->placed, r->moved, r->unchanged,
	    r->unplaceable, r->solve_ms, r->groups, r->groups == 1 ? "" : "s",
	    r->dry_run ? " (dry run: nothing changed)" : "");
}

static int
admin_schedule(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__SchedRunRequest	 rr =
	    COACHD__V1__SCHED_RUN_REQUEST__INIT;
	Coachd__V1__Response		*resp;
	int				 rc, d;

	rr.dry_run = ctl_flag(a, "dry-run");
	if (ctl_opt(a, "from") != NULL) {
		if (calendar_parse_date(ctl_opt(a, "from"), &d) == -1)
			return ctl_usage(a, "--from: expected YYYY-MM-DD");
		rr.from = (char *)ctl_opt(a, "from");
	}
	srv_request_set(&req, COACHD__V1__REQUEST__OP_SCHEDULE_RUN, &rr);
	if ((rc = call_reply(ctl, &req,
	    COACHD__V1__RESPONSE__RESULT_SCHEDULE_RUN, &resp)) != CTL_EX_OK ||
	    resp == NULL)
		return rc;
	print_run(resp->schedule_run);
	srv_response_free(resp);
	return CTL_EX_OK;
}

const struct ctl_cmd cmd_admin_schedule[] = {
	{ .name = "", .summary = "plan coaching cycles into the timetable",
	  .opts = run_opts, .fn = admin_schedule,
	  .help = "Creates a cycle for every assigned question, places"
	  " meeting, observation\nand debrief over the next [schedule]"
	  " horizon_days school days, moving as\nfew published sessions as"
	  " possible, and shows the plan with its diff.\nWithout --dry-run"
	  " it publishes (sessions 'proposed', feeds updated)." },
	{ .name = NULL }
};
