/*
 * rpc: the table of operations.  Every request type appears here exactly
 * once with the roles that may call it; a request whose role is not listed
 * is refused before any handler runs.  This table is the place to read, and
 * to change, who may do what.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "frame.h"
#include "log.h"
#include "rpc.h"
#include "rpc_caps.h"
#include "rpc_question.h"
#include "rpc_feed.h"
#include "rpc_match.h"
#include "rpc_sched.h"
#include "store.h"

struct rpc_op {
	Coachd__V1__Request__OpCase	 op;
	const char			*name;
	unsigned			 roles;	/* AUTH_* bits */
	rpc_handler			 fn;
};

#define OP(tag, name, roles, fn) \
	{ COACHD__V1__REQUEST__OP_##tag, name, roles, fn }

static const struct rpc_op ops[] = {
	/* core */
	OP(PING,		"ping",			AUTH_ANY,	rpc_ping),
	OP(WHOAMI,		"whoami",		AUTH_ANY,	rpc_whoami),
	/* roster: admins maintain it, coaches read it */
	OP(SCHOOL_ADD,		"school_add",		AUTH_ADMIN,	rpc_school_add),
	OP(SCHOOL_UPDATE,	"school_update",	AUTH_ADMIN,	rpc_school_update),
	OP(SCHOOL_LIST,		"school_list",		AUTH_ANY,	rpc_school_list),
	OP(SCHOOL_GET,		"school_get",		AUTH_ANY,	rpc_school_get),
	OP(SCHOOL_DEACTIVATE,	"school_deactivate",	AUTH_ADMIN,	rpc_school_deactivate),
	OP(COACH_ADD,		"coach_add",		AUTH_ADMIN,	rpc_coach_add),
	OP(COACH_UPDATE,	"coach_update",		AUTH_ADMIN,	rpc_coach_update),
	OP(COACH_LIST,		"coach_list",		AUTH_ADMIN | AUTH_COACH, rpc_coach_list),
	OP(COACH_GET,		"coach_get",		AUTH_ANY,	rpc_coach_get),
	OP(COACH_DEACTIVATE,	"coach_deactivate",	AUTH_ADMIN,	rpc_coach_deactivate),
	OP(TEACHER_ADD,		"teacher_add",		AUTH_ADMIN,	rpc_teacher_add),
	OP(TEACHER_UPDATE,	"teacher_update",	AUTH_ADMIN,	rpc_teacher_update),
	OP(TEACHER_LIST,	"teacher_list",		AUTH_ADMIN | AUTH_COACH, rpc_teacher_list),
	/* a teacher may read their own record: checked in the handler */
	OP(TEACHER_GET,		"teacher_get",		AUTH_ANY,	rpc_teacher_get),
	OP(TEACHER_DEACTIVATE,	"teacher_deactivate",	AUTH_ADMIN,	rpc_teacher_deactivate),
	OP(TOKEN_CREATE,	"token_create",		AUTH_ADMIN,	rpc_token_create),
	OP(TOKEN_REVOKE,	"token_revoke",		AUTH_ADMIN,	rpc_token_revoke),
	OP(TOKEN_LIST,		"token_list",		AUTH_ADMIN,	rpc_token_list),
	OP(ROSTER_IMPORT,	"roster_import",	AUTH_ADMIN,	rpc_roster_import),
	/* questions: data-dependent checks (owner, assigned coach) in rpc_question.c */
	OP(QUESTION_SUBMIT,	"question_submit",	AUTH_ANY,	rpc_question_submit),
	OP(QUESTION_TOPIC,	"question_topic",	AUTH_ANY,	rpc_question_topic),
	OP(QUESTION_SHOW,	"question_show",	AUTH_ANY,	rpc_question_show),
	OP(QUESTION_LIST,	"question_list",	AUTH_ANY,	rpc_question_list),
	OP(QUESTION_WITHDRAW,	"question_withdraw",	AUTH_ADMIN | AUTH_TEACHER, rpc_question_withdraw),
	OP(QUESTION_CLAIM,	"question_claim",	AUTH_COACH,	rpc_question_claim),
	OP(QUESTION_ASSIGN,	"question_assign",	AUTH_ADMIN,	rpc_question_assign),
	OP(QUESTION_REASSIGN,	"question_reassign",	AUTH_ADMIN,	rpc_question_reassign),
	OP(QUESTION_START,	"question_start",	AUTH_ADMIN | AUTH_COACH, rpc_question_start),
	OP(QUESTION_CLOSE,	"question_close",	AUTH_ADMIN | AUTH_COACH, rpc_question_close),
	OP(QUESTION_HISTORY,	"question_history",	AUTH_ANY,	rpc_question_history),
	OP(QUESTION_BOOST,	"question_boost",	AUTH_ADMIN,	rpc_question_boost),
	OP(QUESTION_MODEL,	"question_model",	AUTH_ADMIN | AUTH_COACH, rpc_question_model),
	OP(QUEUE_LIST,		"queue_list",		AUTH_ADMIN | AUTH_COACH, rpc_queue_list),
	OP(QUEUE_SHOW,		"queue_show",		AUTH_ADMIN | AUTH_COACH, rpc_queue_show),
	OP(QUEUE_STATS,		"queue_stats",		AUTH_ADMIN,	rpc_queue_stats),
	/* matching: plans and applies coach assignments */
	OP(ASSIGN_PLAN,		"assign_plan",		AUTH_ADMIN,	rpc_assign_plan),
	/* scheduling: party checks (coach/teacher of the session) in rpc_sched.c */
	OP(SCHEDULE_RUN,	"schedule_run",		AUTH_ADMIN,	rpc_schedule_run),
	OP(SCHEDULE_LIST,	"schedule_list",	AUTH_ANY,	rpc_schedule_list),
	OP(SESSION_REQUEST,	"session_request",	AUTH_ANY,	rpc_session_request),
	OP(SESSION_CONFIRM,	"session_confirm",	AUTH_ANY,	rpc_session_confirm),
	OP(SESSION_DECLINE,	"session_decline",	AUTH_ANY,	rpc_session_decline),
	OP(SESSION_RESCHEDULE,	"session_reschedule",	AUTH_ANY,	rpc_session_reschedule),
	OP(SESSION_CANCEL,	"session_cancel",	AUTH_ANY,	rpc_session_cancel),
	/* confidential notes: never admins */
	OP(SESSION_NOTE_ADD,	"session_note_add",	AUTH_COACH | AUTH_TEACHER, rpc_session_note_add),
	OP(SESSION_NOTE_LIST,	"session_note_list",	AUTH_COACH | AUTH_TEACHER, rpc_session_note_list),
	OP(CALENDAR_BLOCK_ADD,	"calendar_block_add",	AUTH_ADMIN | AUTH_COACH, rpc_calendar_block_add),
	OP(CALENDAR_AVAILABILITY_SET, "calendar_availability_set", AUTH_ADMIN, rpc_calendar_availability_set),
	OP(CALENDAR_CLOSURE_ADD, "calendar_closure_add",	AUTH_ADMIN,	rpc_calendar_closure_add),
	OP(CALENDAR_LIST,	"calendar_list",	AUTH_ADMIN | AUTH_COACH, rpc_calendar_list),
	OP(CALENDAR_REMOVE,	"calendar_remove",	AUTH_ADMIN | AUTH_COACH, rpc_calendar_remove),
	/* time caps: whose time (own vs any coach) checked in rpc_caps.c */
	OP(CAPS_LOG_ADD,	"caps_log_add",		AUTH_ADMIN | AUTH_COACH, rpc_caps_log_add),
	OP(CAPS_LOG_EDIT,	"caps_log_edit",	AUTH_ADMIN | AUTH_COACH, rpc_caps_log_edit),
	OP(CAPS_LOG_DELETE,	"caps_log_delete",	AUTH_ADMIN | AUTH_COACH, rpc_caps_log_delete),
	OP(CAPS_LOG_LIST,	"caps_log_list",	AUTH_ADMIN | AUTH_COACH, rpc_caps_log_list),
	OP(CAPS_SET,		"caps_set",		AUTH_ADMIN,	rpc_caps_set),
	OP(CAPS_UNSET,		"caps_unset",		AUTH_ADMIN,	rpc_caps_unset),
	OP(CAPS_LIST,		"caps_list",		AUTH_ADMIN | AUTH_COACH, rpc_caps_list),
	OP(CAPS_STANDING,	"caps_standing",	AUTH_ADMIN | AUTH_COACH, rpc_caps_standing),
	OP(CAPS_REPORT_TIME,	"caps_report_time",	AUTH_ADMIN | AUTH_COACH, rpc_caps_report_time),
	OP(CAPS_REPORT_DISTRICT, "caps_report_district", AUTH_ADMIN,	rpc_caps_report_district),
	OP(CAPS_WORKING_TIME,	"caps_working_time",	AUTH_ADMIN,	rpc_caps_working_time),
	/* feeds: own feed for teachers/coaches, any for admins (rpc_feed.c) */
	OP(FEED_URL,		"feed_url",		AUTH_ANY,	rpc_feed_url),
	OP(FEED_ROTATE,		"feed_rotate",		AUTH_ANY,	rpc_feed_rotate),
};

static const struct rpc_op *
find_op(Coachd__V1__Request__OpCase op)
{
	size_t	i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].op == op)
			return &ops[i];
	return NULL;
}

