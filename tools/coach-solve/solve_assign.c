/*
 * coach-solve assign: read an assignment instance (JSON) on stdin, solve it
 * with the matching engine (match.c) and write the plan as JSON on stdout.
 * Exit 2 with a message naming the offending element for invalid input.
 * The input format and the validation rules are in docs/matching.md.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "coach-solve.h"
#include "match.h"

/* Everything parsed from stdin; freed by instance_free(). */
struct instance {
	json_t			*root;
	json_t			*coach_ids;	/* id -> index */
	json_t			*request_ids;	/* id -> index */
	size_t			 n_coaches;
	size_t			 n_requests;
	size_t			 n_edges;
	uint32_t		*capacity;
	struct match_edge	*edges;
};

/* Free everything the instance owns. */
static void
instance_free(struct instance *in)
{
	json_decref(in->root);
	json_decref(in->coach_ids);
	json_decref(in->request_ids);
	free(in->capacity);
	free(in->edges);
	memset(in, 0, sizeof(*in));
}

/* Monotonic clock in milliseconds, for --stats. */
static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Fetch obj[key] as a string id; NULL with err filled if it is not one. */
static const char *
get_id(json_t *obj, const char *key, const char *where, size_t i, char *err,
    size_t errlen)
{
	json_t		*v;
	const char	*s;

	if (!json_is_object(obj)) {
		snprintf(err, errlen, "%s[%zu]: not an object", where, i);
		return NULL;
	}
	v = json_object_get(obj, key);
	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s[%zu]: \"%s\" must be a string",
		    where, i, key);
		return NULL;
	}
	s = json_string_value(v);
	if (*s == '\0' || strlen(s) != json_string_length(v)) {
		snprintf(err, errlen, "%s[%zu]: \"%s\" is empty or contains "
		    "NUL", where, i, key);
		return NULL;
	}
	return s;
}

/* Fetch obj[key] as an integer in [0, max]; -1 with err filled if not. */
static int
get_uint(json_t *obj, const char *key, json_int_t max, const char *where,
    size_t i, uint32_t *out, char *err, size_t errlen)
{
	json_t		*v = json_object_get(obj, key);
	json_int_t	 n;

	if (!json_is_integer(v)) {
		snprintf(err, errlen, "%s[%zu]: \"%s\" must be an integer",
		    where, i, key);
		return -1;
	}
	n = json_integer_value(v);
	if (n < 0 || n > max) {
		snprintf(err, errlen, "%s[%zu]: \"%s\" is %" JSON_INTEGER_FORMAT
		    ", must be between 0 and %" JSON_INTEGER_FORMAT,
		    where, i, key, n, max);
		return -1;
	}
	*out = (uint32_t)n;
	return 0;
}

/* Fetch the array root[key]; NULL with err filled if it is not one. */
static json_t *
get_array(json_t *root, const char *key, char *err, size_t errlen)
{
	json_t	*a = json_object_get(root, key);

	if (!json_is_array(a))
		snprintf(err, errlen, "\"%s\" must be an array", key);
	return json_is_array(a) ? a : NULL;
}

