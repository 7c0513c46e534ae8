/*
 * coachctl: command-line client for coachd.
 *
 * main() reads the global options, walks the command tree (nouns listed
 * in CTL_NOUNS below, each noun's verbs in its cmd_<noun>.c), parses the
 * verb's options against its table and calls the handler.  The option
 * parser lives here so that every cmd file shares it; see coachctl.h for
 * how to add a noun or a verb.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coachctl.h"
#include "xmalloc.h"

/*
 * The nouns, in help order.  Adding a noun is one line here:
 * X(name, "summary") expects `const struct ctl_cmd cmd_<name>[]`.
 */
#define CTL_NOUNS \
	X(school, "schools of the district") \
	X(coach, "coaches: expertise, interests, caseload cap, schools") \
	X(teacher, "teachers: school, subjects, grades") \
	X(question, "inquiry questions: submit, topic, claim, assign, close, history") \
	X(queue, "question queues by expertise area, with aging order and statistics") \
	X(log, "log time spent outside scheduled sessions (coaches)") \
	X(caps, "your standing against the time caps this week") \
	X(report, "time-use reports: where coaching time goes") \
	X(schedule, "coaching sessions: list (teachers and coaches see their own)") \
	X(week, "a week of sessions as a grid") \
	X(session, "request, confirm, decline, reschedule, cancel a session; notes") \
	X(admin, "administrators: tokens, import, assign, schedule, caps, calendar") \
	X(feed, "calendar feed URLs (iCalendar): issue, rotate") \
	X(whoami, "show who the server thinks you are") \
	X(enrol, "redeem an enrolment code for your own token (saved to the config)") \
	X(ping, "check that the server answers")

#define X(n, s) extern const struct ctl_cmd cmd_##n[];
CTL_NOUNS
#undef X

static const struct ctl_cmd nouns[] = {
#define X(n, s) { .name = #n, .summary = s, .sub = cmd_##n },
	CTL_NOUNS
#undef X
	{ .name = NULL }
};

/* Options accepted before the noun and after any verb. */
static const struct ctl_opt global_opts[] = {
	{ "config", "FILE", 0, "settings file instead of ~/.config/coachctl/config" },
	{ "json", NULL, 0, "print results as JSON (read commands)" },
	{ "server", "HOST:PORT", 0, "server address (default port " SRV_DEFAULT_PORT ")" },
	{ "ca", "FILE", 0, "CA certificate(s) to verify the server with" },
	{ "token", "TOKEN", 0, "bearer token (prefer the config file or COACHCTL_TOKEN)" },
	{ "cert", "FILE", 0, "client certificate for mTLS" },
	{ "key", "FILE", 0, "private key of the client certificate" },
	{ "timeout", "SECONDS", 0, "connect and reply timeout (default 60)" },
	{ NULL, NULL, 0, NULL }
};
#define NGLOBAL	(sizeof(global_opts) / sizeof(global_opts[0]) - 1)

/* Values seen for one option table. */
struct optvals {
	const char	**v;
	size_t		  n;
};

struct ctl_args {
	const struct ctl_cmd	*cmd;
	const char		*path;		/* "coach add" */
	const char		**pos;
	int			  npos;
	struct optvals		 *vals;		/* parallel to cmd->opts */
	size_t			  nopts;
};

/* Global option values, shared by every level of the walk. */
static struct optvals	gvals[NGLOBAL];

static size_t
count_opts(const struct ctl_opt *opts)
{
	size_t	n = 0;

	if (opts != NULL)
		while (opts[n].name != NULL)
			n++;
	return n;
}

static int
find_opt(const struct ctl_opt *opts, const char *name, size_t namelen)
{
	size_t	i;

	if (opts == NULL)
		return -1;
	for (i = 0; opts[i].name != NULL; i++)
		if (strlen(opts[i].name) == namelen &&
		    strncmp(opts[i].name, name, namelen) == 0)
			return (int)i;
	return -1;
}

