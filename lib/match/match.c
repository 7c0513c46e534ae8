/*
 * match: exact coach assignment as a min-cost flow, solved with a primal
 * network simplex, plus the score model behind `--explain`.
 *
 * The network: every request is a node with supply 1, every coach a node,
 * and one root node Z that absorbs all supply.  Arcs:
 *   request -> coach   capacity 1,            cost -(BIG + score)
 *   request -> Z       capacity "infinite",   cost 0   (request unassigned)
 *   coach   -> Z       capacity = capacity[c], cost 0
 * BIG exceeds any score one augmenting path can lose, so a min-cost flow
 * first maximises the number of assigned requests and only then the score
 * (see docs/matching.md for the argument).
 *
 * The simplex keeps a strongly feasible spanning tree rooted at Z (the
 * request->Z and coach->Z arcs form the first one), chooses entering arcs
 * with block search and keeps the tree as parent pointers plus child
 * lists.  Re-hanging a subtree costs time proportional to its size, as
 * does the potential update that any network simplex has to do anyway.
 * Everything is integer and the arc order is the input edge order, so the
 * result is a deterministic function of the input.
 */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "xmalloc.h"
#include "match.h"

#define ST_TREE		0
#define ST_LOWER	1
#define ST_UPPER	(-1)
#define DIR_UP		1	/* tree arc points from node to its parent */
#define DIR_DOWN	(-1)	/* tree arc points from parent to node */
#define CAP_INF		INT32_MAX
#define NIL		(-1)

/* The flow network and the spanning tree; owned by one match_solve() call. */
struct ns {
	int32_t	 n_nodes;
	int32_t	 n_arcs;
	int32_t	 root;
	/* arcs */
	int32_t	*src;
	int32_t	*dst;
	int64_t	*cost;
	int32_t	*cap;
	int32_t	*flow;
	int8_t	*state;
	/* nodes */
	int64_t	*pi;
	int32_t	*parent;
	int32_t	*pred;		/* tree arc to the parent */
	int8_t	*dir;
	int32_t	*depth;
	int32_t	*child;		/* first child */
	int32_t	*next;		/* next sibling */
	int32_t	*prev;		/* previous sibling */
	/* pivot search */
	int32_t	 block;
	int32_t	 next_arc;
};

/* Release everything the network owns. */
static void
ns_free(struct ns *g)
{
	free(g->src);
	free(g->dst);
	free(g->cost);
	free(g->cap);
	free(g->flow);
	free(g->state);
	free(g->pi);
	free(g->parent);
	free(g->pred);
	free(g->dir);
	free(g->depth);
	free(g->child);
	free(g->next);
	free(g->prev);
	memset(g, 0, sizeof(*g));
}

/* Allocate the arc and node arrays. */
static void
ns_alloc(struct ns *g, size_t nodes, size_t arcs)
{
	g->n_nodes = (int32_t)nodes;
	g->n_arcs = (int32_t)arcs;
	/* One spare element each, so that no array is empty. */
	nodes++;
	arcs++;
	g->src = xcalloc(arcs, sizeof(*g->src));
	g->dst = xcalloc(arcs, sizeof(*g->dst));
	g->cost = xcalloc(arcs, sizeof(*g->cost));
	g->cap = xcalloc(arcs, sizeof(*g->cap));
	g->flow = xcalloc(arcs, sizeof(*g->flow));
	g->state = xcalloc(arcs, sizeof(*g->state));
	g->pi = xcalloc(nodes, sizeof(*g->pi));
	g->parent = xcalloc(nodes, sizeof(*g->parent));
	g->pred = xcalloc(nodes, sizeof(*g->pred));
	g->dir = xcalloc(nodes, sizeof(*g->dir));
	g->depth = xcalloc(nodes, sizeof(*g->depth));
	g->child = xcalloc(nodes, sizeof(*g->child));
	g->next = xcalloc(nodes, sizeof(*g->next));
	g->prev = xcalloc(nodes, sizeof(*g->prev));
}

/* Unlink x from its parent's child list. */
static void
ns_detach(struct ns *g, int32_t x)
{
	int32_t	p = g->parent[x];

	if (g->prev[x] != NIL)
		g->next[g->prev[x]] = g->next[x];
	else if (p != NIL)
		g->child[p] = g->next[x];
	if (g->next[x] != NIL)
		g->prev[g->next[x]] = g->prev[x];
	g->next[x] = g->prev[x] = NIL;
}

