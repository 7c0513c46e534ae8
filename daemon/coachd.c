/*
 * coachd: main.  Parses options, loads the configuration, opens the store
 * and the TLS listener, then runs the event loop until SIGTERM.  Runs in
 * the foreground and logs to stderr, as systemd expects.
 *
 *   coachd --config FILE                 run
 *   coachd --check-config --config FILE  validate and exit
 *   coachd --config-keys                 list every configuration key
 *   coachd --init-admin NAME --config F  print a first administrator token
 *   coachd --backup FILE --config F      consistent copy of the database
 *   coachd --rotate-note-key FILE -c F   re-seal the notes with a new key
 *   coachd --version                     print the version
 *
 * Under systemd (Type=notify) it reports READY=1 once the store is open
 * and both listeners are bound, RELOADING=1/READY=1 around SIGHUP,
 * STOPPING=1, a one-line STATUS, and WATCHDOG=1 when WatchdogSec= is set
 * (notify.h).  A TLS key passed as the credential "server.key"
 * (LoadCredential=) replaces [tls] key.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <libical/ical.h>
#include <openssl/ssl.h>

#include "auth.h"
#include "change.h"
#include "config.h"
#include "conn.h"
#include "errmsg.h"
#include "feeds.h"
#include "file.h"
#include "listener.h"
#include "log.h"
#include "notify.h"
#include "notekey.h"
#include "rpc_caps.h"
#include "store.h"
#include "taxonomy.h"
#include "tlsctx.h"

#ifndef COACHD_VERSION		/* CMake passes the project's version */
#define COACHD_VERSION	"0.1.0"
#endif
#define TLS_KEY_CREDENTIAL	"server.key"	/* LoadCredential= name */
#define CONF_FILE_MAX	(1024 * 1024)	/* topics, categories: a few KB */

/* --force: let --init-admin run although the store has administrators. */
static int	init_admin_force;

/*
 * The daemon: one per process, owned by main().  Lower layers get only
 * the parts they need: connections the conn_env, feeds the store, the
 * configuration and the topics, handlers what conn puts in their rpc_ctx.
 */
struct coachd {
	struct event_base	*base;
	struct coachd_config	 conf;
	char			 conf_path[CONFIG_PATH_MAX];
	struct store		*store;
	struct seal_key		 note_key;	/* seals cycle_notes */
	struct taxonomy_topics	 topics;	/* [queue] topics, parsed */
	struct rpc_caps_file	 categories;	/* [caps] categories */
	struct conn_env		 net;		/* what connections see */
	struct listener		*listener;
	struct event		*ev_sigterm, *ev_sigint, *ev_sighup;
	struct event		*ev_shutdown_timer;
	struct event		*ev_watchdog;	/* NULL without WatchdogSec= */
	struct feeds		*feeds;		/* NULL when feeds are off */
	char			 feed_base[FEEDS_BASE_MAX];
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: coachd --config FILE [--debug]\n"
	    "       coachd --check-config --config FILE\n"
	    "       coachd --config-keys\n"
	    "       coachd --init-admin NAME [--force] --config FILE\n"
	    "       coachd --backup FILE --config FILE\n"
	    "       coachd --rotate-note-key NEWKEYFILE --config FILE\n"
	    "       coachd --version\n");
}

/*
 * Read the whole file that the configuration key `key` names (path), a
 * `what` file; *name gets its base name, for messages.  NULL with err.
 */
static char *
read_conf_file(const char *path, const char *key, const char *what,
    const char **name, char *err, size_t errlen)
{
	if (path[0] == '\0') {
		errmsg(err, errlen, "%s is not set (path of the %s file, see "
		    "conf/%s.conf)", key, what, what);
		return NULL;
	}
	*name = strrchr(path, '/');
	*name = *name != NULL ? *name + 1 : path;
	return file_read(path, CONF_FILE_MAX, NULL, err, errlen);
}

/*
 * systemd passes the TLS key as a credential (LoadCredential=), a file
 * only this service can read, so the key itself can stay root-only.
 * When one named TLS_KEY_CREDENTIAL is there, it replaces [tls] key.
 */
static void
use_credentials(struct coachd_config *conf)
{
	const char	*dir;
	char		 path[PATH_MAX];
	int		 n;

	if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL || *dir == '\0')
		return;
	n = snprintf(path, sizeof(path), "%s/%s", dir, TLS_KEY_CREDENTIAL);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    (size_t)n >= sizeof(conf->tls_key) || access(path, R_OK) != 0)
		return;
	memcpy(conf->tls_key, path, (size_t)n + 1);
}

