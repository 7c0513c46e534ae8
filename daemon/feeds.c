/*
 * feeds: renders coachd's iCalendar feeds from the store and publishes
 * them into the feed server (see feeds.h).  The store is read outside any
 * request's transaction, only after commits, so a rolled-back change is
 * never published.  Each event points into its session row and its own
 * small text buffers (struct feeds_evtext), which outlive ics_render().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "change.h"
#include "config.h"
#include "errmsg.h"
#include "feed.h"
#include "feeds.h"
#include "ics.h"
#include "log.h"
#include "store.h"
#include "store_feed.h"
#include "taxonomy.h"
#include "xmalloc.h"

#define FEEDS_DIRTY_MAX		256	/* more touches: re-render all */
#define FEEDS_SWEEP_SECS	3600	/* retention sweep, at most this apart */
#define FEEDS_TEXT		512

struct feeds {
	/* The daemon's; it updates conf and topics in place on SIGHUP. */
	const struct coachd_config	*conf;
	struct store			*store;
	const struct taxonomy_topics	*topics;
	struct feed_server	*srv;
	struct ics_renderer	*ics;
	struct event		*timer;
	struct store_feed_token	*toks;	/* last synced, id order */
	size_t			 ntoks;
	struct change_ref	 dirty[FEEDS_DIRTY_MAX];
	size_t			 ndirty;
	int			 all_dirty;
	int			 tokens_changed;	/* change_tokens() */
	time_t			 swept;		/* last retention sweep */
	unsigned short		 port;
};

static int	touch_place(const char *, const char *, const char *, void *);

/* Per-event text the ics structs point into. */
struct feeds_evtext {
	char			 summary[FEEDS_TEXT];
	char			 location[FEEDS_TEXT];
	char			 description[FEEDS_TEXT];
	const char		*categories[2];
	struct ics_person	 attendee;
};

static const char *
topic_name(const struct feeds *f, const char *id)
{
	int	i;

	if (f->topics == NULL || (i = taxonomy_find_topic(f->topics, id)) < 0)
		return id;
	return f->topics->v[i].name;
}

/* "3" -> "3rd period", "A" -> "A period", "" -> "". */
static void
period_text(const char *p, char *out, size_t len)
{
	const char	*sfx = "th";
	size_t		 n = strlen(p), i;
	int		 digits = n > 0, v;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			digits = 0;
	if (n == 0) {
		out[0] = '\0';
		return;
	}
	if (!digits) {
		snprintf(out, len, "%s period", p);
		return;
	}
	v = atoi(p);
	if (v % 100 < 11 || v % 100 > 13) {
		if (v % 10 == 1)
			sfx = "st";
		else if (v % 10 == 2)
			sfx = "nd";
		else if (v % 10 == 3)
			sfx = "rd";
	}
	snprintf(out, len, "%d%s period", v, sfx);
}

/* Session row -> ics event; strings borrowed from r and t. */
static int
event_from_row(const struct feeds *f, const struct store_feed_session *r,
    struct feeds_evtext *t, struct ics_event *e)
{
	char		 per[64];
	const char	*cls, *room;

	memset(e, 0, sizeof *e);
	if (sscanf(r->date, "%4d-%2d-%2d", &e->start.year, &e->start.month,
	    &e->start.day) != 3)
		return -1;
	e->end = e->start;
	e->start.hour = r->start_min / 60;
	e->start.minute = r->start_min % 60;
	e->end.hour = r->end_min / 60;
	e->end.minute = r->end_min % 60;
	if (r->end_min >= 1440) {	/* session ending at midnight */
		e->end.hour = 23;
		e->end.minute = 59;
		e->end.second = 59;
	}
	e->uid = r->uid;
	/* A slot not yet agreed (scheduler proposal, request): TENTATIVE. */
	if (strcmp(r->status, "cancelled") == 0 ||
	    strcmp(r->status, "declined") == 0)
		e->status = ICS_CANCELLED;
	else if (strcmp(r->status, "proposed") == 0 ||
	    strcmp(r->status, "requested") == 0)
		e->status = ICS_TENTATIVE;
	else
		e->status = ICS_CONFIRMED;
	e->sequence = r->sequence < 0 ? 0 : (unsigned int)r->sequence;

	cls = r->class_subject[0] != '\0' ? r->class_subject : r->class_title;
	period_text(r->period, per, sizeof per);
	if (cls[0] != '\0')
		snprintf(t->summary, sizeof t->summary, "Coaching: %s, %s%s%s",
		    r->kind, per, per[0] != '\0' ? " " : "", cls);
	else
		snprintf(t->summary, sizeof t->summary, "Coaching: %s",
		    r->kind);
	e->summary = t->summary;