/* Append a value, keeping the list NULL-terminated. */
static void
optvals_add(struct optvals *ov, const char *v)
{
	ov->v = xreallocarray(ov->v, ov->n + 2, sizeof(*ov->v));
	ov->v[ov->n++] = v;
	ov->v[ov->n] = NULL;
}

static void
print_opts(FILE *f, const struct ctl_opt *opts)
{
	char	buf[64];
	size_t	i;

	for (i = 0; opts != NULL && opts[i].name != NULL; i++) {
		if (opts[i].arg != NULL)
			snprintf(buf, sizeof(buf), "--%s %s", opts[i].name,
			    opts[i].arg);
		else
			snprintf(buf, sizeof(buf), "--%s", opts[i].name);
		/* A long synopsis gets its own line. */
		if (strlen(buf) > 24)
			fprintf(f, "  %s\n  %-24s", buf, "");
		else
			fprintf(f, "  %-24s", buf);
		fprintf(f, " %s%s%s\n", opts[i].help,
		    (opts[i].flags & CTL_OPT_REQUIRED) ? " (required)" : "",
		    (opts[i].flags & CTL_OPT_MULTI) ? " (repeatable)" : "");
	}
}

static void
print_exit_codes(FILE *f)
{
	fprintf(f, "exit status:\n"
	    "  0   success\n"
	    "  64  usage error\n"
	    "  65  request rejected as invalid (bad_request, too_large,"
	    " unsupported) or bad input file\n"
	    "  66  not found (not_found, or a missing local input file)\n"
	    "  67  conflict with current state (conflict,"
	    " failed_precondition)\n"
	    "  69  server unavailable: cannot connect, TLS failure, timeout,"
	    " unavailable\n"
	    "  70  server error (internal) or protocol violation\n"
	    "  77  not allowed (unauthenticated, forbidden)\n"
	    "  78  bad configuration (config file, settings)\n");
}

static void
usage_top(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: coachctl [global options] NOUN VERB [options]"
	    " [ARGS]\n\nnouns:\n");
	for (i = 0; nouns[i].name != NULL; i++)
		fprintf(f, "  %-10s %s\n", nouns[i].name, nouns[i].summary);
	fprintf(f, "\nglobal options (also accepted after the verb):\n");
	print_opts(f, global_opts);
	fprintf(f, "  %-24s %s\n  %-24s %s\n", "--help", "this help;"
	    " `coachctl NOUN --help`, `coachctl NOUN VERB --help`",
	    "--version", "print the version");
	fprintf(f, "  %-24s %s\n\n", "--commands", "list every command and"
	    " its options, one a line (for shell completion)");
	fprintf(f, "settings, later ones win: ~/.config/coachctl/config"
	    " (or --config FILE;\n  keys server, ca, token, cert, key,"
	    " timeout), environment COACHCTL_SERVER,\n  COACHCTL_CA,"
	    " COACHCTL_TOKEN, COACHCTL_CERT, COACHCTL_KEY, COACHCTL_TIMEOUT,"
	    "\n  then the flags above.\n\n");
	print_exit_codes(f);
}

static int
is_leafless_group(const struct ctl_cmd *c)
{
	return c->sub != NULL && c->sub[0].name != NULL &&
	    c->sub[0].name[0] == '\0';
}

static void
usage_group(FILE *f, const struct ctl_cmd *c, const char *path)
{
	size_t	i;

	fprintf(f, "usage: coachctl %s VERB [options]\n\n", path);
	if (c->summary != NULL)
		fprintf(f, "%s\n\n", c->summary);
	fprintf(f, "verbs:\n");
	for (i = 0; c->sub[i].name != NULL; i++)
		fprintf(f, "  %-12s %s\n", c->sub[i].name,
		    c->sub[i].summary != NULL ? c->sub[i].summary : "");
	fprintf(f, "\nRun 'coachctl %s VERB --help' for a verb's options.\n",
	    path);
}

