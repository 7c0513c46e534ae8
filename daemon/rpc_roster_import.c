/*
 * rpc_roster_import.c: the roster import.  The files come uploaded in
 * the request or, with server_path, from a folder on the server inside
 * the [import] dir (any size: nothing goes through the frame limit, and
 * roster_load_dir() reads the big files in parts).
 *
 * Either way the work is deferred (rpc.h): it runs on a worker thread
 * with its own SQLite connection, in one transaction (all or nothing,
 * as before), while the event loop goes on answering everyone else from
 * the last committed state.  The handler itself only checks the request
 * and copies what the thread needs.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "change.h"
#include "config.h"
#include "errmsg.h"
#include "roster.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

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

/* What the worker thread needs; owned by the job, freed on the loop. */
struct rr_job {
	char		 db_path[PATH_MAX];
	char		*dir;		/* server folder (resolved), or NULL */
	struct {
		char	*name;
		char	*data;
		size_t	 len;
	}		 files[RR_NFILES];	/* uploads, by rr_files index */
	int		 dry_run;
	int		 deactivate_missing;
	atomic_int	 cancel;
	atomic_int	 phase;		/* index into rr_phases */
};

/* What the job is doing, for Progress replies. */
static const char *const rr_phases[] = { "reading files", "writing",
    "committing", "rolling back" };
enum { RR_READING, RR_WRITING, RR_COMMITTING, RR_ROLLING_BACK };

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

/* Whether resolved path p is root or inside it. */
static int
rr_inside(const char *p, const char *root)
{
	size_t	n = strlen(root);

	if (n == 1 && root[0] == '/')
		return 1;
	return strncmp(p, root, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/*
 * Every file of the folder the loader may open must resolve inside root:
 * a symbolic link out of the import folder is refused, not followed.
 */
static int
rr_check_files(const char *dir, const char *root, Coachd__V1__Response *resp)
{
	static const char *const extra[] = { "bells.csv", "questions.csv" };
	char		 path[PATH_MAX + 64], real[PATH_MAX];
	const char	*name;
	size_t		 k;

	for (k = 0; k < RR_NFILES + 2; k++) {
		name = k < RR_NFILES ? rr_files[k].name : extra[k - RR_NFILES];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (realpath(path, real) == NULL)
			continue;	/* absent: the loader says if required */
		if (!rr_inside(real, root))
			return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
			    "%s: leads outside the import folder %s (to %s)",
			    path, root, real);
	}
	return 0;
}

/* Resolve a server_path inside the [import] dir into *out. */
static int
rr_server_dir(const struct coachd_config *conf, const char *want,
    char **out, Coachd__V1__Response *resp)
{
	char		 root[PATH_MAX], real[PATH_MAX], path[2 * PATH_MAX];
	struct stat	 st;

	if (conf->import_dir[0] == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "%s: imports from the server's disk are off (set [import] "
		    "dir in the server's configuration)", want);
	if (realpath(conf->import_dir, root) == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "[import] dir %s: %s", conf->import_dir, strerror(errno));
	if (want[0] == '/')
		snprintf(path, sizeof path, "%s", want);
	else
		snprintf(path, sizeof path, "%s/%s", root, want);
	if (realpath(path, real) == NULL)
		return rpc_fail(resp, errno == ENOENT ?
		    COACHD__V1__STATUS__NOT_FOUND :
		    COACHD__V1__STATUS__BAD_REQUEST, "%s: %s", path,
		    strerror(errno));
	if (!rr_inside(real, root))
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "%s: outside the import folder %s", path, root);
	if (stat(real, &st) == -1 || !S_ISDIR(st.st_mode))
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "%s: not a folder", path);
	if (rr_check_files(real, root, resp) == -1)
		return -1;
	*out = xstrdup(real);
	return 0;
}

/* ---- on the worker thread ------------------------------------------------ */

/* SQLite's progress handler: non-zero interrupts the running statement. */
static int
rr_job_interrupted(void *arg)
{
	struct rr_job	*j = arg;

	return atomic_load(&j->cancel);
}

/* Parse the uploads into r (initialised), in order. */
static int
rr_parse_uploads(struct rr_job *j, struct roster *r, char *err,
    size_t errlen)
{
	size_t	k;

	for (k = 0; k < RR_NFILES; k++) {
		if (j->files[k].name == NULL)
			continue;
		if (rr_files[k].parse(r, j->files[k].data, j->files[k].len,
		    j->files[k].name, err, errlen) == -1)
			return -1;
	}
	return roster_finish(r, err, errlen);
}

