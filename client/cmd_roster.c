/*
 * cmd_roster: the roster nouns (school, coach, teacher) with their verbs
 * add, update, list, show, deactivate, plus the connection checks ping
 * and whoami.
 *
 * Every noun is a row of struct rk_kind (operations, columns, how its
 * options fill the record) and one routine per verb serves all three.
 * update fetches the record first and changes only the fields given on
 * the command line, because the server's update replaces every field.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "coachctl.h"
#include "xmalloc.h"

/* ---- shared verbs ------------------------------------------------------ */

static const struct ctl_opt list_opts[] = {
	{ "all", NULL, 0, "include deactivated records" },
	{ "school", "ID", 0, "only this school" },
	{ NULL, NULL, 0, NULL }
};

static int
do_list(struct ctl *ctl, struct ctl_args *a, unsigned op,
    const char *const *cols)
{
	Coachd__V1__Request	req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__ListRequest	lr = COACHD__V1__LIST_REQUEST__INIT;

	lr.include_inactive = ctl_flag(a, "all");
	if (ctl_opt(a, "school") != NULL)
		lr.school = (char *)ctl_opt(a, "school");
	srv_request_set(&req, op, &lr);
	return call_result(ctl, &req, cols);
}

/* Fetch one record by id; on CTL_EX_OK *resp holds it. */
static int
get_one(struct ctl *ctl, unsigned op, const char *id,
    Coachd__V1__Response **resp)
{
	Coachd__V1__Request	req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__IdRequest	ir = COACHD__V1__ID_REQUEST__INIT;

	ir.id = (char *)id;
	srv_request_set(&req, op, &ir);
	return srv_call(ctl->srv, &req, resp);
}

/* Deactivate the record at position 0 with op, and say so. */
static int
do_deactivate(struct ctl *ctl, struct ctl_args *a, unsigned op,
    const char *noun)
{
	char	done[64];

	snprintf(done, sizeof(done), "deactivated %s", noun);
	return call_by_id(ctl, a, op, done);
}

/*
 * Comma/repeat list option into (*n, *v) when given; the vector is kept
 * in *keep for the caller to free.
 */
static void
opt_list(struct ctl_args *a, const char *name, size_t *n, char ***v,
    char ***keep)
{
	if (ctl_opt(a, name) == NULL)
		return;
	*keep = ctl_opt_list(a, name, n);
	*v = *keep;
}

/* ---- one record being added or updated --------------------------------- */

/* What a coach put owns besides the argv strings. */
struct coach_bufs {
	Coachd__V1__Expertise	 *exp;
	Coachd__V1__Expertise	**expp;
	char			**areas;
	char			**interests;
	char			**schools;
};

/* A put of any noun: the record, its wrapper and what they own. */
struct rk_put {
	Coachd__V1__School	 school;
	Coachd__V1__SchoolPut	 school_put;
	Coachd__V1__Coach	 coach;
	Coachd__V1__CoachPut	 coach_put;
	struct coach_bufs	 cb;
	Coachd__V1__Teacher	 teacher;
	Coachd__V1__TeacherPut	 teacher_put;
	char			**subjects;
	char			**grades;
};

/* A noun of the roster and how its options fill a put. */
struct rk_kind {
	const char		*noun;		/* "school", in messages */
	unsigned		 op_add, op_update, op_get, op_list,
				 op_deactivate;
	Coachd__V1__Response__ResultCase result;	/* of op_get */
	const char *const	*cols;		/* for list */
	const char		*required[3];	/* options add needs */
	const char		*required_msg;
	/* Options read before the stored record is fetched; CTL_EX_*. */
	int			(*parse)(struct ctl_args *, struct rk_put *);
	/* Take what the command line left out from the stored record. */
	void			(*merge)(struct rk_put *,
				    const Coachd__V1__Response *,
				    struct ctl_args *);
	/* Options that override the stored record; CTL_EX_*. */
	int			(*finish)(struct ctl_args *, struct rk_put *);
	void			*(*message)(struct rk_put *);
};

