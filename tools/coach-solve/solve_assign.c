/*
 * coach-solve assign: read an assignment instance (JSON) on stdin, solve it
 * with the matching engine (match.c) and write the plan as JSON on stdout.
 * Exit 2 with a message naming the offending element for invalid input
 * (the reader is solve_assign_json.c).
 * The input format and the validation rules are in docs/matching.md.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coach-solve.h"
#include "file.h"
#include "match.h"
#include "solve_assign.h"
#include "solve_json.h"

/* Monotonic clock in milliseconds, for --stats. */
static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Write the plan, assignments in request input order. */
static int
write_plan(const struct sa_instance *in, const struct match_result *res,
    FILE *f)
{
	size_t	i;
	int	first = 1;

	if (fputs("{\"assignments\":[", f) == EOF)
		return -1;
	for (i = 0; i < res->n_requests; i++) {
		const struct sa_id	*r = &in->request_id[i], *c;

		if (res->coach[i] < 0)
			continue;
		c = &in->coach_id[res->coach[i]];
		if (fputs(first ? "{\"request\":" : ",{\"request\":", f) ==
		    EOF || jl_write_str(f, r->s, r->len) == -1 ||
		    fputs(",\"coach\":", f) == EOF ||
		    jl_write_str(f, c->s, c->len) == -1 ||
		    fprintf(f, ",\"score\":%" PRIu32 "}", res->score[i]) < 0)
			return -1;
		first = 0;
	}
	if (fprintf(f, "],\"assigned\":%zu,\"total_score\":%" PRIu64 "}\n",
	    (size_t)res->assigned, (uint64_t)res->total_score) < 0)
		return -1;
	return fflush(f) == 0 ? 0 : -1;
}

/* Print the subcommand's usage. */
static void
usage(FILE *f)
{
	fprintf(f, "usage: coach-solve assign [--stats] < instance.json\n"
	    "  --stats  print parse and solve times (ms) on stderr\n");
}

/* Entry point: parse stdin, solve, print; exit status per coach-solve.h. */
int
solve_assign_main(int argc, char **argv)
{
	struct sa_instance	 in;
	struct match_problem	 p;
	struct match_result	 res;
	char			 err[512], *buf = NULL;
	size_t			 len;
	double			 t0, t1, t2;
	int			 stats = 0, i, rc = SOLVE_EXIT_INVALID;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stats") == 0)
			stats = 1;
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return SOLVE_EXIT_OK;
		} else {
			usage(stderr);
			return SOLVE_EXIT_USAGE;
		}
	}
	t0 = now_ms();
	if ((buf = file_read_stream(stdin, "standard input", SIZE_MAX, &len,
	    err, sizeof(err))) == NULL) {
		fprintf(stderr, "coach-solve assign: %s\n", err);
		rc = SOLVE_EXIT_USAGE;
		goto out;
	}
	if (solve_assign_parse(buf, len, &in, err, sizeof(err)) == -1) {
		fprintf(stderr, "coach-solve assign: invalid input: %s\n", err);
		goto out;
	}
	p.n_coaches = in.n_coaches;
	p.capacity = in.capacity;
	p.n_requests = in.n_requests;
	p.n_edges = in.n_edges;
	p.edges = in.edges;
	t1 = now_ms();
	if (match_solve(&p, &res, err, sizeof(err)) == -1) {
		fprintf(stderr, "coach-solve assign: %s\n", err);
		goto out;
	}
	t2 = now_ms();
	if (write_plan(&in, &res, stdout) == -1) {
		fprintf(stderr, "coach-solve assign: cannot write the plan\n");
		rc = SOLVE_EXIT_USAGE;
		goto out;
	}
	if (stats)
		fprintf(stderr, "parse_ms %.1f solve_ms %.1f write_ms %.1f\n",
		    t1 - t0, t2 - t1, now_ms() - t2);
	rc = SOLVE_EXIT_OK;
out:
	match_result_free(&res);
	solve_assign_free(&in);
	free(buf);
	return rc;
}
