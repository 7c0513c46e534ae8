/*
 * cmd_caps: `coachctl caps` (a coach's standing against the caps this
 * week) and the administrators' `coachctl admin caps set|unset|list`
 * (runtime caps, persisted and audited by coachd).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coachctl.h"
#include "fmt.h"
#include "report.h"

static const struct ctl_opt standing_opts[] = {
	{ "coach", "ID", 0, "whose standing (admins)" },
	{ "date", "YYYY-MM-DD", 0, "a day of the week (default today)" },
	{ NULL, NULL, 0, NULL }
};

/* Term standing, one line per category with a term cap. */
static void
term_print(const Coachd__V1__CapsStanding *s)
{
	char	a[32], b[32];
	size_t	i;

	for (i = 0; i < s->n_usage; i++) {
		const Coachd__V1__CapsUsage *u = s->usage[i];

		if (u->term_limit < 0)
			continue;
		printf("  %-22s %s / %s this term (%d%%)\n", u->category,
		    fmt_minutes(u->term_used, a, sizeof a),
		    fmt_minutes(u->term_limit, b, sizeof b), u->term_limit > 0 ?
		    (int)(u->term_used * 100 / u->term_limit) : 100);
	}
}

static void
standing_print(const Coachd__V1__CapsStanding *s)
{
	struct report_bars	 rb;
	char			*note, a[32], b[32];
	size_t			 i;

	printf("%s, week of %s: %s used\n", s->coach, s->week_start,
	    fmt_minutes(s->week_used, a, sizeof a));
	if (s->working_minutes > 0)
		printf("working time %s/week\n", fmt_minutes(s->working_minutes,
		    a, sizeof a));
	if (*s->term_start != '\0')
		printf("term %s..%s\n", s->term_start, s->term_end);
	report_bars_init(&rb, s->n_usage);
	for (i = 0; i < s->n_usage; i++) {
		const Coachd__V1__CapsUsage *u = s->usage[i];

		note = report_bar(&rb, i, u->category, u->week_used,
		    u->week_limit);
		if (u->week_limit >= 0)
			snprintf(note, REPORT_NOTE_LEN, "%s / %s %s%s%s",
			    fmt_minutes(u->week_used, a, sizeof a),
			    fmt_minutes(u->week_limit, b, sizeof b), u->status,
			    u->week_planned > 0 ? " (incl. planned)" : "",
			    strcmp(u->mark, "will-not") == 0 ?
			    " will-not-do" : "");
		else
			snprintf(note, REPORT_NOTE_LEN, "%s%s",
			    fmt_minutes(u->week_used, a, sizeof a),
			    strcmp(u->mark, "will-not") == 0 ?
			    " will-not-do" : "");
	}
	report_bars_print(&rb);
	term_print(s);
	printf("coaching share %d%% (protected minimum %d%%)%s\n",
	    s->coaching_share_bp / 100, s->protected_bp / 100,
	    s->below_protected ? ": BELOW" : "");
	for (i = 0; i < s->n_warnings; i++)
		printf("warning: %s\n", s->warnings[i]);
}

static int
caps_standing(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsStandingRequest	 sr =
	    COACHD__V1__CAPS_STANDING_REQUEST__INIT;
	Coachd__V1__Response		*resp;
	int				 rc = CTL_EX_OK;

	ctl_opt_str(a, "coach", &sr.coach);
	ctl_opt_str(a, "date", &sr.date);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_STANDING, &sr);
	if ((rc = call_reply(ctl, &req,
	    COACHD__V1__RESPONSE__RESULT_CAPS_STANDING, &resp)) != CTL_EX_OK ||
	    resp == NULL)
		return rc;
	standing_print(resp->caps_standing);
	srv_response_free(resp);
	return CTL_EX_OK;
}

const struct ctl_cmd cmd_caps[] = {
	{ .name = "", .summary = "your standing against the caps this week",
	  .opts = standing_opts, .fn = caps_standing },
	{ .name = NULL }
};

/* ---- admin caps ---------------------------------------------------------- */

static const char *const rule_cols[] = { "category=CATEGORY", "spec=CAP",
	"scope=SCOPE", "scope_id=FOR", "source=SOURCE", "set_by=SET BY",
	NULL };

static int
rules_reply(struct ctl *ctl, Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsRuleList	*l;
	struct out_table		*t;
	static const char *const	 hdr[] = { "CATEGORY", "NAME", "KIND",
	    "MARK", NULL };
	size_t				 i;
	int				 rc;

	if (ctl->json || resp->result_case !=
	    COACHD__V1__RESPONSE__RESULT_CAPS_RULES) {
		rc = out_result(ctl, resp, NULL);
		srv_response_free(resp);
		return rc;
	}
	l = resp->caps_rules;
	t = out_table_new(hdr);
	for (i = 0; i < l->n_categories; i++)
		out_table_add(t, l->categories[i]->id, l->categories[i]->name,
		    l->categories[i]->coaching ? "coaching" : "non-coaching",
		    l->categories[i]->mark);
	out_table_print(t, stdout);
	out_table_free(t);
	printf("\nwarn at %d%% of a cap; protected coaching share %d%%\n\n",
	    l->warn_bp / 100, l->protected_bp / 100);
	rc = out_msgs_table(stdout, (const ProtobufCMessage *const *)l->rules,
	    l->n_rules, rule_cols) == 0 ? CTL_EX_OK : CTL_EX_SOFTWARE;
	srv_response_free(resp);
	return rc;
}