/* Make x the first child of p. */
static void
ns_attach(struct ns *g, int32_t x, int32_t p)
{
	g->parent[x] = p;
	g->prev[x] = NIL;
	g->next[x] = g->child[p];
	if (g->child[p] != NIL)
		g->prev[g->child[p]] = x;
	g->child[p] = x;
}

/* Hang every non-root node from the root on its artificial arc. */
static void
ns_init_tree(struct ns *g, int32_t first_root_arc)
{
	int32_t	 v, a;

	for (v = 0; v < g->n_nodes; v++) {
		g->child[v] = g->next[v] = g->prev[v] = NIL;
		g->parent[v] = NIL;
	}
	g->pred[g->root] = NIL;
	g->depth[g->root] = 0;
	g->pi[g->root] = 0;
	/* Node v < root owns arc first_root_arc + v, pointing v -> root. */
	for (v = 0; v < g->root; v++) {
		a = first_root_arc + v;
		g->state[a] = ST_TREE;
		g->pred[v] = a;
		g->dir[v] = DIR_UP;
		g->depth[v] = 1;
		g->pi[v] = g->pi[g->root] - g->cost[a];
		ns_attach(g, v, g->root);
	}
}

/* Reduced cost of arc a under the current potentials. */
static inline int64_t
ns_rc(const struct ns *g, int32_t a)
{
	return g->cost[a] + g->pi[g->src[a]] - g->pi[g->dst[a]];
}

/*
 * Block search: scan arcs from where the last search stopped and return the
 * most violating arc of the first block that has one, or NIL at optimum.
 */
static int32_t
ns_find_entering(struct ns *g)
{
	int64_t	 best = 0, v;
	int32_t	 a = g->next_arc, e, cnt = g->block, best_arc = NIL;

	for (e = 0; e < g->n_arcs; e++) {
		v = g->state[a] * ns_rc(g, a);
		if (v < best) {
			best = v;
			best_arc = a;
		}
		if (++a == g->n_arcs)
			a = 0;
		if (--cnt == 0) {
			if (best_arc != NIL)
				break;
			cnt = g->block;
		}
	}
	g->next_arc = a;
	return best_arc;
}

/* Residual capacity of u's tree arc in the direction "down" or "up". */
static inline int32_t
ns_tree_res(const struct ns *g, int32_t u, int down)
{
	int32_t	 a = g->pred[u];
	int	 fwd = down ? g->dir[u] == DIR_DOWN : g->dir[u] == DIR_UP;

	return fwd ? g->cap[a] - g->flow[a] : g->flow[a];
}

/* Re-root the cut subtree at u_in and hang it below v_in by arc e. */
static void
ns_rehang(struct ns *g, int32_t e, int32_t u_in, int32_t v_in, int32_t u_out)
{
	int32_t	 x = u_in, np = v_in, na = e, op, oa, y;
	int8_t	 nd = g->src[e] == u_in ? DIR_UP : DIR_DOWN, od;
	int64_t	 sigma;

	sigma = g->src[e] == u_in ? -ns_rc(g, e) : ns_rc(g, e);
	for (;;) {
		op = g->parent[x];
		oa = g->pred[x];
		od = g->dir[x];
		ns_detach(g, x);
		ns_attach(g, x, np);
		g->pred[x] = na;
		g->dir[x] = nd;
		if (x == u_out)
			break;
		np = x;
		na = oa;
		nd = (int8_t)-od;
		x = op;
	}
	/* Preorder walk of the moved subtree: shift potentials, fix depth. */
	y = u_in;
	for (;;) {
		g->pi[y] += sigma;
		g->depth[y] = g->depth[g->parent[y]] + 1;
		if (g->child[y] != NIL) {
			y = g->child[y];
			continue;
		}
		while (y != u_in && g->next[y] == NIL)
			y = g->parent[y];
		if (y == u_in)
			break;
		y = g->next[y];
	}
}

