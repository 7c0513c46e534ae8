/*
 * rpc_sched.c: the session operations.  Who may act: the coach and the
 * teacher of a session, or an admin; confidential notes only the coach
 * and the teacher (admins are refused by the operation table).  Changes
 * of time or place and cancellations raise the session's sequence, the
 * iCalendar SEQUENCE calendar clients watch; rows are never deleted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "change.h"
#include "log.h"
#include "rpc.h"
#include "rpc_sched_int.h"
#include "store_sched.h"
#include "rpc_caps.h"
#include "xmalloc.h"


/*
 * A teacher or coach acts only on their own side: their id fills the
 * empty one, another's is FORBIDDEN ("a coach <what>").  Admins any.
 */
static int
own_side(const struct rpc_ctx *ctx, const char **coach, const char **teacher,
    const char *what, Coachd__V1__Response *resp)
{
	const char	**mine;

	if (ROLE_IS(ctx, TEACHER))
		mine = teacher;
	else if (ROLE_IS(ctx, COACH))
		mine = coach;
	else
		return 0;
	if ((*mine)[0] != '\0' && strcmp(*mine, ctx->who->user) != 0)
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN, "a %s %s",
		    ROLE_IS(ctx, TEACHER) ? "teacher" : "coach", what);
	*mine = ctx->who->user;
	return 0;
}

/* Whether the caller is a party to the session (or, if admin_ok, admin). */
static int
is_party(const struct rpc_ctx *ctx, const Coachd__V1__SchedSession *s,
    int admin_ok)
{
	if (ROLE_IS(ctx, ADMIN))
		return admin_ok;
	if (ROLE_IS(ctx, COACH))
		return strcmp(ctx->who->user, s->coach) == 0;
	if (ROLE_IS(ctx, TEACHER))
		return strcmp(ctx->who->user, s->teacher) == 0;
	return 0;
}

static const char *
role_word(const struct rpc_ctx *ctx)
{
	if (ROLE_IS(ctx, TEACHER))
		return "teacher";
	if (ROLE_IS(ctx, COACH))
		return "coach";
	return "admin";
}

int
rpc_schedule_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__SchedListRequest	*r = req->schedule_list;
	Coachd__V1__SchedSessionList		*l;
	const char				*coach, *teacher;
	char					 err[ERRMSG_LEN];
	enum store_status			 ret;

	coach = r->coach;
	teacher = r->teacher;
	/* Teachers see their own sessions, coaches theirs; admins any. */
	if (own_side(ctx, &coach, &teacher, "sees only their own sessions",
	    resp) == -1)
		return -1;
	ret = store_sched_session_list(ctx->store, coach, teacher, r->from,
	    r->to, r->include_cancelled, &l, err, sizeof(err));
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_SESSIONS,
	    &l->base);
}

static int
first_col(void *arg, int n, const char *const *c)
{
	char	*buf = arg;

	if (n >= 1)
		snprintf(buf, 256, "%s", c[0]);
	return 0;
}

struct teach_check {
	const struct tt	*tt;
	const char	*school, *period;
	int		 day;
	int		 teaching;
	char		 class_id[256], room[256];
};

static int
teach_row(void *arg, int n, const char *const *c)
{
	struct teach_check	*t = arg;

	if (n < 5 || strcmp(c[2], "teach") != 0 || strcmp(c[1], t->period) ||
	    !tt_day_matches(t->tt, t->school, t->day, c[0]))
		return 0;
	t->teaching = 1;
	snprintf(t->class_id, sizeof(t->class_id), "%s", c[3]);
	snprintf(t->room, sizeof(t->room), "%s", c[4]);
	return 0;
}

/*
 * Where and when a session at (date, period) would be, and whether it
 * clashes: with the coach's or the teacher's other live sessions, or
 * (except observations) with the teacher's teaching.  0, or -1 with resp
 * failed naming the conflict.
 */
