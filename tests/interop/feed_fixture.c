/*
 * feed-fixture: a stand-in for coachd's feed side, so the feed renderer
 * and server can be tested with real clients before the daemon owns the
 * data.  It invents a small district (N teacher feeds plus one coach feed
 * holding every session), renders with ics_render(), serves with
 * feed_server on 127.0.0.1 (TLS with --cert/--key, else plain HTTP), and
 * takes commands on stdin:
 *
 *	reschedule F E [MIN]	move teacher F's event E by MIN minutes
 *				(default 1440), SEQUENCE+1, re-publish
 *	cancel F E		STATUS:CANCELLED, SEQUENCE+1, re-publish
 *	revoke F		410 from now on ("coach" = the coach feed)
 *	revoke-new		revoke a fresh, never published token;
 *				prints its path (410 without a publish)
 *	remove F		404 from now on
 *	stats			counters
 *	quit			exit (also on EOF, SIGINT, SIGTERM)
 *
 * --gzip-only runs the server in its memory-saving mode (feed_config).
 * Output, one line each: "port P", "feed NAME TOKEN URL" per feed, "ready";
 * then one "ok ..." or "error ..." line per command.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "feed.h"
#include "ics.h"

#define FX_BASE_TIME	1790000000	/* fixed "created" time: stable bytes */
#define FX_MAX_LINE	256

struct fx_event {
	char		 uid[64];
	char		 summary[128];
	enum ics_status	 status;
	unsigned int	 sequence;
	struct ics_time	 start, end;
	time_t		 modified;
	int		 teacher;
};

struct fx_feed {
	char		 name[32];
	char		 token[FEED_TOKEN_BUFSZ];
	unsigned char	 hash[FEED_HASH_LEN];
};

struct fixture {
	struct event_base	*base;
	struct feed_server	*fs;
	struct ics_renderer	*ics;
	struct fx_event		*events;
	size_t			 nevents;
	struct fx_feed		*feeds;		/* nteachers + 1 (coach) */
	int			 nteachers;
	int			 per_teacher;
	time_t			 clock;		/* data clock, not wall time */
	char			 line[FX_MAX_LINE];
	size_t			 linelen;
};

static const char *const fx_kinds[3] = {
	"initial meeting", "observation", "debrief"
};
static const char *const fx_cats[2] = { "Coaching", "Observation" };

