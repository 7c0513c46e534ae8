/*
 * feed-render-bench: what rendering and publishing every feed of a large
 * district costs.  Invents T teachers with E sessions each and one coach
 * per 12 teachers (the coach feed holds all its teachers' sessions),
 * renders every teacher and coach feed with ics_render() and publishes it
 * into a feed_server (ETag + gzip), then prints times and memory.
 *
 *	feed-render-bench [--teachers 100000] [--events 24]
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "feed.h"
#include "ics.h"

#define PER_COACH	12

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
rss_kb(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Session i of teacher t, strings in the caller's buffers. */
static void
mk(struct ics_event *e, char *uid, size_t ulen, int t, int i)
{
	static const char *const cats[1] = { "Coaching" };
	static const char *const kinds[3] = {
		"Coaching: initial meeting, 2nd period Biology",
		"Coaching: observation, 3rd period Biology",
		"Coaching: debrief, 5th period Biology"
	};
	int	day = 1 + (i * 7 + t % 5) % 28;

	snprintf(uid, ulen, "s%d-%d@district.test", t, i);
	*e = (struct ics_event){
		.uid = uid, .status = i % 10 == 9 ? ICS_CANCELLED :
		    ICS_CONFIRMED,
		.sequence = (unsigned)(i % 3),
		.start = { 2026 + (i >= 12), 1 + i % 12, day, 8 + i % 7, 0, 0 },
		.end = { 2026 + (i >= 12), 1 + i % 12, day, 8 + i % 7, 45, 0 },
		.summary = kinds[i % 3],
		.location = "Lincoln High School, Room 214",
		.description = "Inquiry: student questioning in lab work",
		.categories = cats, .ncategories = 1,
		.organizer = { "Ana Núñez", "ana.nunez@district.test" },
		.created = 1780000000 + i, .last_modified = 1780000000 + i * 60,
	};
}

int
main(int argc, char **argv)
{
	struct ics_renderer	*r;
	struct event_base	*base;
	struct feed_server	*fs;
	struct feed_config	 cfg = { 0 };
	struct feed_stats	 st;
	struct ics_calendar	 cal = { .name = "Coaching", .refresh_secs = 3600 };
	struct ics_event	*ev;
	char			(*uids)[40], err[256], *body, tok[FEED_TOKEN_BUFSZ];
	unsigned char		 h[FEED_HASH_LEN];
	size_t			 len, rbytes = 0, nfeeds = 0, cap;
	double			 t0, trender = 0, tpub = 0, t;
	long			 rss0;
	int			 teachers = 100000, events = 24, i, j, c, ncoach;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--teachers") == 0)
			teachers = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--events") == 0)
			events = atoi(argv[i + 1]);
	}
	if (teachers < 1 || events < 1)
		return 2;
	cap = (size_t)events * PER_COACH;
	ev = calloc(cap, sizeof(*ev));
	uids = calloc(cap, sizeof(*uids));
	base = event_base_new();
	r = ics_renderer_new("America/Chicago", 2025, err, sizeof(err));
	if (ev == NULL || uids == NULL || base == NULL || r == NULL ||
	    (fs = feed_server_new(base, NULL, &cfg, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "setup failed: %s\n", err);
		return 1;
	}
	rss0 = rss_kb();
	t0 = now_s();
	/* Teacher feeds. */
	for (i = 0; i < teachers; i++) {
		for (j = 0; j < events; j++)
			mk(&ev[j], uids[j], sizeof(uids[j]), i, j);
		t = now_s();
		if (ics_render(r, &cal, ev, (size_t)events, &body, &len, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "render: %s\n", err);
			return 1;
		}
		trender += now_s() - t;
		t = now_s();
		if (feed_token_new(tok, sizeof(tok), h, err, sizeof(err)) != 0 ||
		    feed_publish(fs, h, body, len, 1780000000, err,
		    sizeof(err)) != 0)
			return 1;
		tpub += now_s() - t;
		rbytes += len;
		nfeeds++;
		free(body);
	}
	/* Coach feeds: PER_COACH teachers' sessions each. */
	ncoach = (teachers + PER_COACH - 1) / PER_COACH;
	for (c = 0; c < ncoach; c++) {
		size_t n = 0;

		for (i = c * PER_COACH; i < teachers && i < (c + 1) * PER_COACH;
		    i++) {
			for (j = 0; j < events; j++, n++)
				mk(&ev[n], uids[n], sizeof(uids[n]), i, j);
		}
		t = now_s();
		if (ics_render(r, &cal, ev, n, &body, &len, err,
		    sizeof(err)) != 0)
			return 1;
		trender += now_s() - t;
		t = now_s();
		if (feed_token_new(tok, sizeof(tok), h, err, sizeof(err)) != 0 ||
		    feed_publish(fs, h, body, len, 1780000000, err,
		    sizeof(err)) != 0)
			return 1;
		tpub += now_s() - t;
		rbytes += len;
		nfeeds++;
		free(body);
	}
	feed_server_stats(fs, &st);
	printf("teachers=%d coaches=%d events_per_teacher=%d feeds=%zu\n",
	    teachers, ncoach, events, nfeeds);
	printf("render_s=%.2f publish_s=%.2f (etag+gzip) total_s=%.2f\n",
	    trender, tpub, now_s() - t0);
	printf("render_us_per_event=%.2f\n",
	    trender * 1e6 / ((double)teachers * events * 2));
	printf("body_mb=%.1f cached_mb=%.1f (identity+gzip) "
	    "rss_growth_mb=%.1f peak_rss_mb=%.1f\n", rbytes / 1048576.0,
	    st.bytes / 1048576.0, (rss_kb() - rss0) / 1024.0,
	    rss_kb() / 1024.0);
	feed_server_free(fs);
	event_base_free(base);
	ics_renderer_free(r);
	free(ev);
	free(uids);
	return 0;
}
