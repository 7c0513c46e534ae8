/*
 * rpc_caps_admin.c: runtime caps of time caps: `admin caps
 * set/unset/list` and a part-time coach's working time, persisted in the
 * database and audited.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "rpc_caps_int.h"

static int
rc_scope_arg(struct rpc_ctx *ctx, const char *scope, const char *id,
    enum caps_scope *sc, Coachd__V1__Response *resp)
{
	char	err[ERRMSG_LEN];
	int	ok, r;

	*sc = rc_scope(scope != NULL && *scope ? scope : "district", &ok);
	if (!ok)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "scope must be district, school or coach, not '%s'",
		    scope);
	if (*sc == CAPS_SCOPE_DISTRICT) {
		if (id != NULL && *id != '\0')
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "a district cap takes no school or coach id");
		return 0;
	}
	if (id == NULL || *id == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "a %s cap needs the %s id", scope, scope);
	r = store_exists(ctx->store, *sc == CAPS_SCOPE_SCHOOL ?
	    "SELECT 1 FROM schools WHERE id = ?1" :
	    "SELECT 1 FROM coaches WHERE id = ?1", id, err, sizeof err);
	if (r == -1)
		return rpc_fail_store(resp, STORE_ERROR, err);
	if (r == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "%s '%s' not found", scope, id);
	return 0;
}

/* Reply with the file's caps, the runtime ones and the categories. */
static int
rc_rules_reply(struct rpc_ctx *ctx, Coachd__V1__Response *resp)
{
	Coachd__V1__CapsRuleList	*l;
	Coachd__V1__CapsRule		*r;
	Coachd__V1__CapsCategoryInfo	*c;
	struct caps_policy		 fp;
	enum store_status		 ret;
	char				 err[ERRMSG_LEN], spec[64];
	size_t				 i;

	memset(&fp, 0, sizeof fp);
	if (rc_file_policy(ctx, &fp, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "categories file: %s", err);
	l = xcalloc(1, sizeof *l);
	coachd__v1__caps_rule_list__init(l);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_CAPS_RULES,
	    &l->base);
	l->warn_bp = fp.warn_bp;
	l->protected_bp = fp.protected_bp;
	for (i = 0; i < fp.ncats; i++) {
		c = xcalloc(1, sizeof *c);
		coachd__v1__caps_category_info__init(c);
		c->id = xstrdup(fp.cats[i].id);
		c->name = xstrdup(fp.cats[i].name);
		c->role = xstrdup(caps_role_name(fp.cats[i].role));
		c->coaching = fp.cats[i].coaching;
		c->mark = xstrdup(caps_mark_name(fp.cats[i].mark));
		RC_PUSH(l->categories, l->n_categories, c);
	}
	for (i = 0; i < fp.nrules; i++) {
		r = xcalloc(1, sizeof *r);
		coachd__v1__caps_rule__init(r);
		r->scope = xstrdup(caps_scope_name(fp.rules[i].scope));
		r->scope_id = xstrdup(fp.rules[i].scope_id);
		r->category = xstrdup(fp.rules[i].category);
		caps_format_spec(&fp.rules[i].spec, spec, sizeof spec);
		r->spec = xstrdup(spec);
		r->source = xstrdup("file");
		r->set_by = xstrdup(rc_file_name(ctx));
		RC_PUSH(l->rules, l->n_rules, r);
	}
	caps_policy_free(&fp);
	if ((ret = store_caps_override_list(ctx->store, l, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}

int
rpc_caps_set(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsSet	*a = req->caps_set;
	struct caps_policy		 p;
	struct caps_spec		 spec;
	enum caps_scope			 sc;
	enum store_status		 ret;
	char				 err[ERRMSG_LEN], canon[64];
	const char			*id, *period;
	int				 rc = -1;

	memset(&p, 0, sizeof p);
	if (a == NULL || a->category == NULL || *a->category == '\0' ||
	    a->spec == NULL || *a->spec == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "caps set: category and cap are required");
	if (rc_scope_arg(ctx, a->scope, a->scope_id, &sc, resp) == -1)
		return -1;
	id = sc == CAPS_SCOPE_DISTRICT ? "" : a->scope_id;
	if (caps_parse_spec(a->spec, &spec, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	if (rc_policy(ctx, &p, resp) == -1)
		return -1;
	/* the engine's own check: known category, consistent rule */
	if (caps_policy_set(&p, sc, id, a->category, a->spec, err,
	    sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s", err);
		goto out;
	}
	caps_format_spec(&spec, canon, sizeof canon);
	period = spec.unit == CAPS_NOCAP ? "all" :
	    spec.period == CAPS_TERM ? "term" : "week";
	if ((ret = store_caps_override_put(ctx->store, caps_scope_name(sc),
	    id, a->category, period, canon, ctx->who->user, ctx->now, err,
	    sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	if (rc_audit(ctx, resp, "caps set %s %s (%s%s%s)", a->category,
	    canon, caps_scope_name(sc), *id ? " " : "", id) == -1)
		goto out;
	rc = rc_rules_reply(ctx, resp);
out:
	caps_policy_free(&p);
	return rc;
}

int
rpc_caps_unset(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsUnset	*a = req->caps_unset;
	enum caps_scope			 sc;
	enum store_status		 ret;
	char				 err[ERRMSG_LEN];
	const char			*id, *period;
	int				 n;

	if (a == NULL || a->category == NULL || *a->category == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "caps unset: category is required");
	if (rc_scope_arg(ctx, a->scope, a->scope_id, &sc, resp) == -1)
		return -1;
	id = sc == CAPS_SCOPE_DISTRICT ? "" : a->scope_id;
	period = a->period != NULL ? a->period : "";
	if (*period && strcmp(period, "week") != 0 &&
	    strcmp(period, "term") != 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "caps unset: period must be week or term, not '%s'",
		    period);
	if ((ret = store_caps_override_del(ctx->store, caps_scope_name(sc),
	    id, a->category, period, &n, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (n == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "no runtime cap for %s at %s%s%s (caps from the file are"
		    " changed in the file)", a->category, caps_scope_name(sc),
		    *id ? " " : "", id);
	if (rc_audit(ctx, resp, "caps unset %s%s%s (%s%s%s)", a->category,
	    *period ? " " : "", period, caps_scope_name(sc), *id ? " " : "",
	    id) == -1)
		return -1;
	return rc_rules_reply(ctx, resp);
}

int
rpc_caps_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	(void)req;
	return rc_rules_reply(ctx, resp);
}

/* "24h/week", "24h" or "default" (0: the policy's working_week). */
static int
rc_working_spec(const char *spec, long *minutes, char *err, size_t errlen)
{
	struct caps_spec	cs;
	char			buf[64];

	if (strcmp(spec, "default") == 0) {
		*minutes = 0;
		return 0;
	}
	snprintf(buf, sizeof buf, "%s%s", spec, strchr(spec, '/') != NULL ?
	    "" : "/week");
	if (caps_parse_spec(buf, &cs, err, errlen) == -1 ||
	    cs.unit != CAPS_MINUTES || cs.period != CAPS_WEEK ||
	    cs.value < 1 || cs.value > 10080) {
		errmsg(err, errlen, "working time must be a weekly duration"
		    " like 24h/week (up to 168h) or default, not '%s'", spec);
		return -1;
	}


	*minutes = cs.value;
	return 0;
}

int
rpc_caps_working_time(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsWorkingTime *a = req->caps_working_time;
	Coachd__V1__CapsWorkingTimeResult *r;
	struct caps_policy		 p;
	enum store_status		 ret;
	char				 err[ERRMSG_LEN], hm[32];
	long				 minutes;
	int				 x, rc = -1;

	if (a == NULL || a->coach == NULL || *a->coach == '\0' ||
	    a->spec == NULL || *a->spec == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "caps working-time: coach and time (24h/week or default)"
		    " are required");
	if (rc_working_spec(a->spec, &minutes, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	x = store_exists(ctx->store, "SELECT 1 FROM coaches WHERE id = ?1",
	    a->coach, err, sizeof err);
	if (x == -1)
		return rpc_fail_store(resp, STORE_ERROR, err);
	if (x == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "coach '%s' not found", a->coach);
	if (rc_policy(ctx, &p, resp) == -1)
		return -1;
	if ((ret = store_caps_working_put(ctx->store, a->coach, minutes,
	    ctx->who->user, ctx->now, err, sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	if (rc_audit(ctx, resp, "caps working-time %s %s%s", a->coach,
	    minutes > 0 ? fmt_minutes(minutes, hm, sizeof hm) : "default",
	    minutes > 0 ? "/week" : "") == -1)
		goto out;
	r = xcalloc(1, sizeof *r);
	coachd__v1__caps_working_time_result__init(r);
	r->coach = xstrdup(a->coach);
	r->minutes = minutes > 0 ? minutes : p.working_minutes_week;
	r->default_minutes = p.working_minutes_week;
	r->is_default = minutes <= 0;
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_CAPS_WORKING_TIME,
	    &r->base);
	rc = 0;
out:
	caps_policy_free(&p);
	return rc;
}