/* Register ids from list[i].id into map, rejecting duplicates. */
static int
read_ids(json_t *list, const char *where, json_t *map, char *err,
    size_t errlen)
{
	size_t		 i;
	const char	*id;

	for (i = 0; i < json_array_size(list); i++) {
		id = get_id(json_array_get(list, i), "id", where, i, err,
		    errlen);
		if (id == NULL)
			return -1;
		if (json_object_get(map, id) != NULL) {
			snprintf(err, errlen, "%s[%zu]: duplicate id \"%s\"",
			    where, i, id);
			return -1;
		}
		if (json_object_set_new(map, id, json_integer((json_int_t)i))) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* Look id up in map; -1 with err filled if it is unknown. */
static int
lookup(json_t *map, const char *id, const char *what, size_t i,
    uint32_t *out, char *err, size_t errlen)
{
	json_t	*v = json_object_get(map, id);

	if (v == NULL) {
		snprintf(err, errlen, "edges[%zu]: unknown %s \"%s\"", i, what,
		    id);
		return -1;
	}
	*out = (uint32_t)json_integer_value(v);
	return 0;
}

/* Reject a second edge for the same (request, coach) pair. */
static int
check_duplicate_edges(const struct instance *in, char *err, size_t errlen)
{
	size_t		*start = NULL, *order = NULL, *fill = NULL;
	size_t		*seen = NULL, i, j, r;
	int		 rc = -1;

	start = calloc(in->n_requests + 2, sizeof(*start));
	fill = calloc(in->n_requests + 1, sizeof(*fill));
	order = calloc(in->n_edges + 1, sizeof(*order));
	seen = calloc(in->n_coaches + 1, sizeof(*seen));
	if (start == NULL || fill == NULL || order == NULL || seen == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* Bucket edges by request, then mark coaches per request. */
	for (i = 0; i < in->n_edges; i++)
		start[in->edges[i].request + 1]++;
	for (r = 0; r < in->n_requests; r++)
		start[r + 1] += start[r];
	for (i = 0; i < in->n_edges; i++) {
		r = in->edges[i].request;
		order[start[r] + fill[r]++] = i;
	}
	for (r = 0; r < in->n_requests; r++) {
		for (j = start[r]; j < start[r + 1]; j++) {
			const struct match_edge	*e = &in->edges[order[j]];

			/* seen[] holds request + 1 so that 0 means "none". */
			if (seen[e->coach] == r + 1) {
				snprintf(err, errlen, "edges[%zu]: duplicate "
				    "edge for this request and coach", order[j]);
				goto out;
			}
			seen[e->coach] = r + 1;
		}
	}
	rc = 0;
out:
	free(start);
	free(fill);
	free(order);
	free(seen);
	return rc;
}

/* Read the edge list into in->edges. */
static int
read_edges(struct instance *in, json_t *list, char *err, size_t errlen)
{
	size_t		 i;
	json_t		*e;
	const char	*rid, *cid;

	in->n_edges = json_array_size(list);
	in->edges = calloc(in->n_edges + 1, sizeof(*in->edges));
	if (in->edges == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < in->n_edges; i++) {
		struct match_edge	*me = &in->edges[i];

		e = json_array_get(list, i);
		if ((rid = get_id(e, "request", "edges", i, err, errlen)) ==
		    NULL ||
		    (cid = get_id(e, "coach", "edges", i, err, errlen)) ==
		    NULL)
			return -1;
		if (lookup(in->request_ids, rid, "request", i, &me->request,
		    err, errlen) == -1 ||
		    lookup(in->coach_ids, cid, "coach", i, &me->coach, err,
		    errlen) == -1)
			return -1;
		if (get_uint(e, "score", MATCH_SCORE_MAX, "edges", i,
		    &me->score, err, errlen) == -1)
			return -1;
	}
	return check_duplicate_edges(in, err, errlen);
}

/* Parse and validate the whole instance. */
static int
instance_read(struct instance *in, FILE *f, char *err, size_t errlen)
{
	json_error_t	 jerr;
	json_t		*coaches, *requests, *edges;
	size_t		 i;

	in->root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	if (in->root == NULL) {
		snprintf(err, errlen, "malformed JSON at line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(in->root)) {
		snprintf(err, errlen, "top level must be an object");
		return -1;
	}
	if ((coaches = get_array(in->root, "coaches", err, errlen)) == NULL ||
	    (requests = get_array(in->root, "requests", err, errlen)) ==
	    NULL ||
	    (edges = get_array(in->root, "edges", err, errlen)) == NULL)
		return -1;
	in->coach_ids = json_object();
	in->request_ids = json_object();
	in->n_coaches = json_array_size(coaches);
	in->n_requests = json_array_size(requests);
	in->capacity = calloc(in->n_coaches + 1, sizeof(*in->capacity));
	if (in->coach_ids == NULL || in->request_ids == NULL ||
	    in->capacity == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (read_ids(coaches, "coaches", in->coach_ids, err, errlen) == -1 ||
	    read_ids(requests, "requests", in->request_ids, err, errlen) == -1)
		return -1;
	for (i = 0; i < in->n_coaches; i++)
		if (get_uint(json_array_get(coaches, i), "capacity",
		    INT32_MAX / 2, "coaches", i, &in->capacity[i], err,
		    errlen) == -1)
			return -1;
	return read_edges(in, edges, err, errlen);
}

/* Write the plan, assignments in request input order. */
static int
write_plan(const struct instance *in, const struct match_result *res,
    FILE *f)
{
	json_t	*out, *list, *requests, *coaches;
	size_t	 i;
	int	 rc = -1;

	requests = json_object_get(in->root, "requests");
	coaches = json_object_get(in->root, "coaches");
	out = json_object();
	list = json_array();
	if (out == NULL || list == NULL)
		goto out;
	for (i = 0; i < res->n_requests; i++) {
		json_t	*a;

		if (res->coach[i] < 0)
			continue;
		a = json_pack("{s:O,s:O,s:I}",
		    "request", json_object_get(json_array_get(requests, i),
		    "id"),
		    "coach", json_object_get(json_array_get(coaches,
		    (size_t)res->coach[i]), "id"),
		    "score", (json_int_t)res->score[i]);
		if (a == NULL || json_array_append_new(list, a) == -1)
			goto out;
	}
	if (json_object_set(out, "assignments", list) == -1 ||
	    json_object_set_new(out, "assigned",
	    json_integer((json_int_t)res->assigned)) == -1 ||
	    json_object_set_new(out, "total_score",
	    json_integer((json_int_t)res->total_score)) == -1)
		goto out;
	if (json_dumpf(out, f, JSON_COMPACT) == -1 || fputc('\n', f) == EOF)
		goto out;
	rc = fflush(f) == 0 ? 0 : -1;
out:
	json_decref(list);
	json_decref(out);
	return rc;
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
	struct instance		 in;
	struct match_problem	 p;
	struct match_result	 res;
	char			 err[512];
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
	if (instance_read(&in, stdin, err, sizeof(err)) == -1) {
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
		fprintf(stderr, "parse_ms %.1f solve_ms %.1f\n", t1 - t0,
		    t2 - t1);
	rc = SOLVE_EXIT_OK;
out:
	match_result_free(&res);
	instance_free(&in);
	return rc;
}
