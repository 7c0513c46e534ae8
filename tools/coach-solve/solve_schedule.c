/*
 * coach-solve schedule: read a scheduling instance as JSON on stdin, run
 * the scheduling engine (sched.h) and write the sessions as JSON.
 *
 * Reading the JSON is in solve_schedule_json.c; the format is documented
 * in docs/scheduling.md.
 */
#define _POSIX_C_SOURCE 200809L	/* clock_gettime for --stats */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "coach-solve.h"
#include "file.h"
#include "sched.h"
#include "solve_schedule.h"

static const char *status_names[] = {
	"placed", "kept", "moved", "dropped", "unscheduled"
};

/* The result as the JSON object documented in docs/scheduling.md. */
static json_t *
render(const struct input *in, const struct sched_problem *p,
    const struct sched_result *r)
{
	json_t		*out, *sess, *un, *mv;
	size_t		 i;
	int		 k;

	out = json_object();
	sess = json_array();
	un = json_array();
	mv = json_array();
	for (i = 0; i < r->n_cycles; i++) {
		const struct sched_outcome *o = &r->cycles[i];

		for (k = 0; k < SCHED_NKINDS; k++) {
			if (o->slot[k].day < 0)
				continue;
			json_array_append_new(sess, json_pack(
			    "{s:s, s:s, s:i, s:s}", "cycle",
			    p->cycles[i].name, "kind", sched_kind_name(k),
			    "day", o->slot[k].day, "period",
			    in->period[o->slot[k].period]));
		}
		if (o->status == SCHED_UNSCHEDULED ||
		    o->status == SCHED_DROPPED)
			json_array_append_new(un, json_pack("{s:s, s:s}",
			    "cycle", p->cycles[i].name, "reason", o->reason));
		if (o->status == SCHED_MOVED || o->status == SCHED_DROPPED)
			json_array_append_new(mv, json_pack("{s:s, s:s, s:s}",
			    "cycle", p->cycles[i].name, "status",
			    status_names[o->status], "reason", o->reason));
	}
	json_object_set_new(out, "sessions", sess);
	json_object_set_new(out, "unscheduled", un);
	json_object_set_new(out, "scheduled", json_integer((json_int_t)r->scheduled));
	json_object_set_new(out, "moved", mv);
	json_object_set_new(out, "kept", json_integer((json_int_t)r->kept));
	json_object_set_new(out, "feasible_alone",
	    json_integer((json_int_t)r->feasible_alone));
	json_object_set_new(out, "iterations",
	    json_integer((json_int_t)r->iterations));
	return out;
}

/* Wall-clock milliseconds, for --stats only (never fed to the engine). */
static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
solve_schedule_main(int argc, char **argv)
{
	struct input		 in;
	struct sched_problem	 p;
	struct sched_result	 r;
	char			*buf = NULL, err[ERRLEN];
	json_t			*out = NULL;
	double			 t0, t1 = 0, t2 = 0;
	int			 rc = SOLVE_EXIT_INVALID, stats = 0;

	memset(&in, 0, sizeof(in));
	memset(&r, 0, sizeof(r));
	if (argc == 2 && strcmp(argv[1], "--stats") == 0)
		stats = 1;
	else if (argc > 1) {
		fprintf(stderr, "usage: coach-solve schedule [--stats] "
		    "< instance.json\n");
		return SOLVE_EXIT_USAGE;
	}
	t0 = now_ms();
	if ((buf = file_read_stream(stdin, "standard input", SIZE_MAX,
	    &in.len, err, sizeof(err))) == NULL) {
		fprintf(stderr, "coach-solve schedule: %s\n", err);
		return SOLVE_EXIT_INVALID;
	}
	in.buf = buf;
	if (solve_sched_read_input(&in, &p) == -1) {
		fprintf(stderr, "coach-solve schedule: %s\n", in.err);
		goto out;
	}
	t1 = now_ms();
	if (sched_solve(&p, &r, err, sizeof(err)) == -1) {
		fprintf(stderr, "coach-solve schedule: %s\n", err);
		goto out;
	}
	t2 = now_ms();
	out = render(&in, &p, &r);
	if (out == NULL || json_dumpf(out, stdout, JSON_COMPACT) == -1 ||
	    fputc('\n', stdout) == EOF || fflush(stdout) == EOF) {
		fprintf(stderr, "coach-solve schedule: writing output failed\n");
		rc = SOLVE_EXIT_USAGE;
		goto out;
	}
	if (stats)
		fprintf(stderr, "parse %.0f ms, solve %.0f ms, write %.0f ms, "
		    "%llu iterations\n", t1 - t0, t2 - t1, now_ms() - t2,
		    (unsigned long long)r.iterations);
	rc = SOLVE_EXIT_OK;
out:
	json_decref(out);
	sched_result_free(&r);
	solve_sched_input_free(&in);
	free(buf);
	return rc;
}
