/*
 * match_bench: time match_solve() on an instance in the compact text
 * format written by match_gen.py.  Prints one line:
 *   requests coaches edges median_ms assigned total_score
 * Benchmark only; the table is made by match_bench.sh.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match.h"

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Read the text instance; returns 0 or -1. */
static int
read_instance(FILE *f, struct match_problem *p, uint32_t **capp,
    struct match_edge **edgep)
{
	size_t			 i;
	unsigned		 ver;
	uint32_t		*cap;
	struct match_edge	*e;

	if (fscanf(f, "match %u %zu %zu %zu", &ver, &p->n_coaches,
	    &p->n_requests, &p->n_edges) != 4 || ver != 1)
		return -1;
	cap = calloc(p->n_coaches + 1, sizeof(*cap));
	e = calloc(p->n_edges + 1, sizeof(*e));
	*capp = cap;
	*edgep = e;
	if (cap == NULL || e == NULL)
		return -1;
	for (i = 0; i < p->n_coaches; i++)
		if (fscanf(f, "%" SCNu32, &cap[i]) != 1)
			return -1;
	for (i = 0; i < p->n_edges; i++)
		if (fscanf(f, "%" SCNu32 " %" SCNu32 " %" SCNu32,
		    &e[i].request, &e[i].coach, &e[i].score) != 3)
			return -1;
	p->capacity = cap;
	p->edges = e;
	return 0;
}

int
main(int argc, char **argv)
{
	struct match_problem	 p;
	struct match_result	 res;
	uint32_t		*cap = NULL;
	struct match_edge	*edges = NULL;
	double			*t = NULL, t0;
	char			 err[256];
	FILE			*f;
	int			 runs, i, rc = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: match_bench instance.txt runs\n");
		return 1;
	}
	runs = atoi(argv[2]);
	if (runs < 1 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "match_bench: bad arguments\n");
		return 1;
	}
	memset(&p, 0, sizeof(p));
	memset(&res, 0, sizeof(res));
	t = calloc((size_t)runs, sizeof(*t));
	if (t == NULL || read_instance(f, &p, &cap, &edges) == -1) {
		fprintf(stderr, "match_bench: cannot read %s\n", argv[1]);
		goto out;
	}
	for (i = 0; i < runs; i++) {
		match_result_free(&res);
		t0 = now_ms();
		if (match_solve(&p, &res, err, sizeof(err)) == -1) {
			fprintf(stderr, "match_bench: %s\n", err);
			goto out;
		}
		t[i] = now_ms() - t0;
	}
	if (match_check(&p, &res, err, sizeof(err)) == -1) {
		fprintf(stderr, "match_bench: bad plan: %s\n", err);
		goto out;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("%zu %zu %zu %.1f %zu %" PRIu64 "\n", p.n_requests,
	    p.n_coaches, p.n_edges, t[runs / 2], res.assigned,
	    res.total_score);
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	match_result_free(&res);
	free(t);
	free(cap);
	free(edges);
	return rc;
}