/* Whether every option add needs is there. */
static int
rk_has_required(struct ctl_args *a, const struct rk_kind *k)
{
	size_t	i;

	for (i = 0; k->required[i] != NULL; i++) {
		if (ctl_opt(a, k->required[i]) == NULL)
			return 0;
	}
	return 1;
}

/* Add (update 0) or update a record from the command line. */
static int
rk_put(struct ctl *ctl, struct ctl_args *a, const struct rk_kind *k,
    int update)
{
	struct rk_put		 p = {
		.school = COACHD__V1__SCHOOL__INIT,
		.school_put = COACHD__V1__SCHOOL_PUT__INIT,
		.coach = COACHD__V1__COACH__INIT,
		.coach_put = COACHD__V1__COACH_PUT__INIT,
		.teacher = COACHD__V1__TEACHER__INIT,
		.teacher_put = COACHD__V1__TEACHER_PUT__INIT,
	};
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__Response	*old = NULL;
	const char		*id = ctl_opt(a, "id");
	int			 rc;

	p.school.id = p.coach.id = p.teacher.id = (char *)id;
	if (!update && !rk_has_required(a, k))
		return ctl_usage(a, "%s", k->required_msg);
	if (k->parse != NULL && (rc = k->parse(a, &p)) != CTL_EX_OK)
		goto out;
	if (update) {
		if ((rc = get_one(ctl, k->op_get, id, &old)) != CTL_EX_OK)
			goto out;
		if (old->result_case == k->result)
			k->merge(&p, old, a);
	}
	if ((rc = k->finish(a, &p)) != CTL_EX_OK)
		goto out;
	srv_request_set(&req, update ? k->op_update : k->op_add,
	    k->message(&p));
	rc = call_done(ctl, &req, "%s %s %s", update ? "updated" : "added",
	    k->noun, id);
out:
	srv_response_free(old);
	free(p.cb.exp);
	free(p.cb.expp);
	ctl_strv_free(p.cb.areas);
	ctl_strv_free(p.cb.interests);
	ctl_strv_free(p.cb.schools);
	ctl_strv_free(p.subjects);
	ctl_strv_free(p.grades);
	return rc;
}

/*
 * The five verbs of a noun (<kind>_add, _update, _list, _show,
 * _deactivate) over its row rk_<kind>.
 */