	room = r->room[0] != '\0' ? r->room : r->class_room;
	if (room[0] != '\0')
		snprintf(t->location, sizeof t->location, "%s, room %s",
		    r->school_name, room);
	else
		snprintf(t->location, sizeof t->location, "%s",
		    r->school_name);
	e->location = t->location;

	/* The question's topic only: coaching notes never reach a feed. */
	if (r->topic[0] != '\0') {
		snprintf(t->description, sizeof t->description,
		    "Inquiry question topic: %s", topic_name(f, r->topic));
		e->description = t->description;
	}
	t->categories[0] = "Coaching";
	t->categories[1] = r->kind;
	e->categories = t->categories;
	e->ncategories = 2;
	if (r->coach_email[0] != '\0') {
		e->organizer.name = r->coach_name;
		e->organizer.email = r->coach_email;
	}
	if (r->teacher_email[0] != '\0') {
		t->attendee.name = r->teacher_name;
		t->attendee.email = r->teacher_email;
		e->attendees = &t->attendee;
		e->nattendees = 1;
	}
	e->created = (time_t)r->created_at;
	e->last_modified = (time_t)r->modified_at;
	return 0;
}

/* Expand the calendar-name pattern: %n subject name, %d district. */
static void
calendar_name(const struct coachd_config *conf, const char *subject,
    char *out, size_t len)
{
	const char	*p;
	size_t		 o = 0;
	int		 w;

	out[0] = '\0';
	for (p = conf->feeds_calname; *p != '\0' && o + 1 < len; p++) {
		if (p[0] == '%' && (p[1] == 'n' || p[1] == 'd')) {
			w = snprintf(out + o, len - o, "%s", p[1] == 'n' ?
			    subject : conf->district_name);
			o += w < 0 ? 0 : (size_t)w;
			if (o >= len)
				o = len - 1;
			p++;
			continue;
		}
		if (p[0] == '%' && p[1] == '%')
			p++;
		out[o++] = *p;
		out[o] = '\0';
	}
}

/* Render one feed and publish it under the token's hash. */
static int
render_one(struct feeds *f, const struct store_feed_token *tok, time_t now,
    size_t *nevents, char *err, size_t errlen)
{
	const struct coachd_config	*conf = f->conf;
	struct store_feed_session	*rows = NULL;
	struct ics_event		*ev = NULL;
	struct feeds_evtext		*tx = NULL;
	struct ics_calendar		 cal;
	char				 name[STORE_TEXT_MAX + 1];
	char				 cname[512];
	char				*body = NULL;
	size_t				 n = 0, i, k = 0, len;
	time_t				 lm = (time_t)tok->created_at;
	int				 rc = -1;

	if (store_feed_subject_name(f->store, tok->kind, tok->subject, name,
	    sizeof name, err, errlen) == STORE_ERROR)
		goto out;
	if (name[0] == '\0')
		snprintf(name, sizeof name, "%s", tok->subject);
	if (store_feed_sessions(f->store, tok->kind, tok->subject,
	    (int64_t)now - conf->feeds_retention, &rows, &n, err, errlen) !=
	    STORE_OK)
		goto out;
	if (n > 0) {
		ev = xcalloc(n, sizeof *ev);
		tx = xcalloc(n, sizeof *tx);
	}
	for (i = 0; i < n; i++) {
		if (event_from_row(f, &rows[i], &tx[k], &ev[k]) == -1) {
			log_warnx("feeds: session %s: bad date '%s', skipped",
			    rows[i].uid, rows[i].date);
			continue;
		}
		if (ev[k].last_modified > lm)
			lm = ev[k].last_modified;
		k++;
	}
	calendar_name(conf, name, cname, sizeof cname);
	memset(&cal, 0, sizeof cal);
	cal.name = cname;
	cal.refresh_secs = (unsigned int)conf->feeds_refresh;
	if (ics_render(f->ics, &cal, ev, k, &body, &len, err, errlen) == -1)
		goto out;
	if (feed_publish(f->srv, tok->hash, body, len, lm, err, errlen) == -1)
		goto out;
	*nevents += k;
	rc = 0;
out:
	free(body);
	free(tx);
	free(ev);
	store_feed_sessions_free(rows, n);
	return rc;
}

/* Whether a live token's feed is among the touched ones. */
static int
is_dirty(const struct feeds *f, const struct store_feed_token *t)
{
	size_t	i;

	if (f->all_dirty)
		return 1;
	for (i = 0; i < f->ndirty; i++)
		if (f->dirty[i].kind == t->kind &&
		    strcmp(f->dirty[i].id, t->subject) == 0)
			return 1;
	return 0;
}