static void
usage_leaf(FILE *f, const struct ctl_cmd *c, const char *path)
{
	fprintf(f, "usage: coachctl %s%s%s%s\n\n", path,
	    c->opts != NULL && c->opts[0].name != NULL ? " [options]" : "",
	    c->usage != NULL ? " " : "", c->usage != NULL ? c->usage : "");
	if (c->summary != NULL)
		fprintf(f, "%s\n", c->summary);
	if (c->help != NULL)
		fprintf(f, "\n%s\n", c->help);
	if (c->opts != NULL && c->opts[0].name != NULL) {
		fprintf(f, "\noptions:\n");
		print_opts(f, c->opts);
	}
	fprintf(f, "\nGlobal options (--json, --server, ...): coachctl --help\n");
}

int
ctl_usage(const struct ctl_args *a, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "coachctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nRun 'coachctl %s --help' for usage.\n",
	    a != NULL ? a->path : "");
	return CTL_EX_USAGE;
}

/*
 * Try argv[*i] as a global option; 1 consumed (with its value), 0 not a
 * global option, -1 usage error printed.
 */
static int
global_opt(int argc, char **argv, int *i, const char *path)
{
	const char	*arg = argv[*i], *name, *eq, *val;
	size_t		 len;
	int		 k;

	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
		return 0;
	name = arg + 2;
	eq = strchr(name, '=');
	len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	if ((k = find_opt(global_opts, name, len)) < 0)
		return 0;
	if (global_opts[k].arg == NULL) {
		if (eq != NULL) {
			fprintf(stderr, "coachctl: --%s takes no value\n",
			    global_opts[k].name);
			return -1;
		}
		val = "";
	} else if (eq != NULL)
		val = eq + 1;
	else if (*i + 1 < argc)
		val = argv[++*i];
	else {
		fprintf(stderr, "coachctl: --%s needs a value\nRun 'coachctl"
		    " %s --help' for usage.\n", global_opts[k].name, path);
		return -1;
	}
	optvals_add(&gvals[k], val);
	return 1;
}

static const char *
global_val(const char *name)
{
	int	k;

	k = find_opt(global_opts, name, strlen(name));
	if (k < 0 || gvals[k].n == 0)
		return NULL;
	return gvals[k].v[gvals[k].n - 1];
}

static int
is_help(const char *s)
{
	return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0;
}

/* Parse one option of a leaf at argv[*i]; 0 ok, CTL_EX_USAGE on error. */
static int
leaf_opt(struct ctl_args *a, int argc, char **argv, int *i)
{
	const struct ctl_opt	*o;
	const char		*arg = argv[*i], *name, *eq, *val;
	size_t			 len;
	int			 k, g;

	name = arg + 2;
	eq = strchr(name, '=');
	len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	if ((k = find_opt(a->cmd->opts, name, len)) < 0) {
		if ((g = global_opt(argc, argv, i, a->path)) == 1)
			return 0;
		if (g == -1)
			return CTL_EX_USAGE;
		return ctl_usage(a, "unknown option '%.*s'", (int)len + 2,
		    arg);
	}
	o = &a->cmd->opts[k];
	if (o->arg == NULL) {
		if (eq != NULL)
			return ctl_usage(a, "--%s takes no value", o->name);
		val = "";
	} else if (eq != NULL)
		val = eq + 1;
	else if (*i + 1 < argc)
		val = argv[++*i];
	else
		return ctl_usage(a, "--%s needs a value", o->name);
	if (a->vals[k].n > 0 && !(o->flags & CTL_OPT_MULTI))
		return ctl_usage(a, "--%s given more than once", o->name);
	optvals_add(&a->vals[k], val);
	return 0;
}

/*
 * Parse a leaf's arguments into a; returns 0, -1 when --help was printed,
 * or CTL_EX_USAGE.
 */
