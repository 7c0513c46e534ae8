/*
 * solve_assign_json.c: read `coach-solve assign`'s instance (format and
 * rules in docs/matching.md) in one pass over the text with the pull
 * lexer of solve_json.c, straight into the engine's arrays.
 *
 * Why not a general parser: the schema is fixed and flat, and nearly all
 * of a district instance is 1.25 million small edge objects.  A document
 * tree (jansson) spent 3 s and 850 MB on them; an event parser (yajl)
 * would still hand every key and value through callbacks to a state
 * machine of ours that checks this same schema.  Pulling tokens lets the
 * code read like the schema, keeps ids as pointers into the text, and
 * costs the text plus 12 bytes an edge.
 *
 * The top-level members may come in any order; "edges" need the ids, so
 * an "edges" seen before "coaches" and "requests" is only checked for
 * syntax and read again at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "solve_assign.h"
#include "solve_json.h"
#include "xmalloc.h"

/* An open-addressing id -> index table over an sa_id array. */
struct idmap {
	uint32_t	*slot;		/* index + 1, 0 = empty */
	size_t		 mask;
};

struct reader {
	struct jl		 l;
	struct sa_instance	*in;
	struct idmap		 coaches, requests;
	char			*err;
	size_t			 errlen;
};

static uint64_t
hash_id(const char *s, size_t len)
{
	uint64_t	h = 0x9e3779b97f4a7c15ULL ^ len;
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static int
id_eq(const struct sa_id *a, const char *s, size_t len)
{
	return a->len == len && memcmp(a->s, s, len) == 0;
}

/* Index + 1 of id in map (over ids), or 0. */
static size_t
idmap_find(const struct idmap *m, const struct sa_id *ids, const char *s,
    size_t len)
{
	size_t	h;

	if (m->slot == NULL)
		return 0;
	for (h = hash_id(s, len) & m->mask; m->slot[h] != 0;
	    h = (h + 1) & m->mask)
		if (id_eq(&ids[m->slot[h] - 1], s, len))
			return m->slot[h];
	return 0;
}

static void
idmap_put(struct idmap *m, const struct sa_id *ids, size_t idx)
{
	size_t	h;

	for (h = hash_id(ids[idx].s, ids[idx].len) & m->mask;
	    m->slot[h] != 0; h = (h + 1) & m->mask)
		;
	m->slot[h] = (uint32_t)(idx + 1);
}

/* Make room for n entries at load <= 1/2, rehashing ids[0..n-1). */
static void
idmap_reserve(struct idmap *m, const struct sa_id *ids, size_t n)
{
	size_t	size = 16, i;

	if (m->slot != NULL && 2 * n <= m->mask + 1)
		return;
	while (size < 2 * n)
		size *= 2;
	free(m->slot);
	m->slot = xcalloc(size, sizeof(*m->slot));
	m->mask = size - 1;
	for (i = 0; i + 1 < n; i++)
		idmap_put(m, ids, i);
}

/* The id string just lexed, kept: into the text, or copied if decoded. */
static struct sa_id
keep_id(struct reader *r)
{
	struct sa_instance	*in = r->in;
	struct sa_id		 id = { r->l.s, r->l.slen };

	if (id.s < r->l.b || id.s >= r->l.b + r->l.len) {
		xgrow((void **)&in->owned, &in->cap_owned, in->n_owned + 1,
		    sizeof(*in->owned));
		in->owned[in->n_owned] = xstrndup(id.s, id.len);
		id.s = in->owned[in->n_owned++];
	}
	return id;
}

/* Check the string value of "key" in where[i]: a non-empty id. */
static int
want_id(struct reader *r, int tok, const char *where, size_t i,
    const char *key)
{
	if (tok == JL_ERR)
		return -1;
	if (tok != JL_STR)
		return errmsg(r->err, r->errlen, "%s[%zu]: \"%s\" must be a "
		    "string", where, i, key);
	if (r->l.slen == 0 || r->l.has_nul)
		return errmsg(r->err, r->errlen, "%s[%zu]: \"%s\" is empty or "
		    "contains NUL", where, i, key);
	return 0;
}

/* Check an integer value of "key" in where[i] within [0, max]. */
static int
want_uint(struct reader *r, int tok, const char *where, size_t i,
    const char *key, long long max, uint32_t *out)
{
	if (tok == JL_ERR)
		return -1;
	if (tok != JL_INT)
		return errmsg(r->err, r->errlen, "%s[%zu]: \"%s\" must be an "
		    "integer", where, i, key);
	if (r->l.i < 0 || r->l.i > max)
		return errmsg(r->err, r->errlen, "%s[%zu]: \"%s\" is %lld, "
		    "must be between 0 and %lld", where, i, key, r->l.i, max);
	*out = (uint32_t)r->l.i;
	return 0;
}

/* Which member of an element's fixed set the key just read is. */
static int
key_index(const struct jl *l, const char *const *keys)
{
	int	k;

	for (k = 0; keys[k] != NULL; k++)
		if (strlen(keys[k]) == l->slen &&
		    memcmp(keys[k], l->s, l->slen) == 0)
			return k;
	return -1;
}

/*
 * Walk the members of the object where[i] (its '{' just read): each
 * member in keys is handed to fn (the value's first token already
 * read), others are skipped, a repeated one is a syntax error as in
 * any object.  A missing one in `required` (bit mask) gets fn with
 * JL_END so that it reports the error it would for a wrong type.
 */
static int
each_member(struct reader *r, int tok, const char *where, size_t i,
    const char *const *keys, unsigned required,
    int (*fn)(struct reader *, int, int, size_t))
{
	unsigned	seen = 0;
	int		first = 1, t, k;

	if (tok == JL_ERR)
		return -1;
	if (tok != JL_OBJ)
		return errmsg(r->err, r->errlen, "%s[%zu]: not an object",
		    where, i);
	while ((t = jl_obj_next(&r->l, &first)) == JL_STR) {
		size_t	key_at = r->l.at;

		k = key_index(&r->l, keys);
		t = jl_next(&r->l);
		if (k < 0) {
			if (jl_skip(&r->l, t) == -1)
				return -1;
			continue;
		}
		if (seen & (1u << k))
			return jl_fail(&r->l, key_at, "duplicate object key "
			    "\"%s\" in %s[%zu]", keys[k], where, i);
		seen |= 1u << k;
		if (fn(r, k, t, i) == -1)
			return -1;
	}
	if (t == JL_ERR)
		return -1;
	for (k = 0; keys[k] != NULL; k++)
		if ((required & (1u << k)) && !(seen & (1u << k)) &&
		    fn(r, k, JL_END, i) == -1)
			return -1;
	return 0;
}

static const char *const coach_keys[] = { "id", "capacity", NULL };

static int
coach_member(struct reader *r, int k, int tok, size_t i)
{
	struct sa_instance	*in = r->in;

	if (k == 1)
		return want_uint(r, tok, "coaches", i, "capacity",
		    INT32_MAX / 2, &in->capacity[i]);
	if (want_id(r, tok, "coaches", i, "id") == -1)
		return -1;
	if (idmap_find(&r->coaches, in->coach_id, r->l.s, r->l.slen) != 0)
		return errmsg(r->err, r->errlen, "coaches[%zu]: duplicate id "
		    "\"%.*s\"", i, (int)r->l.slen, r->l.s);
	in->coach_id[i] = keep_id(r);
	idmap_put(&r->coaches, in->coach_id, i);
	return 0;
}

static const char *const request_keys[] = { "id", NULL };

static int
request_member(struct reader *r, int k, int tok, size_t i)
{
	struct sa_instance	*in = r->in;

	(void)k;
	if (want_id(r, tok, "requests", i, "id") == -1)
		return -1;
	if (idmap_find(&r->requests, in->request_id, r->l.s, r->l.slen) != 0)
		return errmsg(r->err, r->errlen, "requests[%zu]: duplicate id "
		    "\"%.*s\"", i, (int)r->l.slen, r->l.s);
	in->request_id[i] = keep_id(r);
	idmap_put(&r->requests, in->request_id, i);
	return 0;
}

static const char *const edge_keys[] = { "request", "coach", "score",
	NULL };

static int
edge_member(struct reader *r, int k, int tok, size_t i)
{
	struct sa_instance	*in = r->in;
	struct match_edge	*e = &in->edges[i];
	size_t			 idx;

	if (k == 2)
		return want_uint(r, tok, "edges", i, "score", MATCH_SCORE_MAX,
		    &e->score);
	if (want_id(r, tok, "edges", i, edge_keys[k]) == -1)
		return -1;
	/* Edges come grouped by request: try the previous one first. */
	if (k == 0 && i > 0 && id_eq(&in->request_id[in->edges[i - 1].request],
	    r->l.s, r->l.slen)) {
		e->request = in->edges[i - 1].request;
		return 0;
	}
	idx = k == 0 ?
	    idmap_find(&r->requests, in->request_id, r->l.s, r->l.slen) :
	    idmap_find(&r->coaches, in->coach_id, r->l.s, r->l.slen);
	if (idx == 0)
		return errmsg(r->err, r->errlen, "edges[%zu]: unknown %s "
		    "\"%.*s\"", i, edge_keys[k], (int)r->l.slen, r->l.s);
	if (k == 0)
		e->request = (uint32_t)(idx - 1);
	else
		e->coach = (uint32_t)(idx - 1);
	return 0;
}

/* The three top-level lists. */
enum { TOP_COACHES, TOP_REQUESTS, TOP_EDGES, TOP_N };
static const char *const top_keys[] = { "coaches", "requests", "edges",
	NULL };

/* Read the array top_keys[which] whose first token is tok. */
static int
read_list(struct reader *r, int which, int tok)
{
	struct sa_instance	*in = r->in;
	size_t			 n = 0;
	int			 first = 1, t, rc;

	if (tok == JL_ERR)
		return -1;
	if (tok != JL_ARR)
		return errmsg(r->err, r->errlen, "\"%s\" must be an array",
		    top_keys[which]);
	while ((t = jl_arr_next(&r->l, &first)) != JL_ERR &&
	    t != JL_ARR_END) {
		switch (which) {
		case TOP_COACHES:
			xgrow((void **)&in->coach_id, &in->cap_coaches, n + 1,
			    sizeof(*in->coach_id));
			in->capacity = xreallocarray(in->capacity,
			    in->cap_coaches, sizeof(*in->capacity));
			idmap_reserve(&r->coaches, in->coach_id, n + 1);
			rc = each_member(r, t, "coaches", n, coach_keys, 3,
			    coach_member);
			break;
		case TOP_REQUESTS:
			xgrow((void **)&in->request_id, &in->cap_requests,
			    n + 1, sizeof(*in->request_id));
			idmap_reserve(&r->requests, in->request_id, n + 1);
			rc = each_member(r, t, "requests", n, request_keys, 1,
			    request_member);
			break;
		default:
			xgrow((void **)&in->edges, &in->cap_edges, n + 1,
			    sizeof(*in->edges));
			rc = each_member(r, t, "edges", n, edge_keys, 7,
			    edge_member);
			break;
		}
		if (rc == -1)
			return -1;
		n++;
		if (which == TOP_COACHES)
			in->n_coaches = n;
		else if (which == TOP_REQUESTS)
			in->n_requests = n;
		else
			in->n_edges = n;
	}
	return t == JL_ERR ? -1 : 0;
}

/* Reject a second edge for the same (request, coach) pair. */
static int
check_duplicate_edges(const struct sa_instance *in, char *err,
    size_t errlen)
{
	size_t	*start, *order, *fill, *seen, i, j, r;
	int	 rc = -1;

	start = xcalloc(in->n_requests + 2, sizeof(*start));
	fill = xcalloc(in->n_requests + 1, sizeof(*fill));
	order = xcalloc(in->n_edges + 1, sizeof(*order));
	seen = xcalloc(in->n_coaches + 1, sizeof(*seen));
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
				errmsg(err, errlen, "edges[%zu]: duplicate "
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

/* The top-level object: each list once, edges after the ids. */
static int
read_top(struct reader *r)
{
	size_t	edges_at = SIZE_MAX;
	int	seen = 0, first = 1, t, k;

	if ((t = jl_next(&r->l)) == JL_ERR)
		return -1;
	if (t == JL_END)
		return jl_fail(&r->l, r->l.at, "empty input");
	if (t != JL_OBJ) {
		if (jl_skip(&r->l, t) == -1)
			return -1;
		return errmsg(r->err, r->errlen, "top level must be an object");
	}
	while ((t = jl_obj_next(&r->l, &first)) == JL_STR) {
		size_t	key_at = r->l.at;

		k = key_index(&r->l, top_keys);
		t = jl_next(&r->l);
		if (k >= 0 && (seen & (1 << k)))
			return jl_fail(&r->l, key_at, "duplicate object key "
			    "\"%s\"", top_keys[k]);
		if (k >= 0)
			seen |= 1 << k;
		if (k == TOP_EDGES && (seen & 3) != 3) {
			edges_at = r->l.at;
			if (jl_skip(&r->l, t) == -1)
				return -1;
		} else if (k < 0) {
			if (jl_skip(&r->l, t) == -1)
				return -1;
		} else if (read_list(r, k, t) == -1)
			return -1;
	}
	if (t == JL_ERR)
		return -1;
	if ((t = jl_next(&r->l)) != JL_END)
		return t == JL_ERR ? -1 : jl_fail(&r->l, r->l.at,
		    "end of input expected");
	for (k = 0; k < TOP_N; k++)
		if (!(seen & (1 << k)))
			return errmsg(r->err, r->errlen, "\"%s\" must be an "
			    "array", top_keys[k]);
	if (edges_at != SIZE_MAX) {
		r->l.pos = edges_at;
		if (read_list(r, TOP_EDGES, jl_next(&r->l)) == -1)
			return -1;
	}
	return 0;
}

int
solve_assign_parse(const char *buf, size_t len, struct sa_instance *in,
    char *err, size_t errlen)
{
	struct reader	r;
	int		rc;

	memset(in, 0, sizeof(*in));
	memset(&r, 0, sizeof(r));
	jl_init(&r.l, buf, len, err, errlen);
	r.in = in;
	r.err = err;
	r.errlen = errlen;
	rc = read_top(&r);
	if (rc == 0) {
		/* The engine wants arrays even when a list is empty. */
		if (in->capacity == NULL)
			in->capacity = xcalloc(1, sizeof(*in->capacity));
		if (in->edges == NULL)
			in->edges = xcalloc(1, sizeof(*in->edges));
		rc = check_duplicate_edges(in, err, errlen);
	}
	jl_free(&r.l);
	free(r.coaches.slot);
	free(r.requests.slot);
	return rc;
}

void
solve_assign_free(struct sa_instance *in)
{
	size_t	i;

	for (i = 0; i < in->n_owned; i++)
		free(in->owned[i]);
	free(in->owned);
	free(in->coach_id);
	free(in->request_id);
	free(in->capacity);
	free(in->edges);
	memset(in, 0, sizeof(*in));
}
