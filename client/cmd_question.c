/*
 * cmd_question: `coachctl question ...`, teachers' inquiry questions:
 * submit, confirm a topic, show, list, withdraw, claim,
 * assign/reassign, start, close and history.  Every verb sends one
 * request; writes answer with the question as stored, which is printed
 * with where it stands (position and expected wait, or what it waits
 * behind) and, while its topic is unconfirmed, the ranked suggestions.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coachctl.h"
#include "cmd_question.h"

/* "3d4h", "5h20m", "12m", "40s": short enough for a table cell. */
void
question_fmt_dur(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s >= 86400)
		snprintf(buf, len, "%" PRId64 "d%" PRId64 "h", s / 86400,
		    s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%" PRId64 "h%" PRId64 "m", s / 3600,
		    s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%" PRId64 "m", s / 60);
	else
		snprintf(buf, len, "%" PRId64 "s", s);
}

/* "2026-11-24 13:40Z" (UTC), "-" for 0. */
void
question_fmt_time(int64_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	strftime(buf, len, "%Y-%m-%d %H:%MZ", &tm);
}

/* Where a question stands, in one line ("" when it is not waiting). */
static void
fmt_standing(const Coachd__V1__Question *q, char *buf, size_t len)
{
	char	w[32];

	buf[0] = '\0';
	if (strcmp(q->activity, "held") == 0)
		snprintf(buf, len, "waits behind question %" PRId64
		    " (%u in line after it; one active question per teacher)",
		    q->held_behind, q->held_pos);
	else if (q->position > 0) {
		question_fmt_dur(q->expected_wait, w, sizeof w);
		snprintf(buf, len, "position %u of %u in queue %s, expected "
		    "wait about %s%s", q->position, q->depth, q->area, w,
		    q->rate_is_fallback ? " (estimate: no assignments yet)" :
		    "");
	}
}

/* Human view of one question. */
static void
print_question(const Coachd__V1__Question *q)
{
	char	t[32], st[256];
	size_t	i;

	question_fmt_time(q->submitted_at, t, sizeof t);
	printf("question %" PRId64 ": %s\n", q->id, q->state);
	printf("  teacher:   %s (%s, %s)\n", q->teacher, q->teacher_name,
	    q->school);
	printf("  text:      %s\n", q->text);
	if (*q->topic != '\0')
		printf("  topic:     %s (%s), queue %s\n", q->topic,
		    q->topic_name, q->area);
	else
		printf("  topic:     (not confirmed yet)\n");
	if (*q->class_id != '\0')
		printf("  class:     %s\n", q->class_id);
	if (*q->coach != '\0')
		printf("  coach:     %s\n", q->coach);
	printf("  submitted: %s by %s\n", t, q->submitted_by);
	if (*q->model != '\0')
		printf("  model:     %s (coaching model of its cycles)\n",
		    q->model);
	if (q->boosted || q->new_teacher)
		printf("  priority:  %s%s%s\n", q->boosted ? "boosted by an "
		    "admin" : "", q->boosted && q->new_teacher ? ", " : "",
		    q->new_teacher ? "new teacher" : "");
	if (*q->outcome != '\0')
		printf("  outcome:   %s\n", q->outcome);
	fmt_standing(q, st, sizeof st);
	if (*st != '\0')
		printf("  standing:  %s\n", st);
	if (q->n_suggestions == 0) {
		if (strcmp(q->state, "submitted") == 0)
			printf("  no topic suggestion: choose one with "
			    "`coachctl question topic %" PRId64 " TOPIC`\n",
			    q->id);
		return;
	}
	printf("  suggested topics (confirm with `coachctl question topic "
	    "%" PRId64 " TOPIC`):\n", q->id);
	for (i = 0; i < q->n_suggestions; i++)
		printf("    %zu. %-28s %-26s area %-18s score %d\n", i + 1,
		    q->suggestions[i]->topic, q->suggestions[i]->name,
		    q->suggestions[i]->area, q->suggestions[i]->score);
}