/* The one-line STATUS= summary of a running coachd. */
static void
status_line(const struct coachd *d, const char *what, char *buf,
    size_t len)
{
	int	n;

	n = snprintf(buf, len, "%s: listening on %s:%d, %s%s, %d "
	    "connection(s)", what, d->conf.listen_addr,
	    listener_port(d->listener),
	    d->feeds != NULL ? "feeds at " : "feeds off",
	    d->feeds != NULL ? d->feed_base : "", d->net.nconns);
	/* A status cut short is still a status. */
	if (n < 0)
		snprintf(buf, len, "%s", what);
}

/*
 * Parse conf's [queue] topics into *out.  On failure (missing key or
 * file, parse error, no topics) *out is left as it was and err says why.
 */
static int
load_topics(const struct coachd_config *conf, struct taxonomy_topics *out,
    char *err, size_t errlen)
{
	struct taxonomy_topics	 t;
	const char		*name;
	char			*text;
	int			 rc;

	if ((text = read_conf_file(conf->queue_topics, "[queue] topics",
	    "topics", &name, err, errlen)) == NULL)
		return -1;
	memset(&t, 0, sizeof t);
	rc = taxonomy_parse_topics(text, name, &t, err, errlen);
	free(text);
	if (rc == -1)
		return -1;
	if (t.n == 0) {
		taxonomy_topics_free(&t);
		return errmsg(err, errlen, "%s: no topics",
		    conf->queue_topics);
	}
	taxonomy_topics_free(out);
	*out = t;
	return 0;
}

/* Parse conf's [caps] categories into *cf; on failure *cf stays. */
static int
load_categories(const struct coachd_config *conf, struct rpc_caps_file *cf,
    char *err, size_t errlen)
{
	const char	*name;
	char		*text;

	if ((text = read_conf_file(conf->caps_categories, "[caps] categories",
	    "categories", &name, err, errlen)) == NULL)
		return -1;
	return rpc_caps_load(cf, text, name, err, errlen);
}

/* The feeds' URL base for handlers, NULL while feeds are off. */
static void
set_feed_base(struct coachd *d)
{
	d->net.feed_base = NULL;
	if (d->feeds == NULL)
		return;
	feeds_base_url(d->feeds, d->feed_base, sizeof(d->feed_base));
	d->net.feed_base = d->feed_base;
}

/* A connection closed; lets shutdown finish once the last one is gone. */
static void
conn_gone(void *arg)
{
	struct coachd	*d = arg;

	if (d->net.shutting_down) {
		if (d->net.nconns == 0)
			event_base_loopexit(d->base, NULL);
		return;
	}
	if (d->net.nconns < d->conf.max_connections)
		listener_resume(d->listener);
}

static void
begin_shutdown(struct coachd *d, const char *why)
{
	struct timeval	 tv = { d->conf.shutdown_timeout, 0 };
	char		 status[256];

	if (d->net.shutting_down)
		return;
	log_info("%s: finishing %d connection(s) and shutting down", why,
	    d->net.nconns);
	snprintf(status, sizeof(status), "%s: finishing %d connection(s)",
	    why, d->net.nconns);
	notify_stopping(status);
	d->net.shutting_down = 1;
	listener_pause(d->listener);
	conn_drain_all(&d->net);
	if (d->net.nconns == 0)
		event_base_loopexit(d->base, NULL);
	else
		evtimer_add(d->ev_shutdown_timer, &tv);
}

static void
on_sigterm(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev;
	begin_shutdown(arg, sig == SIGINT ? "SIGINT" : "SIGTERM");
}

static void
on_shutdown_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct coachd	*d = arg;

	(void)fd;
	(void)ev;
	log_warnx("shutdown timeout: closing %d connection(s)",
	    d->net.nconns);
	event_base_loopexit(d->base, NULL);
}

/*
 * SIGHUP: re-read the configuration and certificates.  Settings that need
 * new sockets or a new database (listen, store path) only take effect on
 * restart; everything else applies to the next request or connection.
 */
