/*
 * cmd_admin: administrator commands.  Tokens (create, revoke, list) and
 * the upload of a OneRoster 1.1 CSV folder for a roster import.
 *
 * Other areas add their admin verbs (assign, schedule, caps) with one
 * line each in cmd_admin[] below, pointing at a table or handler in
 * their own cmd_<area>.c.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coachctl.h"
#include "cmd_enrol.h"
#include "errmsg.h"
#include "file.h"
#include "frame.h"
#include "xmalloc.h"

/* Upper bound for one uploaded file; a district roster is far smaller. */
#define IMPORT_FILE_MAX		((size_t)32 * 1024 * 1024)

/* ---- tokens ------------------------------------------------------------- */

static const struct ctl_opt token_create_opts[] = {
	{ "role", "ROLE", CTL_OPT_REQUIRED, "admin, coach or teacher" },
	{ "user", "ID", CTL_OPT_REQUIRED,
	  "coach or teacher id (any new name for an admin)" },
	{ "label", "TEXT", 0, "where the token is used, e.g. laptop" },
	{ NULL, NULL, 0, NULL }
};

static int
token_create(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__TokenCreate	 tc = COACHD__V1__TOKEN_CREATE__INIT;
	Coachd__V1__Response	*resp;
	const Coachd__V1__TokenCreated *t;
	int			 rc;

	tc.role = frame_role_parse(ctl_opt(a, "role"));
	if (tc.role == COACHD__V1__ROLE__ROLE_UNSPECIFIED)
		return ctl_usage(a, "--role: expected admin, coach or"
		    " teacher, not '%s'", ctl_opt(a, "role"));
	tc.user = (char *)ctl_opt(a, "user");
	ctl_opt_str(a, "label", &tc.label);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_TOKEN_CREATE, &tc);
	if ((rc = call_reply(ctl, &req, 0, &resp)) != CTL_EX_OK ||
	    resp == NULL)
		return rc;
	if (resp->result_case != COACHD__V1__RESPONSE__RESULT_TOKEN_CREATED) {
		fprintf(stderr, "coachctl: server sent no token\n");
		srv_response_free(resp);
		return CTL_EX_SOFTWARE;
	}
	t = resp->token_created;
	printf("token: %s\nid:    %s\n", t->token,
	    t->info != NULL ? t->info->id : "");
	fprintf(stderr, "Store the token now: it is not shown again. Revoke it"
	    " with `coachctl admin token revoke ID`.\n");
	if (tc.role != COACHD__V1__ROLE__ADMIN)
		fprintf(stderr, "It does not read confidential notes: for that,"
		    " give %s an enrolment code\n(`coachctl admin enrol --user"
		    " %s`) to redeem for a token of their own.\n", tc.user,
		    tc.user);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static int
token_revoke(struct ctl *ctl, struct ctl_args *a)
{
	return call_by_id(ctl, a, COACHD__V1__REQUEST__OP_TOKEN_REVOKE,
	    "revoked token");
}

static const struct ctl_opt token_list_opts[] = {
	{ "all", NULL, 0, "include revoked tokens" },
	{ NULL, NULL, 0, NULL }
};

