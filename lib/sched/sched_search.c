/*
 * sched_search: how the engine builds a timetable.  Construction places
 * cycles most-constrained first (by priority, then by how few placements
 * they have on their own); the local search then takes each cycle left
 * out and tries to make room for it by ejecting one or two cycles that
 * share its coach or teacher and re-inserting them elsewhere.
 *
 * Every choice is driven by the seeded generator and an iteration budget,
 * never by the clock, so a problem and seed give one answer.
 */
#include <stdlib.h>
#include <string.h>

#include "sched.h"
#include "sched_int.h"

struct order_key {
	int		prio;
	uint64_t	flex;
	uint64_t	tie;
	size_t		idx;
};

static int
order_cmp(const void *a, const void *b)
{
	const struct order_key	*x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio > y->prio ? -1 : 1;
	if (x->flex != y->flex)
		return x->flex < y->flex ? -1 : 1;
	if (x->tie != y->tie)
		return x->tie < y->tie ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* How many slots each kind of session has on its own: fewer = harder. */
static uint64_t
flexibility(struct sched_st *st, size_t ci)
{
	uint64_t	cand[SCHED_NKINDS][SCHED_MAX_DAYS], f = 1, n;
	unsigned	kinds = sched_kinds(&st->p->cycles[ci]);
	int		k, d;

	sched_candidates(st, ci, 0, cand);
	for (k = 0; k < SCHED_NKINDS; k++) {
		if (!(kinds & SCHED_T_KIND(k)))
			continue;
		for (n = 0, d = 0; d < st->D; d++)
			n += (uint64_t)__builtin_popcountll(cand[k][d]);
		f *= n + 1;
	}
	return f;
}

/* Greedy construction over the cycles not kept from the published plan. */
void
sched_construct(struct sched_st *st)
{
	const struct sched_problem	*p = st->p;
	struct order_key		*keys;
	size_t				 i, n = 0;
	int16_t				 s[SCHED_NKINDS];

	keys = calloc(p->n_cycles ? p->n_cycles : 1, sizeof(*keys));
	if (keys == NULL)
		return;		/* sched_solve checks placement counts */
	for (i = 0; i < p->n_cycles; i++) {
		if (st->placed[i] || !st->alone[i])
			continue;
		keys[n].prio = p->cycles[i].priority;
		keys[n].flex = flexibility(st, i);
		keys[n].tie = sched_rand(st);
		keys[n].idx = i;
		n++;
	}
	qsort(keys, n, sizeof(*keys), order_cmp);
	for (i = 0; i < n; i++)
		if (sched_find(st, keys[i].idx, 0, s))
			sched_place(st, keys[i].idx, s);
	free(keys);
}

/* Placed, movable cycles sharing ci's coach or teacher. */
static size_t
neighbours(struct sched_st *st, size_t ci, size_t *out, size_t max)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	size_t				 i, j, n = 0;

	for (i = st->coff[cy->coach]; i < st->coff[cy->coach + 1]; i++) {
		j = st->clist[i];
		if (j != ci && st->placed[j] && !st->pinned[j] && n < max)
			out[n++] = j;
	}
	for (i = st->toff[cy->teacher]; i < st->toff[cy->teacher + 1]; i++) {
		j = st->tlist[i];
		if (j != ci && st->placed[j] && !st->pinned[j] && n < max &&
		    st->p->cycles[j].coach != cy->coach)
			out[n++] = j;
	}
	return n;
}

struct move {
	size_t	out[2];		/* ejected cycles */
	int16_t	was[2][SCHED_NKINDS];
	size_t	nout;
};

/* Put the ejected cycles back exactly where they were. */
static void
undo(struct sched_st *st, size_t u, const struct move *mv)
{
	size_t	i;

	if (st->placed[u])
		sched_unplace(st, u);
	for (i = 0; i < mv->nout; i++) {
		if (st->placed[mv->out[i]])
			sched_unplace(st, mv->out[i]);
	}
	for (i = 0; i < mv->nout; i++)
		sched_place(st, mv->out[i], mv->was[i]);
}

/*
 * One ejection move for unplaced cycle u: eject one or two neighbours,
 * insert u, re-insert the ejected ones.  Returns the cycle left out
 * afterwards (u itself if the move was undone), or SIZE_MAX if all fit.
 */
static size_t
eject_move(struct sched_st *st, size_t u, size_t *nb, size_t nnb)
{
	const struct sched_problem	*p = st->p;
	struct move			 mv;
	int16_t				 s[SCHED_NKINDS];
	size_t				 i, lost = SIZE_MAX, nlost = 0, a;

	mv.nout = (nnb > 1 && (sched_rand(st) & 1)) ? 2 : 1;
	a = sched_rand(st) % nnb;
	mv.out[0] = nb[a];
	if (mv.nout == 2) {
		mv.out[1] = nb[(a + 1 + sched_rand(st) % (nnb - 1)) % nnb];
	}
	for (i = 0; i < mv.nout; i++) {
		memcpy(mv.was[i], &st->slot[mv.out[i] * SCHED_NKINDS],
		    sizeof(mv.was[i]));
		sched_unplace(st, mv.out[i]);
	}
	if (!sched_find(st, u, 0, s)) {
		undo(st, u, &mv);
		return u;
	}
	sched_place(st, u, s);
	for (i = 0; i < mv.nout; i++) {
		if (sched_find(st, mv.out[i], 0, s))
			sched_place(st, mv.out[i], s);
		else {
			lost = mv.out[i];
			nlost++;
		}
	}
	if (nlost == 0)
		return SIZE_MAX;
	/* A sideways swap keeps the count; take it half the time to move
	 * across plateaus, but never trade a cycle for a less urgent one. */
	if (nlost == 1 && p->cycles[lost].priority <= p->cycles[u].priority &&
	    (sched_rand(st) & 1))
		return lost;
	undo(st, u, &mv);
	return u;
}

/*
 * Local search under an iteration budget.  The set of unplaced cycles
 * only shrinks or swaps members, so the count never goes down.
 */
uint64_t
sched_improve(struct sched_st *st, uint64_t budget)
{
	const struct sched_problem	*p = st->p;
	size_t				*un, *nb, nun = 0, i, k, u, r, nnb;
	size_t				 maxnb = 64;
	int16_t				 s[SCHED_NKINDS];
	uint64_t			 it = 0;

	un = calloc(p->n_cycles ? p->n_cycles : 1, sizeof(*un));
	nb = calloc(maxnb, sizeof(*nb));
	if (un == NULL || nb == NULL)
		goto out;
	for (i = 0; i < p->n_cycles; i++)
		if (!st->placed[i] && st->alone[i])
			un[nun++] = i;
	/* Jitter the soft costs so that repeated tries explore different
	 * placements instead of the one greedy favourite. */
	st->noise = 16;
	for (; it < budget && nun > 0; it++) {
		k = sched_rand(st) % nun;
		u = un[k];
		if (sched_find(st, u, 0, s)) {
			sched_place(st, u, s);
			un[k] = un[--nun];
			continue;
		}
		nnb = neighbours(st, u, nb, maxnb);
		if (nnb == 0) {
			/* Only pinned or fixed sessions block it, and they
			 * never move: nothing the search can do for it. */
			un[k] = un[--nun];
			continue;
		}
		r = eject_move(st, u, nb, nnb);
		if (r == SIZE_MAX)
			un[k] = un[--nun];
		else
			un[k] = r;
	}
out:
	st->noise = 0;
	free(un);
	free(nb);
	return it;
}