static long long
fx_days(int y, int m, int d)
{
	long long	era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* Move a wall time by minutes (calendar arithmetic, no zone involved). */
static void
fx_shift(struct ics_time *t, long minutes)
{
	long long	m, z, era, doe, yoe, doy, mp;

	m = (fx_days(t->year, t->month, t->day) * 1440 + t->hour * 60 +
	    t->minute) + minutes;
	t->hour = (int)((m % 1440) / 60);
	t->minute = (int)(m % 60);
	z = m / 1440 + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	t->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	t->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	t->year = (int)(yoe + era * 400 + (t->month <= 2));
}

static void
fx_make_events(struct fixture *fx)
{
	struct fx_event	*e;
	int		 t, i;

	for (t = 0; t < fx->nteachers; t++) {
		for (i = 0; i < fx->per_teacher; i++) {
			e = &fx->events[t * fx->per_teacher + i];
			e->teacher = t;
			snprintf(e->uid, sizeof(e->uid),
			    "session-%d-%d@fixture.coachd.test", t, i);
			snprintf(e->summary, sizeof(e->summary),
			    "Coaching: %s, %d%s period Biology",
			    fx_kinds[i % 3], i % 7 + 1,
			    i % 7 == 0 ? "st" : i % 7 == 1 ? "nd" :
			    i % 7 == 2 ? "rd" : "th");
			/* Every fifth one only proposed so far. */
			e->status = i % 5 == 4 ? ICS_TENTATIVE :
			    ICS_CONFIRMED;
			e->sequence = 0;
			e->start = (struct ics_time){ 2026, 12, 1, 8, 0, 0 };
			/* Every 2-3 school days, a period later each time. */
			fx_shift(&e->start, (long)(i * 3 + t % 2) * 1440 +
			    (i % 7) * 55);
			e->end = e->start;
			fx_shift(&e->end, 45);
			e->modified = FX_BASE_TIME + i;
		}
	}
}

/* Render the feed at index f (teacher f, or the coach feed) and publish. */
static int
fx_publish(struct fixture *fx, int f, char *err, size_t errlen)
{
	struct ics_event	*ev;
	struct ics_person	 att[2];
	struct ics_calendar	 cal = { 0 };
	char			 calname[96];
	char			*body = NULL;
	size_t			 i, n = 0, len = 0;
	time_t			 lm = FX_BASE_TIME;
	int			 rc = -1;

	if ((ev = calloc(fx->nevents, sizeof(*ev))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	att[0] = (struct ics_person){ "Zoë O'Brien, \"ZO\"", "zoe@school.test" };
	att[1] = (struct ics_person){ "Łukasz Kowalski", "lukasz@school.test" };
	for (i = 0; i < fx->nevents; i++) {
		const struct fx_event *e = &fx->events[i];

		if (f < fx->nteachers && e->teacher != f)
			continue;
		ev[n] = (struct ics_event){
			.uid = e->uid, .status = e->status,
			.sequence = e->sequence, .start = e->start,
			.end = e->end, .summary = e->summary,
			.location = "Lincoln High; Room 2.14, Science wing",
			.description = "Inquiry question: how do I get more "
			    "students to ask their own questions? Ünïcödé "
			    "→ 日本語のテキスト, emoji 🎓; back\\slash.\n"
			    "Second line.",
			.categories = fx_cats, .ncategories = 2,
			.organizer = { "Coach Ana María Núñez",
			    "ana@coach.test" },
			.attendees = att, .nattendees = 2,
			.created = FX_BASE_TIME - 86400,
			.last_modified = e->modified,
		};
		if (e->modified > lm)
			lm = e->modified;
		n++;
	}
	if (f < fx->nteachers)
		snprintf(calname, sizeof(calname),
		    "Coaching – teacher %d, Lincoln High; Biology", f);
	else
		snprintf(calname, sizeof(calname), "Coaching – Ana María Núñez");
	cal.name = calname;
	cal.refresh_secs = 3600;
	if (ics_render(fx->ics, &cal, ev, n, &body, &len, err, errlen) != 0)
		goto out;
	if (feed_publish(fx->fs, fx->feeds[f].hash, body, len, lm, err,
	    errlen) != 0)
		goto out;
	rc = 0;
out:
	free(body);
	free(ev);
	return rc;
}

/* Feed index from "N" or "coach"; -1 if neither. */
static int
fx_feed_index(const struct fixture *fx, const char *s)
{
	char	*end;
	long	 v;

	if (strcmp(s, "coach") == 0)
		return fx->nteachers;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v >= fx->nteachers)
		return -1;
	return (int)v;
}

static double
fx_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* reschedule/cancel: change, re-render teacher + coach feeds, publish. */
static void
fx_change(struct fixture *fx, const char *cmd, int f, const char *es,
    const char *mins)
{
	struct fx_event	*e;
	char		 err[256];
	double		 t0;
	long		 ei;

	ei = es != NULL ? strtol(es, NULL, 10) : -1;
	if (f < 0 || f >= fx->nteachers || ei < 0 || ei >= fx->per_teacher) {
		printf("error bad feed/event\n");
		return;
	}
	e = &fx->events[f * fx->per_teacher + ei];
	t0 = fx_now_us();
	if (strcmp(cmd, "cancel") == 0)
		e->status = ICS_CANCELLED;
	else {
		fx_shift(&e->start, mins != NULL ? strtol(mins, NULL, 10) : 1440);
		fx_shift(&e->end, mins != NULL ? strtol(mins, NULL, 10) : 1440);
	}
	e->sequence++;
	fx->clock += 60;
	e->modified = fx->clock;
	if (fx_publish(fx, f, err, sizeof(err)) != 0 ||
	    fx_publish(fx, fx->nteachers, err, sizeof(err)) != 0) {
		printf("error %s\n", err);
		return;
	}
	printf("ok %s %d %ld seq=%u start=%04d%02d%02dT%02d%02d%02d "
	    "publish_us=%.0f\n", cmd, f, ei, e->sequence, e->start.year,
	    e->start.month, e->start.day, e->start.hour, e->start.minute,
	    e->start.second, fx_now_us() - t0);
}

/* A token never published, revoked straight away (a revoked row at start). */
static void
fx_revoke_new(struct fixture *fx)
{
	char		tok[FEED_TOKEN_BUFSZ], err[256];
	unsigned char	h[FEED_HASH_LEN];

	if (feed_token_new(tok, sizeof(tok), h, err, sizeof(err)) != 0 ||
	    feed_revoke(fx->fs, h) != 0) {
		printf("error revoke-new\n");
		return;
	}
	printf("ok revoke-new /feeds/%s.ics\n", tok);
}

static void
fx_command(struct fixture *fx, char *line)
{
	char			*argv[4] = { NULL }, *p, *save = NULL;
	struct feed_stats	 st;
	int			 argc = 0, f;

	for (p = strtok_r(line, " \t\r", &save); p != NULL && argc < 4;
	    p = strtok_r(NULL, " \t\r", &save))
		argv[argc++] = p;
	if (argc == 0)
		return;
	f = argc > 1 ? fx_feed_index(fx, argv[1]) : -1;
	if (strcmp(argv[0], "reschedule") == 0 || strcmp(argv[0], "cancel") == 0)
		fx_change(fx, argv[0], f, argv[2], argv[3]);
	else if (strcmp(argv[0], "revoke") == 0 && f >= 0)
		printf(feed_revoke(fx->fs, fx->feeds[f].hash) == 0 ?
		    "ok revoke\n" : "error revoke\n");
	else if (strcmp(argv[0], "revoke-new") == 0)
		fx_revoke_new(fx);
	else if (strcmp(argv[0], "remove") == 0 && f >= 0)
		printf(feed_remove(fx->fs, fx->feeds[f].hash) == 0 ?
		    "ok remove\n" : "error remove\n");
	else if (strcmp(argv[0], "stats") == 0) {
		feed_server_stats(fx->fs, &st);
		printf("ok stats feeds=%zu bytes=%zu requests=%llu "
		    "not_modified=%llu\n", st.feeds, st.bytes, st.requests,
		    st.not_modified);
	} else if (strcmp(argv[0], "quit") == 0) {
		printf("ok quit\n");
		event_base_loopbreak(fx->base);
	} else
		printf("error unknown command\n");
	fflush(stdout);
}

static void
fx_stdin(evutil_socket_t fd, short what, void *arg)
{
	struct fixture	*fx = arg;
	char		 c;
	ssize_t		 n;

	(void)what;
	/* Byte at a time: commands are rare and tiny. */
	while ((n = read(fd, &c, 1)) == 1) {
		if (c == '\n') {
			fx->line[fx->linelen] = '\0';
			fx->linelen = 0;
			fx_command(fx, fx->line);
			return;
		}
		if (fx->linelen < sizeof(fx->line) - 1)
			fx->line[fx->linelen++] = c;
	}
	if (n == 0)
		event_base_loopbreak(fx->base);
}

static void
fx_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

static SSL_CTX *
fx_tls(const char *cert, const char *key)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * epoll changelist: evhttp and bufferevent_openssl switch read/write
 * interest on and off several times per request; the changelist folds
 * those into at most one epoll_ctl per fd per loop iteration.
 */
static struct event_base *
fx_base(void)
{
	struct event_config	*cfg;
	struct event_base	*base;

	if ((cfg = event_config_new()) == NULL)
		return NULL;
	event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return base;
}

static void
usage(void)
{
	fprintf(stderr, "usage: feed-fixture [--cert F --key F] [--teachers N]"
	    " [--events M] [--tz ZONE] [--port P] [--gzip-only]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct fixture		 fx = { 0 };
	struct feed_config	 cfg = { 0 };
	struct event		*ev_in = NULL, *ev_int = NULL, *ev_term = NULL;
	SSL_CTX			*ctx = NULL;
	const char		*cert = NULL, *key = NULL, *tz = "America/Chicago";
	char			 err[256];
	int			 i, rc = 1;

	fx.nteachers = 3;
	fx.per_teacher = 6;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--gzip-only") == 0) {
			cfg.gzip_only = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--cert") == 0)
			cert = argv[++i];
		else if (strcmp(argv[i], "--key") == 0)
			key = argv[++i];
		else if (strcmp(argv[i], "--teachers") == 0)
			fx.nteachers = atoi(argv[++i]);
		else if (strcmp(argv[i], "--events") == 0)
			fx.per_teacher = atoi(argv[++i]);
		else if (strcmp(argv[i], "--tz") == 0)
			tz = argv[++i];
		else if (strcmp(argv[i], "--port") == 0)
			cfg.port = (unsigned short)atoi(argv[++i]);
		else
			usage();
	}
	if (fx.nteachers < 1 || fx.per_teacher < 1 || (cert == NULL) != (key == NULL))
		usage();
	signal(SIGPIPE, SIG_IGN);
	fx.clock = FX_BASE_TIME + 100000;
	fx.nevents = (size_t)fx.nteachers * (size_t)fx.per_teacher;
	fx.events = calloc(fx.nevents, sizeof(*fx.events));
	fx.feeds = calloc((size_t)fx.nteachers + 1, sizeof(*fx.feeds));
	if (fx.events == NULL || fx.feeds == NULL)
		goto out;
	fx_make_events(&fx);
	if (cert != NULL && (ctx = fx_tls(cert, key)) == NULL) {
		fprintf(stderr, "feed-fixture: cannot load %s / %s\n", cert, key);
		goto out;
	}
	if ((fx.ics = ics_renderer_new(tz, 2025, err, sizeof(err))) == NULL ||
	    (fx.base = fx_base()) == NULL ||
	    (fx.fs = feed_server_new(fx.base, ctx, &cfg, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "feed-fixture: %s\n", err);
		goto out;
	}
	printf("port %u\n", feed_server_port(fx.fs));
	for (i = 0; i <= fx.nteachers; i++) {
		struct fx_feed *f = &fx.feeds[i];

		if (i < fx.nteachers)
			snprintf(f->name, sizeof(f->name), "%d", i);
		else
			snprintf(f->name, sizeof(f->name), "coach");
		if (feed_token_new(f->token, sizeof(f->token), f->hash, err,
		    sizeof(err)) != 0 || fx_publish(&fx, i, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "feed-fixture: %s\n", err);
			goto out;
		}
		printf("feed %s %s %s://127.0.0.1:%u/feeds/%s.ics\n", f->name,
		    f->token, ctx != NULL ? "https" : "http",
		    feed_server_port(fx.fs), f->token);
	}
	printf("ready\n");
	fflush(stdout);
	ev_in = event_new(fx.base, 0, EV_READ | EV_PERSIST, fx_stdin, &fx);
	ev_int = evsignal_new(fx.base, SIGINT, fx_signal, fx.base);
	ev_term = evsignal_new(fx.base, SIGTERM, fx_signal, fx.base);
	if (ev_in == NULL || ev_int == NULL || ev_term == NULL ||
	    event_add(ev_in, NULL) != 0 || event_add(ev_int, NULL) != 0 ||
	    event_add(ev_term, NULL) != 0)
		goto out;
	event_base_dispatch(fx.base);
	rc = 0;
out:
	if (ev_in != NULL)
		event_free(ev_in);
	if (ev_int != NULL)
		event_free(ev_int);
	if (ev_term != NULL)
		event_free(ev_term);
	feed_server_free(fx.fs);
	if (fx.base != NULL)
		event_base_free(fx.base);
	ics_renderer_free(fx.ics);
	SSL_CTX_free(ctx);
	free(fx.events);
	free(fx.feeds);
	return rc;
}