/* One pivot on entering arc e. */
static void
ns_pivot(struct ns *g, int32_t e)
{
	int32_t	 first, second, u, v, join, delta, d, u_out = NIL;
	int	 side = 0;

	if (g->state[e] == ST_LOWER) {
		first = g->src[e];
		second = g->dst[e];
	} else {
		first = g->dst[e];
		second = g->src[e];
	}
	u = first;
	v = second;
	while (u != v) {
		if (g->depth[u] > g->depth[v])
			u = g->parent[u];
		else if (g->depth[v] > g->depth[u])
			v = g->parent[v];
		else {
			u = g->parent[u];
			v = g->parent[v];
		}
	}
	join = u;

	/*
	 * Leaving arc: the last blocking arc met when walking the cycle from
	 * the join in flow direction, which keeps the tree strongly feasible
	 * (and the simplex from cycling).  Flow runs join -> first on the
	 * first side (walked upwards here, so strict <) and second -> join
	 * on the second side (walked in flow order, so <=).
	 */
	delta = g->cap[e];
	for (u = first; u != join; u = g->parent[u]) {
		d = ns_tree_res(g, u, 1);
		if (d < delta) {
			delta = d;
			u_out = u;
			side = 1;
		}
	}
	for (u = second; u != join; u = g->parent[u]) {
		d = ns_tree_res(g, u, 0);
		if (d <= delta) {
			delta = d;
			u_out = u;
			side = 2;
		}
	}

	if (delta > 0) {
		g->flow[e] += g->state[e] * delta;
		for (u = first; u != join; u = g->parent[u])
			g->flow[g->pred[u]] += g->dir[u] == DIR_DOWN ?
			    delta : -delta;
		for (u = second; u != join; u = g->parent[u])
			g->flow[g->pred[u]] += g->dir[u] == DIR_UP ?
			    delta : -delta;
	}

	if (side == 0) {
		g->state[e] = (int8_t)-g->state[e];
		return;
	}
	d = g->pred[u_out];
	g->state[d] = g->flow[d] == 0 ? ST_LOWER : ST_UPPER;
	g->state[e] = ST_TREE;
	if (side == 1)
		ns_rehang(g, e, first, second, u_out);
	else
		ns_rehang(g, e, second, first, u_out);
}

/* Validate indices and scores; compute BIG.  Returns 0 or -1. */
static int
check_problem(const struct match_problem *p, int64_t *bigp, size_t *usable,
    char *err, size_t errlen)
{
	uint64_t	*best = NULL;
	uint64_t	 big = 1, limit;
	size_t		 i, n = 0, nodes;
	int		 rc = -1;

	if (p->n_requests > INT32_MAX / 4 || p->n_coaches > INT32_MAX / 4 ||
	    p->n_edges > INT32_MAX / 2) {
		errmsg(err, errlen, "problem too large");
		return -1;
	}
	if ((p->n_edges > 0 && p->edges == NULL) ||
	    (p->n_coaches > 0 && p->capacity == NULL)) {
		errmsg(err, errlen, "missing edge or capacity array");
		return -1;
	}
	best = xcalloc(p->n_requests + 1, sizeof(*best));
	for (i = 0; i < p->n_coaches; i++) {
		if (p->capacity[i] > (uint32_t)(INT32_MAX / 2)) {
			errmsg(err, errlen, "coach %zu: capacity %" PRIu32
			    " too large", i, p->capacity[i]);
			goto out;
		}
	}
	for (i = 0; i < p->n_edges; i++) {
		const struct match_edge	*e = &p->edges[i];

		if (e->request >= p->n_requests) {
			errmsg(err, errlen, "edge %zu: request index %" PRIu32
			    " out of range", i, e->request);
			goto out;
		}
		if (e->coach >= p->n_coaches) {
			errmsg(err, errlen, "edge %zu: coach index %" PRIu32
			    " out of range", i, e->coach);
			goto out;
		}
		if (e->score > MATCH_SCORE_MAX) {
			errmsg(err, errlen, "edge %zu: score %" PRIu32
			    " above %u", i, e->score, MATCH_SCORE_MAX);
			goto out;
		}
		if (p->capacity[e->coach] == 0)
			continue;
		n++;
		if (e->score > best[e->request])
			best[e->request] = e->score;
	}
	/* BIG > the score of any set of pairs, one per request. */
	for (i = 0; i < p->n_requests; i++)
		big += best[i];
	/* Potentials stay below (nodes) * (BIG + max score); keep 4x room. */
	nodes = p->n_requests + p->n_coaches + 1;
	limit = (uint64_t)INT64_MAX / 4 / (nodes + 1);
	if (big + MATCH_SCORE_MAX > limit) {
		errmsg(err, errlen, "scores too large for this many requests");
		goto out;
	}
	*bigp = (int64_t)big;
	*usable = n;
	rc = 0;
out:
	free(best);
	return rc;
}

