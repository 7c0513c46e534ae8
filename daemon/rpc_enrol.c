/*
 * rpc_enrol.c: enrolment, the one way a coach or teacher gets a credential
 * that reads confidential notes.  An administrator issues a one-time code
 * for a person (enrol_create); the person redeems it on a fresh
 * connection, before hello (enrol_redeem), for a token of their own that
 * carries note rights.  The administrator sees the code, never the token;
 * a code is single use, expires and can be revoked, and a code someone
 * else redeemed first fails for its owner, who then knows
 * (docs/security.md).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "errmsg.h"
#include "frame.h"
#include "log.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

#define ENROL_DEFAULT_TTL	(7 * 86400)	/* a week to redeem it */
#define ENROL_MAX_TTL		(90 * 86400)

int
rpc_enrol_create(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__EnrolCreate	*ec = req->enrol_create;
	Coachd__V1__EnrolCreated	*out;
	Coachd__V1__EnrolInfo		*info;
	Coachd__V1__Role		 role = ec->role;
	enum store_status		 ret;
	unsigned char			 hash[32];
	char				 code[64], id[64], err[ERRMSG_LEN];
	int64_t				 ttl = ec->expires_in;
	int				 rv = -1;

	if (ttl == 0)
		ttl = ENROL_DEFAULT_TTL;
	if (ttl < 1 || ttl > ENROL_MAX_TTL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "enrol_create: expires_in %lld s is outside 1 s .. 90 "
		    "days", (long long)ttl);
	if (auth_enrol_code_new(code, sizeof code, id, sizeof id, hash, err,
	    sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "enrol_create: %s",
		    err);
		goto out;
	}
	ret = store_enrol_add(ctx->store, id, hash, &role, ec->user, ctx->now,
	    ctx->now + ttl, ctx->who->user, err, sizeof err);
	if (ret != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	log_info("admin %s issued enrolment code %s for %s %s", ctx->who->user,
	    id, frame_role_name(role), ec->user);
	info = xmalloc(sizeof *info);
	coachd__v1__enrol_info__init(info);
	info->id = xstrdup(id);
	info->role = role;
	info->user = xstrdup(ec->user);
	info->created = ctx->now;
	info->expires = ctx->now + ttl;
	info->created_by = xstrdup(ctx->who->user);
	info->token_id = xstrdup("");
	out = xmalloc(sizeof *out);
	coachd__v1__enrol_created__init(out);
	out->info = info;
	out->code = xstrdup(code);
	rv = rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_ENROL_CREATED,
	    &out->base);
out:
	OPENSSL_cleanse(code, sizeof code);
	return rv;
}

static int
token_mint(struct rpc_ctx *ctx, const char *op, struct rpc_new_token *nt,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	unsigned char		hash[32];
	char			err[ERRMSG_LEN];

	if (auth_token_new(nt->token, sizeof nt->token, nt->id, sizeof nt->id,
	    hash, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s: %s", op,
		    err);
	/* Only the hash is kept; the secret leaves in the reply only. */
	if ((ret = store_token_add(ctx->store, nt->id, hash, nt->role,
	    nt->user, nt->label, ctx->now, nt->by, err, sizeof err)) !=
	    STORE_OK || (nt->note_rights && (ret =
	    store_token_grant_notes(ctx->store, nt->id, err, sizeof err)) !=
	    STORE_OK))
		return rpc_fail_store(resp, ret, err);
	return 0;
}

static int
token_reply(struct rpc_ctx *ctx, const struct rpc_new_token *nt,
    Coachd__V1__Response *resp)
{
	Coachd__V1__TokenCreated	*out;
	Coachd__V1__TokenInfo		*info;

	info = xmalloc(sizeof *info);
	coachd__v1__token_info__init(info);
	info->id = xstrdup(nt->id);
	info->role = nt->role;
	info->user = xstrdup(nt->user);
	info->label = xstrdup(nt->label);
	info->created = ctx->now;
	info->created_by = xstrdup(nt->by);
	info->note_rights = nt->note_rights;
	out = xmalloc(sizeof *out);
	coachd__v1__token_created__init(out);
	out->info = info;
	out->token = xstrdup(nt->token);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_TOKEN_CREATED,
	    &out->base);
}