static int
leaf_parse(struct ctl_args *a, int argc, char **argv)
{
	int	i, rc, dashdash = 0;
	size_t	k;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!dashdash && strcmp(arg, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && is_help(arg)) {
			usage_leaf(stdout, a->cmd, a->path);
			return -1;
		}
		if (!dashdash && strncmp(arg, "--", 2) == 0) {
			if ((rc = leaf_opt(a, argc, argv, &i)) != 0)
				return rc;
			continue;
		}
		if (!dashdash && arg[0] == '-' && arg[1] != '\0')
			return ctl_usage(a, "unknown option '%s'", arg);
		a->pos[a->npos++] = arg;
	}
	for (k = 0; k < a->nopts; k++)
		if ((a->cmd->opts[k].flags & CTL_OPT_REQUIRED) &&
		    a->vals[k].n == 0)
			return ctl_usage(a, "--%s is required",
			    a->cmd->opts[k].name);
	if (a->npos < a->cmd->minpos)
		return ctl_usage(a, "missing argument%s%s",
		    a->cmd->usage != NULL ? ": " : "",
		    a->cmd->usage != NULL ? a->cmd->usage : "");
	if (a->cmd->maxpos >= 0 && a->npos > a->cmd->maxpos)
		return ctl_usage(a, "unexpected argument '%s'",
		    a->pos[a->cmd->maxpos]);
	return 0;
}

char *
ctl_config_path(void)
{
	const char	*path;

	if ((path = global_val("config")) == NULL)
		path = getenv("COACHCTL_CONFIG");
	if (path != NULL && *path != '\0')
		return xstrdup(path);
	return srv_default_config();
}

/* Merge config file, environment and flags into settings; CTL_EX_*. */
static int
build_settings(struct srv_settings *s)
{
	static const char *const keys[] = { "server", "ca", "token", "cert",
	    "key", "timeout" };
	char		 err[512];
	char		*defpath = NULL;
	const char	*path, *v;
	size_t		 i;
	int		 rc = CTL_EX_CONFIG;

	memset(s, 0, sizeof(*s));
	s->timeout = SRV_DEFAULT_TIMEOUT;
	if ((path = global_val("config")) == NULL)
		path = getenv("COACHCTL_CONFIG");
	if (path != NULL && *path != '\0') {
		if (srv_settings_file(s, path, 1, err, sizeof(err)) == -1)
			goto fail;
	} else if ((defpath = srv_default_config()) != NULL) {
		if (srv_settings_file(s, defpath, 0, err, sizeof(err)) == -1)
			goto fail;
	}
	if (srv_settings_env(s, err, sizeof(err)) == -1)
		goto fail;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((v = global_val(keys[i])) == NULL)
			continue;
		if (srv_settings_set(s, keys[i], v, NULL, err,
		    sizeof(err)) == -1) {
			rc = CTL_EX_USAGE;
			goto fail;
		}
	}
	free(defpath);
	return CTL_EX_OK;
fail:
	fprintf(stderr, "coachctl: %s\n", err);
	free(defpath);
	srv_settings_free(s);
	return rc;
}

/* Run a leaf: parse, connect settings, call the handler. */
static int
run_leaf(struct ctl *ctl, const struct ctl_cmd *c, const char *path,
    int argc, char **argv)
{
	struct ctl_args		 a;
	struct srv_settings	 s;
	size_t			 k;
	int			 rc;

	memset(&a, 0, sizeof(a));
	a.cmd = c;
	a.path = path;
	a.nopts = count_opts(c->opts);
	a.pos = xcalloc((size_t)argc + 1, sizeof(*a.pos));
	a.vals = xcalloc(a.nopts + 1, sizeof(*a.vals));
	if ((rc = leaf_parse(&a, argc, argv)) != 0) {
		if (rc == -1)
			rc = CTL_EX_OK;
		goto out;
	}
	ctl->json = global_val("json") != NULL;
	if ((rc = build_settings(&s)) != CTL_EX_OK)
		goto out;
	ctl->srv = srv_new(&s);
	rc = c->fn(ctl, &a);
	srv_free(ctl->srv);
	ctl->srv = NULL;
out:
	for (k = 0; k < a.nopts; k++)
		free(a.vals[k].v);
	free(a.vals);
	free(a.pos);
	return rc;
}