static int
token_list(struct ctl *ctl, struct ctl_args *a)
{
	static const char *const hdr[] = { "ID", "ROLE", "USER", "LABEL",
	    "CREATED", "CREATED BY", "NOTES", "REVOKED", NULL };
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__ListRequest	 lr = COACHD__V1__LIST_REQUEST__INIT;
	Coachd__V1__Response	*resp;
	Coachd__V1__TokenInfo	*ti;
	struct out_table	*t;
	struct tm		 tm;
	time_t			 when;
	char			 created[32];
	size_t			 i;
	int			 rc;

	lr.include_inactive = ctl_flag(a, "all");
	srv_request_set(&req, COACHD__V1__REQUEST__OP_TOKEN_LIST, &lr);
	if ((rc = call_reply(ctl, &req, COACHD__V1__RESPONSE__RESULT_TOKENS,
	    &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	/* A custom table only to show creation times as dates. */
	t = out_table_new(hdr);
	for (i = 0; i < resp->tokens->n_tokens; i++) {
		ti = resp->tokens->tokens[i];
		when = (time_t)ti->created;
		if (gmtime_r(&when, &tm) == NULL ||
		    strftime(created, sizeof(created), "%Y-%m-%d %H:%MZ",
		    &tm) == 0)
			snprintf(created, sizeof(created), "%lld",
			    (long long)ti->created);
		out_table_add(t, ti->id, frame_role_name(ti->role), ti->user,
		    ti->label, created, ti->created_by,
		    ti->note_rights ? "yes" : "no", ti->revoked ? "yes" : "no");
	}
	if (out_table_print(t, stdout) == -1) {
		fprintf(stderr, "coachctl: cannot print the result\n");
		rc = CTL_EX_SOFTWARE;
	}
	out_table_free(t);
	srv_response_free(resp);
	return rc;
}

static const struct ctl_cmd admin_token[] = {
	{ .name = "create", .summary = "issue a token (printed once)",
	  .opts = token_create_opts, .fn = token_create },
	{ .name = "revoke", .summary = "revoke a token by its id",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .fn = token_revoke },
	{ .name = "list", .summary = "list issued tokens (never the secrets)",
	  .opts = token_list_opts, .fn = token_list },
	{ .name = NULL }
};

/* ---- roster import ----------------------------------------------------- */

/*
 * The files of an import folder the server knows (daemon/rpc_roster.c),
 * in the order it parses them; alt is an accepted second name.  Other
 * files in the folder are not sent: the server would refuse them.
 */
static const struct {
	const char	*name;
	const char	*alt;
	int		 required;
} import_files[] = {
	{ "orgs.csv", NULL, 1 },
	{ "academicSessions.csv", NULL, 0 },
	{ "courses.csv", NULL, 0 },
	{ "bell_schedules.csv", "bells.csv", 0 },
	{ "users.csv", NULL, 1 },
	{ "classes.csv", NULL, 1 },
	{ "enrollments.csv", NULL, 1 },
	{ "timetable.csv", NULL, 0 },
	{ "coaches.csv", NULL, 0 },
};
#define NIMPORT	(sizeof(import_files) / sizeof(import_files[0]))

/*
 * Read dir/name into b.  Returns 1 read, 0 absent (optional file), or
 * -1 with err filled.
 */
static int
read_import_file(const char *dir, const char *name, int required,
    ProtobufCBinaryData *b, char *err, size_t errlen)
{
	char	*path;
	FILE	*f;
	int	 rc = -1;

	path = xasprintf("%s/%s", dir, name);
	/* Opened here, not by file_read(): a missing optional file is fine. */
	if ((f = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT && !required)
			rc = 0;
		else
			errmsg(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	b->data = (uint8_t *)file_read_stream(f, path, IMPORT_FILE_MAX,
	    &b->len, err, errlen);
	fclose(f);
	if (b->data != NULL)
		rc = 1;
out:
	free(path);
	return rc;
}

static const char *const import_cols[] = { "kind", ">added", ">updated",
    ">unchanged", ">deactivated", NULL };

static const struct ctl_opt import_opts[] = {
	{ "dry-run", NULL, 0, "check everything, change nothing" },
	{ "deactivate-missing", NULL, 0, "deactivate imported schools and"
	  " teachers not listed" },
	{ "server-path", "DIR", 0, "import the folder DIR on the server"
	  " (inside its [import] dir) instead of uploading" },
	{ NULL, NULL, 0, NULL }
};

/* Name what a --deactivate-missing import took out of service. */
static void
import_print_gone(const Coachd__V1__Response *resp)
{
	const Coachd__V1__ImportResult	*res = resp->import;
	size_t				 i;

	if (res == NULL)
		return;
	for (i = 0; i < res->n_deactivated; i++)
		printf("deactivated (not in this roster): %s\n",
		    res->deactivated[i]);
}

static int
roster_import(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__RosterImport ri = COACHD__V1__ROSTER_IMPORT__INIT;
	Coachd__V1__ImportFile	 files[NIMPORT], *fp[NIMPORT];
	Coachd__V1__Response	*resp;
	const char		*dir = ctl_pos(a, 0), *name;
	const char		*server = ctl_opt(a, "server-path");
	char			 err[ERRMSG_LEN];
	size_t			 i, n = 0;
	int			 r, rc = CTL_EX_NOTFOUND;

	if ((server == NULL) == (ctl_npos(a) == 0))
		return ctl_usage(a, "give a local DIR or --server-path DIR");
	for (i = 0; server == NULL && i < NIMPORT; i++) {
		coachd__v1__import_file__init(&files[n]);
		name = import_files[i].name;
		r = read_import_file(dir, name, import_files[i].required,
		    &files[n].content, err, sizeof(err));
		if (r == 0 && import_files[i].alt != NULL) {
			name = import_files[i].alt;
			r = read_import_file(dir, name, 0, &files[n].content,
			    err, sizeof(err));
		}
		if (r == -1) {
			fprintf(stderr, "coachctl: %s\n", err);
			if (strstr(err, "larger than") != NULL)
				fprintf(stderr, "coachctl: a district this big "
				    "imports from the server's disk: see "
				    "--server-path\n");
			goto out;
		}
		if (r == 0)
			continue;
		files[n].name = (char *)name;
		fp[n] = &files[n];
		n++;
	}
	ri.n_files = n;
	ri.files = fp;
	ri.dry_run = ctl_flag(a, "dry-run");
	ri.deactivate_missing = ctl_flag(a, "deactivate-missing");
	ri.server_path = (char *)(server != NULL ? server : "");
	ri.progress = 1;	/* so a long import never times out */
	srv_request_set(&req, COACHD__V1__REQUEST__OP_ROSTER_IMPORT, &ri);
	if ((rc = srv_call(ctl->srv, &req, &resp)) != CTL_EX_OK)
		goto out;
	rc = out_result(ctl, resp, import_cols);
	if (rc == CTL_EX_OK && !ctl->json)
		import_print_gone(resp);
	if (rc == CTL_EX_OK && !ctl->json && ri.dry_run)
		printf("dry run: nothing was changed\n");
	srv_response_free(resp);
out:
	for (i = 0; i < n; i++)
		free(files[i].content.data);
	return rc;
}

extern const struct ctl_cmd cmd_admin_assign[];	/* cmd_assign.c */

extern const struct ctl_cmd cmd_admin_caps[];	/* cmd_caps.c */
extern const struct ctl_cmd cmd_admin_schedule[];	/* cmd_schedule.c */
extern const struct ctl_cmd cmd_admin_calendar[];	/* cmd_calendar.c */

const struct ctl_cmd cmd_admin[] = {
	{ .name = "token", .summary = "issue, revoke and list access tokens",
	  .sub = admin_token },
	{ .name = "enrol", .summary = "issue a one-time enrolment code for a"
	  " coach or teacher", .opts = admin_enrol_opts, .fn = admin_enrol,
	  .help = "The person redeems it with `coachctl enrol CODE` for a token"
	  " of their own,\nthe only kind that reads confidential notes; you"
	  " never see that token." },
	{ .name = "enrolments", .summary = "list enrolment codes (never the"
	  " codes)", .fn = admin_enrol_list },
	{ .name = "enrol-revoke", .summary = "revoke an unused enrolment code",
	  .usage = "ID", .minpos = 1, .maxpos = 1, .fn = admin_enrol_revoke },
	{ .name = "import", .summary = "import a OneRoster 1.1 CSV folder"
	  " (all or nothing)", .usage = "DIR | --server-path DIR",
	  .minpos = 0, .maxpos = 1,
	  .opts = import_opts, .fn = roster_import,
	  .help = "Uploads orgs.csv, users.csv, classes.csv and enrollments.csv"
	  " (required)\nand, when present, academicSessions.csv, courses.csv,"
	  " bell_schedules.csv\n(or bells.csv), timetable.csv and coaches.csv."
	  "  Any bad row aborts the\nwhole import with file:line: reason;"
	  " importing the same data twice\nchanges nothing.  With"
	  " --deactivate-missing, schools and teachers an\nearlier import"
	  " made that this folder no longer lists (or marks\ntobedeleted)"
	  " are deactivated and named; hand-made records and\ncoaches are"
	  " left alone.  --server-path DIR reads the folder on the\nserver"
	  " instead (any size: nothing is uploaded); DIR must lie in the\n"
	  "server's [import] dir, relative to it or absolute.  On a terminal"
	  "\na progress line shows while the server works." },
	{ .name = "assign", .summary = "assign queued questions to coaches",
	  .sub = cmd_admin_assign },
	{ .name = "caps", .summary = "time caps: set, unset, list",
	  .sub = cmd_admin_caps },	/* cmd_caps.c */
	{ .name = "schedule", .summary = "plan and publish coaching cycles",
	  .sub = cmd_admin_schedule },	/* cmd_schedule.c */
	{ .name = "calendar", .summary = "coach blocks, availability, closures",
	  .sub = cmd_admin_calendar },	/* cmd_calendar.c */
	{ .name = NULL }
};