#define RK_VERBS(kind)							\
static int								\
kind##_add(struct ctl *ctl, struct ctl_args *a)				\
{									\
	return rk_put(ctl, a, &rk_##kind, 0);				\
}									\
static int								\
kind##_update(struct ctl *ctl, struct ctl_args *a)			\
{									\
	return rk_put(ctl, a, &rk_##kind, 1);				\
}									\
static int								\
kind##_list(struct ctl *ctl, struct ctl_args *a)			\
{									\
	return do_list(ctl, a, rk_##kind.op_list, rk_##kind.cols);	\
}									\
static int								\
kind##_show(struct ctl *ctl, struct ctl_args *a)			\
{									\
	return call_by_id(ctl, a, rk_##kind.op_get, NULL);		\
}									\
static int								\
kind##_deactivate(struct ctl *ctl, struct ctl_args *a)			\
{									\
	return do_deactivate(ctl, a, rk_##kind.op_deactivate,		\
	    rk_##kind.noun);						\
}

/* ---- school ------------------------------------------------------------ */

static const char *const school_cols[] = { "id", "name", "kind", "active",
    "source_id=SOURCE", NULL };

static const struct ctl_opt school_put_opts[] = {
	{ "id", "ID", CTL_OPT_REQUIRED, "school id, e.g. lincoln-es" },
	{ "name", "NAME", 0, "display name" },
	{ "kind", "KIND", 0, "elementary, middle, high or other" },
	{ NULL, NULL, 0, NULL }
};

static void
school_merge(struct rk_put *p, const Coachd__V1__Response *old,
    struct ctl_args *a)
{
	(void)a;
	p->school = *old->school;
}

static int
school_finish(struct ctl_args *a, struct rk_put *p)
{
	ctl_opt_str(a, "name", &p->school.name);
	ctl_opt_str(a, "kind", &p->school.kind);
	return CTL_EX_OK;
}

static void *
school_message(struct rk_put *p)
{
	p->school_put.school = &p->school;
	return &p->school_put;
}

static const struct rk_kind rk_school = {
	"school", COACHD__V1__REQUEST__OP_SCHOOL_ADD,
	COACHD__V1__REQUEST__OP_SCHOOL_UPDATE,
	COACHD__V1__REQUEST__OP_SCHOOL_GET,
	COACHD__V1__REQUEST__OP_SCHOOL_LIST,
	COACHD__V1__REQUEST__OP_SCHOOL_DEACTIVATE,
	COACHD__V1__RESPONSE__RESULT_SCHOOL, school_cols,
	{ "name", NULL, NULL }, "--name is required",
	NULL, school_merge, school_finish, school_message
};

RK_VERBS(school)

const struct ctl_cmd cmd_school[] = {
	{ .name = "add", .summary = "add a school", .opts = school_put_opts,
	  .fn = school_add },
	{ .name = "update", .summary = "change a school's name or kind",
	  .opts = school_put_opts, .fn = school_update },
	{ .name = "list", .summary = "list schools", .opts = list_opts,
	  .fn = school_list },
	{ .name = "show", .summary = "show one school", .usage = "ID",
	  .minpos = 1, .maxpos = 1, .fn = school_show },
	{ .name = "deactivate", .summary = "deactivate a school (kept for"
	  " history)", .usage = "ID", .minpos = 1, .maxpos = 1,
	  .fn = school_deactivate },
	{ .name = NULL }
};

/* ---- coach --------------------------------------------------------------- */

static const char *const coach_cols[] = { "id", "name", "expertise",
    "interests", ">active_teachers=LOAD", ">caseload_cap=CAP", "schools",
    "active", NULL };

static const struct ctl_opt coach_put_opts[] = {
	{ "id", "ID", CTL_OPT_REQUIRED, "coach id" },
	{ "name", "NAME", 0, "full name" },
	{ "email", "EMAIL", 0, "e-mail address" },
	{ "expertise", "AREA:LEVEL,...", CTL_OPT_MULTI,
	  "expertise areas with level 1-3, e.g. math:3,literacy:1" },
	{ "interest", "TOPIC,...", CTL_OPT_MULTI, "topics of interest" },
	{ "cap", "N", 0, "caseload cap (teachers)" },
	{ "school", "ID,...", CTL_OPT_MULTI, "schools served" },
	{ NULL, NULL, 0, NULL }
};

/* --expertise math:3,literacy:1 into c; CTL_EX_OK or a usage error. */
static int
coach_expertise(struct ctl_args *a, Coachd__V1__Coach *c,
    struct coach_bufs *b)
{
	Coachd__V1__Expertise	 init = COACHD__V1__EXPERTISE__INIT;
	char			*colon, *end;
	size_t			 n, i;
	long			 lvl;

	if (ctl_opt(a, "expertise") == NULL)
		return CTL_EX_OK;
	b->areas = ctl_opt_list(a, "expertise", &n);
	b->exp = xcalloc(n + 1, sizeof(*b->exp));
	b->expp = xcalloc(n + 1, sizeof(*b->expp));
	for (i = 0; i < n; i++) {
		colon = strchr(b->areas[i], ':');
		if (colon == NULL || colon == b->areas[i])
			return ctl_usage(a, "--expertise: expected AREA:LEVEL,"
			    " not '%s'", b->areas[i]);
		*colon = '\0';
		lvl = strtol(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || lvl < 1 || lvl > 3)
			return ctl_usage(a, "--expertise %s: level must be 1,"
			    " 2 or 3", b->areas[i]);
		b->exp[i] = init;
		b->exp[i].area = b->areas[i];
		b->exp[i].level = (uint32_t)lvl;
		b->expp[i] = &b->exp[i];
	}
	c->n_expertise = n;
	c->expertise = b->expp;
	return CTL_EX_OK;
}

/* --cap, --expertise, --interest and --school. */
static int
coach_parse(struct ctl_args *a, struct rk_put *p)
{
	Coachd__V1__Coach	*c = &p->coach;
	int			 rc;

	if (ctl_opt_uint(a, "cap", 1000, &c->caseload_cap) == -1)
		return CTL_EX_USAGE;
	if ((rc = coach_expertise(a, c, &p->cb)) != CTL_EX_OK)
		return rc;
	opt_list(a, "interest", &c->n_interests, &c->interests,
	    &p->cb.interests);
	opt_list(a, "school", &c->n_schools, &c->schools, &p->cb.schools);
	return CTL_EX_OK;
}

static void
coach_merge(struct rk_put *p, const Coachd__V1__Response *resp,
    struct ctl_args *a)
{
	Coachd__V1__Coach	*c = &p->coach;
	const Coachd__V1__Coach	*old = resp->coach;

	c->name = old->name;
	c->email = old->email;
	if (ctl_opt(a, "expertise") == NULL) {
		c->n_expertise = old->n_expertise;
		c->expertise = old->expertise;
	}
	if (ctl_opt(a, "interest") == NULL) {
		c->n_interests = old->n_interests;
		c->interests = old->interests;
	}
	if (ctl_opt(a, "school") == NULL) {
		c->n_schools = old->n_schools;
		c->schools = old->schools;
	}
	if (ctl_opt(a, "cap") == NULL)
		c->caseload_cap = old->caseload_cap;
}

static int
coach_finish(struct ctl_args *a, struct rk_put *p)
{
	ctl_opt_str(a, "name", &p->coach.name);
	ctl_opt_str(a, "email", &p->coach.email);
	return CTL_EX_OK;
}

static void *
coach_message(struct rk_put *p)
{
	p->coach_put.coach = &p->coach;
	return &p->coach_put;
}

static const struct rk_kind rk_coach = {
	"coach", COACHD__V1__REQUEST__OP_COACH_ADD,
	COACHD__V1__REQUEST__OP_COACH_UPDATE,
	COACHD__V1__REQUEST__OP_COACH_GET,
	COACHD__V1__REQUEST__OP_COACH_LIST,
	COACHD__V1__REQUEST__OP_COACH_DEACTIVATE,
	COACHD__V1__RESPONSE__RESULT_COACH, coach_cols,
	{ "name", NULL, NULL }, "--name is required",
	coach_parse, coach_merge, coach_finish, coach_message
};

RK_VERBS(coach)

const struct ctl_cmd cmd_coach[] = {
	{ .name = "add", .summary = "add a coach", .opts = coach_put_opts,
	  .fn = coach_add, .help = "example: coachctl coach add --id c1"
	  " --name \"Ana Ruiz\" --email ana@example.org\n"
	  "  --expertise math:3,literacy:1 --interest math-discourse"
	  " --cap 12 --school lincoln-es" },
	{ .name = "update", .summary = "change the fields given, keep the"
	  " rest", .opts = coach_put_opts, .fn = coach_update },
	{ .name = "list", .summary = "list coaches with their caseload",
	  .opts = list_opts, .fn = coach_list },
	{ .name = "show", .summary = "show one coach", .usage = "ID",
	  .minpos = 1, .maxpos = 1, .fn = coach_show },
	{ .name = "deactivate", .summary = "deactivate a coach",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .fn = coach_deactivate },
	{ .name = NULL }
};

/* ---- teacher ------------------------------------------------------------- */

static const char *const teacher_cols[] = { "id", "name", "school",
    "subjects", "grades", "new_teacher=NEW", "active", NULL };

static const struct ctl_opt teacher_put_opts[] = {
	{ "id", "ID", CTL_OPT_REQUIRED, "teacher id" },
	{ "name", "NAME", 0, "full name" },
	{ "email", "EMAIL", 0, "e-mail address" },
	{ "school", "ID", 0, "school id" },
	{ "subject", "SUBJECT,...", CTL_OPT_MULTI, "subjects taught" },
	{ "grade", "GRADE,...", CTL_OPT_MULTI, "grade levels taught" },
	{ "new-teacher", "yes|no", 0, "first or second year: questions go"
	  " first" },
	{ NULL, NULL, 0, NULL }
};

/* --subject and --grade. */
static int
teacher_parse(struct ctl_args *a, struct rk_put *p)
{
	Coachd__V1__Teacher	*t = &p->teacher;

	opt_list(a, "subject", &t->n_subjects, &t->subjects, &p->subjects);
	opt_list(a, "grade", &t->n_grades, &t->grades, &p->grades);
	return CTL_EX_OK;
}

static void
teacher_merge(struct rk_put *p, const Coachd__V1__Response *resp,
    struct ctl_args *a)
{
	Coachd__V1__Teacher		*t = &p->teacher;
	const Coachd__V1__Teacher	*old = resp->teacher;

	t->name = old->name;
	t->email = old->email;
	t->school = old->school;
	t->source_id = old->source_id;
	t->new_teacher = old->new_teacher;
	if (ctl_opt(a, "subject") == NULL) {
		t->n_subjects = old->n_subjects;
		t->subjects = old->subjects;
	}
	if (ctl_opt(a, "grade") == NULL) {
		t->n_grades = old->n_grades;
		t->grades = old->grades;
	}
}

/* --name, --email, --school and --new-teacher yes|no. */
static int
teacher_finish(struct ctl_args *a, struct rk_put *p)
{
	Coachd__V1__Teacher	*t = &p->teacher;
	const char		*nt = ctl_opt(a, "new-teacher");

	ctl_opt_str(a, "name", &t->name);
	ctl_opt_str(a, "email", &t->email);
	ctl_opt_str(a, "school", &t->school);
	if (nt == NULL)
		return CTL_EX_OK;
	if (strcmp(nt, "yes") != 0 && strcmp(nt, "no") != 0)
		return ctl_usage(a, "--new-teacher: want yes or no, not '%s'",
		    nt);
	t->new_teacher = strcmp(nt, "yes") == 0;
	return CTL_EX_OK;
}

static void *
teacher_message(struct rk_put *p)
{
	p->teacher_put.teacher = &p->teacher;
	return &p->teacher_put;
}

static const struct rk_kind rk_teacher = {
	"teacher", COACHD__V1__REQUEST__OP_TEACHER_ADD,
	COACHD__V1__REQUEST__OP_TEACHER_UPDATE,
	COACHD__V1__REQUEST__OP_TEACHER_GET,
	COACHD__V1__REQUEST__OP_TEACHER_LIST,
	COACHD__V1__REQUEST__OP_TEACHER_DEACTIVATE,
	COACHD__V1__RESPONSE__RESULT_TEACHER, teacher_cols,
	{ "name", "school", NULL }, "--name and --school are required",
	teacher_parse, teacher_merge, teacher_finish, teacher_message
};

RK_VERBS(teacher)

const struct ctl_cmd cmd_teacher[] = {
	{ .name = "add", .summary = "add a teacher", .opts = teacher_put_opts,
	  .fn = teacher_add, .help = "example: coachctl teacher add --id t1"
	  " --name \"Bo Chen\" --school lincoln-hs --subject Biology"
	  " --grade 9" },
	{ .name = "update", .summary = "change the fields given, keep the"
	  " rest", .opts = teacher_put_opts, .fn = teacher_update },
	{ .name = "list", .summary = "list teachers", .opts = list_opts,
	  .fn = teacher_list },
	{ .name = "show", .summary = "show one teacher", .usage = "ID",
	  .minpos = 1, .maxpos = 1, .fn = teacher_show },
	{ .name = "deactivate", .summary = "deactivate a teacher",
	  .usage = "ID", .minpos = 1, .maxpos = 1,
	  .fn = teacher_deactivate },
	{ .name = NULL }
};

/* ---- ping, whoami ------------------------------------------------------- */

static const struct ctl_opt ping_opts[] = {
	{ "count", "N", 0, "send N pings pipelined on one connection" },
	{ NULL, NULL, 0, NULL }
};

/* Send n pings back to back (pipelined); CTL_EX_* with errors printed. */
static int
ping_many(struct ctl *ctl, uint32_t n)
{
	Coachd__V1__Empty	  e = COACHD__V1__EMPTY__INIT;
	Coachd__V1__Request	 *reqs, **rp;
	Coachd__V1__Response	**resps;
	uint32_t		  i;
	int			  rc;

	reqs = xcalloc(n, sizeof(*reqs));
	rp = xcalloc(n, sizeof(*rp));
	resps = xcalloc(n, sizeof(*resps));
	for (i = 0; i < n; i++) {
		coachd__v1__request__init(&reqs[i]);
		srv_request_set(&reqs[i], COACHD__V1__REQUEST__OP_PING, &e);
		rp[i] = &reqs[i];
	}
	if ((rc = srv_call_many(ctl->srv, rp, n, resps)) != CTL_EX_OK)
		goto out;
	for (i = 0; i < n && rc == CTL_EX_OK; i++)
		rc = srv_report(resps[i]);
	for (i = 0; i < n; i++)
		srv_response_free(resps[i]);
out:
	free(resps);
	free(rp);
	free(reqs);
	return rc;
}

static int
ping(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__Empty		 e = COACHD__V1__EMPTY__INIT;
	Coachd__V1__Response		*resp;
	const Coachd__V1__HelloResult	*h;
	struct timespec			 t0, t1;
	json_t				*j;
	uint32_t			 count = 1;
	double				 ms;
	int				 rc;

	if (ctl_opt_uint(a, "count", 1000000, &count) == -1)
		return CTL_EX_USAGE;
	if (count == 0)
		return ctl_usage(a, "--count must be at least 1");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_PING, &e);
	/* Connect first so that the time is round trips, not a handshake. */
	if ((rc = srv_call(ctl->srv, &req, &resp)) != CTL_EX_OK)
		return rc;
	srv_response_free(resp);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (count == 1)
		rc = srv_call(ctl->srv, &req, &resp);
	else
		rc = ping_many(ctl, count);
	if (rc != CTL_EX_OK)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (count == 1)
		srv_response_free(resp);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	h = srv_hello(ctl->srv);
	if (ctl->json) {
		j = json_pack("{s:s, s:i, s:i, s:f}", "server",
		    h != NULL && h->server != NULL ? h->server : "",
		    "protocol_version",
		    h != NULL ? (int)h->protocol_version : 0, "count",
		    (int)count, "total_ms", ms);
		if (j == NULL || json_dumpf(j, stdout, JSON_INDENT(2) |
		    JSON_REAL_PRECISION(6)) == -1)
			rc = CTL_EX_SOFTWARE;
		else
			printf("\n");
		json_decref(j);
		return rc;
	}
	if (count == 1)
		printf("pong from %s in %.2f ms\n", h != NULL &&
		    h->server != NULL ? h->server : "server", ms);
	else
		printf("%lu pongs from %s in %.2f ms (%.3f ms each,"
		    " pipelined)\n", (unsigned long)count, h != NULL &&
		    h->server != NULL ? h->server : "server", ms,
		    ms / count);
	return CTL_EX_OK;
}

static int
whoami(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__Empty	e = COACHD__V1__EMPTY__INIT;

	(void)a;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_WHOAMI, &e);
	return call_result(ctl, &req, NULL);
}

const struct ctl_cmd cmd_ping[] = {
	{ .name = "", .summary = "check that the server answers and time"
	  " the round trip", .opts = ping_opts, .fn = ping },
	{ .name = NULL }
};

const struct ctl_cmd cmd_whoami[] = {
	{ .name = "", .summary = "show the user and role the server sees",
	  .fn = whoami },
	{ .name = NULL }
};