static int
reload(struct coachd *d)
{
	struct coachd_config	 nc;
	SSL_CTX			*ctx;
	char			 err[ERRMSG_LEN];

	if (config_load(d->conf_path, &nc, err, sizeof(err)) == -1) {
		log_warnx("SIGHUP: keeping the running configuration: %s",
		    err);
		return -1;
	}
	use_credentials(&nc);
	if ((ctx = tlsctx_new(&nc, err, sizeof(err))) == NULL) {
		log_warnx("SIGHUP: keeping the running configuration: %s",
		    err);
		return -1;
	}
	if (load_topics(&nc, &d->topics, err, sizeof(err)) == -1)
		log_warnx("SIGHUP: keeping the loaded topics: %s", err);
	if (load_categories(&nc, &d->categories, err, sizeof(err)) == -1)
		log_warnx("SIGHUP: keeping the loaded categories: %s", err);
	if (strcmp(nc.listen_addr, d->conf.listen_addr) != 0 ||
	    nc.listen_port != d->conf.listen_port ||
	    strcmp(nc.db_path, d->conf.db_path) != 0)
		log_warnx("SIGHUP: listen and store path changes need a "
		    "restart; keeping the old ones");
	if (strcmp(nc.note_key, d->conf.note_key) != 0 ||
	    strcmp(nc.note_key_credential, d->conf.note_key_credential) != 0)
		log_warnx("SIGHUP: a new note key takes effect only through "
		    "coachd --rotate-note-key and a restart; keeping the "
		    "loaded one");
	strcpy(nc.note_key, d->conf.note_key);
	strcpy(nc.note_key_credential, d->conf.note_key_credential);
	strcpy(nc.listen_addr, d->conf.listen_addr);
	nc.listen_port = d->conf.listen_port;
	strcpy(nc.db_path, d->conf.db_path);
	SSL_CTX_free(d->net.ssl_ctx);	/* live connections keep their ref */
	d->net.ssl_ctx = ctx;
	d->conf = nc;
	log_setlevel((enum log_level)d->conf.log_level);
	feeds_reload(d->feeds, d->net.ssl_ctx);
	set_feed_base(d);	/* base_url may have changed */
	log_info("SIGHUP: configuration and certificates reloaded");
	return 0;
}

/* SIGHUP: reload, telling the service manager when it begins and ends. */
static void
on_sighup(evutil_socket_t sig, short ev, void *arg)
{
	struct coachd	*d = arg;
	char		 status[256];
	int		 rc;

	(void)sig;
	(void)ev;
	notify_reloading();
	rc = reload(d);
	status_line(d, rc == 0 ? "reloaded" : "reload failed, running "
	    "configuration kept", status, sizeof(status));
	notify_ready(status);
}

/*
 * WatchdogSec=: the loop is alive as long as this timer fires.  The
 * status line rides along, so `systemctl status` shows a connection
 * count at most half a period old.
 */
static void
on_watchdog(evutil_socket_t fd, short ev, void *arg)
{
	struct coachd	*d = arg;
	char		 status[256];

	(void)fd;
	(void)ev;
	status_line(d, "running", status, sizeof(status));
	notify_watchdog(status);
}

/* Arm the watchdog timer at half the period systemd asked for. */
static int
setup_watchdog(struct coachd *d)
{
	struct timeval	tv;
	uint64_t	usec;

	if ((usec = notify_watchdog_usec()) == 0)
		return 0;
	usec /= 2;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	if ((d->ev_watchdog = event_new(d->base, -1, EV_PERSIST, on_watchdog,
	    d)) == NULL || event_add(d->ev_watchdog, &tv) == -1)
		return -1;
	return 0;
}

/* Load the note key and seal what is not sealed yet; logs what it did. */
static int
open_notes(struct coachd *d)
{
	struct notekey_info	info;
	char			err[ERRMSG_LEN];

	if (notekey_open(&d->conf, d->store, &d->note_key, &info, err,
	    sizeof(err)) == -1) {
		log_warnx("%s: %s", d->conf.db_path, err);
		return -1;
	}
	if (info.generated)
		log_info("notes: created note key %s (key id %s); keep a copy "
		    "apart from the database backups", info.source, info.id);
	if (info.nsealed > 0)
		log_info("notes: sealed %d plaintext note(s) with key id %s",
		    info.nsealed, info.id);
	return 0;
}

/* --rotate-note-key: re-seal every note with the key in path, offline. */
static int
rotate_note_key(struct coachd *d, const char *path)
{
	char	err[ERRMSG_LEN], id[SEAL_ID_HEX];
	int	n;

	if (notekey_rotate(&d->conf, path, &n, id, sizeof(id), err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "coachd: --rotate-note-key: %s\n", err);
		return -1;
	}
	printf("%d note(s) re-sealed with key id %s from %s.\n"
	    "Now set `note_key = %s` in [store] of %s (or put the new key\n"
	    "in the systemd credential), then start coachd; the old key no\n"
	    "longer opens them.\n", n, id, path, path, d->conf_path);
	return 0;
}

