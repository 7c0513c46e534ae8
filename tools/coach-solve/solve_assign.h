/*
 * solve_assign.h: `coach-solve assign`'s instance reader, apart from the
 * front end so that it can be driven on its own (tests, fuzzing).
 */
#ifndef SOLVE_ASSIGN_H
#define SOLVE_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"

/* An id as it appears in the input: into the text or into owned. */
struct sa_id {
	const char	*s;
	size_t		 len;
};

/* Everything read from the instance; freed by solve_assign_free(). */
struct sa_instance {
	size_t			 n_coaches, n_requests, n_edges;
	struct sa_id		*coach_id, *request_id;
	uint32_t		*capacity;
	struct match_edge	*edges;
	size_t			 cap_coaches, cap_requests, cap_edges;
	char			**owned;	/* decoded ids with escapes */
	size_t			 n_owned, cap_owned;
};

/*
 * Read the JSON instance in buf (len bytes, which must outlive in: ids
 * point into it) into in.  -1 with err naming what is wrong and where
 * (line and column for syntax, "edges[12]: ..." for content); free in
 * with solve_assign_free() either way.
 */
int	solve_assign_parse(const char *buf, size_t len,
	    struct sa_instance *in, char *err, size_t errlen);
void	solve_assign_free(struct sa_instance *in);

#endif
