/*
 * cmd_log: `coachctl log add|list|edit|delete`, a coach's record of the
 * time not covered by scheduled sessions (data work, PD, duties...).
 * Scheduled sessions count by themselves: there is nothing to log for them.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coachctl.h"

static const char *const log_cols[] = { "id=>ID", "date=DATE",
	"category=CATEGORY", "minutes=>MIN", "flagged=FLAGGED",
	"override=OVERRIDE", "note=NOTE", NULL };

/*
 * Send a change and print the entry it returns, with its warning on
 * stderr (exit stays 0).
 */
static int
log_send(struct ctl *ctl, Coachd__V1__Request *req, const char *verb)
{
	const Coachd__V1__CapsLogEntry	*e;
	Coachd__V1__Response		*resp;
	int				 rc;

	if ((rc = srv_call(ctl->srv, req, &resp)) != CTL_EX_OK)
		return rc;
	if (resp->result_case != COACHD__V1__RESPONSE__RESULT_CAPS_LOG_ENTRY)
		rc = out_result(ctl, resp, NULL);
	else if (ctl->json)
		rc = out_result(ctl, resp, NULL);
	else {
		e = resp->caps_log_entry;
		printf("%s log entry %lld: %s, %u min of %s for %s%s\n", verb,
		    (long long)e->id, e->date, e->minutes, e->category,
		    e->coach, e->flagged ? " (FLAGGED: over a cap)" : "");
	}
	if (resp->result_case == COACHD__V1__RESPONSE__RESULT_CAPS_LOG_ENTRY &&
	    resp->caps_log_entry->warning != NULL &&
	    *resp->caps_log_entry->warning != '\0' &&
	    strcmp(resp->caps_log_entry->warning, "deleted") != 0)
		fprintf(stderr, "coachctl: %s\n",
		    resp->caps_log_entry->warning);
	srv_response_free(resp);
	return rc;
}

static const struct ctl_opt add_opts[] = {
	{ "category", "ID", CTL_OPT_REQUIRED, "activity category (admin caps"
	  " list shows them)" },
	{ "minutes", "N", CTL_OPT_REQUIRED, "minutes spent (1-1440)" },
	{ "date", "YYYY-MM-DD", 0, "day it happened (default today)" },
	{ "coach", "ID", 0, "whose time (admins; coaches log their own)" },
	{ "school", "ID", 0, "the school the time was for (coaches serving"
	  " several; default: the strictest school's caps)" },
	{ "override", NULL, 0, "admins: log a will-not-do category"
	  " (recorded)" },
	{ NULL, NULL, 0, NULL }
};

static int
log_add(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsLogAdd	 la = COACHD__V1__CAPS_LOG_ADD__INIT;
	uint32_t		 m = 0;

	if (ctl_opt_uint(a, "minutes", 1440, &m) == -1)
		return CTL_EX_USAGE;
	la.category = (char *)ctl_opt(a, "category");
	la.minutes = m;
	ctl_opt_str(a, "date", &la.date);
	ctl_opt_str(a, "coach", &la.coach);
	ctl_opt_str(a, "school", &la.school);
	if (ctl_npos(a) > 0)
		la.note = (char *)ctl_pos(a, 0);
	la.override = ctl_flag(a, "override");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_LOG_ADD, &la);
	return log_send(ctl, &req, "added");
}

static const struct ctl_opt list_opts[] = {
	{ "week", "YYYY-MM-DD", 0, "any day of the week (default this week)" },
	{ "coach", "ID", 0, "whose log (admins)" },
	{ NULL, NULL, 0, NULL }
};

static int
log_list(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsLogListRequest	 lr =
	    COACHD__V1__CAPS_LOG_LIST_REQUEST__INIT;
	Coachd__V1__Response		*resp;
	int				 rc;

	ctl_opt_str(a, "week", &lr.week);
	ctl_opt_str(a, "coach", &lr.coach);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_LOG_LIST, &lr);
	if ((rc = srv_call(ctl->srv, &req, &resp)) != CTL_EX_OK)
		return rc;
	if (!ctl->json && resp->result_case ==
	    COACHD__V1__RESPONSE__RESULT_CAPS_LOG_LIST)
		printf("log of %s, week of %s\n", resp->caps_log_list->coach,
		    resp->caps_log_list->week_start);
	rc = out_result(ctl, resp, log_cols);
	srv_response_free(resp);
	return rc;
}

static int
log_id(struct ctl_args *a, int64_t *id)
{
	if (ctl_parse_id(ctl_pos(a, 0), id) == -1)
		return ctl_usage(a, "entry id must be a positive number, not"
		    " '%s'", ctl_pos(a, 0));
	return 0;
}

static const struct ctl_opt edit_opts[] = {
	{ "category", "ID", 0, "new category" },
	{ "minutes", "N", 0, "new minutes" },
	{ "date", "YYYY-MM-DD", 0, "new day" },
	{ "note", "TEXT", 0, "new note" },
	{ "school", "ID", 0, "school it was for (one you serve)" },
	{ "override", NULL, 0, "admins: allow a will-not-do category" },
	{ NULL, NULL, 0, NULL }
};

static int
log_edit(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsLogEdit	 le = COACHD__V1__CAPS_LOG_EDIT__INIT;
	uint32_t		 m = 0;

	if (log_id(a, &le.id) != 0)
		return CTL_EX_USAGE;
	if (ctl_opt_uint(a, "minutes", 1440, &m) == -1)
		return CTL_EX_USAGE;
	le.minutes = m;
	ctl_opt_str(a, "category", &le.category);
	ctl_opt_str(a, "date", &le.date);
	if (ctl_opt(a, "note") != NULL) {
		le.note = (char *)ctl_opt(a, "note");
		le.set_note = 1;
	}
	ctl_opt_str(a, "school", &le.school);
	le.override = ctl_flag(a, "override");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_LOG_EDIT, &le);
	return log_send(ctl, &req, "changed");
}

static int
log_delete(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsLogRef	 lr = COACHD__V1__CAPS_LOG_REF__INIT;

	if (log_id(a, &lr.id) != 0)
		return CTL_EX_USAGE;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_LOG_DELETE, &lr);
	return log_send(ctl, &req, "deleted");
}

const struct ctl_cmd cmd_log[] = {
	{ .name = "add", .summary = "log time spent (stored even past a cap,"
	  " then flagged)", .usage = "[NOTE]", .minpos = 0, .maxpos = 1,
	  .opts = add_opts, .fn = log_add,
	  .help = "The note is your own text: it never appears in reports."
	  "\nA will-not-do category (duty, clerical, covering-classes) is"
	  " refused\nunless an admin logs it with --override." },
	{ .name = "list", .summary = "your log entries of a week",
	  .opts = list_opts, .fn = log_list },
	{ .name = "edit", .summary = "change an entry (within the edit"
	  " window)", .usage = "ID", .minpos = 1, .maxpos = 1,
	  .opts = edit_opts, .fn = log_edit },
	{ .name = "delete", .summary = "delete an entry (within the edit"
	  " window)", .usage = "ID", .minpos = 1, .maxpos = 1,
	  .fn = log_delete },
	{ .name = NULL }
};
