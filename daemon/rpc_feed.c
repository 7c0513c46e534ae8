/*
 * rpc_feed: feed URL handlers.  A teacher or a coach may get their own
 * feed's URL; administrators any teacher's, coach's or school's.  Only the
 * hash of a feed token is stored, so a URL is shown once, when
 * its token is issued: feed_url on a feed that already has one says so
 * (created = false) and feed_rotate issues a new URL, revoking the old one
 * (410 Gone) in the same transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "errmsg.h"
#include "feed.h"
#include "rpc_feed.h"
#include "store.h"
#include "store_feed.h"
#include "xmalloc.h"

#define URL_MAX	768

/* Which feed the request names, after the permission checks. */
static int
resolve(struct rpc_ctx *ctx, const Coachd__V1__FeedRef *ref,
    Coachd__V1__Response *resp, enum store_feed_kind *kind,
    const char **subject)
{
	const struct principal	*who = ctx->who;
	int			 nset = 0;
	char			 err[ERRMSG_LEN];
	enum store_status	 st;

	if (ref != NULL) {
		nset += ref->teacher[0] != '\0';
		nset += ref->coach[0] != '\0';
		nset += ref->school[0] != '\0';
	}
	if (nset > 1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "name at most one of teacher, coach, school");
	if (nset == 0) {
		if (who->role == COACHD__V1__ROLE__TEACHER)
			*kind = STORE_FEED_TEACHER;
		else if (who->role == COACHD__V1__ROLE__COACH)
			*kind = STORE_FEED_COACH;
		else
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "administrators name a feed: --teacher, --coach "
			    "or --school");
		*subject = who->user;
	} else if (ref->teacher[0] != '\0') {
		*kind = STORE_FEED_TEACHER;
		*subject = ref->teacher;
	} else if (ref->coach[0] != '\0') {
		*kind = STORE_FEED_COACH;
		*subject = ref->coach;
	} else {
		*kind = STORE_FEED_SCHOOL;
		*subject = ref->school;
	}
	/* Own feed, or an administrator; school feeds are admin-only. */
	if (!auth_is_admin(who) && (*kind == STORE_FEED_SCHOOL ||
	    (*kind == STORE_FEED_TEACHER &&
	    who->role != COACHD__V1__ROLE__TEACHER) ||
	    (*kind == STORE_FEED_COACH &&
	    who->role != COACHD__V1__ROLE__COACH) ||
	    strcmp(who->user, *subject) != 0))
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "you may only get your own feed");
	if (!store_id_valid(*subject))
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "'%s' is not a valid id", *subject);
	st = store_feed_subject_exists(ctx->store, *kind, *subject, err,
	    sizeof err);
	if (st != STORE_OK)
		return rpc_fail_store(resp, st, err);
	return 0;
}

/* The https and webcal URLs of a token under base; -1 if they do not fit. */
static int
token_urls(const char *base, const char *tok, char *https, size_t httpslen,
    char *webcal, size_t webcallen)
{
	const char	*rest;
	int		 w;

	w = snprintf(https, httpslen, "%s/feeds/%s.ics", base, tok);
	if (w < 0 || (size_t)w >= httpslen)
		return -1;
	rest = strstr(https, "://");
	w = snprintf(webcal, webcallen, "webcal%s", rest != NULL ? rest : "");
	if (w < 0 || (size_t)w >= webcallen)
		return -1;
	return 0;
}

/* Issue a token for (kind, subject) and fill the result with its URLs. */
static int
issue(struct rpc_ctx *ctx, enum store_feed_kind kind, const char *subject,
    Coachd__V1__FeedUrl *fu, Coachd__V1__Response *resp)
{
	char			 tok[FEED_TOKEN_BUFSZ], err[ERRMSG_LEN];
	char			 https[URL_MAX], webcal[URL_MAX];
	unsigned char		 h[FEED_HASH_LEN];
	int64_t			 id;
	enum store_status	 st;

	if (feed_token_new(tok, sizeof tok, h, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
	if (token_urls(ctx->feed_base, tok, https, sizeof https, webcal,
	    sizeof webcal) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "cannot form the feed URL");
	st = store_feed_token_add(ctx->store, kind, subject, h, ctx->now, &id,
	    err, sizeof err);
	if (st != STORE_OK)
		return rpc_fail_store(resp, st, err);
	fu->created = 1;
	fu->https_url = xstrdup(https);
	fu->webcal_url = xstrdup(webcal);
	fu->issued_at = ctx->now;
	/* Published once the batch commits (feeds_commit_hook). */
	change_tokens(ctx->changes);
	return 0;
}

static Coachd__V1__FeedUrl *
new_result(Coachd__V1__Response *resp, enum store_feed_kind kind,
    const char *subject)
{
	Coachd__V1__FeedUrl	*fu = xmalloc(sizeof *fu);

	coachd__v1__feed_url__init(fu);
	fu->kind = xstrdup(store_feed_kind_name(kind));
	fu->subject = xstrdup(subject);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_FEED_URL, &fu->base);
	return fu;
}

static int
feeds_on(struct rpc_ctx *ctx, Coachd__V1__Response *resp)
{
	if (ctx->feed_base == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "feeds are not enabled on this server ([feeds] listen)");
	return 0;
}

int
rpc_feed_url(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__FeedUrl	*fu;
	struct store_feed_token	 live;
	enum store_feed_kind	 kind;
	enum store_status	 st;
	const char		*subject;
	char			 err[ERRMSG_LEN];

	if (feeds_on(ctx, resp) == -1 ||
	    resolve(ctx, req->feed_url, resp, &kind, &subject) == -1)
		return -1;
	st = store_feed_token_live(ctx->store, kind, subject, &live, err,
	    sizeof err);
	if (st != STORE_OK && st != STORE_NOTFOUND)
		return rpc_fail_store(resp, st, err);
	fu = new_result(resp, kind, subject);
	if (st == STORE_OK) {	/* the URL was shown when it was issued */
		fu->issued_at = live.created_at;
		return 0;
	}
	return issue(ctx, kind, subject, fu, resp);
}

int
rpc_feed_rotate(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__FeedUrl	*fu;
	enum store_feed_kind	 kind;
	enum store_status	 st;
	const char		*subject;
	char			 err[ERRMSG_LEN];
	int			 n = 0;

	if (feeds_on(ctx, resp) == -1 ||
	    resolve(ctx, req->feed_rotate, resp, &kind, &subject) == -1)
		return -1;
	st = store_feed_token_revoke(ctx->store, kind, subject, ctx->now, &n,
	    err, sizeof err);
	if (st != STORE_OK)
		return rpc_fail_store(resp, st, err);
	fu = new_result(resp, kind, subject);
	fu->revoked_old = n > 0;
	return issue(ctx, kind, subject, fu, resp);
}