/* Whether a slot of day starting at start has begun (district time). */
static int
slot_passed(const struct rpc_ctx *ctx, int day, int start, char *msg,
    size_t len)
{
	int	today, minute;

	today = tt_today(ctx);
	minute = calendar_minute((long long)ctx->now, ctx->conf->timezone);
	if (day > today || (day == today && start >= minute))
		return 0;
	snprintf(msg, len, "starts at %02d:%02d, before now (%02d:%02d "
	    "district time, %s): sessions cannot be placed in the past",
	    start / 60, start % 60, minute / 60, minute % 60,
	    ctx->conf->timezone);
	if (day < today)
		snprintf(msg, len, "is in the past (district time, %s): "
		    "sessions cannot be placed in the past",
		    ctx->conf->timezone);
	return 1;
}

/*
 * Refuse a slot taken by clash.  Its kind and id are shown only to an
 * admin or a party to it: another teacher's or coach's bookings are
 * theirs, so anyone else learns only that the coach or the teacher of
 * their own request is busy at the time they asked for.
 */
static void
clash_fail(const struct rpc_ctx *ctx, Coachd__V1__Response *resp,
    const char *side, const char *who, const char *date, const char *period,
    const struct store_sched_clash *clash)
{
	if (ROLE_IS(ctx, ADMIN) ||
	    (ROLE_IS(ctx, COACH) && strcmp(ctx->who->user, clash->coach) == 0) ||
	    (ROLE_IS(ctx, TEACHER) && strcmp(ctx->who->user,
	    clash->teacher) == 0)) {
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "%s %s is already "
		    "booked then: %s", side, who, clash->what);
		return;
	}
	rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "the %s is busy at that "
	    "time (%s period %s); choose another period", side, date, period);
}

static int
check_slot(struct rpc_ctx *ctx, Coachd__V1__Response *resp,
    const char *coach, const char *teacher, const char *kind,
    const char *date, const char *period, int64_t exclude, char *school,
    struct teach_check *tc, int *start, int *end)
{
	const struct tt_bell	*b;
	struct tt		 tt;
	struct store_sched_clash clash;
	char			 err[ERRMSG_LEN];
	int			 day, found, rc = -1;
	enum store_status	 ret;