/* Send req and print the question it answers with. */
static int
call_question(struct ctl *ctl, Coachd__V1__Request *req)
{
	Coachd__V1__Response	*resp;
	int			 rc;

	if ((rc = call_reply(ctl, req, COACHD__V1__RESPONSE__RESULT_QUESTION,
	    &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	print_question(resp->question);
	srv_response_free(resp);
	return CTL_EX_OK;
}

/* Parse a question id argument; 0 after a usage error. */
static int64_t
parse_id(struct ctl_args *a, int pos)
{
	const char	*s = ctl_pos(a, pos);
	int64_t		 id;

	if (ctl_parse_id(s, &id) == -1) {
		ctl_usage(a, "'%s' is not a question id (a positive number)",
		    s);
		return 0;
	}
	return id;
}

static const struct ctl_opt submit_opts[] = {
	{ "topic", "ID", 0, "topic id (confirms it: the question is queued)" },
	{ "class", "ID", 0, "the class the question is about" },
	{ "teacher", "ID", 0, "admin/coach: submit for this teacher" },
	{ NULL, NULL, 0, NULL }
};

static int
question_submit(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionSubmit	s = COACHD__V1__QUESTION_SUBMIT__INIT;

	s.text = (char *)ctl_pos(a, 0);
	ctl_opt_str(a, "topic", &s.topic);
	ctl_opt_str(a, "class", &s.class_id);
	ctl_opt_str(a, "teacher", &s.teacher);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_QUESTION_SUBMIT, &s);
	return call_question(ctl, &req);
}

static int
question_topic(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionTopic	t = COACHD__V1__QUESTION_TOPIC__INIT;

	if ((t.id = parse_id(a, 0)) == 0)
		return CTL_EX_USAGE;
	t.topic = (char *)ctl_pos(a, 1);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_QUESTION_TOPIC, &t);
	return call_question(ctl, &req);
}

/* show, withdraw, claim, start: an id and an optional note. */
static int
question_ref(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionRef	r = COACHD__V1__QUESTION_REF__INIT;

	if ((r.id = parse_id(a, 0)) == 0)
		return CTL_EX_USAGE;
	ctl_opt_str(a, "note", &r.note);
	srv_request_set(&req, ctl_op(a), &r);
	return call_question(ctl, &req);
}

static const struct ctl_opt boost_opts[] = {
	{ "off", NULL, 0, "take the boost away again" },
	{ "note", "TEXT", 0, "why (recorded in the history)" },
	{ NULL, NULL, 0, NULL }
};

static int
question_boost(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionBoost	b = COACHD__V1__QUESTION_BOOST__INIT;

	if ((b.id = parse_id(a, 0)) == 0)
		return CTL_EX_USAGE;
	b.off = ctl_flag(a, "off");
	ctl_opt_str(a, "note", &b.note);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_QUESTION_BOOST, &b);
	return call_question(ctl, &req);
}

static int
question_model(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionModel	m = COACHD__V1__QUESTION_MODEL__INIT;

	if ((m.id = parse_id(a, 0)) == 0)
		return CTL_EX_USAGE;
	if (ctl_pos(a, 1) != NULL)
		m.model = (char *)ctl_pos(a, 1);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_QUESTION_MODEL, &m);
	return call_question(ctl, &req);
}

/* assign, reassign: an id and the coach. */
static int
question_assign(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionAssign	r = COACHD__V1__QUESTION_ASSIGN__INIT;

	if ((r.id = parse_id(a, 0)) == 0)
		return CTL_EX_USAGE;
	r.coach = (char *)ctl_opt(a, "coach");
	srv_request_set(&req, ctl_op(a), &r);
	return call_question(ctl, &req);
}

