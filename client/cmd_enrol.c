/*
 * cmd_enrol: enrolment.  An administrator issues a one-time code for a
 * coach or teacher (`coachctl admin enrol --user ID`); the person runs
 * `coachctl enrol CODE`, which trades it, before any hello, for a token
 * of their own and writes that token into their coachctl config.  Only
 * such a token reads confidential notes, and no administrator sees it
 * (docs/security.md).
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>

#include <fcntl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cmd_enrol.h"
#include "coachctl.h"
#include "frame.h"
#include "xmalloc.h"

/* "90s", "30m", "12h", "7d" (a bare number is seconds); -1 if bad. */
static long long
enrol_duration(const char *s)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || end == s || n <= 0 || n > 1000000)
		return -1;
	if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
		return n;
	if (strcmp(end, "m") == 0)
		return n * 60;
	if (strcmp(end, "h") == 0)
		return n * 3600;
	if (strcmp(end, "d") == 0)
		return n * 86400;
	return -1;
}

/* ---- admin side ------------------------------------------------------- */

const struct ctl_opt admin_enrol_opts[] = {
	{ "user", "ID", CTL_OPT_REQUIRED, "coach or teacher id" },
	{ "role", "ROLE", 0, "coach or teacher, when the id is both" },
	{ "expires", "DURATION", 0, "redeem within, e.g. 12h, 7d (default"
	  " 7d, at most 90d)" },
	{ NULL, NULL, 0, NULL }
};

int
admin_enrol(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__EnrolCreate	 ec = COACHD__V1__ENROL_CREATE__INIT;
	Coachd__V1__Response	*resp;
	const Coachd__V1__EnrolCreated *e;
	const char		*v;
	char			 until[32];
	struct tm		 tm;
	time_t			 when;
	long long		 ttl;
	int			 rc;

	ec.user = (char *)ctl_opt(a, "user");
	if ((v = ctl_opt(a, "role")) != NULL) {
		ec.role = frame_role_parse(v);
		if (ec.role != COACHD__V1__ROLE__COACH &&
		    ec.role != COACHD__V1__ROLE__TEACHER)
			return ctl_usage(a, "--role: expected coach or teacher,"
			    " not '%s'", v);
	}
	if ((v = ctl_opt(a, "expires")) != NULL) {
		if ((ttl = enrol_duration(v)) == -1)
			return ctl_usage(a, "--expires: expected a duration"
			    " like 12h or 7d, not '%s'", v);
		ec.expires_in = ttl;
	}
	srv_request_set(&req, COACHD__V1__REQUEST__OP_ENROL_CREATE, &ec);
	if ((rc = call_reply(ctl, &req,
	    COACHD__V1__RESPONSE__RESULT_ENROL_CREATED, &resp)) != CTL_EX_OK ||
	    resp == NULL)
		return rc;
	e = resp->enrol_created;
	when = (time_t)(e->info != NULL ? e->info->expires : 0);
	if (gmtime_r(&when, &tm) == NULL ||
	    strftime(until, sizeof(until), "%Y-%m-%d %H:%MZ", &tm) == 0)
		snprintf(until, sizeof(until), "%lld", (long long)when);
	printf("code: %s\nid:   %s\nuser: %s\nexpires: %s\n", e->code,
	    e->info != NULL ? e->info->id : "", ec.user, until);
	fprintf(stderr, "Give the code to %s only; they run `coachctl enrol"
	    " CODE` once.\nIt works once; revoke it with `coachctl admin"
	    " enrol-revoke ID`.\n", ec.user);
	srv_response_free(resp);
	return CTL_EX_OK;
}

int
admin_enrol_list(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__ListRequest	 lr = COACHD__V1__LIST_REQUEST__INIT;

	(void)a;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_ENROL_LIST, &lr);
	return call_result(ctl, &req, NULL);
}

int
admin_enrol_revoke(struct ctl *ctl, struct ctl_args *a)
{
	return call_by_id(ctl, a, COACHD__V1__REQUEST__OP_ENROL_REVOKE,
	    "revoked enrolment code");
}

/* ---- the person's side ------------------------------------------------ */

/* Whether a config line sets the token ("token = ...", spaces allowed). */
static int
is_token_line(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, "token", 5) != 0)
		return 0;
	line += 5;
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == '=';
}