/* --school S / --coach C / neither (district). */
static int
scope_args(struct ctl_args *a, char **scope, char **id)
{
	if (ctl_opt(a, "school") != NULL && ctl_opt(a, "coach") != NULL)
		return ctl_usage(a, "give --school or --coach, not both");
	*scope = (char *)"district";
	*id = (char *)"";
	if (ctl_opt(a, "school") != NULL) {
		*scope = (char *)"school";
		*id = (char *)ctl_opt(a, "school");
	} else if (ctl_opt(a, "coach") != NULL) {
		*scope = (char *)"coach";
		*id = (char *)ctl_opt(a, "coach");
	}
	return 0;
}

static int	caps_change(struct ctl *, Coachd__V1__Request *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));

/*
 * Send a cap change; on success say what changed (not under --json),
 * then print the rules as they now stand.
 */
static int
caps_change(struct ctl *ctl, Coachd__V1__Request *req, const char *fmt, ...)
{
	Coachd__V1__Response	*resp;
	va_list			 ap;
	int			 rc;

	if ((rc = srv_call(ctl->srv, req, &resp)) != CTL_EX_OK)
		return rc;
	if (!ctl->json) {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	return rules_reply(ctl, resp);
}

static const struct ctl_opt set_opts[] = {
	{ "school", "ID", 0, "cap for one school" },
	{ "coach", "ID", 0, "cap for one coach" },
	{ NULL, NULL, 0, NULL }
};

static int
admin_caps_set(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsSet	 cs = COACHD__V1__CAPS_SET__INIT;

	if (scope_args(a, &cs.scope, &cs.scope_id) != 0)
		return CTL_EX_USAGE;
	cs.category = (char *)ctl_pos(a, 0);
	cs.spec = (char *)ctl_pos(a, 1);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_SET, &cs);
	return caps_change(ctl, &req, "cap set: %s %s (%s%s%s)\n\n",
	    cs.category, cs.spec, cs.scope, *cs.scope_id ? " " : "",
	    cs.scope_id);
}

static const struct ctl_opt unset_opts[] = {
	{ "school", "ID", 0, "a school's cap" },
	{ "coach", "ID", 0, "a coach's cap" },
	{ "period", "week|term", 0, "only that period's cap" },
	{ NULL, NULL, 0, NULL }
};

static int
admin_caps_unset(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsUnset	 cu = COACHD__V1__CAPS_UNSET__INIT;

	if (scope_args(a, &cu.scope, &cu.scope_id) != 0)
		return CTL_EX_USAGE;
	cu.category = (char *)ctl_pos(a, 0);
	ctl_opt_str(a, "period", &cu.period);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_UNSET, &cu);
	return caps_change(ctl, &req, "runtime cap removed: %s (%s%s%s)\n\n",
	    cu.category, cu.scope, *cu.scope_id ? " " : "", cu.scope_id);
}

static int
admin_caps_list(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__Empty	 e = COACHD__V1__EMPTY__INIT;
	Coachd__V1__Response	*resp;
	int			 rc;

	(void)a;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_LIST, &e);
	if ((rc = srv_call(ctl->srv, &req, &resp)) != CTL_EX_OK)
		return rc;
	return rules_reply(ctl, resp);
}

static int
admin_caps_working(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsWorkingTime wt = COACHD__V1__CAPS_WORKING_TIME__INIT;
	Coachd__V1__Response	*resp;
	const Coachd__V1__CapsWorkingTimeResult *r;
	char			 hm[32];
	int			 rc;

	wt.coach = (char *)ctl_pos(a, 0);
	wt.spec = (char *)ctl_pos(a, 1);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_WORKING_TIME, &wt);
	if ((rc = call_reply(ctl, &req,
	    COACHD__V1__RESPONSE__RESULT_CAPS_WORKING_TIME, &resp)) !=
	    CTL_EX_OK || resp == NULL)
		return rc;
	r = resp->caps_working_time;
	printf("working time of %s: %s/week%s\n", r->coach,
	    fmt_minutes(r->minutes, hm, sizeof hm), r->is_default ?
	    " (the district's working_week)" : "");
	srv_response_free(resp);
	return CTL_EX_OK;
}

const struct ctl_cmd cmd_admin_caps[] = {
	{ .name = "working-time", .summary = "a part-time coach's working"
	  " time", .usage = "COACH TIME", .minpos = 2, .maxpos = 2,
	  .fn = admin_caps_working,
	  .help = "TIME: 24h/week (shares of time are shares of it), or"
	  " default for the\ndistrict's working_week.  Persisted and"
	  " audited." },
	{ .name = "set", .summary = "set a cap (district, --school or"
	  " --coach)", .usage = "CATEGORY CAP", .minpos = 2, .maxpos = 2,
	  .opts = set_opts, .fn = admin_caps_set,
	  .help = "CAP: 4h/week, 90m/week, 15%/week, 40h/term, or none to"
	  " lift the\ncategory's caps at that level.  Persisted and audited;"
	  " SIGHUP keeps it." },
	{ .name = "unset", .summary = "remove a runtime cap",
	  .usage = "CATEGORY", .minpos = 1, .maxpos = 1, .opts = unset_opts,
	  .fn = admin_caps_unset },
	{ .name = "list", .summary = "categories, caps from the file and"
	  " runtime caps", .fn = admin_caps_list },
	{ .name = NULL }
};
