/*
 * rpc_roster.c: request handlers for schools, coaches, teachers, tokens
 * and roster imports.  Who may call each is decided by the table in rpc.c;
 * the only finer check here is that a teacher reads only their own record.
 * Writes answer with the record as stored, so a client sees exactly what
 * the server kept (defaults applied, lists sorted).
 *
 * Schools, coaches and teachers share one shape (add, update, list, get,
 * deactivate): each kind is a row of rr_kinds and one routine per verb
 * serves all three.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "xmalloc.h"
#include "auth.h"
#include "change.h"
#include "errmsg.h"
#include "frame.h"
#include "log.h"
#include "roster.h"
#include "rpc.h"
#include "store.h"

/* An IdRequest's id, or NULL after failing resp. */
static const char *
rr_id(const Coachd__V1__IdRequest *ir, const char *op,
    Coachd__V1__Response *resp)
{
	if (ir == NULL || ir->id == NULL || *ir->id == '\0') {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "%s: id is required", op);
		return NULL;
	}
	return ir->id;
}

/* ---- schools, coaches, teachers ------------------------------------------ */

/*
 * The store's functions for one kind, seen through their common base
 * message.  The typed store_<kind>_* functions are adapted by RR_STORE
 * below rather than cast, since calling through a mismatched function
 * type is undefined.
 */
typedef enum store_status (*rr_put_fn)(struct store *,
    const ProtobufCMessage *, char *, size_t);
typedef enum store_status (*rr_get_fn)(struct store *, const char *,
    ProtobufCMessage **, char *, size_t);
typedef enum store_status (*rr_list_fn)(struct store *,
    const Coachd__V1__ListRequest *, ProtobufCMessage **, char *, size_t);
typedef enum store_status (*rr_deactivate_fn)(struct store *, const char *,
    char *, size_t);

#define RR_STORE(kind, Rec, List)					\
static enum store_status						\
rr_##kind##_add(struct store *st, const ProtobufCMessage *m, char *err,	\
    size_t errlen)							\
{									\
	return store_##kind##_add(st, (const Rec *)m, err, errlen);	\
}									\
static enum store_status						\
rr_##kind##_update(struct store *st, const ProtobufCMessage *m,		\
    char *err, size_t errlen)						\
{									\
	return store_##kind##_update(st, (const Rec *)m, err, errlen);	\
}									\
static enum store_status						\
rr_##kind##_get(struct store *st, const char *id, ProtobufCMessage **out,\
    char *err, size_t errlen)						\
{									\
	Rec			*r;					\
	enum store_status	 ret;					\
									\
	ret = store_##kind##_get(st, id, &r, err, errlen);		\
	*out = r != NULL ? &r->base : NULL;				\
	return ret;							\
}									\
static enum store_status						\
rr_##kind##_list(struct store *st, const Coachd__V1__ListRequest *lr,	\
    ProtobufCMessage **out, char *err, size_t errlen)			\
{									\
	List			*l;					\
	enum store_status	 ret;					\
									\
	ret = store_##kind##_list(st, lr, &l, err, errlen);		\
	*out = l != NULL ? &l->base : NULL;				\
	return ret;							\
}

RR_STORE(school, Coachd__V1__School, Coachd__V1__SchoolList)
RR_STORE(coach, Coachd__V1__Coach, Coachd__V1__CoachList)
RR_STORE(teacher, Coachd__V1__Teacher, Coachd__V1__TeacherList)

/* One kind of roster record. */
struct rr_kind {
	const char			*noun;	/* "school", in messages */
	enum store_feed_kind		 feed;
	Coachd__V1__Response__ResultCase one;	/* result of get and writes */
	Coachd__V1__Response__ResultCase many;	/* result of list */
	rr_put_fn			 add;
	rr_put_fn			 update;
	rr_get_fn			 get;
	rr_list_fn			 list;
	rr_deactivate_fn		 deactivate;
	int				 own_only;	/* see rr_get */
};

static const struct rr_kind rr_school = {
	"school", STORE_FEED_SCHOOL, COACHD__V1__RESPONSE__RESULT_SCHOOL,
	COACHD__V1__RESPONSE__RESULT_SCHOOLS, rr_school_add,
	rr_school_update, rr_school_get, rr_school_list,
	store_school_deactivate, 0
};

static const struct rr_kind rr_coach = {
	"coach", STORE_FEED_COACH, COACHD__V1__RESPONSE__RESULT_COACH,
	COACHD__V1__RESPONSE__RESULT_COACHES, rr_coach_add, rr_coach_update,
	rr_coach_get, rr_coach_list, store_coach_deactivate, 0
};

