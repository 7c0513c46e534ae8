/*
 * rpc_ops.h: every operation of the protocol, once.  This list is where to
 * read, and to change, who may do what.  Each row is
 *
 *	RPC_OP(TAG, name, roles, access)
 *
 * TAG	 the Request oneof case (COACHD__V1__REQUEST__OP_<TAG>);
 * name	 the operation's name in logs ("school_add"); its handler is
 *	 rpc_<name>() with the rpc_handler signature;
 * roles the AUTH_* bits of the roles that may call it: any other role is
 *	 refused before the handler runs; AUTH_PREAUTH: only before hello;
 *	 AUTH_NOTES: confidential notes, the credential must carry note
 *	 rights (docs/security.md);
 * access RPC_WRITES when the handler may modify the store, RPC_READS when
 *	 it only reads.
 *
 * Includers define RPC_OP(tag, name, roles, access) and include this file;
 * it is undefined again at the end.  rpc.h generates the handler
 * prototypes from it, rpc.c the table.  No include guard on purpose.
 */
/* core */
RPC_OP(PING,			ping,			AUTH_ANY,	RPC_READS)
RPC_OP(WHOAMI,			whoami,			AUTH_ANY,	RPC_READS)
/* roster: admins maintain it, coaches read it (rpc_roster.c) */
RPC_OP(SCHOOL_ADD,		school_add,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(SCHOOL_UPDATE,		school_update,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(SCHOOL_LIST,		school_list,		AUTH_ANY,	RPC_READS)
RPC_OP(SCHOOL_GET,		school_get,		AUTH_ANY,	RPC_READS)
RPC_OP(SCHOOL_DEACTIVATE,	school_deactivate,	AUTH_ADMIN,	RPC_WRITES)
RPC_OP(COACH_ADD,		coach_add,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(COACH_UPDATE,		coach_update,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(COACH_LIST,		coach_list,		AUTH_ADMIN | AUTH_COACH, RPC_READS)
RPC_OP(COACH_GET,		coach_get,		AUTH_ANY,	RPC_READS)
RPC_OP(COACH_DEACTIVATE,	coach_deactivate,	AUTH_ADMIN,	RPC_WRITES)
RPC_OP(TEACHER_ADD,		teacher_add,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(TEACHER_UPDATE,		teacher_update,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(TEACHER_LIST,		teacher_list,		AUTH_ADMIN | AUTH_COACH, RPC_READS)
/* a teacher may read their own record: checked in the handler */
RPC_OP(TEACHER_GET,		teacher_get,		AUTH_ANY,	RPC_READS)
RPC_OP(TEACHER_DEACTIVATE,	teacher_deactivate,	AUTH_ADMIN,	RPC_WRITES)
RPC_OP(TOKEN_CREATE,		token_create,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(TOKEN_REVOKE,		token_revoke,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(TOKEN_LIST,		token_list,		AUTH_ADMIN,	RPC_READS)
RPC_OP(ROSTER_IMPORT,		roster_import,		AUTH_ADMIN,	RPC_WRITES)
/* enrolment: admins issue one-time codes, the person redeems (rpc_enrol.c) */
RPC_OP(ENROL_CREATE,		enrol_create,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(ENROL_REDEEM,		enrol_redeem,		AUTH_PREAUTH,	RPC_WRITES)
RPC_OP(ENROL_REVOKE,		enrol_revoke,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(ENROL_LIST,		enrol_list,		AUTH_ADMIN,	RPC_READS)
/* questions: data-dependent checks (owner, assigned coach) in rpc_question.c */
RPC_OP(QUESTION_SUBMIT,		question_submit,	AUTH_ANY,	RPC_WRITES)
RPC_OP(QUESTION_TOPIC,		question_topic,		AUTH_ANY,	RPC_WRITES)
RPC_OP(QUESTION_SHOW,		question_show,		AUTH_ANY,	RPC_READS)
RPC_OP(QUESTION_LIST,		question_list,		AUTH_ANY,	RPC_READS)
RPC_OP(QUESTION_WITHDRAW,	question_withdraw,	AUTH_ADMIN | AUTH_TEACHER, RPC_WRITES)
RPC_OP(QUESTION_CLAIM,		question_claim,		AUTH_COACH,	RPC_WRITES)
RPC_OP(QUESTION_ASSIGN,		question_assign,	AUTH_ADMIN,	RPC_WRITES)
RPC_OP(QUESTION_REASSIGN,	question_reassign,	AUTH_ADMIN,	RPC_WRITES)
RPC_OP(QUESTION_START,		question_start,		AUTH_ADMIN | AUTH_COACH, RPC_WRITES)
RPC_OP(QUESTION_CLOSE,		question_close,		AUTH_ADMIN | AUTH_COACH, RPC_WRITES)
RPC_OP(QUESTION_HISTORY,	question_history,	AUTH_ANY,	RPC_READS)
RPC_OP(QUESTION_BOOST,		question_boost,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(QUESTION_MODEL,		question_model,		AUTH_ADMIN | AUTH_COACH, RPC_WRITES)
RPC_OP(QUEUE_LIST,		queue_list,		AUTH_ADMIN | AUTH_COACH, RPC_READS)
RPC_OP(QUEUE_SHOW,		queue_show,		AUTH_ADMIN | AUTH_COACH, RPC_READS)
RPC_OP(QUEUE_STATS,		queue_stats,		AUTH_ADMIN,	RPC_READS)
/* matching: plans and (unless a dry run) applies coach assignments */
RPC_OP(ASSIGN_PLAN,		assign_plan,		AUTH_ADMIN,	RPC_WRITES)
/* scheduling: party checks (coach/teacher of the session) in rpc_sched.c */
RPC_OP(SCHEDULE_RUN,		schedule_run,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(SCHEDULE_LIST,		schedule_list,		AUTH_ANY,	RPC_READS)
RPC_OP(SESSION_REQUEST,		session_request,	AUTH_ANY,	RPC_WRITES)
RPC_OP(SESSION_CONFIRM,		session_confirm,	AUTH_ANY,	RPC_WRITES)
RPC_OP(SESSION_DECLINE,		session_decline,	AUTH_ANY,	RPC_WRITES)
RPC_OP(SESSION_RESCHEDULE,	session_reschedule,	AUTH_ANY,	RPC_WRITES)
RPC_OP(SESSION_CANCEL,		session_cancel,		AUTH_ANY,	RPC_WRITES)
/* confidential notes: never admins, never a credential an admin issued */
RPC_OP(SESSION_NOTE_ADD,	session_note_add,	AUTH_COACH | AUTH_TEACHER | AUTH_NOTES, RPC_WRITES)
RPC_OP(SESSION_NOTE_LIST,	session_note_list,	AUTH_COACH | AUTH_TEACHER | AUTH_NOTES, RPC_READS)
/* calendar maintenance: coach blocks, availability, closures (rpc_sched_cal.c) */
RPC_OP(CALENDAR_BLOCK_ADD,	calendar_block_add,	AUTH_ADMIN | AUTH_COACH, RPC_WRITES)
RPC_OP(CALENDAR_AVAILABILITY_SET, calendar_availability_set, AUTH_ADMIN, RPC_WRITES)
RPC_OP(CALENDAR_CLOSURE_ADD,	calendar_closure_add,	AUTH_ADMIN,	RPC_WRITES)
RPC_OP(CALENDAR_LIST,		calendar_list,		AUTH_ADMIN | AUTH_COACH, RPC_READS)
RPC_OP(CALENDAR_REMOVE,		calendar_remove,	AUTH_ADMIN | AUTH_COACH, RPC_WRITES)
/* time caps: whose time (own vs any coach) checked in rpc_caps*.c */
RPC_OP(CAPS_LOG_ADD,		caps_log_add,		AUTH_ADMIN | AUTH_COACH, RPC_WRITES)
RPC_OP(CAPS_LOG_EDIT,		caps_log_edit,		AUTH_ADMIN | AUTH_COACH, RPC_WRITES)
RPC_OP(CAPS_LOG_DELETE,		caps_log_delete,	AUTH_ADMIN | AUTH_COACH, RPC_WRITES)
RPC_OP(CAPS_LOG_LIST,		caps_log_list,		AUTH_ADMIN | AUTH_COACH, RPC_READS)
RPC_OP(CAPS_SET,		caps_set,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(CAPS_UNSET,		caps_unset,		AUTH_ADMIN,	RPC_WRITES)
RPC_OP(CAPS_LIST,		caps_list,		AUTH_ADMIN | AUTH_COACH, RPC_READS)
RPC_OP(CAPS_STANDING,		caps_standing,		AUTH_ADMIN | AUTH_COACH, RPC_READS)
RPC_OP(CAPS_REPORT_TIME,	caps_report_time,	AUTH_ADMIN | AUTH_COACH, RPC_READS)
RPC_OP(CAPS_REPORT_DISTRICT,	caps_report_district,	AUTH_ADMIN,	RPC_READS)
RPC_OP(CAPS_WORKING_TIME,	caps_working_time,	AUTH_ADMIN,	RPC_WRITES)
/* feeds: own feed for teachers/coaches, any for admins (rpc_feed.c) */
RPC_OP(FEED_URL,		feed_url,		AUTH_ANY,	RPC_WRITES)
RPC_OP(FEED_ROTATE,		feed_rotate,		AUTH_ANY,	RPC_WRITES)

#undef RPC_OP