/* Read the roster (folder or uploads); -1 with err on a bad file. */
static int
rr_job_parse(struct rr_job *j, struct roster *r, int *inited, char *err,
    size_t errlen)
{
	if (j->dir != NULL) {
		if (roster_load_dir_until(j->dir, &j->cancel, r, err,
		    errlen) == -1)
			return -1;
		*inited = 1;
		return 0;
	}
	if (roster_init(r, err, errlen) == -1)
		return -1;
	*inited = 1;
	return rr_parse_uploads(j, r, err, errlen);
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

/* Write r in one transaction of st; fills resp and the change set. */
static void
rr_job_write(struct rr_job *j, struct store *st, const struct roster *r,
    Coachd__V1__Response *resp, struct change_set *changes)
{
	Coachd__V1__ImportResult	*res = NULL;
	enum store_status		 ret;
	char				 err[ERRMSG_LEN];

	if (store_begin(st, err, sizeof err) != STORE_OK) {
		rpc_fail(resp, COACHD__V1__STATUS__UNAVAILABLE, "cannot start "
		    "the import (%s); nothing was changed, retry", err);
		return;
	}
	ret = store_import(st, r, &res, err, sizeof err);
	if (ret == STORE_OK && j->deactivate_missing)
		ret = store_import_deactivate_missing(st, r, res, err,
		    sizeof err);
	if (ret == STORE_OK && atomic_load(&j->cancel)) {
		ret = STORE_ERROR;
		snprintf(err, sizeof err, "cancelled");
	}
	atomic_store(&j->phase, ret != STORE_OK || j->dry_run ?
	    RR_ROLLING_BACK : RR_COMMITTING);
	if (ret != STORE_OK || j->dry_run)
		store_rollback(st);
	else if (store_commit(st, err, sizeof err) != STORE_OK) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "could not "
		    "commit, nothing was changed: %s", err);
		goto out;
	}
	if (ret != STORE_OK) {
		/* Anything but a storage failure is a problem in the files. */
		rpc_fail_store(resp, ret == STORE_ERROR ? STORE_ERROR :
		    STORE_INVALID, err);
		goto out;
	}
	if (!j->dry_run && rr_import_updated(res))
		change_touch_all(changes);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_IMPORT, &res->base);
	res = NULL;
out:
	if (res != NULL)
		protobuf_c_message_free_unpacked(&res->base, NULL);
}

/* The deferred work: its own connection, parse, write. */
static void
rr_job_run(void *arg, Coachd__V1__Response *resp, struct change_set *changes)
{
	struct rr_job	*j = arg;
	struct store	*st = NULL;
	struct roster	 r;
	char		 err[ERRMSG_LEN];
	int		 inited = 0;

	memset(&r, 0, sizeof r);
	if (rr_job_parse(j, &r, &inited, err, sizeof err) == -1) {
		if (!atomic_load(&j->cancel))
			rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
			    err);
		goto out;
	}
	if (atomic_load(&j->cancel))
		goto out;
	if (store_open(j->db_path, &st, err, sizeof err) != STORE_OK) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
		goto out;
	}
	sqlite3_progress_handler(store_db(st), 10000, rr_job_interrupted, j);
	atomic_store(&j->phase, RR_WRITING);
	rr_job_write(j, st, &r, resp, changes);
out:
	if (atomic_load(&j->cancel) && resp->status == COACHD__V1__STATUS__OK &&
	    resp->result_case == COACHD__V1__RESPONSE__RESULT__NOT_SET)
		rpc_fail(resp, COACHD__V1__STATUS__UNAVAILABLE, "the import "
		    "was cancelled; nothing was changed");
	store_close(st);
	if (inited)
		roster_free(&r);
}

static const char *
rr_job_phase(void *arg)
{
	struct rr_job	*j = arg;

	return rr_phases[atomic_load(&j->phase)];
}

static void
rr_job_cancel(void *arg)
{
	struct rr_job	*j = arg;

	atomic_store(&j->cancel, 1);
}

static void
rr_job_free(void *arg)
{
	struct rr_job	*j = arg;
	size_t		 k;

	for (k = 0; k < RR_NFILES; k++) {
		free(j->files[k].name);
		free(j->files[k].data);
	}
	free(j->dir);
	free(j);
}

/* ---- the handler, on the loop -------------------------------------------- */

/* Copy the uploads the job will parse. */
static int
rr_job_uploads(struct rr_job *j, const Coachd__V1__RosterImport *ri,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__ImportFile	*found[RR_NFILES] = { NULL };
	size_t				 k;

	if (rr_match_files(ri, found, resp) == -1)
		return -1;
	for (k = 0; k < RR_NFILES; k++) {
		if (found[k] == NULL)
			continue;
		j->files[k].name = xstrdup(rr_basename(found[k]->name));
		j->files[k].len = found[k]->content.len;
		j->files[k].data = xmalloc(j->files[k].len + 1);
		if (j->files[k].len > 0)
			memcpy(j->files[k].data, found[k]->content.data,
			    j->files[k].len);
	}
	return 0;
}

int
rpc_roster_import(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__RosterImport	*ri = req->roster_import;
	struct rr_job			*j;
	int				 server;

	server = ri->server_path != NULL && ri->server_path[0] != '\0';
	if (server && ri->n_files > 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "roster_import: files or server_path, not both");
	if (!server && ri->n_files == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "roster_import: no files");
	if (ctx->defer == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__UNSUPPORTED,
		    "roster_import: cannot run here");
	j = xcalloc(1, sizeof *j);
	j->dry_run = ri->dry_run;
	j->deactivate_missing = ri->deactivate_missing;
	atomic_init(&j->cancel, 0);
	atomic_init(&j->phase, RR_READING);
	if (strlen(ctx->conf->db_path) >= sizeof j->db_path ||
	    (server ? rr_server_dir(ctx->conf, ri->server_path, &j->dir,
	    resp) : rr_job_uploads(j, ri, resp)) == -1) {
		if (resp->status == COACHD__V1__STATUS__OK)
			rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
			    "database path too long");
		rr_job_free(j);
		return -1;
	}
	strcpy(j->db_path, ctx->conf->db_path);
	ctx->defer->run = rr_job_run;
	ctx->defer->cancel = rr_job_cancel;
	ctx->defer->free = rr_job_free;
	ctx->defer->phase = ri->progress ? rr_job_phase : NULL;
	ctx->defer->arg = j;
	return 0;
}