const char *
rpc_op_name(const Coachd__V1__Request *req)
{
	const struct rpc_op	*op;

	if (req->op_case == COACHD__V1__REQUEST__OP_HELLO)
		return "hello";
	if ((op = find_op(req->op_case)) == NULL)
		return "unknown";
	return op->name;
}

char *
rpc_strdup(const char *s)
{
	char	*p;

	if ((p = strdup(s != NULL ? s : "")) == NULL)
		fatalx("out of memory");
	return p;
}

/*
 * The result oneof's cases are its field numbers, so the descriptor says
 * where msg goes; a message of another type there is a programming error.
 */
int
rpc_set_result(Coachd__V1__Response *resp, Coachd__V1__Response__ResultCase c,
    ProtobufCMessage *msg)
{
	const ProtobufCFieldDescriptor	*f;

	f = protobuf_c_message_descriptor_get_field(resp->base.descriptor,
	    (unsigned)c);
	if (f == NULL || f->type != PROTOBUF_C_TYPE_MESSAGE ||
	    f->descriptor != msg->descriptor)
		fatalx("rpc_set_result: result %d cannot hold a %s", (int)c,
		    msg->descriptor->name);
	*(ProtobufCMessage **)(void *)((char *)resp + f->offset) = msg;
	resp->result_case = c;
	return 0;
}

