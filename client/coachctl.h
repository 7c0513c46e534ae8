/*
 * coachctl.h: declarations shared by every coachctl source file.
 *
 * coachctl is a thin client: parse the command line, build one protobuf
 * Request, send it over TLS (srv.c), print the Response (out.c).
 *
 * ---- How to add a noun ------------------------------------------------
 * 1. Write client/cmd_<noun>.c exporting a verb table:
 *
 *	static const struct ctl_opt add_opts[] = {
 *		{ "teacher", "ID", CTL_OPT_REQUIRED, "teacher asking" },
 *		{ "tag", "TAG", CTL_OPT_MULTI, "topic tag (repeatable)" },
 *		{ "dry-run", NULL, 0, "check only, change nothing" },
 *		{ NULL, NULL, 0, NULL }
 *	};
 *	const struct ctl_cmd cmd_question[] = {
 *		{ .name = "add", .summary = "file an inquiry question",
 *		  .usage = "TEXT", .minpos = 1, .maxpos = 1,
 *		  .opts = add_opts, .fn = question_add },
 *		{ .name = NULL }
 *	};
 *
 * 2. Add ONE line to the CTL_NOUNS list in coachctl.c:
 *	X(question, "teachers' inquiry questions")
 * 3. Add the file to add_executable(coachctl ...) in client/CMakeLists.txt.
 *
 * A verb handler gets its arguments already parsed and checked (required
 * options present, positional count in range, --help handled):
 *
 *	static int
 *	question_add(struct ctl *ctl, struct ctl_args *a)
 *	{
 *		Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
 *		Coachd__V1__Response	*resp;
 *		int			 rc;
 *
 *		... fill req from ctl_pos(a, 0), ctl_opt(a, "teacher") ...
 *		if ((rc = srv_call(ctl->srv, &req, &resp)) != CTL_EX_OK)
 *			return rc;	   (error already printed)
 *		rc = out_result(ctl, resp, NULL);
 *		srv_response_free(resp);
 *		return rc;
 *	}
 *
 * which call_result(ctl, &req, NULL) does in one line; call_done() and
 * call_reply() (call.c) cover writes and replies a verb prints itself.
 * Verbs that differ only in the request op share one handler and read
 * the op from their entry's .op with ctl_op().
 *
 * A nested table (e.g. `admin token create`) is an entry with .sub set
 * instead of .fn.  Handlers return a CTL_EX_* code and print their own
 * usage errors with ctl_usage().  Read commands print with out_result()
 * (JSON under --json, the given table or a key/value view otherwise).
 * --------------------------------------------------------------------------
 */
#ifndef COACHCTL_H
#define COACHCTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "coachd.pb-c.h"

#ifndef COACHCTL_VERSION	/* CMake passes the project's version */
#define COACHCTL_VERSION	"0.1.0"
#endif

/*
 * Exit codes (sysexits.h values where one fits; printed by --help).
 * Every server status maps to exactly one of them, see srv_status_exit().
 */
#define CTL_EX_OK		0	/* success */
#define CTL_EX_USAGE		64	/* bad command line */
#define CTL_EX_DATAERR		65	/* BAD_REQUEST, TOO_LARGE, UNSUPPORTED, bad input file */
#define CTL_EX_NOTFOUND		66	/* NOT_FOUND, or a local input file missing */
#define CTL_EX_CONFLICT		67	/* CONFLICT, FAILED_PRECONDITION */
#define CTL_EX_UNAVAILABLE	69	/* cannot connect, TLS failure, timeout, UNAVAILABLE */
#define CTL_EX_SOFTWARE		70	/* INTERNAL, protocol violation by the server */
#define CTL_EX_NOPERM		77	/* UNAUTHENTICATED, FORBIDDEN */
#define CTL_EX_CONFIG		78	/* bad config file or settings */

struct srv;

/* Global state of one coachctl run. */
struct ctl {
	int		 json;		/* --json */
	struct srv	*srv;		/* connects lazily on the first call */
};

/* ---- argument parsing (coachctl.c) ------------------------------------ */

#define CTL_OPT_REQUIRED	0x1	/* must be given */
#define CTL_OPT_MULTI		0x2	/* may repeat; values accumulate */

/* One --option of a verb.  arg == NULL makes it a boolean flag. */
struct ctl_opt {
	const char	*name;		/* "school" for --school */
	const char	*arg;		/* metavariable in help, e.g. "ID" */
	int		 flags;		/* CTL_OPT_* */
	const char	*help;
};

struct ctl_args;