int
rpc_token_issue(struct rpc_ctx *ctx, const char *op, struct rpc_new_token *nt,
    rpc_token_then *then, const void *arg, Coachd__V1__Response *resp)
{
	int	rv = -1;

	if (token_mint(ctx, op, nt, resp) == 0 &&
	    (then == NULL || then(ctx, nt, arg, resp) == 0))
		rv = token_reply(ctx, nt, resp);
	OPENSSL_cleanse(nt->token, sizeof nt->token);
	return rv;
}

int
rpc_revoked(struct rpc_ctx *ctx, int ret, const char *err, const char *what,
    const char *id, Coachd__V1__Response *resp)
{
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	log_info("admin %s revoked %s %s", ctx->who->user, what, id);
	return rpc_set_empty(resp);
}

/* A redeemed code: it is used up, by the token nt (arg: the code's id). */
static int
enrol_used(struct rpc_ctx *ctx, const struct rpc_new_token *nt,
    const void *arg, Coachd__V1__Response *resp)
{
	const char		*code_id = arg;
	enum store_status	 ret;
	char			 err[ERRMSG_LEN];

	if ((ret = store_enrol_used(ctx->store, code_id, nt->id, ctx->now, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	log_info("%s %s redeemed enrolment code %s for token %s",
	    frame_role_name(nt->role), nt->user, code_id, nt->id);
	return 0;
}

/* The token a redeemed code becomes: the holder's own, with note rights. */
static int
enrol_token(struct rpc_ctx *ctx, const struct store_user *u,
    const char *code_id, const char *label, Coachd__V1__Response *resp)
{
	struct rpc_new_token	nt = { .role = u->role, .user = u->user,
	    .label = label, .note_rights = 1 };
	char			by[96];

	snprintf(by, sizeof by, "enrolment %s", code_id);
	nt.by = by;
	return rpc_token_issue(ctx, "enrol_redeem", &nt, enrol_used, code_id,
	    resp);
}

int
rpc_enrol_redeem(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__EnrolRedeem	*er = req->enrol_redeem;
	struct store_user		 u;
	enum store_status		 ret;
	unsigned char			 hash[32];
	char				 id[64], err[ERRMSG_LEN];
	const char			*label;

	if (er->code == NULL || er->code[0] == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "enrol_redeem: code is required");
	label = er->label != NULL && er->label[0] != '\0' ? er->label :
	    "enrolled";
	auth_token_hash(er->code, hash);
	ret = store_enrol_find(ctx->store, hash, ctx->now, id, sizeof id, &u,
	    err, sizeof err);
	if (ret == STORE_ERROR)
		return rpc_fail_store(resp, ret, err);
	if (ret != STORE_OK) {
		/* a failed redemption ends the connection: no guessing loop */
		log_info("enrolment refused: %s", err);
		return rpc_fail(resp, COACHD__V1__STATUS__UNAUTHENTICATED,
		    "enrol_redeem: %s", err);
	}
	return enrol_token(ctx, &u, id, label, resp);
}

int
rpc_enrol_revoke(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__IdRequest	*ir = req->enrol_revoke;
	enum store_status		 ret;
	char				 err[ERRMSG_LEN];

	if (ir->id == NULL || ir->id[0] == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "enrol_revoke: id is required");
	ret = store_enrol_revoke(ctx->store, ir->id, err, sizeof err);
	return rpc_revoked(ctx, ret, err, "enrolment code", ir->id, resp);
}

int
rpc_enrol_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__EnrolList	*l;
	enum store_status	 ret;
	char			 err[ERRMSG_LEN];

	(void)req;
	if ((ret = store_enrol_list(ctx->store, &l, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_ENROLS,
	    &l->base);
}