	if (calendar_parse_date(date, &day) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "--date: '%s' is not a YYYY-MM-DD date", date);
	school[0] = '\0';
	if ((ret = store_sched_query(ctx->store, SS_Q_TEACHER_SCHOOL, teacher,
	    NULL, first_col, school, err, sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (school[0] == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "teacher '%s' not found", teacher);
	if (tt_load(ctx, &tt, school, err, sizeof(err)) == -1)
		return rpc_fail_store(resp, STORE_ERROR, err);
	if (!calendar_is_school_day(&tt.cal, day) ||
	    tt_school_closed(&tt, school, day)) {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "%s is not a school day%s%s", date, calendar_is_school_day(
		    &tt.cal, day) ? " at " : "", calendar_is_school_day(
		    &tt.cal, day) ? school : "");
		goto out;
	}
	if ((b = tt_period(&tt, school, day, period)) == NULL) {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "%s has no period '%s' on %s", school, period, date);
		goto out;
	}
	*start = b->start;
	*end = config_sched_session_end(ctx->conf, kind, b->start, b->end);
	/*
	 * Coaches and teachers plan ahead; only an admin may record a
	 * session after the fact (the caps reports count past sessions).
	 */
	if (!ROLE_IS(ctx, ADMIN) && slot_passed(ctx, day, *start, err,
	    sizeof(err))) {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s period %s "
		    "%s", date, period, err);
		goto out;
	}
	if ((ret = store_sched_conflict(ctx->store, 0, coach, date, *start,
	    *end, exclude, &found, &clash, err, sizeof(err))) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	if (found) {
		clash_fail(ctx, resp, "coach", coach, date, period, &clash);
		goto out;
	}
	if ((ret = store_sched_conflict(ctx->store, 1, teacher, date, *start,
	    *end, exclude, &found, &clash, err, sizeof(err))) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	if (found) {
		clash_fail(ctx, resp, "teacher", teacher, date, period, &clash);
		goto out;
	}
	memset(tc, 0, sizeof(*tc));
	tc->tt = &tt;
	tc->school = school;
	tc->period = period;
	tc->day = day;
	if ((ret = store_sched_query(ctx->store, SS_Q_TEACHER_SLOTS, teacher,
	    NULL, teach_row, tc, err, sizeof(err))) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	tc->tt = NULL;
	if (tc->teaching && strcmp(kind, "observation") != 0) {
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "teacher %s "
		    "teaches %s in period %s on %s; a %s needs a free period",
		    teacher, tc->class_id[0] ? tc->class_id : "a class",
		    period, date, kind);
		goto out;
	}
	rc = 0;
out:
	tt_free(&tt);
	return rc;
}

/* The caps area's hard-cap check; 0 when refused (resp failed). */
static int
caps_check(struct rpc_ctx *ctx, Coachd__V1__Response *resp,
    const char *coach, const char *school, const char *kind, int minutes,
    const char *date)
{
	char	reason[ERRMSG_LEN];
	int	r;

	r = caps_booking_allowed(ctx, coach, school,
	    caps_session_category(kind), minutes, date, reason,
	    sizeof(reason));
	if (r == 1)
		return 1;
	rpc_fail(resp, r == 0 ? COACHD__V1__STATUS__FAILED_PRECONDITION :
	    COACHD__V1__STATUS__INTERNAL, "%s", reason);
	return 0;
}

static int
kind_valid(const char *k)
{
	size_t	i, n = strlen(k);

	if (n == 0 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '-'))
			return 0;
	return 1;
}

static int
reply_session(struct rpc_ctx *ctx, Coachd__V1__Response *resp, int64_t id)
{
	Coachd__V1__SchedSession	*s;
	char				 err[ERRMSG_LEN];
	enum store_status		 ret;

	if ((ret = store_sched_session_get(ctx->store, id, &s, err,
	    sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_SESSION,
	    &s->base);
}

/*
 * A coach books only with teachers they coach; 0 when refused (resp
 * failed).  The refusal is the same whether the teacher exists or not,
 * so it names nothing beyond the caller's own request.
 */
static int
on_caseload(struct rpc_ctx *ctx, const char *coach, const char *teacher,
    Coachd__V1__Response *resp)
{
	char			buf[256], err[ERRMSG_LEN];
	enum store_status	ret;

	buf[0] = '\0';
	if ((ret = store_sched_query(ctx->store, SS_Q_ON_CASELOAD, coach,
	    teacher, first_col, buf, err, sizeof(err))) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		return 0;
	}
	if (buf[0] != '\0')
		return 1;
	rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN, "session request: "
	    "teacher '%s' is not on your caseload; a coach may request "
	    "sessions only with teachers they coach", teacher);
	return 0;
}

int
rpc_session_request(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__SchedSessionRequest	*r = req->session_request;
	struct store_sched_session		 ss;
	struct teach_check			 tc;
	const char				*coach, *teacher;
	char					 school[256], buf[256];
	char					 cyc[256], err[ERRMSG_LEN];
	int					 start, end;
	int64_t					 id;
	enum store_status			 ret;

	coach = r->coach;
	teacher = r->teacher;
	if (own_side(ctx, &coach, &teacher,
	    "may request sessions only for themself", resp) == -1)
		return -1;
	if (coach[0] == '\0' || teacher[0] == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "a session needs a coach and a teacher");
	if (ROLE_IS(ctx, COACH) && !on_caseload(ctx, coach, teacher, resp))
		return -1;
	if (!kind_valid(r->kind))
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "--kind: expected a word like meeting, observation, "
		    "debrief, modelling");
	buf[0] = '\0';
	if ((ret = store_sched_query(ctx->store, SS_Q_COACH_EXISTS, coach,
	    NULL, first_col, buf, err, sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (buf[0] == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "coach '%s' not found", coach);
	if (check_slot(ctx, resp, coach, teacher, r->kind, r->date, r->period,
	    0, school, &tc, &start, &end) == -1)
		return -1;
	if (!caps_check(ctx, resp, coach, school, r->kind, end - start,
	    r->date))
		return -1;
	cyc[0] = '\0';
	if ((ret = store_sched_query(ctx->store, SS_Q_OPEN_CYCLE, coach,
	    teacher, first_col, cyc, err, sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	memset(&ss, 0, sizeof(ss));
	ss.cycle = strtoll(cyc, NULL, 10);
	ss.kind = r->kind;
	ss.coach = coach;
	ss.teacher = teacher;
	ss.school = school;
	ss.room = tc.room;
	ss.class_id = strcmp(r->kind, "observation") == 0 ? tc.class_id : "";
	ss.date = r->date;
	ss.period = r->period;
	ss.start_min = start;
	ss.end_min = end;
	ss.status = "requested";
	ss.initiated_by = role_word(ctx);
	if ((ret = store_sched_session_insert(ctx->store, &ss, ctx->now, &id,
	    err, sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	change_touch(ctx->changes, coach, teacher, school);
	return reply_session(ctx, resp, id);
}

/*
 * Load a session the caller is a party to; NULL with resp failed.  To a
 * coach or teacher another's session is NOT_FOUND exactly like a missing
 * id, so session ids cannot be probed (as questions: "no question N").
 */
static Coachd__V1__SchedSession *
party_session(struct rpc_ctx *ctx, Coachd__V1__Response *resp,
    const Coachd__V1__SchedSessionRef *ref, int admin_ok)
{
	Coachd__V1__SchedSession	*s;
	char				 err[ERRMSG_LEN];
	enum store_status		 ret;

	if (ref == NULL || ref->id <= 0) {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "missing session id");
		return NULL;
	}
	if ((ret = store_sched_session_get(ctx->store, ref->id, &s, err,
	    sizeof(err))) != STORE_OK) {
		if (ret == STORE_NOTFOUND)
			rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
			    "no session %lld", (long long)ref->id);
		else
			rpc_fail_store(resp, ret, err);
		return NULL;
	}
	if (is_party(ctx, s, admin_ok))
		return s;
	protobuf_c_message_free_unpacked(&s->base, NULL);
	if (ROLE_IS(ctx, ADMIN))
		rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN, "session %lld: "
		    "only its coach and teacher may do this",
		    (long long)ref->id);
	else
		rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "no session %lld", (long long)ref->id);
	return NULL;
}

/* Change a session's status when it is in one of the from states. */
static int
set_status(struct rpc_ctx *ctx, Coachd__V1__Response *resp,
    const Coachd__V1__SchedSessionRef *ref, const char *const *from,
    const char *to, int bump)
{
	Coachd__V1__SchedSession	*s;
	char				 err[ERRMSG_LEN];
	int				 ok = 0, i;
	int64_t				 id;
	enum store_status		 ret;

	if ((s = party_session(ctx, resp, ref, 1)) == NULL)
		return -1;
	for (i = 0; from[i] != NULL; i++)
		ok |= strcmp(s->status, from[i]) == 0;
	id = s->id;
	if (!ok) {
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "session %lld is "
		    "%s; it cannot become %s", (long long)id, s->status, to);
		protobuf_c_message_free_unpacked(&s->base, NULL);
		return -1;
	}
	change_touch(ctx->changes, s->coach, s->teacher, s->school);
	protobuf_c_message_free_unpacked(&s->base, NULL);
	if ((ret = store_sched_session_status(ctx->store, id, to, bump,
	    ctx->now, err, sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return reply_session(ctx, resp, id);
}

int
rpc_session_confirm(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	static const char *const from[] = { "requested", "proposed", NULL };

	return set_status(ctx, resp, req->session_confirm, from, "confirmed",
	    0);
}

int
rpc_session_decline(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	static const char *const from[] = { "requested", "proposed", NULL };

	return set_status(ctx, resp, req->session_decline, from, "declined",
	    1);
}

int
rpc_session_cancel(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	static const char *const from[] = { "requested", "proposed",
	    "confirmed", NULL };

	return set_status(ctx, resp, req->session_cancel, from, "cancelled",
	    1);
}

int
rpc_session_reschedule(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__SchedReschedule	*r = req->session_reschedule;
	Coachd__V1__SchedSessionRef		 ref =
	    COACHD__V1__SCHED_SESSION_REF__INIT;
	Coachd__V1__SchedSession		*s;
	struct teach_check			 tc;
	char					 school[256], err[ERRMSG_LEN];
	int					 start, end, rc = -1;
	enum store_status			 ret;

	ref.id = r->id;
	if ((s = party_session(ctx, resp, &ref, 1)) == NULL)
		return -1;
	if (strcmp(s->status, "cancelled") == 0 ||
	    strcmp(s->status, "declined") == 0) {
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "session %lld is "
		    "%s; request a new one instead", (long long)s->id,
		    s->status);
		goto out;
	}
	if (check_slot(ctx, resp, s->coach, s->teacher, s->kind, r->date,
	    r->period, s->id, school, &tc, &start, &end) == -1)
		goto out;
	if ((ret = store_sched_session_move(ctx->store, s->id, r->date,
	    r->period, start, end, NULL, NULL, ctx->now, err, sizeof(err))) !=
	    STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	/* Old and new place: the school of the new slot may differ. */
	change_touch(ctx->changes, s->coach, s->teacher, s->school);
	change_touch(ctx->changes, NULL, NULL, school);
	rc = reply_session(ctx, resp, s->id);
out:
	protobuf_c_message_free_unpacked(&s->base, NULL);
	return rc;
}

/*
 * The cycle of a session whose notes the caller may read or write: only
 * its coach and its teacher (admins never reach here: the operation table
 * refuses them).  0 with resp failed.
 */
static int64_t
note_cycle(struct rpc_ctx *ctx, Coachd__V1__Response *resp, int64_t session)
{
	Coachd__V1__SchedSessionRef	 ref = COACHD__V1__SCHED_SESSION_REF__INIT;
	Coachd__V1__SchedSession	*s;
	int64_t				 cycle;

	if (ROLE_IS(ctx, ADMIN)) {
		rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN, "coaching notes "
		    "are confidential to the coach and the teacher");
		return 0;
	}
	ref.id = session;
	if ((s = party_session(ctx, resp, &ref, 0)) == NULL)
		return 0;
	cycle = s->cycle;
	protobuf_c_message_free_unpacked(&s->base, NULL);
	if (cycle <= 0)
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "session %lld is "
		    "not part of a coaching cycle", (long long)session);
	return cycle;
}

int
rpc_session_note_add(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__SchedNoteAdd	*r = req->session_note_add;
	Coachd__V1__SchedNote		*n;
	char				 err[ERRMSG_LEN];
	int64_t				 cycle;
	enum store_status		 ret;

	if ((cycle = note_cycle(ctx, resp, r->session)) <= 0)
		return -1;
	if ((ret = store_note_add(ctx->store, cycle, ctx->who->user, r->text,
	    ctx->now, &n, err, sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_NOTE,
	    &n->base);
}

int
rpc_session_note_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__SchedNoteList	*l;
	char				 err[ERRMSG_LEN];
	int64_t				 cycle;
	enum store_status		 ret;

	if ((cycle = note_cycle(ctx, resp, req->session_note_list->id)) <= 0)
		return -1;
	if ((ret = store_note_list(ctx->store, cycle, &l, err, sizeof(err))) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_NOTES,
	    &l->base);
}