/* Walk the tree from node c (a group or a leaf) with the remaining args. */
static int
run_cmd(struct ctl *ctl, const struct ctl_cmd *c, char *path, size_t pathsz,
    int argc, char **argv)
{
	const struct ctl_cmd	*sub;
	int			 i = 0, g;

	if (c->sub == NULL)
		return run_leaf(ctl, c, path, argc, argv);
	if (is_leafless_group(c))
		return run_leaf(ctl, &c->sub[0], path, argc, argv);
	/* Global options may sit between a noun and its verb. */
	for (; i < argc; i++) {
		if (is_help(argv[i])) {
			usage_group(stdout, c, path);
			return CTL_EX_OK;
		}
		if ((g = global_opt(argc, argv, &i, path)) == -1)
			return CTL_EX_USAGE;
		if (g == 0)
			break;
	}
	if (i == argc) {
		usage_group(stderr, c, path);
		return CTL_EX_USAGE;
	}
	for (sub = c->sub; sub->name != NULL; sub++)
		if (strcmp(sub->name, argv[i]) == 0)
			break;
	if (sub->name == NULL) {
		fprintf(stderr, "coachctl: unknown %s '%s' for '%s'\n"
		    "Run 'coachctl %s --help' for the list.\n",
		    argv[i][0] == '-' ? "option" : "verb", argv[i], path,
		    path);
		return CTL_EX_USAGE;
	}
	if (strlen(path) + strlen(sub->name) + 2 > pathsz) {
		fprintf(stderr, "coachctl: command too deep\n");
		return CTL_EX_USAGE;
	}
	strcat(path, " ");
	strcat(path, sub->name);
	return run_cmd(ctl, sub, path, pathsz, argc - i - 1, argv + i + 1);
}

/*
 * One option list for --commands, by spaces: "--name" for a flag,
 * "--name=" for an option that takes a value.
 */
static void
print_opt_words(FILE *f, const struct ctl_opt *opts)
{
	size_t	i;

	for (i = 0; opts != NULL && opts[i].name != NULL; i++)
		fprintf(f, "%s--%s%s", i > 0 ? " " : "", opts[i].name,
		    opts[i].arg != NULL ? "=" : "");
}

/*
 * --commands: every command path under c with its options, one a line
 * ("PATH<TAB>OPTIONS").  The shell completions and the man page test read
 * this, so they follow the command table instead of a copy of it.
 */
static void
print_commands(FILE *f, const struct ctl_cmd *c, const char *prefix)
{
	char	path[256];

	for (; c->name != NULL; c++) {
		if (c->name[0] == '\0')
			snprintf(path, sizeof(path), "%s", prefix);
		else
			snprintf(path, sizeof(path), "%s%s%s", prefix,
			    prefix[0] != '\0' ? " " : "", c->name);
		if (c->sub != NULL) {
			print_commands(f, c->sub, path);
			continue;
		}
		fprintf(f, "%s\t", path);
		print_opt_words(f, c->opts);
		fprintf(f, "\n");
	}
}

static void
free_globals(void)
{
	size_t	k;

	for (k = 0; k < NGLOBAL; k++) {
		free(gvals[k].v);
		gvals[k].v = NULL;
		gvals[k].n = 0;
	}
}