int
rpc_set_empty(Coachd__V1__Response *resp)
{
	Coachd__V1__Empty	*e;

	if ((e = malloc(sizeof(*e))) == NULL)
		fatalx("out of memory");
	coachd__v1__empty__init(e);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_EMPTY,
	    &e->base);
}

int
rpc_fail(Coachd__V1__Response *resp, Coachd__V1__Status st, const char *fmt,
    ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (resp->error != NULL && resp->error != protobuf_c_empty_string)
		free(resp->error);
	resp->status = st;
	resp->error = rpc_strdup(msg);
	return -1;
}

int
rpc_fail_store(Coachd__V1__Response *resp, int st, const char *err)
{
	switch ((enum store_status)st) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND, "%s", err);
	case STORE_CONFLICT:
		return rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "%s", err);
	case STORE_INVALID:
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	case STORE_ERROR:
		break;
	}
	return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
	    "storage error: %s", err);
}

void
rpc_dispatch(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const struct rpc_op	*op;

	resp->id = req->id;
	if ((op = find_op(req->op_case)) == NULL) {
		rpc_fail(resp, COACHD__V1__STATUS__UNSUPPORTED,
		    "request %llu: unknown or missing operation (field %d)",
		    (unsigned long long)req->id, (int)req->op_case);
		return;
	}
	if (!(op->roles & AUTH_ROLE_BIT(ctx->who->role))) {
		rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "%s: not allowed for role %s", op->name,
		    frame_role_name(ctx->who->role));
		return;
	}
	if (op->fn(ctx, req, resp) == 0)
		resp->status = COACHD__V1__STATUS__OK;
	else if (resp->status == COACHD__V1__STATUS__OK)
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "%s failed without a reason", op->name);
}

int
rpc_ping(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	(void)ctx;
	(void)req;
	return rpc_set_empty(resp);
}

int
rpc_whoami(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__Principal	*p;

	(void)req;
	if ((p = malloc(sizeof(*p))) == NULL)
		fatalx("out of memory");
	coachd__v1__principal__init(p);
	p->user = rpc_strdup(ctx->who->user);
	p->role = ctx->who->role;
	p->display_name = rpc_strdup(ctx->who->display_name);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_PRINCIPAL,
	    &p->base);
}
