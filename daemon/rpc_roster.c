/*
 * rpc_roster.c: request handlers for schools, coaches, teachers, tokens
 * and roster imports.  Who may call each is decided by the table in rpc.c;
 * the only finer check here is that a teacher reads only their own record.
 * Writes answer with the record as stored, so a client sees exactly what
 * the server kept (defaults applied, lists sorted).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "xmalloc.h"
#include "auth.h"
#include "change.h"
#include "frame.h"
#include "log.h"
#include "roster.h"
#include "rpc.h"
#include "store.h"

#define RR_ERRLEN	1024

/* Allocate a response sub-message (aborts on OOM like rpc_strdup). */
static void *
rr_alloc(size_t size)
{
	return xcalloc(1, size);
}

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

/* Answer with a school record. */
static int
rr_school_reply(struct rpc_ctx *ctx, const char *id,
    Coachd__V1__Response *resp)
{
	Coachd__V1__School	*sc;
	enum store_status	 ret;
	char			 err[RR_ERRLEN];

	if ((ret = store_school_get(ctx->store, id, &sc, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_SCHOOL,
	    &sc->base);
}

/* Answer with a coach record. */
static int
rr_coach_reply(struct rpc_ctx *ctx, const char *id, Coachd__V1__Response *resp)
{
	Coachd__V1__Coach	*c;
	enum store_status	 ret;
	char			 err[RR_ERRLEN];

	if ((ret = store_coach_get(ctx->store, id, &c, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_COACH,
	    &c->base);
}

/* Answer with a teacher record. */
static int
rr_teacher_reply(struct rpc_ctx *ctx, const char *id,
    Coachd__V1__Response *resp)
{
	Coachd__V1__Teacher	*t;
	enum store_status	 ret;
	char			 err[RR_ERRLEN];

	if ((ret = store_teacher_get(ctx->store, id, &t, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_TEACHER,
	    &t->base);
}

/* A store_<kind>_deactivate and the rr_<kind>_reply that answers after it. */
typedef enum store_status (*rr_deactivate_fn)(struct store *, const char *,
    char *, size_t);
typedef int (*rr_reply_fn)(struct rpc_ctx *, const char *,
    Coachd__V1__Response *);

/* Deactivate the record an IdRequest names, answer with it as stored. */
static int
rr_deactivate(struct rpc_ctx *ctx, const Coachd__V1__IdRequest *ir,
    const char *op, rr_deactivate_fn deactivate, rr_reply_fn reply,
    Coachd__V1__Response *resp)
{
	enum store_status	 ret;
	const char		*id;
	char			 err[RR_ERRLEN];

	if ((id = rr_id(ir, op, resp)) == NULL)
		return -1;
	if ((ret = deactivate(ctx->store, id, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return reply(ctx, id, resp);
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
	char	err[RR_ERRLEN];

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
	char			now[sizeof sh->text], err[RR_ERRLEN];

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

/* ---- schools -------------------------------------------------------------- */

/* Add or update a school, answer with the stored record. */
static int
rr_school_put(struct rpc_ctx *ctx, const Coachd__V1__SchoolPut *p, int add,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	struct rr_shown		sh;
	char			err[RR_ERRLEN];

	if (p == NULL || p->school == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "school record missing");
	if (!add)
		rr_shown_before(ctx, STORE_FEED_SCHOOL, p->school->id, &sh);
	ret = add ? store_school_add(ctx->store, p->school, err, sizeof err) :
	    store_school_update(ctx->store, p->school, err, sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (!add && rr_shown_after(ctx, &sh, resp) == -1)
		return -1;
	return rr_school_reply(ctx, p->school->id, resp);
}

int
rpc_school_add(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_school_put(ctx, req->school_add, 1, resp);
}

int
rpc_school_update(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_school_put(ctx, req->school_update, 0, resp);
}

int
rpc_school_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__SchoolList	*l;
	enum store_status	 ret;
	char			 err[RR_ERRLEN];

	ret = store_school_list(ctx->store, req->school_list, &l, err,
	    sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_SCHOOLS,
	    &l->base);
}

int
rpc_school_get(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const char	*id;

	if ((id = rr_id(req->school_get, "school_get", resp)) == NULL)
		return -1;
	return rr_school_reply(ctx, id, resp);
}

int
rpc_school_deactivate(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_deactivate(ctx, req->school_deactivate, "school_deactivate",
	    store_school_deactivate, rr_school_reply, resp);
}

/* ---- coaches -------------------------------------------------------------- */

/* Add or update a coach, answer with the stored record. */
static int
rr_coach_put(struct rpc_ctx *ctx, const Coachd__V1__CoachPut *p, int add,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	struct rr_shown		sh;
	char			err[RR_ERRLEN];

	if (p == NULL || p->coach == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "coach record missing");
	if (!add)
		rr_shown_before(ctx, STORE_FEED_COACH, p->coach->id, &sh);
	ret = add ? store_coach_add(ctx->store, p->coach, err, sizeof err) :
	    store_coach_update(ctx->store, p->coach, err, sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (!add && rr_shown_after(ctx, &sh, resp) == -1)
		return -1;
	return rr_coach_reply(ctx, p->coach->id, resp);
}

int
rpc_coach_add(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_coach_put(ctx, req->coach_add, 1, resp);
}

int
rpc_coach_update(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_coach_put(ctx, req->coach_update, 0, resp);
}

int
rpc_coach_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__CoachList	*l;
	enum store_status	 ret;
	char			 err[RR_ERRLEN];

	ret = store_coach_list(ctx->store, req->coach_list, &l, err,
	    sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_COACHES,
	    &l->base);
}

int
rpc_coach_get(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const char	*id;

	if ((id = rr_id(req->coach_get, "coach_get", resp)) == NULL)
		return -1;
	return rr_coach_reply(ctx, id, resp);
}

int
rpc_coach_deactivate(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_deactivate(ctx, req->coach_deactivate, "coach_deactivate",
	    store_coach_deactivate, rr_coach_reply, resp);
}

/* ---- teachers ------------------------------------------------------------- */

/* Add or update a teacher, answer with the stored record. */
static int
rr_teacher_put(struct rpc_ctx *ctx, const Coachd__V1__TeacherPut *p, int add,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	struct rr_shown		sh;
	char			err[RR_ERRLEN];

	if (p == NULL || p->teacher == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "teacher record missing");
	if (!add)
		rr_shown_before(ctx, STORE_FEED_TEACHER, p->teacher->id, &sh);
	ret = add ? store_teacher_add(ctx->store, p->teacher, err, sizeof err) :
	    store_teacher_update(ctx->store, p->teacher, err, sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (!add && rr_shown_after(ctx, &sh, resp) == -1)
		return -1;
	return rr_teacher_reply(ctx, p->teacher->id, resp);
}

int
rpc_teacher_add(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_teacher_put(ctx, req->teacher_add, 1, resp);
}

int
rpc_teacher_update(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_teacher_put(ctx, req->teacher_update, 0, resp);
}

int
rpc_teacher_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__TeacherList	*l;
	enum store_status	 ret;
	char			 err[RR_ERRLEN];

	ret = store_teacher_list(ctx->store, req->teacher_list, &l, err,
	    sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_TEACHERS,
	    &l->base);
}

int
rpc_teacher_get(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const char	*id;

	if ((id = rr_id(req->teacher_get, "teacher_get", resp)) == NULL)
		return -1;
	/* Teachers see their own record only; say so without probing ids. */
	if (!auth_may_act_for_teacher(ctx->who, id))
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "teacher_get: a teacher may read only their own record");
	return rr_teacher_reply(ctx, id, resp);
}

int
rpc_teacher_deactivate(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rr_deactivate(ctx, req->teacher_deactivate, "teacher_deactivate",
	    store_teacher_deactivate, rr_teacher_reply, resp);
}

/* ---- tokens --------------------------------------------------------------- */

int
rpc_token_create(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__TokenCreate	*tc = req->token_create;
	Coachd__V1__TokenCreated	*out;
	Coachd__V1__TokenInfo		*info;
	enum store_status		 ret;
	unsigned char			 hash[32];
	char				 token[128], id[64], err[RR_ERRLEN];
	int				 rv = -1;

	if (tc == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "token_create: arguments missing");
	if (auth_token_new(token, sizeof token, id, sizeof id, hash, err,
	    sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "token_create: %s",
		    err);
		goto out;
	}
	/* Only the hash is kept; the secret leaves in this response only. */
	ret = store_token_add(ctx->store, id, hash, tc->role, tc->user,
	    tc->label, ctx->now, ctx->who->user, err, sizeof err);
	if (ret != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	/*
	 * The holder of this token can act as the user: every issuance is
	 * on record (tokens.created_by) and in the log.  Never the secret.
	 */
	log_info("admin %s issued a%s %s token %s for %s", ctx->who->user,
	    tc->role == COACHD__V1__ROLE__ADMIN ? "n" : "",
	    frame_role_name(tc->role), id, tc->user);
	info = rr_alloc(sizeof *info);
	coachd__v1__token_info__init(info);
	info->id = rpc_strdup(id);
	info->role = tc->role;
	info->user = rpc_strdup(tc->user);
	info->label = rpc_strdup(tc->label);
	info->created = ctx->now;
	info->created_by = rpc_strdup(ctx->who->user);
	out = rr_alloc(sizeof *out);
	coachd__v1__token_created__init(out);
	out->info = info;
	out->token = rpc_strdup(token);
	rv = rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_TOKEN_CREATED,
	    &out->base);
out:
	OPENSSL_cleanse(token, sizeof token);
	return rv;
}

int
rpc_token_revoke(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	enum store_status	 ret;
	const char		*id;
	char			 err[RR_ERRLEN];

	if ((id = rr_id(req->token_revoke, "token_revoke", resp)) == NULL)
		return -1;
	if ((ret = store_token_revoke(ctx->store, id, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_empty(resp);
}

int
rpc_token_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__TokenList	*l;
	enum store_status	 ret;
	size_t			 i, n;
	char			 err[RR_ERRLEN];

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

/* ---- roster import ---------------------------------------------------------- */

typedef int (*rr_parser)(struct roster *, const char *, size_t, const char *,
    char *, size_t);

/* The files of an import, in the order roster.h requires. */
static const struct rr_file {
	const char	*name;
	const char	*alias;		/* other accepted name, or NULL */
	int		 required;
	rr_parser	 parse;
} rr_files[] = {
	{ "orgs.csv", NULL, 1, roster_parse_orgs },
	{ "academicSessions.csv", NULL, 0, roster_parse_sessions },
	{ "courses.csv", NULL, 0, roster_parse_courses },
	{ "bell_schedules.csv", "bells.csv", 0, roster_parse_bells },
	{ "users.csv", NULL, 1, roster_parse_users },
	{ "classes.csv", NULL, 1, roster_parse_classes },
	{ "enrollments.csv", NULL, 1, roster_parse_enrollments },
	{ "timetable.csv", NULL, 0, roster_parse_timetable },
	{ "coaches.csv", NULL, 0, roster_parse_coaches },
};
#define RR_NFILES	(sizeof rr_files / sizeof rr_files[0])

/* Last component of an uploaded name (clients may send paths). */
static const char *
rr_basename(const char *name)
{
	const char	*p;

	p = strrchr(name, '/');
	return p != NULL ? p + 1 : name;
}

/* Match uploads to known files: found[i] is the upload for rr_files[i]. */
static int
rr_match_files(const Coachd__V1__RosterImport *ri,
    const Coachd__V1__ImportFile *found[], Coachd__V1__Response *resp)
{
	const char	*base;
	size_t		 i, k;

	for (i = 0; i < ri->n_files; i++) {
		base = rr_basename(ri->files[i]->name);
		for (k = 0; k < RR_NFILES; k++) {
			if (strcasecmp(base, rr_files[k].name) == 0 ||
			    (rr_files[k].alias != NULL &&
			    strcasecmp(base, rr_files[k].alias) == 0))
				break;
		}
		if (k == RR_NFILES)
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "%s: not a roster file this server imports", base);
		if (found[k] != NULL)
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "%s: uploaded twice", base);
		found[k] = ri->files[i];
	}
	for (k = 0; k < RR_NFILES; k++) {
		if (rr_files[k].required && found[k] == NULL)
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "roster import needs %s", rr_files[k].name);
	}
	return 0;
}

/* Parse the uploads into r, in order; errors read "file:line: reason". */
static int
rr_parse(const Coachd__V1__RosterImport *ri, struct roster *r,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__ImportFile	*found[RR_NFILES] = { NULL };
	char				 err[RR_ERRLEN];
	size_t				 k;

	if (rr_match_files(ri, found, resp) == -1)
		return -1;
	for (k = 0; k < RR_NFILES; k++) {
		if (found[k] == NULL)
			continue;
		if (rr_files[k].parse(r, (const char *)found[k]->content.data,
		    found[k]->content.len, rr_basename(found[k]->name), err,
		    sizeof err) == -1)
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "%s", err);
	}
	if (roster_finish(r, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	return 0;
}

/* Whether an import changed records that existed before it. */
static int
rr_import_updated(const Coachd__V1__ImportResult *res)
{
	size_t	i;

	for (i = 0; i < res->n_counts; i++)
		if (res->counts[i]->updated > 0)
			return 1;
	return 0;
}

int
rpc_roster_import(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__RosterImport	*ri = req->roster_import;
	Coachd__V1__ImportResult	*res = NULL;
	struct roster			 r;
	enum store_status		 ret;
	char				 err[RR_ERRLEN];
	int				 rv = -1, inited = 0;

	if (ri == NULL || ri->n_files == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "roster_import: no files");
	memset(&r, 0, sizeof r);
	if (roster_init(&r, err, sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
		goto out;
	}
	inited = 1;
	if (rr_parse(ri, &r, resp) == -1)
		goto out;
	/* A dry run writes under a savepoint that is then undone. */
	if (ri->dry_run && store_savepoint(ctx->store, err, sizeof err) !=
	    STORE_OK) {
		rpc_fail_store(resp, STORE_ERROR, err);
		goto out;
	}
	ret = store_import(ctx->store, &r, &res, err, sizeof err);
	if (ret == STORE_OK && ri->deactivate_missing)
		ret = store_import_deactivate_missing(ctx->store, &r, res, err,
		    sizeof err);
	if (ri->dry_run)
		store_savepoint_rollback(ctx->store);
	if (ret != STORE_OK) {
		/* Anything but a storage failure is a problem in the files. */
		rpc_fail_store(resp, ret == STORE_ERROR ? STORE_ERROR :
		    STORE_INVALID, err);
		if (res != NULL)
			protobuf_c_message_free_unpacked(&res->base, NULL);
		goto out;
	}
	if (!ri->dry_run && rr_import_updated(res))
		change_touch_all(ctx->changes);
	rv = rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_IMPORT,
	    &res->base);
out:
	if (inited)
		roster_free(&r);
	return rv;
}
