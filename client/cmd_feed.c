/*
 * cmd_feed: `coachctl feed url|rotate [--teacher ID|--coach ID|--school ID]`.
 * The server stores only a hash of each feed's secret, so a
 * URL is printed once, when it is issued; `feed rotate` issues a new one
 * and the old URL answers 410 Gone from then on.
 */
#include <stdio.h>
#include <string.h>

#include "coachctl.h"

static const struct ctl_opt feed_opts[] = {
	{ "teacher", "ID", 0, "a teacher's feed (administrators)" },
	{ "coach", "ID", 0, "a coach's feed (administrators)" },
	{ "school", "ID", 0, "a school's feed (administrators)" },
	{ NULL, NULL, 0, NULL }
};

static void
print_url(const Coachd__V1__FeedUrl *fu)
{
	if (!fu->created) {
		printf("The %s feed of %s already has a URL (issued %lld); "
		    "it was shown only when it was issued.\n"
		    "Use `coachctl feed rotate` to get a new URL "
		    "(the old one stops working at once).\n", fu->kind,
		    fu->subject, (long long)fu->issued_at);
		return;
	}
	printf("%s feed of %s%s\n", fu->kind, fu->subject,
	    fu->revoked_old ? " (the previous URL is now revoked)" : "");
	printf("https:  %s\nwebcal: %s\n", fu->https_url, fu->webcal_url);
	printf("(keep it secret: anyone with the URL can read the feed; "
	    "it is shown only this once)\n");
}

static int
feed_call(struct ctl *ctl, struct ctl_args *a, unsigned op)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__FeedRef	 ref = COACHD__V1__FEED_REF__INIT;
	Coachd__V1__Response	*resp;
	int			 rc, n = 0;

	if (ctl_opt(a, "teacher") != NULL) {
		ref.teacher = (char *)ctl_opt(a, "teacher");
		n++;
	}
	if (ctl_opt(a, "coach") != NULL) {
		ref.coach = (char *)ctl_opt(a, "coach");
		n++;
	}
	if (ctl_opt(a, "school") != NULL) {
		ref.school = (char *)ctl_opt(a, "school");
		n++;
	}
	if (n > 1)
		return ctl_usage(a, "give at most one of --teacher, --coach, "
		    "--school");
	if (srv_request_set(&req, op, &ref) == -1)
		return CTL_EX_SOFTWARE;
	if ((rc = call_reply(ctl, &req, COACHD__V1__RESPONSE__RESULT_FEED_URL,
	    &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	print_url(resp->feed_url);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static int
feed_url(struct ctl *ctl, struct ctl_args *a)
{
	return feed_call(ctl, a, COACHD__V1__REQUEST__OP_FEED_URL);
}

static int
feed_rotate(struct ctl *ctl, struct ctl_args *a)
{
	return feed_call(ctl, a, COACHD__V1__REQUEST__OP_FEED_ROTATE);
}

const struct ctl_cmd cmd_feed[] = {
	{ .name = "url", .summary = "issue a calendar feed URL (shown once)",
	  .opts = feed_opts, .fn = feed_url,
	  .help = "Without options: your own feed (teachers and coaches).\n"
	  "The URL is shown when it is issued; later calls say a feed exists\n"
	  "and `feed rotate` gives a new URL." },
	{ .name = "rotate", .summary = "new feed URL; the old one gets 410 Gone",
	  .opts = feed_opts, .fn = feed_rotate },
	{ .name = NULL }
};