/* A node of the command tree: a leaf with .fn or a group with .sub. */
struct ctl_cmd {
	const char		*name;
	const char		*summary;	/* one line for listings */
	const char		*usage;		/* positional synopsis, e.g. "ID" */
	int			 minpos;
	int			 maxpos;	/* -1: unlimited */
	const struct ctl_opt	*opts;		/* NULL-name terminated, or NULL */
	int			(*fn)(struct ctl *, struct ctl_args *);
	unsigned		 op;		/* request op for a shared .fn */
	const struct ctl_cmd	*sub;		/* NULL-name terminated */
	const char		*help;		/* longer text for --help, optional */
};

/* Positional arguments. */
int		 ctl_npos(const struct ctl_args *);
const char	*ctl_pos(const struct ctl_args *, int);
/* Last value of an option, NULL when absent (or boolean flag: "" if set). */
const char	*ctl_opt(const struct ctl_args *, const char *name);
int		 ctl_flag(const struct ctl_args *, const char *name);
/*
 * Point *field (a protobuf string) at the option's value when it was
 * given; otherwise leave the message's default alone.
 */
void		 ctl_opt_str(const struct ctl_args *, const char *name,
		    char **field);
/* The .op of the command being run, for handlers shared by several. */
unsigned	 ctl_op(const struct ctl_args *);
/* Every value of a repeated option, in order; *n gets the count. */
const char *const *ctl_opt_all(const struct ctl_args *, const char *name,
		    size_t *n);
/*
 * Values of a repeated option, each further split on commas, as a new
 * NULL-terminated vector (caller frees with ctl_strv_free).
 */
char		**ctl_opt_list(const struct ctl_args *, const char *name,
		    size_t *n);
void		  ctl_strv_free(char **);
/*
 * Unsigned option in [0, max]; 0 when absent (*out untouched), 1 when
 * set, -1 after printing a usage error.
 */
int		 ctl_opt_uint(const struct ctl_args *, const char *name,
		    uint32_t max, uint32_t *out);