/* Make the folder of path (one level, 0700) if it is missing. */
static int
make_parent(const char *path, char *err, size_t errlen)
{
	char	*dir, *slash;
	int	 rc = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			rc = -1;
		}
	}
	free(dir);
	return rc;
}

/* Copy path's lines except token ones to f; a missing file is empty. */
static int
copy_without_token(const char *path, FILE *f, char *err, size_t errlen)
{
	FILE	*in;
	char	*line = NULL;
	size_t	 cap = 0;
	int	 rc = 0;

	if ((in = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, in) != -1) {
		if (is_token_line(line))
			continue;
		if (fputs(line, f) == EOF)
			rc = -1;
		if (line[0] != '\0' && line[strlen(line) - 1] != '\n')
			fputc('\n', f);
	}
	if (ferror(in))
		rc = -1;
	if (rc == -1)
		snprintf(err, errlen, "%s: cannot copy", path);
	if (line != NULL)
		OPENSSL_cleanse(line, cap);
	free(line);
	fclose(in);
	return rc;
}

/*
 * Write token into the config file at path, replacing any token line and
 * keeping the rest; the file is replaced whole (0600), never half-written.
 */
static int
save_token(const char *path, const char *token, char *err, size_t errlen)
{
	char	*tmp;
	FILE	*f = NULL;
	int	 fd, rc = -1;

	if (make_parent(path, err, errlen) == -1)
		return -1;
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	if (copy_without_token(path, f, err, errlen) == -1)
		goto out;
	if (fprintf(f, "token = %s\n", token) < 0 || fflush(f) == EOF ||
	    fsync(fileno(f)) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fclose(f) == EOF) {
		f = NULL;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	return rc;
}

static const struct ctl_opt enrol_opts[] = {
	{ "label", "TEXT", 0, "where the token is used, e.g. laptop" },
	{ "print", NULL, 0, "print the token instead of saving it" },
	{ NULL, NULL, 0, NULL }
};

static int
enrol(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__EnrolRedeem	 er = COACHD__V1__ENROL_REDEEM__INIT;
	Coachd__V1__Response	*resp = NULL;
	const Coachd__V1__TokenCreated *t;
	char			*path = NULL, err[512];
	int			 rc;

	er.code = (char *)ctl_pos(a, 0);
	ctl_opt_str(a, "label", &er.label);
	if (!ctl_flag(a, "print") && (path = ctl_config_path()) == NULL) {
		fprintf(stderr, "coachctl: no config file to save the token"
		    " to (HOME unset): use --config FILE or --print\n");
		return CTL_EX_CONFIG;
	}
	srv_request_set(&req, COACHD__V1__REQUEST__OP_ENROL_REDEEM, &er);
	if ((rc = srv_call_preauth(ctl->srv, &req, &resp)) != CTL_EX_OK)
		goto out;
	if (resp->result_case != COACHD__V1__RESPONSE__RESULT_TOKEN_CREATED) {
		fprintf(stderr, "coachctl: server sent no token\n");
		rc = CTL_EX_SOFTWARE;
		goto out;
	}
	t = resp->token_created;
	if (path == NULL) {
		printf("token: %s\n", t->token);
	} else if (save_token(path, t->token, err, sizeof(err)) == -1) {
		fprintf(stderr, "coachctl: cannot save the token: %s\n", err);
		rc = CTL_EX_CONFIG;
		goto out;
	} else
		printf("enrolled as %s %s; token %s saved to %s\n",
		    frame_role_name(t->info != NULL ? t->info->role : 0),
		    t->info != NULL ? t->info->user : "",
		    t->info != NULL ? t->info->id : "", path);
	rc = CTL_EX_OK;
out:
	srv_response_free(resp);
	free(path);
	return rc;
}

const struct ctl_cmd cmd_enrol[] = {
	{ .name = "", .summary = "redeem an enrolment code for your own token",
	  .usage = "CODE", .minpos = 1, .maxpos = 1, .opts = enrol_opts,
	  .fn = enrol,
	  .help = "Trades the one-time code your coaching lead gave you for a"
	  " token of your own,\nwritten to your coachctl config (the --config"
	  " file, COACHCTL_CONFIG or\n~/.config/coachctl/config) in place of"
	  " any token there.  Only this token reads\nyour confidential"
	  " coaching notes; no administrator ever sees it." },
	{ .name = NULL }
};