/* Build the network (see the top of the file) from the problem. */
static void
ns_build(struct ns *g, const struct match_problem *p, int64_t big,
    size_t usable, int32_t **edge_of_arc)
{
	size_t	 nr = p->n_requests, nc = p->n_coaches, i;
	size_t	 nodes = nr + nc + 1, arcs = usable + nr + nc;
	int32_t	 a = 0, root = (int32_t)(nr + nc);
	int32_t	*eoa;

	ns_alloc(g, nodes, arcs);
	eoa = xcalloc(usable + 1, sizeof(*eoa));
	*edge_of_arc = eoa;
	g->root = root;
	for (i = 0; i < p->n_edges; i++) {
		const struct match_edge	*e = &p->edges[i];

		if (p->capacity[e->coach] == 0)
			continue;
		g->src[a] = (int32_t)e->request;
		g->dst[a] = (int32_t)(nr + e->coach);
		g->cap[a] = 1;
		g->cost[a] = -(big + (int64_t)e->score);
		g->state[a] = ST_LOWER;
		eoa[a] = (int32_t)i;
		a++;
	}
	/* Root arcs, in node order: arc (usable + v) belongs to node v. */
	for (i = 0; i < nr; i++, a++) {
		g->src[a] = (int32_t)i;
		g->dst[a] = root;
		g->cap[a] = CAP_INF;
		g->flow[a] = 1;
	}
	for (i = 0; i < nc; i++, a++) {
		g->src[a] = (int32_t)(nr + i);
		g->dst[a] = root;
		g->cap[a] = (int32_t)p->capacity[i];
	}
	ns_init_tree(g, (int32_t)usable);
	g->block = (int32_t)sqrt((double)arcs);
	if (g->block < 10)
		g->block = 10;
	g->next_arc = 0;
}

/* Allocate an empty plan: every request unassigned. */
static void
result_alloc(struct match_result *res, size_t n)
{
	memset(res, 0, sizeof(*res));
	res->n_requests = n;
	res->coach = xreallocarray(NULL, n + 1, sizeof(*res->coach));
	res->score = xcalloc(n + 1, sizeof(*res->score));
	memset(res->coach, 0xff, (n + 1) * sizeof(*res->coach));
}

/* Build the network, pivot to optimality, read the plan off the flow. */
int
match_solve(const struct match_problem *p, struct match_result *res,
    char *err, size_t errlen)
{
	struct ns	 g;
	int32_t		*eoa = NULL, a, e;
	int64_t		 big;
	size_t		 usable;

	memset(&g, 0, sizeof(g));
	memset(res, 0, sizeof(*res));
	if (check_problem(p, &big, &usable, err, errlen) == -1)
		return -1;
	result_alloc(res, p->n_requests);
	ns_build(&g, p, big, usable, &eoa);
	while ((e = ns_find_entering(&g)) != NIL)
		ns_pivot(&g, e);
	for (a = 0; a < (int32_t)usable; a++) {
		const struct match_edge	*me;

		if (g.flow[a] == 0)
			continue;
		me = &p->edges[eoa[a]];
		res->coach[me->request] = (int32_t)me->coach;
		res->score[me->request] = me->score;
		res->assigned++;
		res->total_score += me->score;
	}
	free(eoa);
	ns_free(&g);
	return 0;
}

/* Free a plan's arrays; safe on a zeroed or already freed result. */
void
match_result_free(struct match_result *res)
{
	if (res == NULL)
		return;
	free(res->coach);
	free(res->score);
	memset(res, 0, sizeof(*res));
}