/* Token by id in the last synced list (sorted by id), or NULL. */
static const struct store_feed_token *
old_token(const struct feeds *f, int64_t id)
{
	size_t	lo = 0, hi = f->ntoks, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->toks[mid].id == id)
			return &f->toks[mid];
		if (f->toks[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Bring the server in line with the store: new tokens published, revoked
 * ones (new or newly revoked) revoked, so 410, dirty live feeds re-rendered.
 */
static void
sync_feeds(struct feeds *f, time_t now)
{
	struct store_feed_token		*toks;
	const struct store_feed_token	*o;
	struct timespec			 t0, t1;
	size_t				 n, i, nfeeds = 0, nev = 0;
	char				 err[ERRMSG_LEN];

	if (store_feed_token_all(f->store, &toks, &n, err, sizeof err) !=
	    STORE_OK) {
		log_warnx("feeds: cannot read tokens: %s", err);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		o = old_token(f, toks[i].id);
		if (toks[i].revoked) {
			if (o == NULL || !o->revoked)
				(void)feed_revoke(f->srv, toks[i].hash);
			continue;
		}
		if (o != NULL && !is_dirty(f, &toks[i]))
			continue;
		if (render_one(f, &toks[i], now, &nev, err, sizeof err) ==
		    -1) {
			log_warnx("feeds: %s feed of '%s': %s",
			    store_feed_kind_name(toks[i].kind),
			    toks[i].subject, err);
			continue;
		}
		nfeeds++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(f->toks);
	f->toks = toks;
	f->ntoks = n;
	f->ndirty = 0;
	f->all_dirty = 0;
	f->tokens_changed = 0;
	if (nfeeds > 0)
		log_info("feeds: rendered %zu feed%s (%zu events) in %.1f ms",
		    nfeeds, nfeeds == 1 ? "" : "s", nev,
		    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
}

/*
 * How often cancelled sessions are swept out: a quarter of the retention,
 * so they leave close to when it ends, but at least hourly and never
 * more than once a second.
 */
static struct timeval
sweep_interval(const struct coachd_config *conf)
{
	struct timeval	tv = { FEEDS_SWEEP_SECS, 0 };

	if (conf->feeds_retention / 4 < FEEDS_SWEEP_SECS)
		tv.tv_sec = conf->feeds_retention / 4 > 0 ?
		    (time_t)(conf->feeds_retention / 4) : 1;
	return tv;
}

/*
 * Re-render only the feeds with a cancelled session whose retention ended
 * since the last sweep: everything else in a feed depends on the store
 * alone, which commits already follow.  Re-rendering every feed hourly
 * instead would block the loop for most of a minute in a 100,000-teacher
 * district (docs/benchmarks.md).
 */
static void
on_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct feeds	*f = arg;
	time_t		 now = time(NULL);
	char		 err[ERRMSG_LEN];

	(void)fd;
	(void)ev;
	if (store_feed_expired(f->store, (int64_t)f->swept, (int64_t)now,
	    f->conf->feeds_retention, touch_place, f, err, sizeof err) !=
	    STORE_OK) {
		log_warnx("feeds: retention sweep: %s; re-rendering all", err);
		f->all_dirty = 1;
	}
	f->swept = now;
	if (f->ndirty > 0 || f->all_dirty)
		sync_feeds(f, now);
}

int
feeds_start(struct event_base *base, struct store *store,
    const struct coachd_config *conf, SSL_CTX *ssl_ctx,
    const struct taxonomy_topics *topics, struct feeds **out, char *err,
    size_t errlen)
{
	struct feeds		*f;
	struct feed_config	 fc;
	struct timeval		 tv = sweep_interval(conf);
	struct tm		 tm;
	time_t			 now = time(NULL);

	*out = NULL;
	if (!conf->feeds_enabled)
		return 0;
	f = xcalloc(1, sizeof *f);
	f->conf = conf;
	f->store = store;
	f->topics = topics;
	gmtime_r(&now, &tm);
	/* Zone history from last year on: enough for every feed's events. */
	if ((f->ics = ics_renderer_new(conf->timezone, tm.tm_year + 1900 - 1,
	    err, errlen)) == NULL)
		goto fail;
	memset(&fc, 0, sizeof fc);
	fc.addr = conf->feeds_addr;
	fc.port = (unsigned short)conf->feeds_port;
	fc.gzip_only = conf->feeds_gzip_only;	/* fixed until restart */
	fc.timeout = conf->feeds_timeout;
	fc.max_connections = conf->feeds_max_connections;
	fc.max_connection_time = conf->feeds_max_connection_time;
	if ((f->srv = feed_server_new(base, conf->feeds_tls ? ssl_ctx : NULL,
	    &fc, err, errlen)) == NULL)
		goto fail;
	f->port = feed_server_port(f->srv);
	if ((f->timer = event_new(base, -1, EV_PERSIST, on_timer, f)) ==
	    NULL || event_add(f->timer, &tv) == -1) {
		errmsg(err, errlen, "cannot set up the feeds timer");
		goto fail;
	}
	f->all_dirty = 1;
	f->swept = now;
	sync_feeds(f, now);
	log_info("feeds listening on %s:%u (%s%s)", conf->feeds_addr,
	    (unsigned)f->port, conf->feeds_tls ? "https" : "plain http",
	    conf->feeds_gzip_only ? ", gzip only" : "");
	*out = f;
	return 0;
fail:
	feeds_stop(f);
	return -1;
}

void
feeds_stop(struct feeds *f)
{
	if (f == NULL)
		return;
	if (f->timer != NULL)
		event_free(f->timer);
	if (f->srv != NULL)
		feed_server_free(f->srv);
	if (f->ics != NULL)
		ics_renderer_free(f->ics);
	free(f->toks);
	free(f);
}

static void
touch_one(struct feeds *f, enum store_feed_kind kind, const char *id)
{
	if (!f->all_dirty && change_ref_add(f->dirty, &f->ndirty,
	    FEEDS_DIRTY_MAX, kind, id) == -1)
		f->all_dirty = 1;
}

static int
touch_place(const char *coach, const char *teacher, const char *school,
    void *arg)
{
	struct feeds	*f = arg;

	touch_one(f, STORE_FEED_COACH, coach);
	touch_one(f, STORE_FEED_TEACHER, teacher);
	touch_one(f, STORE_FEED_SCHOOL, school);
	return f->all_dirty;	/* past FEEDS_DIRTY_MAX: no need to go on */
}

/* A renamed record shows in its own feed and in those of its sessions. */
static void
touch_roster(struct feeds *f, const struct change_ref *r)
{
	char	err[ERRMSG_LEN];

	touch_one(f, r->kind, r->id);
	if (store_feed_places(f->store, r->kind, r->id, touch_place, f,
	    err, sizeof err) != STORE_OK) {
		log_warnx("feeds: sessions of %s '%s': %s; re-rendering all",
		    store_feed_kind_name(r->kind), r->id, err);
		f->all_dirty = 1;
	}
}

void
feeds_commit_hook(const struct change_set *cs, void *arg)
{
	struct feeds	*f = arg;
	size_t		 i;

	if (cs->all)
		f->all_dirty = 1;
	if (cs->tokens)
		f->tokens_changed = 1;
	for (i = 0; i < cs->ntouched; i++)
		touch_one(f, cs->touched[i].kind, cs->touched[i].id);
	for (i = 0; i < cs->nroster; i++)
		touch_roster(f, &cs->roster[i]);
	/* Changes reported without saying whose: every feed may differ. */
	if (f->ndirty == 0 && !f->tokens_changed)
		f->all_dirty = 1;
	sync_feeds(f, time(NULL));
}

void
feeds_reload(struct feeds *f, SSL_CTX *ssl_ctx)
{
	struct timeval	tv;

	if (f == NULL)
		return;
	if (f->conf->feeds_tls && ssl_ctx != NULL &&
	    feed_server_set_ssl_ctx(f->srv, ssl_ctx) == 0)
		log_info("feeds: new connections use the reloaded "
		    "certificate");
	f->all_dirty = 1;	/* names, topics and patterns may differ */
	f->swept = time(NULL);
	tv = sweep_interval(f->conf);	/* the retention may have changed */
	if (event_add(f->timer, &tv) == -1)
		log_warnx("feeds: cannot re-arm the retention sweep");
	sync_feeds(f, f->swept);
}

void
feeds_base_url(const struct feeds *f, char *buf, size_t len)
{
	const struct coachd_config	*conf = f->conf;
	size_t				 n;

	if (conf->feeds_base_url[0] != '\0')
		snprintf(buf, len, "%s", conf->feeds_base_url);
	else
		snprintf(buf, len, strchr(conf->feeds_addr, ':') ?
		    "%s://[%s]:%u" : "%s://%s:%u",
		    conf->feeds_tls ? "https" : "http", conf->feeds_addr,
		    (unsigned)f->port);
	while ((n = strlen(buf)) > 0 && buf[n - 1] == '/')
		buf[n - 1] = '\0';	/* base_url may end in a slash */
}
