/*
 * cmd_assign: `coachctl admin assign`, the coach-assignment plan.  One
 * request (assign_plan); the reply is printed as a summary,
 * the diff against today, the proposed pairs (with the score broken into
 * its parts under --explain: "why this coach") and the questions left in
 * the queue with the reason.  --json prints the reply as is.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coachctl.h"

static const struct ctl_opt assign_opts[] = {
	{ "dry-run", NULL, 0, "show the plan and the diff; change nothing" },
	{ "explain", NULL, 0, "break each score into its parts and name the"
	  " runner-up coach" },
	{ "full-replan", NULL, 0, "also move questions already assigned (not"
	  " those in a cycle)" },
	{ NULL, NULL, 0, NULL }
};

static const char *
change_name(Coachd__V1__AssignChange c)
{
	switch (c) {
	case COACHD__V1__ASSIGN_CHANGE__ASSIGN_KEPT:
		return "kept";
	case COACHD__V1__ASSIGN_CHANGE__ASSIGN_ADDED:
		return "added";
	case COACHD__V1__ASSIGN_CHANGE__ASSIGN_MOVED:
		return "moved";
	case COACHD__V1__ASSIGN_CHANGE__ASSIGN_REMOVED:
		return "removed";
	default:
		return "?";
	}
}

/* "AGING (Nd)", then the priority parts when present: "+30 boost". */
static void
assign_aging_cell(const Coachd__V1__AssignProposal *pr, char *buf,
    size_t len)
{
	const Coachd__V1__AssignScore	*s = pr->score;
	int				 n;

	n = snprintf(buf, len, "%" PRIu32 " (%" PRIu32 "d)", s->aging,
	    pr->waiting_days);
	if (n > 0 && (size_t)n < len && s->boost > 0)
		n += snprintf(buf + n, len - (size_t)n, " +%" PRIu32 " boost",
		    s->boost);
	if (n > 0 && (size_t)n < len && s->new_teacher > 0)
		snprintf(buf + n, len - (size_t)n, " +%" PRIu32 " new",
		    s->new_teacher);
}

static const char *
reason_name(Coachd__V1__AssignReason r)
{
	switch (r) {
	case COACHD__V1__ASSIGN_REASON__ASSIGN_NO_ELIGIBLE_COACH:
		return "no eligible coach";
	case COACHD__V1__ASSIGN_REASON__ASSIGN_NO_CAPACITY:
		return "no capacity";
	default:
		return "?";
	}
}

/* Summary lines: what the plan does (or did) and the diff. */
static void
print_summary(const Coachd__V1__AssignPlan *ap)
{
	printf("%s%s: %" PRIu32 " candidate question%s, %" PRIu32
	    " assigned, %" PRIu32 " left in the queue, total score %"
	    PRIu64 "\n", ap->applied ? "Applied" : "Plan (dry run, nothing "
	    "changed)", ap->full_replan ? " with full re-plan" : "",
	    ap->candidates, ap->candidates == 1 ? "" : "s", ap->assigned,
	    ap->unassigned, ap->total_score);
	printf("Against today: kept %" PRIu32 ", added %" PRIu32 ", moved %"
	    PRIu32 ", removed %" PRIu32 "\n", ap->kept, ap->added, ap->moved,
	    ap->removed);
	if (ap->unassigned > 0)
		printf("Not assigned: %" PRIu32 " no eligible coach, %"
		    PRIu32 " no capacity\n", ap->no_eligible_coach,
		    ap->no_capacity);
	if (ap->queued_without_area > 0)
		printf("Not considered: %" PRIu32 " queued question%s without "
		    "an expertise area\n", ap->queued_without_area,
		    ap->queued_without_area == 1 ? "" : "s");
}

