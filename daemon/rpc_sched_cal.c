/*
 * rpc_sched_cal.c: calendar maintenance for `admin schedule`: coach
 * blocks (duties), availability rows and closures: add, list, remove.
 * A coach manages only their own blocks and availability; closures are
 * the admins'.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "log.h"
#include "rpc.h"
#include "rpc_sched_int.h"
#include "store_sched.h"
#include "xmalloc.h"


/* ---- calendar maintenance ------------------------------------------------ */

/* A coach adds blocks (duties) for themself; admins for anyone. */
int
rpc_calendar_block_add(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__SchedBlock	*b;
	char			 err[ERRMSG_LEN];
	int			 day;
	enum store_status	 ret;

	if (ROLE_IS(ctx, COACH) &&
	    strcmp(req->calendar_block_add->coach, ctx->who->user) != 0)
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "a coach may block only their own time");
	if (calendar_parse_date(req->calendar_block_add->date, &day) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "--date: expected YYYY-MM-DD");
	b = xmalloc(sizeof(*b));
	coachd__v1__sched_block__init(b);
	b->coach = xstrdup(req->calendar_block_add->coach);
	b->date = xstrdup(req->calendar_block_add->date);
	b->start_min = req->calendar_block_add->start_min;
	b->end_min = req->calendar_block_add->end_min;
	b->category = xstrdup(req->calendar_block_add->category);
	b->reason = xstrdup(req->calendar_block_add->reason);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_CALENDAR_BLOCK,
	    &b->base);
	if ((ret = store_sched_block_add(ctx->store, b, err, sizeof(err))) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}

int
rpc_calendar_availability_set(struct rpc_ctx *ctx,
    const Coachd__V1__Request *req, Coachd__V1__Response *resp)
{
	char			 err[ERRMSG_LEN];
	enum store_status	 ret;

	if ((ret = store_sched_avail_set(ctx->store,
	    req->calendar_availability_set, err, sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_empty(resp);
}

int
rpc_calendar_closure_add(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	char			 err[ERRMSG_LEN];
	int			 day;
	enum store_status	 ret;

	if (req->calendar_closure_add == NULL ||
	    calendar_parse_date(req->calendar_closure_add->date, &day) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "calendar_closure_add: expected a YYYY-MM-DD date");
	if ((ret = store_sched_closure_add(ctx->store,
	    req->calendar_closure_add, err, sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_empty(resp);
}

/* Blocks, availability rows and closures (from --from, default today). */
int
rpc_calendar_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__SchedCalendarRequest	*r = req->calendar_list;
	Coachd__V1__SchedCalendar		*c = NULL;
	const char				*coach;
	char					 err[ERRMSG_LEN];
	char					 from[CALENDAR_DATE_LEN];
	int					 day;
	enum store_status			 ret;

	coach = r->coach;
	if (ROLE_IS(ctx, COACH)) {
		if (coach[0] != '\0' && strcmp(coach, ctx->who->user) != 0)
			return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
			    "a coach sees only their own calendar");
		coach = ctx->who->user;
	}
	if (r->from[0] == '\0')
		day = tt_today(ctx);
	else if (calendar_parse_date(r->from, &day) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "--from: expected YYYY-MM-DD");
	calendar_format_date(day, from, sizeof(from));
	ret = store_sched_calendar_list(ctx->store, coach, from, &c, err,
	    sizeof(err));
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_CALENDAR,
	    &c->base);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}

int
rpc_calendar_remove(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__SchedCalendarRemove	*r = req->calendar_remove;
	Coachd__V1__SchedRemoved		*m;
	char					 err[ERRMSG_LEN];
	const char				*only = "";
	unsigned				 n;
	int					 day;
	enum store_status			 ret;

	if (strcmp(r->what, "closure") == 0 &&
	    calendar_parse_date(r->date, &day) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "--date: expected YYYY-MM-DD");
	if (ROLE_IS(ctx, COACH)) {
		if (strcmp(r->what, "closure") == 0 || (strcmp(r->what,
		    "availability") == 0 && strcmp(r->coach,
		    ctx->who->user) != 0))
			return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
			    "a coach may remove only their own blocks and "
			    "availability");
		only = ctx->who->user;
	}
	if ((ret = store_sched_calendar_remove(ctx->store, r, only, &n, err,
	    sizeof(err))) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	m = xmalloc(sizeof(*m));
	coachd__v1__sched_removed__init(m);
	m->removed = n;
	return rpc_set_result(resp,
	    COACHD__V1__RESPONSE__RESULT_CALENDAR_REMOVED, &m->base);
}