/* --init-admin: make a token for a new or existing administrator. */
static int
init_admin(struct coachd *d, const char *name)
{
	char		token[128], id[64], err[ERRMSG_LEN];
	unsigned char	hash[32];
	int		admins;

	/*
	 * Only while the store has no administrator with a live token, unless
	 * forced (every admin token lost): otherwise anyone who can run coachd
	 * on the database would mint admins silently next to the real ones.
	 */
	if (store_admin_count(d->store, &admins, err, sizeof(err)) !=
	    STORE_OK)
		goto fail;
	if (admins > 0 && !init_admin_force) {
		fprintf(stderr, "coachd: --init-admin: the store already has %d "
		    "administrator%s with a live token; issue more with "
		    "`coachctl admin token create --role admin`, or add "
		    "--force if every admin token is lost\n", admins,
		    admins == 1 ? "" : "s");
		return -1;
	}
	if (auth_token_new(token, sizeof(token), id, sizeof(id), hash, err,
	    sizeof(err)) == -1 ||
	    store_begin(d->store, err, sizeof(err)) != STORE_OK)
		goto fail;
	if (store_token_add(d->store, id, hash, COACHD__V1__ROLE__ADMIN, name,
	    "init-admin", (int64_t)time(NULL), "coachd --init-admin", err,
	    sizeof(err)) != STORE_OK) {
		store_rollback(d->store);
		goto fail;
	}
	if (store_commit(d->store, err, sizeof(err)) != STORE_OK)
		goto fail;
	printf("administrator: %s\ntoken id: %s\ntoken: %s\n"
	    "(the token is shown only this once; keep it secret)\n",
	    name, id, token);
	return 0;
fail:
	fprintf(stderr, "coachd: --init-admin: %s\n", err);
	return -1;
}

static int
setup_events(struct coachd *d)
{
	d->ev_sigterm = evsignal_new(d->base, SIGTERM, on_sigterm, d);
	d->ev_sigint = evsignal_new(d->base, SIGINT, on_sigterm, d);
	d->ev_sighup = evsignal_new(d->base, SIGHUP, on_sighup, d);
	d->ev_shutdown_timer = evtimer_new(d->base, on_shutdown_timer, d);
	if (d->ev_sigterm == NULL || d->ev_sigint == NULL ||
	    d->ev_sighup == NULL || d->ev_shutdown_timer == NULL)
		return -1;
	evsignal_add(d->ev_sigterm, NULL);
	evsignal_add(d->ev_sigint, NULL);
	evsignal_add(d->ev_sighup, NULL);
	return 0;
}