/* The proposals: one row per question whose coach is or was set. */
static int
print_proposals(const Coachd__V1__AssignPlan *ap, int explain)
{
	static const char *const hdr[] = { ">QUESTION", "TEACHER", "AREA",
	    "TOPIC", "COACH", "WAS", "CHANGE", ">SCORE", NULL };
	static const char *const xhdr[] = { ">QUESTION", "TEACHER", "AREA",
	    "TOPIC", "COACH", "WAS", "CHANGE", ">SCORE", ">EXPERTISE",
	    ">INTEREST", ">CONTINUITY", ">AGING", "RUNNER-UP", NULL };
	const Coachd__V1__AssignProposal	*pr;
	struct out_table			*t;
	char					 id[24], sc[16], ex[24],
						 in[16], co[16], ag[48], ru[96];
	size_t					 i;
	int					 rc;

	t = out_table_new(explain ? xhdr : hdr);
	for (i = 0; i < ap->n_proposals; i++) {
		pr = ap->proposals[i];
		snprintf(id, sizeof(id), "%" PRId64, pr->question);
		snprintf(sc, sizeof(sc), "%" PRIu32,
		    pr->score != NULL ? pr->score->total : 0);
		if (!explain) {
			out_table_add(t, id, pr->teacher, pr->area, pr->topic,
			    pr->coach, pr->previous_coach,
			    change_name(pr->change), sc);
			continue;
		}
		snprintf(ex, sizeof(ex), "%" PRIu32 " (L%" PRIu32 ")",
		    pr->score->expertise, pr->expertise_level);
		snprintf(in, sizeof(in), "%" PRIu32, pr->score->interest);
		snprintf(co, sizeof(co), "%" PRIu32, pr->score->continuity);
		assign_aging_cell(pr, ag, sizeof(ag));
		if (*pr->runner_up != '\0')
			snprintf(ru, sizeof(ru), "%s %" PRIu32 " (of %" PRIu32
			    ")", pr->runner_up, pr->runner_up_score,
			    pr->eligible_coaches);
		else
			snprintf(ru, sizeof(ru), "none (of %" PRIu32 ")",
			    pr->eligible_coaches);
		out_table_add(t, id, pr->teacher, pr->area, pr->topic,
		    pr->coach, pr->previous_coach, change_name(pr->change), sc,
		    ex, in, co, ag, ru);
	}
	rc = out_table_rows(t) == 0 ? 0 : out_table_print(t, stdout);
	out_table_free(t);
	return rc;
}

/* Questions the plan leaves in the queue, with the reason. */
static int
print_unassigned(const Coachd__V1__AssignPlan *ap)
{
	static const char *const hdr[] = { ">QUESTION", "TEACHER", "AREA",
	    "TOPIC", "REASON", ">ELIGIBLE", NULL };
	const Coachd__V1__AssignUnassigned	*u;
	struct out_table			*t;
	char					 id[24], el[16];
	size_t					 i;
	int					 rc;

	if (ap->n_unassigned_questions == 0)
		return 0;
	printf("\nLeft in the queue:\n");
	t = out_table_new(hdr);
	for (i = 0; i < ap->n_unassigned_questions; i++) {
		u = ap->unassigned_questions[i];
		snprintf(id, sizeof(id), "%" PRId64, u->question);
		snprintf(el, sizeof(el), "%" PRIu32, u->eligible_coaches);
		out_table_add(t, id, u->teacher, u->area, u->topic,
		    reason_name(u->reason), el);
	}
	rc = out_table_print(t, stdout);
	out_table_free(t);
	return rc;
}

static int
assign_run(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__AssignPlanRequest	 ar =
	    COACHD__V1__ASSIGN_PLAN_REQUEST__INIT;
	Coachd__V1__Response		*resp;
	const Coachd__V1__AssignPlan	*ap;
	int				 rc;

	ar.dry_run = ctl_flag(a, "dry-run");
	ar.explain = ctl_flag(a, "explain");
	ar.full_replan = ctl_flag(a, "full-replan");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_ASSIGN_PLAN, &ar);
	if ((rc = call_reply(ctl, &req, COACHD__V1__RESPONSE__RESULT_ASSIGN_PLAN,
	    &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	ap = resp->assign_plan;
	print_summary(ap);
	/* Applying prints the changes only when asked to explain them. */
	if (!ap->applied || ar.explain) {
		if (ap->n_proposals > 0)
			printf("\n");
		if (print_proposals(ap, ar.explain) == -1)
			rc = CTL_EX_SOFTWARE;
	}
	if (print_unassigned(ap) == -1)
		rc = CTL_EX_SOFTWARE;
	if (rc != CTL_EX_OK)
		fprintf(stderr, "coachctl: cannot print the result\n");
	srv_response_free(resp);
	return rc;
}

/* `admin assign`: a group whose single leaf has the empty name. */
const struct ctl_cmd cmd_admin_assign[] = {
	{ .name = "", .summary = "assign queued questions to coaches "
	  "(optimal, explained)", .opts = assign_opts, .fn = assign_run,
	  .help = "Plans which coach takes each queued inquiry question:"
	  " first as many\nquestions as caseload caps allow, then the highest"
	  " total score\n(expertise + interest + continuity + aging, see"
	  " [matching] in coachd.conf).\nExisting assignments stay unless"
	  " --full-replan.  Without --dry-run the\nplan is applied in one"
	  " transaction (queued -> assigned)." },
	{ .name = NULL }
};