int
main(int argc, char **argv)
{
	struct ctl		 ctl;
	const struct ctl_cmd	*c;
	char			 path[256];
	int			 i, g, rc;

	/* A server closing mid-write must be an error, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	memset(&ctl, 0, sizeof(ctl));
	for (i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			usage_top(stdout);
			rc = CTL_EX_OK;
			goto out;
		}
		if (strcmp(argv[i], "--commands") == 0) {
			/* The global options first, on the line named "-". */
			printf("-\t");
			print_opt_words(stdout, global_opts);
			printf(" --help --version\n");
			print_commands(stdout, nouns, "");
			rc = CTL_EX_OK;
			goto out;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("coachctl %s\n", COACHCTL_VERSION);
			rc = CTL_EX_OK;
			goto out;
		}
		if ((g = global_opt(argc, argv, &i, "")) == -1) {
			rc = CTL_EX_USAGE;
			goto out;
		}
		if (g == 0)
			break;
	}
	if (i == argc) {
		usage_top(stderr);
		rc = CTL_EX_USAGE;
		goto out;
	}
	for (c = nouns; c->name != NULL; c++)
		if (strcmp(c->name, argv[i]) == 0)
			break;
	if (c->name == NULL) {
		fprintf(stderr, "coachctl: unknown %s '%s'\nRun 'coachctl"
		    " --help' for the list of nouns.\n",
		    argv[i][0] == '-' ? "option" : "noun", argv[i]);
		rc = CTL_EX_USAGE;
		goto out;
	}
	snprintf(path, sizeof(path), "%s", c->name);
	rc = run_cmd(&ctl, c, path, sizeof(path), argc - i - 1, argv + i + 1);
out:
	free_globals();
	if (fflush(stdout) == EOF && rc == CTL_EX_OK) {
		fprintf(stderr, "coachctl: stdout: %s\n", strerror(errno));
		rc = CTL_EX_SOFTWARE;
	}
	return rc;
}

/* ---- accessors for handlers ---------------------------------------- */

int
ctl_npos(const struct ctl_args *a)
{
	return a->npos;
}

const char *
ctl_pos(const struct ctl_args *a, int i)
{
	if (i < 0 || i >= a->npos)
		return NULL;
	return a->pos[i];
}

const char *const *
ctl_opt_all(const struct ctl_args *a, const char *name, size_t *n)
{
	int	k;

	*n = 0;
	if ((k = find_opt(a->cmd->opts, name, strlen(name))) < 0 ||
	    a->vals[k].n == 0)
		return NULL;
	*n = a->vals[k].n;
	return a->vals[k].v;
}

const char *
ctl_opt(const struct ctl_args *a, const char *name)
{
	const char *const	*v;
	size_t			 n;

	if ((v = ctl_opt_all(a, name, &n)) == NULL)
		return NULL;
	return v[n - 1];
}

int
ctl_flag(const struct ctl_args *a, const char *name)
{
	return ctl_opt(a, name) != NULL;
}

void
ctl_opt_str(const struct ctl_args *a, const char *name, char **field)
{
	const char	*v;

	if ((v = ctl_opt(a, name)) != NULL)
		*field = (char *)v;
}

unsigned
ctl_op(const struct ctl_args *a)
{
	return a->cmd->op;
}

void
ctl_strv_free(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

char **
ctl_opt_list(const struct ctl_args *a, const char *name, size_t *n)
{
	const char *const	*vals;
	char			**out;
	const char		*p, *q;
	size_t			 nvals, i, cnt = 0;

	vals = ctl_opt_all(a, name, &nvals);
	out = xcalloc(1, sizeof(*out));
	for (i = 0; i < nvals; i++) {
		for (p = vals[i]; ; p = q + 1) {
			q = strchr(p, ',');
			if (q == NULL)
				q = p + strlen(p);
			if (q > p) {
				out = xreallocarray(out, cnt + 2,
				    sizeof(*out));
				out[cnt] = xstrndup(p, (size_t)(q - p));
				out[++cnt] = NULL;
			}
			if (*q == '\0')
				break;
		}
	}
	*n = cnt;
	return out;
}

int
ctl_opt_uint(const struct ctl_args *a, const char *name, uint32_t max,
    uint32_t *out)
{
	const char		*v;
	char			*end;
	unsigned long long	 n;

	if ((v = ctl_opt(a, name)) == NULL)
		return 0;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0 ||
	    n > max) {
		ctl_usage(a, "--%s: expected a number from 0 to %lu, not '%s'",
		    name, (unsigned long)max, v);
		return -1;
	}
	*out = (uint32_t)n;
	return 1;
}