static const struct rr_kind rr_teacher = {
	"teacher", STORE_FEED_TEACHER, COACHD__V1__RESPONSE__RESULT_TEACHER,
	COACHD__V1__RESPONSE__RESULT_TEACHERS, rr_teacher_add,
	rr_teacher_update, rr_teacher_get, rr_teacher_list,
	store_teacher_deactivate, 1
};

/* Answer with a record as stored. */
static int
rr_reply(struct rpc_ctx *ctx, const struct rr_kind *k, const char *id,
    Coachd__V1__Response *resp)
{
	ProtobufCMessage	*m;
	enum store_status	 ret;
	char			 err[ERRMSG_LEN];

	if ((ret = k->get(ctx->store, id, &m, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, k->one, m);
}

/*
 * What feeds show of a record (name, e-mail), taken before an update so
 * that only a real change re-renders feeds and marks the record's live
 * sessions modified (LAST-MODIFIED: calendar programs then take the new
 * text instead of keeping the old copy of the event).
 */
struct rr_shown {
	enum store_feed_kind	 kind;
	const char		*id;
	char			 text[2 * STORE_TEXT_MAX + 8];
};

static void
rr_shown_before(struct rpc_ctx *ctx, enum store_feed_kind kind,
    const char *id, struct rr_shown *sh)
{
	char	err[ERRMSG_LEN];

	sh->kind = kind;
	sh->id = id;
	if (store_feed_subject_shown(ctx->store, kind, id, sh->text,
	    sizeof sh->text, err, sizeof err) != STORE_OK)
		sh->text[0] = '\0';	/* the update reports what is wrong */
}

/* After the update: act on a change; -1 after failing resp. */
static int
rr_shown_after(struct rpc_ctx *ctx, const struct rr_shown *sh,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	char			now[sizeof sh->text], err[ERRMSG_LEN];

	if ((ret = store_feed_subject_shown(ctx->store, sh->kind, sh->id, now,
	    sizeof now, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (strcmp(now, sh->text) == 0)
		return 0;
	if ((ret = store_feed_sessions_touched(ctx->store, sh->kind, sh->id,
	    ctx->now, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	change_touch_roster(ctx->changes, sh->kind, sh->id);
	return 0;
}

/*
 * Add or update a record (rec, whose id is id; NULL when the request
 * carries none) and answer with it as stored.
 */
static int
rr_put(struct rpc_ctx *ctx, const struct rr_kind *k,
    const ProtobufCMessage *rec, const char *id, int add,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	struct rr_shown		sh;
	char			err[ERRMSG_LEN];

	if (rec == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "%s record missing", k->noun);
	if (!add)
		rr_shown_before(ctx, k->feed, id, &sh);
	ret = (add ? k->add : k->update)(ctx->store, rec, err, sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (!add && rr_shown_after(ctx, &sh, resp) == -1)
		return -1;
	return rr_reply(ctx, k, id, resp);
}

/* Answer a list request. */
static int
rr_list(struct rpc_ctx *ctx, const struct rr_kind *k,
    const Coachd__V1__ListRequest *lr, Coachd__V1__Response *resp)
{
	ProtobufCMessage	*l;
	enum store_status	 ret;
	char			 err[ERRMSG_LEN];

	if ((ret = k->list(ctx->store, lr, &l, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, k->many, l);
}

/*
 * Answer with the record an IdRequest names.  A kind marked own_only is
 * readable by a teacher for their own record only; the refusal says so
 * without probing whether the id exists.
 */
static int
rr_get(struct rpc_ctx *ctx, const struct rr_kind *k,
    const Coachd__V1__IdRequest *ir, const char *op,
    Coachd__V1__Response *resp)
{
	const char	*id;

	if ((id = rr_id(ir, op, resp)) == NULL)
		return -1;
	if (k->own_only && !auth_may_act_for_teacher(ctx->who, id))
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "%s: a %s may read only their own record", op, k->noun);
	return rr_reply(ctx, k, id, resp);
}

/* Deactivate the record an IdRequest names, answer with it as stored. */
static int
rr_deactivate(struct rpc_ctx *ctx, const struct rr_kind *k,
    const Coachd__V1__IdRequest *ir, const char *op,
    Coachd__V1__Response *resp)
{
	enum store_status	 ret;
	const char		*id;
	char			 err[ERRMSG_LEN];

	if ((id = rr_id(ir, op, resp)) == NULL)
		return -1;
	if ((ret = k->deactivate(ctx->store, id, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	/* The store revoked a deactivated person's feed URLs (410 now). */
	change_tokens(ctx->changes);
	return rr_reply(ctx, k, id, resp);
}

/* A put's record and id, NULL when the request carries none. */
#define RR_REC(p, field)	((p) != NULL && (p)->field != NULL ?	\
	&(p)->field->base : NULL)
#define RR_RECID(p, field)	((p) != NULL && (p)->field != NULL ?	\
	(p)->field->id : NULL)

/*
 * The five handlers of a kind (rpc_<kind>_add, _update, _list, _get,
 * _deactivate; prototypes in rpc.h), each over its request field of the
 * same name.
 */
#define RR_HANDLERS(kind)						\
int									\
rpc_##kind##_add(struct rpc_ctx *ctx, const Coachd__V1__Request *req,	\
    Coachd__V1__Response *resp)						\
{									\
	return rr_put(ctx, &rr_##kind, RR_REC(req->kind##_add, kind),	\
	    RR_RECID(req->kind##_add, kind), 1, resp);			\
}									\
int									\
rpc_##kind##_update(struct rpc_ctx *ctx, const Coachd__V1__Request *req,\
    Coachd__V1__Response *resp)						\
{									\
	return rr_put(ctx, &rr_##kind, RR_REC(req->kind##_update, kind),\
	    RR_RECID(req->kind##_update, kind), 0, resp);		\
}									\
int									\
rpc_##kind##_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,	\
    Coachd__V1__Response *resp)						\
{									\
	return rr_list(ctx, &rr_##kind, req->kind##_list, resp);	\
}									\
int									\
rpc_##kind##_get(struct rpc_ctx *ctx, const Coachd__V1__Request *req,	\
    Coachd__V1__Response *resp)						\
{									\
	return rr_get(ctx, &rr_##kind, req->kind##_get, #kind "_get",	\
	    resp);							\
}									\
int									\
rpc_##kind##_deactivate(struct rpc_ctx *ctx,				\
    const Coachd__V1__Request *req, Coachd__V1__Response *resp)		\
{									\
	return rr_deactivate(ctx, &rr_##kind, req->kind##_deactivate,	\
	    #kind "_deactivate", resp);					\
}

RR_HANDLERS(school)
RR_HANDLERS(coach)
RR_HANDLERS(teacher)

/* ---- tokens --------------------------------------------------------------- */

int
rpc_token_create(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__TokenCreate	*tc = req->token_create;
	struct rpc_new_token		 nt = { 0 };

	if (tc == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "token_create: arguments missing");
	nt.role = tc->role;
	nt.user = tc->user;
	nt.label = tc->label;
	nt.by = ctx->who->user;
	if (rpc_token_issue(ctx, "token_create", &nt, NULL, NULL, resp) == -1)
		return -1;
	/*
	 * The holder of this token can act as the user: every issuance is
	 * on record (tokens.created_by) and in the log.  Never the secret.
	 */
	log_info("admin %s issued a%s %s token %s for %s", ctx->who->user,
	    tc->role == COACHD__V1__ROLE__ADMIN ? "n" : "",
	    frame_role_name(tc->role), nt.id, tc->user);
	return 0;
}

int
rpc_token_revoke(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	enum store_status	 ret;
	const char		*id;
	char			 err[ERRMSG_LEN];

	if ((id = rr_id(req->token_revoke, "token_revoke", resp)) == NULL)
		return -1;
	/* Open connections holding it end at their next request. */
	ret = store_token_revoke(ctx->store, id, err, sizeof err);
	return rpc_revoked(ctx, ret, err, "token", id, resp);
}

int
rpc_token_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__TokenList	*l;
	enum store_status	 ret;
	size_t			 i, n;
	char			 err[ERRMSG_LEN];

	if ((ret = store_token_list(ctx->store, &l, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	/* Revoked tokens count as inactive: shown only on request. */
	if (req->token_list == NULL || !req->token_list->include_inactive) {
		for (i = n = 0; i < l->n_tokens; i++) {
			if (l->tokens[i]->revoked)
				protobuf_c_message_free_unpacked(
				    &l->tokens[i]->base, NULL);
			else
				l->tokens[n++] = l->tokens[i];
		}
		l->n_tokens = n;
	}
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_TOKENS,
	    &l->base);
}