static int
question_close(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionClose	c = COACHD__V1__QUESTION_CLOSE__INIT;

	if ((c.id = parse_id(a, 0)) == 0)
		return CTL_EX_USAGE;
	c.outcome = (char *)ctl_opt(a, "outcome");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_QUESTION_CLOSE, &c);
	return call_question(ctl, &req);
}

static const struct ctl_opt list_opts[] = {
	{ "state", "STATE", 0, "submitted, queued, assigned, in-cycle, "
	    "closed or withdrawn" },
	{ "teacher", "ID", 0, "only this teacher's questions" },
	{ "area", "AREA", 0, "only this expertise area (queue)" },
	{ NULL, NULL, 0, NULL }
};

/* Shorten s to at most n bytes at a UTF-8 boundary, marking the cut. */
static void
clip(const char *s, char *buf, size_t n)
{
	size_t	len = strlen(s);

	if (len < n) {
		memcpy(buf, s, len + 1);
		return;
	}
	len = n - 4;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	memcpy(buf, s, len);
	memcpy(buf + len, "...", 4);
}

static int
question_list(struct ctl *ctl, struct ctl_args *a)
{
	static const char *const hdr[] = { ">ID", "TEACHER", "STATE",
	    "TOPIC", "COACH", ">POS", "WAIT", "TEXT", NULL };
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionListRequest	 l =
	    COACHD__V1__QUESTION_LIST_REQUEST__INIT;
	Coachd__V1__Response		*resp;
	const Coachd__V1__Question	*q;
	struct out_table		*t;
	char				 id[32], pos[32], wait[64], text[48];
	size_t				 i;
	int				 rc;

	ctl_opt_str(a, "state", &l.state);
	ctl_opt_str(a, "teacher", &l.teacher);
	ctl_opt_str(a, "area", &l.area);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_QUESTION_LIST, &l);
	if ((rc = call_reply(ctl, &req, 0, &resp)) != CTL_EX_OK ||
	    resp == NULL)
		return rc;
	t = out_table_new(hdr);
	for (i = 0; i < resp->questions->n_questions; i++) {
		q = resp->questions->questions[i];
		snprintf(id, sizeof id, "%" PRId64, q->id);
		pos[0] = '\0';
		wait[0] = '\0';
		if (q->position > 0) {
			snprintf(pos, sizeof pos, "%u/%u", q->position,
			    q->depth);
			question_fmt_dur(q->expected_wait, wait, sizeof wait);
			if (q->rate_is_fallback)
				strcat(wait, "~");
		} else if (strcmp(q->activity, "held") == 0)
			snprintf(wait, sizeof wait, "behind #%" PRId64,
			    q->held_behind);
		clip(q->text, text, sizeof text);
		out_table_add(t, id, q->teacher, q->state,
		    *q->topic ? q->topic : "(unconfirmed)",
		    *q->coach ? q->coach : "-", pos, wait, text);
	}
	out_table_print(t, stdout);
	out_table_free(t);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static int
question_history(struct ctl *ctl, struct ctl_args *a)
{
	static const char *const hdr[] = { "AT", "FROM", "TO", "BY", "NOTE",
	    NULL };
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QuestionRef		 r = COACHD__V1__QUESTION_REF__INIT;
	Coachd__V1__Response		*resp;
	const Coachd__V1__QuestionEvent	*e;
	struct out_table		*t;
	char				 at[32];
	size_t				 i;
	int				 rc;

	if ((r.id = parse_id(a, 0)) == 0)
		return CTL_EX_USAGE;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_QUESTION_HISTORY, &r);
	if ((rc = call_reply(ctl, &req, 0, &resp)) != CTL_EX_OK ||
	    resp == NULL)
		return rc;
	t = out_table_new(hdr);
	for (i = 0; i < resp->history->n_events; i++) {
		e = resp->history->events[i];
		question_fmt_time(e->at, at, sizeof at);
		out_table_add(t, at, *e->from_state ? e->from_state : "-",
		    e->to_state, e->actor, e->note);
	}
	out_table_print(t, stdout);
	out_table_free(t);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static const struct ctl_opt note_opts[] = {
	{ "note", "TEXT", 0, "reason, kept in the history" },
	{ NULL, NULL, 0, NULL }
};