static void
teardown(struct coachd *d)
{
	conn_close_all(&d->net, "shutdown");
	conn_env_free(&d->net);
	listener_close(d->listener);
	change_hook_clear(&d->net.hooks);  /* the feeds hook's arg goes next */
	feeds_stop(d->feeds);
	if (d->ev_sigterm)
		event_free(d->ev_sigterm);
	if (d->ev_sigint)
		event_free(d->ev_sigint);
	if (d->ev_sighup)
		event_free(d->ev_sighup);
	if (d->ev_shutdown_timer)
		event_free(d->ev_shutdown_timer);
	if (d->ev_watchdog)
		event_free(d->ev_watchdog);
	if (d->store)
		store_close(d->store);
	seal_key_clear(&d->note_key);
	if (d->net.ssl_ctx)
		SSL_CTX_free(d->net.ssl_ctx);
	if (d->base)
		event_base_free(d->base);
	icaltimezone_free_builtin_timezones();
	taxonomy_topics_free(&d->topics);
	rpc_caps_free(&d->categories);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	  required_argument, NULL, 'c' },
		{ "check-config", no_argument,	     NULL, 'n' },
		{ "config-keys",  no_argument,	     NULL, 'k' },
		{ "init-admin",	  required_argument, NULL, 'a' },
		{ "force",	  no_argument,	     NULL, 'f' },
		{ "backup",	  required_argument, NULL, 'b' },
		{ "rotate-note-key", required_argument, NULL, 'r' },
		{ "debug",	  no_argument,	     NULL, 'd' },
		{ "version",	  no_argument,	     NULL, 'V' },
		{ "help",	  no_argument,	     NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct coachd	 d;
	const char	*admin = NULL, *backup = NULL, *rotate = NULL;
	char		 err[ERRMSG_LEN], status[256];
	int		 ch, check = 0, debug = 0, rc = 1;

	memset(&d, 0, sizeof(d));
	conn_env_init(&d.net);
	while ((ch = getopt_long(argc, argv, "c:dhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			snprintf(d.conf_path, sizeof(d.conf_path), "%s", optarg);
			break;
		case 'n':
			check = 1;
			break;
		case 'k':
			config_keys_print(stdout);
			return 0;
		case 'a':
			admin = optarg;
			break;
		case 'f':
			init_admin_force = 1;
			break;
		case 'b':
			backup = optarg;
			break;
		case 'r':
			rotate = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'V':
			printf("coachd %s\n", COACHD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	if (optind != argc || d.conf_path[0] == '\0') {
		usage(stderr);
		return 64;
	}
	log_init("coachd", LOG_LVL_INFO);
	if (config_load(d.conf_path, &d.conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	log_setlevel(debug ? LOG_LVL_DEBUG : (enum log_level)d.conf.log_level);
	use_credentials(&d.conf);
	/* Needs only the database: no certificates, no topics. */
	if (backup != NULL) {
		if (store_backup(d.conf.db_path, backup, err, sizeof(err)) !=
		    STORE_OK) {
			fprintf(stderr, "coachd: backup failed: %s\n", err);
			goto out;
		}
		printf("%s: copied to %s\n", d.conf.db_path, backup);
		rc = 0;
		goto out;
	}
	/*
	 * Needs only the database too, so that it runs as the service's
	 * user, who cannot read a TLS key that systemd passes as a
	 * credential.
	 */
	if (admin != NULL) {
		if (store_open(d.conf.db_path, &d.store, err, sizeof(err)) !=
		    STORE_OK) {
			fprintf(stderr, "coachd: %s: %s\n", d.conf.db_path, err);
			goto out;
		}
		rc = init_admin(&d, admin) == 0 ? 0 : 1;
		goto out;
	}
	if (rotate != NULL) {
		rc = rotate_note_key(&d, rotate) == 0 ? 0 : 1;
		goto out;
	}
	if ((d.net.ssl_ctx = tlsctx_new(&d.conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", d.conf_path, err);
		goto out;
	}
	if (load_topics(&d.conf, &d.topics, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", d.conf_path, err);
		goto out;
	}
	if (load_categories(&d.conf, &d.categories, err, sizeof(err)) ==
	    -1) {
		fprintf(stderr, "%s: %s\n", d.conf_path, err);
		goto out;
	}
	if (check && notekey_check(&d.conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", d.conf_path, err);
		goto out;
	}
	if (check) {
		printf("%s: configuration OK\n", d.conf_path);
		rc = 0;
		goto out;
	}
	if (store_open(d.conf.db_path, &d.store, err, sizeof(err)) !=
	    STORE_OK) {
		log_warnx("%s: %s", d.conf.db_path, err);
		goto out;
	}
	if (open_notes(&d) == -1)
		goto out;
	signal(SIGPIPE, SIG_IGN);
	if ((d.base = event_base_new()) == NULL || setup_events(&d) == -1) {
		log_warnx("cannot set up the event loop");
		goto out;
	}
	d.net.base = d.base;
	d.net.conf = &d.conf;
	d.net.store = d.store;
	d.net.topics = &d.topics;
	d.net.categories = &d.categories;
	d.net.server = "coachd " COACHD_VERSION;
	d.net.gone = conn_gone;
	d.net.gone_arg = &d;
	if (listener_open(&d.net, &d.listener, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		goto out;
	}
	log_info("coachd %s: listening on %s:%d (database %s)",
	    COACHD_VERSION, d.conf.listen_addr, listener_port(d.listener),
	    d.conf.db_path);
	if (feeds_start(d.base, d.store, &d.conf, d.net.ssl_ctx, &d.topics,
	    &d.feeds, err, sizeof(err)) == -1) {
		log_warnx("feeds: %s", err);
		goto out;
	}
	set_feed_base(&d);
	/* Feeds follow every commit that changed what they show. */
	if (d.feeds != NULL && change_hook_add(&d.net.hooks,
	    feeds_commit_hook, d.feeds) == -1) {
		log_warnx("feeds: cannot register the commit hook");
		goto out;
	}
	if (setup_watchdog(&d) == -1) {
		log_warnx("cannot set up the watchdog timer");
		goto out;
	}
	/* The store is open and both listeners are bound. */
	status_line(&d, "ready", status, sizeof(status));
	notify_ready(status);
	event_base_dispatch(d.base);
	log_info("stopped cleanly");
	rc = 0;
out:
	teardown(&d);
	return rc;
}