/* Independent feasibility check of a plan, for tests and benchmarks. */
int
match_check(const struct match_problem *p, const struct match_result *res,
    char *err, size_t errlen)
{
	uint32_t	*load = NULL;
	uint8_t		*found = NULL;
	uint64_t	 total = 0;
	size_t		 i, assigned = 0;
	int		 rc = -1;

	if (res->n_requests != p->n_requests) {
		errmsg(err, errlen, "plan covers %zu requests, problem has %zu",
		    res->n_requests, p->n_requests);
		return -1;
	}
	load = xcalloc(p->n_coaches + 1, sizeof(*load));
	found = xcalloc(p->n_requests + 1, sizeof(*found));
	/* Mark requests whose chosen pair exists with the reported score. */
	for (i = 0; i < p->n_edges; i++) {
		const struct match_edge	*e = &p->edges[i];

		if (e->request < p->n_requests &&
		    res->coach[e->request] == (int32_t)e->coach &&
		    res->score[e->request] == e->score)
			found[e->request] = 1;
	}
	for (i = 0; i < p->n_requests; i++) {
		int32_t	c = res->coach[i];

		if (c < 0)
			continue;
		if ((size_t)c >= p->n_coaches || ++load[c] > p->capacity[c]) {
			errmsg(err, errlen, "request %zu: coach %" PRId32
			    " invalid or over capacity", i, c);
			goto out;
		}
		if (!found[i]) {
			errmsg(err, errlen, "request %zu: no such edge", i);
			goto out;
		}
		assigned++;
		total += res->score[i];
	}
	if (assigned != res->assigned || total != res->total_score) {
		errmsg(err, errlen, "totals do not add up");
		goto out;
	}
	rc = 0;
out:
	free(found);
	free(load);
	return rc;
}

/* Documented defaults: see docs/matching.md. */
void
match_weights_default(struct match_weights *w)
{
	static const struct match_weights defaults = {
		.expertise = { 0, 20, 35, 50 },
		.interest = 10,
		.continuity = 15,
		.aging_per_day = 1,
		.aging_cap_days = 30,
		.boost = 30,
		.new_teacher = 10,
		.allow_interest_only = 1,
	};

	*w = defaults;
}

/* Reject weights whose best possible score exceeds MATCH_SCORE_MAX. */
int
match_weights_check(const struct match_weights *w, char *err, size_t errlen)
{
	uint64_t	 top = 0;
	unsigned	 i;

	for (i = 0; i <= MATCH_LEVEL_MAX; i++)
		if (w->expertise[i] > top)
			top = w->expertise[i];
	top += w->interest;
	top += w->continuity;
	top += (uint64_t)w->aging_per_day * w->aging_cap_days;
	top += w->boost;
	top += w->new_teacher;
	if (top > MATCH_SCORE_MAX) {
		errmsg(err, errlen, "weights allow a score of %" PRIu64
		    ", above %u", top, MATCH_SCORE_MAX);
		return -1;
	}
	return 0;
}

/* Score one pair from plain features; 0 if the pair is not allowed. */
int
match_score_pair(const struct match_weights *w, const struct match_features *f,
    struct match_score *s)
{
	uint32_t	 level, days;

	memset(s, 0, sizeof(*s));
	if (!f->active || !f->serves_school)
		return 0;
	level = f->expertise_level > MATCH_LEVEL_MAX ? MATCH_LEVEL_MAX :
	    f->expertise_level;
	if (level == 0 && !(f->interest && w->allow_interest_only))
		return 0;
	days = f->waiting_days > w->aging_cap_days ? w->aging_cap_days :
	    f->waiting_days;
	s->expertise = w->expertise[level];
	s->interest = f->interest ? w->interest : 0;
	s->continuity = f->continuity ? w->continuity : 0;
	s->aging = w->aging_per_day * days;
	s->boost = f->boosted ? w->boost : 0;
	s->new_teacher = f->new_teacher ? w->new_teacher : 0;
	s->total = s->expertise + s->interest + s->continuity + s->aging +
	    s->boost + s->new_teacher;
	return 1;
}

/* Count kept / added / removed / moved requests between two plans. */
void
match_diff_plans(const int32_t *old_coach, const int32_t *new_coach,
    size_t n_requests, struct match_diff *d)
{
	size_t	 i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < n_requests; i++) {
		if (old_coach[i] < 0 && new_coach[i] >= 0)
			d->added++;
		else if (old_coach[i] >= 0 && new_coach[i] < 0)
			d->removed++;
		else if (old_coach[i] >= 0 && old_coach[i] == new_coach[i])
			d->kept++;
		else if (old_coach[i] >= 0)
			d->moved++;
	}
}