static const struct ctl_opt coach_opts[] = {
	{ "coach", "ID", CTL_OPT_REQUIRED, "the coach" },
	{ NULL, NULL, 0, NULL }
};

static const struct ctl_opt close_opts[] = {
	{ "outcome", "TEXT", CTL_OPT_REQUIRED, "what came of it (required)" },
	{ NULL, NULL, 0, NULL }
};

const struct ctl_cmd cmd_question[] = {
	{ .name = "submit", .summary = "submit an inquiry question",
	  .usage = "TEXT", .minpos = 1, .maxpos = 1, .opts = submit_opts,
	  .fn = question_submit,
	  .help = "Without --topic the question waits as 'submitted' and the "
	  "server suggests topics; a teacher or coach confirms one with "
	  "`question topic`.  Teachers submit for themselves; admins and "
	  "coaches give --teacher." },
	{ .name = "topic", .summary = "confirm or change a question's topic",
	  .usage = "ID TOPIC", .minpos = 2, .maxpos = 2,
	  .fn = question_topic },
	{ .name = "show", .summary = "one question, where it stands",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .fn = question_ref,
	  .op = COACHD__V1__REQUEST__OP_QUESTION_SHOW },
	{ .name = "list", .summary = "questions you may see",
	  .minpos = 0, .maxpos = 0, .opts = list_opts, .fn = question_list },
	{ .name = "withdraw", .summary = "take a question back",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .opts = note_opts,
	  .fn = question_ref,
	  .op = COACHD__V1__REQUEST__OP_QUESTION_WITHDRAW },
	{ .name = "claim", .summary = "coach: take a queued question",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .fn = question_ref,
	  .op = COACHD__V1__REQUEST__OP_QUESTION_CLAIM },
	{ .name = "assign", .summary = "admin: give a queued question to a "
	  "coach", .usage = "ID", .minpos = 1, .maxpos = 1,
	  .opts = coach_opts, .fn = question_assign,
	  .op = COACHD__V1__REQUEST__OP_QUESTION_ASSIGN },
	{ .name = "reassign", .summary = "admin: move an assigned question "
	  "to another coach", .usage = "ID", .minpos = 1, .maxpos = 1,
	  .opts = coach_opts, .fn = question_assign,
	  .op = COACHD__V1__REQUEST__OP_QUESTION_REASSIGN },
	{ .name = "start", .summary = "the coaching cycle begins",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .fn = question_ref,
	  .op = COACHD__V1__REQUEST__OP_QUESTION_START },
	{ .name = "close", .summary = "close with an outcome note",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .opts = close_opts,
	  .fn = question_close },
	{ .name = "boost", .summary = "admin: let a waiting question go first",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .opts = boost_opts,
	  .fn = question_boost,
	  .help = "Adds [queue] admin_boost_bonus to the question's base "
	  "priority in its queue and\n[matching] boost to its matching score,"
	  " while it is submitted or queued.\n--off takes it away.  Both are "
	  "recorded in `question history`." },
	{ .name = "model", .summary = "coaching model of its cycles",
	  .usage = "ID [MODEL]", .minpos = 1, .maxpos = 2,
	  .fn = question_model,
	  .help = "Which sessions the question's coaching cycles have: the "
	  "models are [schedule]\nmodel_* in coachd.conf (embedded, modelling:"
	  " meeting, observation, debrief;\nstudent-work: meeting, debrief;"
	  " observation: observation, debrief).  Without\nMODEL, back to the "
	  "district's default_model.  Admins, or the coach it is\nassigned "
	  "to; not once its cycle is in the calendar." },
	{ .name = "history", .summary = "every transition, who and when",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .fn = question_history },
	{ .name = NULL }
};
