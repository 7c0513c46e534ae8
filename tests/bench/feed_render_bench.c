/*
 * feed-render-bench: what rendering and publishing every feed of a large
 * district costs.  Invents T teachers with E sessions each and one coach
 * per 12 teachers (the coach feed holds all its teachers' sessions),
 * renders every session once (ics_render_vevent), assembles every teacher
 * and coach feed (ics_assemble) and publishes it into a feed_server
 * (ETag + gzip), then prints times and memory.
 *
 *	feed-render-bench [--teachers 100000] [--events 24] [--gzip-only]
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/resource.h>

#include <stdint.h>
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

struct bench {
	struct ics_renderer	*r;
	struct feed_server	*fs;
	double			 trender, tasm, tpub;
	size_t			 bytes, nfeeds;
};

static int
publish(struct bench *b, const char *body, size_t len)
{
	char		tok[FEED_TOKEN_BUFSZ], err[256];
	unsigned char	h[FEED_HASH_LEN];
	double		t = now_s();

	if (feed_token_new(tok, sizeof(tok), h, err, sizeof(err)) != 0 ||
	    feed_publish(b->fs, h, body, len, 1780000000, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "publish: %s\n", err);
		return -1;
	}
	b->tpub += now_s() - t;
	b->bytes += len;
	b->nfeeds++;
	return 0;
}

/*
 * One coach and its teachers, the way the daemon rebuilds everything:
 * each session's VEVENT is rendered once and assembled into both the
 * teacher's and the coach's feed, then the blocks are freed.
 */
static int
coach_group(struct bench *b, int first, int last, int events,
    struct ics_event *ev, char (*uids)[40], struct ics_block *bl)
{
	struct ics_calendar	 cal = { .name = "Coaching", .refresh_secs = 3600 };
	char			 err[256], *body;
	size_t			 n = 0, len, k;
	double			 t;
	int			 i, j, rc = -1;

	t = now_s();
	for (i = first; i < last; i++) {
		for (j = 0; j < events; j++, n++) {
			char	*txt;
			size_t	 tl;

			mk(&ev[n], uids[n], sizeof(uids[n]), i, j);
			if (ics_render_vevent(b->r, &ev[n], &txt, &tl, err,
			    sizeof(err)) != 0) {
				fprintf(stderr, "render: %s\n", err);
				goto out;
			}
			bl[n] = (struct ics_block){ ev[n].start, uids[n], txt, tl };
		}
	}
	b->trender += now_s() - t;
	for (i = first; i <= last; i++) {
		/* i == last: the coach feed, all of the group's sessions. */
		size_t off = i < last ? (size_t)(i - first) * events : 0;
		size_t cnt = i < last ? (size_t)events : n;

		t = now_s();
		if (ics_assemble(b->r, &cal, bl + off, cnt, &body, &len, err,
		    sizeof(err)) != 0)
			goto out;
		b->tasm += now_s() - t;
		if (publish(b, body, len) != 0) {
			free(body);
			goto out;
		}
		free(body);
	}
	rc = 0;
out:
	for (k = 0; k < n; k++)
		free((char *)(uintptr_t)bl[k].text);
	return rc;
}

int
main(int argc, char **argv)
{
	struct bench		 b = { 0 };
	struct event_base	*base;
	struct feed_config	 cfg = { 0 };
	struct feed_stats	 st;
	struct ics_event	*ev;
	struct ics_block	*bl;
	char			(*uids)[40], err[256];
	size_t			 cap;
	double			 t0;
	long			 rss0;
	int			 teachers = 100000, events = 24, i, c, ncoach;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--gzip-only") == 0)
			cfg.gzip_only = 1;
		else if (i + 1 < argc && strcmp(argv[i], "--teachers") == 0)
			teachers = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--events") == 0)
			events = atoi(argv[++i]);
	}
	if (teachers < 1 || events < 1)
		return 2;
	cap = (size_t)events * PER_COACH;
	ev = calloc(cap, sizeof(*ev));
	bl = calloc(cap, sizeof(*bl));
	uids = calloc(cap, sizeof(*uids));
	base = event_base_new();
	b.r = ics_renderer_new("America/Chicago", 2025, err, sizeof(err));
	if (ev == NULL || bl == NULL || uids == NULL || base == NULL ||
	    b.r == NULL ||
	    (b.fs = feed_server_new(base, NULL, &cfg, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "setup failed: %s\n", err);
		return 1;
	}
	rss0 = rss_kb();
	t0 = now_s();
	ncoach = (teachers + PER_COACH - 1) / PER_COACH;
	for (c = 0; c < ncoach; c++) {
		int last = (c + 1) * PER_COACH;

		if (coach_group(&b, c * PER_COACH,
		    last < teachers ? last : teachers, events, ev, uids, bl) != 0)
			return 1;
	}
	feed_server_stats(b.fs, &st);
	printf("teachers=%d coaches=%d events_per_teacher=%d feeds=%zu "
	    "gzip_only=%d\n", teachers, ncoach, events, b.nfeeds,
	    cfg.gzip_only);
	printf("render_s=%.2f (each VEVENT once) assemble_s=%.2f "
	    "publish_s=%.2f (etag+gzip) total_s=%.2f\n", b.trender, b.tasm,
	    b.tpub, now_s() - t0);
	printf("render_us_per_session=%.2f\n",
	    b.trender * 1e6 / ((double)teachers * events));
	printf("body_mb=%.1f cached_mb=%.1f rss_growth_mb=%.1f "
	    "peak_rss_mb=%.1f\n", b.bytes / 1048576.0, st.bytes / 1048576.0,
	    (rss_kb() - rss0) / 1024.0, rss_kb() / 1024.0);
	feed_server_free(b.fs);
	event_base_free(base);
	ics_renderer_free(b.r);
	free(ev);
	free(bl);
	free(uids);
	return 0;
}