/* s as a positive id (questions, sessions, log entries): 0, or -1. */
int		 ctl_parse_id(const char *s, int64_t *id);
/* Print "coachctl: <msg>" and a hint to --help; returns CTL_EX_USAGE. */
int		 ctl_usage(const struct ctl_args *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* ---- server connection (srv.c) ---------------------------------------- */

/* Connection settings after file, environment and flags are merged. */
struct srv_settings {
	char	*server;	/* host:port, [v6]:port */
	char	*ca;		/* CA file to verify the server with */
	char	*token;		/* bearer token (never printed) */
	char	*cert;		/* client certificate for mTLS */
	char	*key;		/* its private key */
	long	 timeout;	/* seconds for connect and each reply */
};

#define SRV_DEFAULT_PORT	"7443"
#define SRV_DEFAULT_TIMEOUT	60

void	srv_settings_free(struct srv_settings *);
/*
 * Read a key = value file into s; missing file is fine unless required.
 * Returns 0, or -1 with "file:line: what" in err.
 */
int	srv_settings_file(struct srv_settings *, const char *path,
	    int required, char *err, size_t errlen);
/* Apply COACHCTL_* environment variables. */
int	srv_settings_env(struct srv_settings *, char *err, size_t errlen);
/* Set one setting by key ("server", "ca", ...); -1 for an unknown key. */
int	srv_settings_set(struct srv_settings *, const char *key,
	    const char *value, const char *basedir, char *err, size_t errlen);
/* The default config path (XDG_CONFIG_HOME or ~/.config); NULL if none. */
char	*srv_default_config(void);

/* Takes ownership of the settings. */
struct srv	*srv_new(struct srv_settings *);
void		 srv_free(struct srv *);

/*
 * Send one request and wait for its response.  Connects and says hello on
 * first use and sets req->id.  On CTL_EX_OK *resp holds a response with
 * status OK (free with srv_response_free); otherwise the error has been
 * printed as "coachctl: <status>: <message>" and *resp is NULL.
 */
int	srv_call(struct srv *, Coachd__V1__Request *req,
	    Coachd__V1__Response **resp);
/*
 * Like srv_call but for n requests pipelined on the connection: every
 * resps[i] is filled (statuses not checked, nothing printed for them).
 * Returns CTL_EX_OK unless the transport failed.
 */
int	srv_call_many(struct srv *, Coachd__V1__Request **reqs, size_t n,
	    Coachd__V1__Response **resps);
/*
 * Like srv_call, but on a fresh connection without hello: for the one
 * request the server takes from nobody yet (enrol_redeem).
 */
int	srv_call_preauth(struct srv *, Coachd__V1__Request *req,
	    Coachd__V1__Response **resp);
/* The settings file coachctl read (--config, COACHCTL_CONFIG, default);
 * a new string, NULL when there is none. */
char	*ctl_config_path(void);
/*
 * Put msg into the request's op oneof by field number, e.g.
 * srv_request_set(&req, COACHD__V1__REQUEST__OP_COACH_LIST, &list);
 * lets one helper serve several nouns.  -1 if op is not a message op.
 */
int	srv_request_set(Coachd__V1__Request *, unsigned op, void *msg);
/* The principal that said hello (NULL before the first call). */
const Coachd__V1__HelloResult *srv_hello(const struct srv *);
void	srv_response_free(Coachd__V1__Response *);
/* Exit code for a response status; print the error if not OK. */
int	srv_status_exit(Coachd__V1__Status);
int	srv_report(const Coachd__V1__Response *);

/* ---- request and reply (call.c) --------------------------------------- */

/*
 * Send req.  When the caller is to print the reply itself (not --json,
 * and the result is of case want, or any case for want 0) returns
 * CTL_EX_OK with *resp set, to be freed with srv_response_free.
 * Otherwise the reply has been printed with out_result() (or the error
 * by srv_call) and *resp is NULL.
 */
int	call_reply(struct ctl *, Coachd__V1__Request *req, int want,
	    Coachd__V1__Response **resp);
/* Send req and print the result with out_result(cols). */
int	call_result(struct ctl *, Coachd__V1__Request *req,
	    const char *const *cols);
/* Send a change: the result under --json, else the line fmt says. */
int	call_done(struct ctl *, Coachd__V1__Request *req, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
/*
 * Send op with the id at position 0 (an IdRequest): print the record when
 * done is NULL, else report the change as call_done "<done> <id>".
 */
int	call_by_id(struct ctl *, struct ctl_args *, unsigned op,
	    const char *done);

/* ---- output (out.c, tables and text widths in out_table.c) ------------ */

struct out_table;

/* Columns named by headers (NULL-terminated); NULL headers: no header row. */
struct out_table *out_table_new(const char *const *headers);
/* Header with a leading '>' right-aligns the column (numbers). */
void	out_table_add(struct out_table *, ...);	/* ncols strings */
void	out_table_addv(struct out_table *, const char *const *cells);
int	out_table_print(const struct out_table *, FILE *);
void	out_table_free(struct out_table *);
size_t	out_table_rows(const struct out_table *);

/* Display width of a UTF-8 string in terminal columns. */
size_t	out_width(const char *);
/*
 * Decode one UTF-8 sequence at s: its length (>= 1) and code point in
 * *cp, or U+FFFD for an invalid byte (consumed alone).
 */
size_t	out_utf8_decode(const unsigned char *s, uint32_t *cp);

/* Generic protobuf-c message -> JSON (caller decrefs with json_decref). */
struct json_t;
struct json_t	*out_msg_json(const ProtobufCMessage *);
/* Print a message as indented JSON on f. */
int	out_json(FILE *, const ProtobufCMessage *);

/*
 * Render one field of a message as text: scalars as is, bools yes/no,
 * enums lowercase, repeated values joined with ",", sub-messages as
 * their fields joined with ":" (Expertise -> "math:3").  Caller frees.
 */
char	*out_field_text(const ProtobufCMessage *, const char *field);
/*
 * A table of messages of one type; cols are field names, optionally
 * "field=HEADER" (a leading '>' in HEADER right-aligns).
 */
int	out_msgs_table(FILE *, const ProtobufCMessage *const *msgs, size_t n,
	    const char *const *cols);
/* Key/value view of one message (every field, one per line). */
int	out_msg_detail(FILE *, const ProtobufCMessage *);

/*
 * Print a response's result: JSON of the whole result under --json;
 * otherwise, if the result holds one repeated message field and cols is
 * given, a table; else the key/value view.  Returns a CTL_EX_* code.
 */
int	out_result(const struct ctl *, const Coachd__V1__Response *,
	    const char *const *cols);
/* The message held in a response's result oneof (NULL if none). */
const ProtobufCMessage *out_result_msg(const Coachd__V1__Response *);

/*
 * Each noun's verb table (e.g. cmd_coach[]) is declared by the CTL_NOUNS
 * list in coachctl.c.  A noun without verbs (ping, whoami) is a table
 * whose single leaf entry has the empty name "".
 */

#endif
