/*
 * solve_json.h: a pull lexer over a JSON text held in memory, for the
 * fixed schemas coach-solve reads.  No tree is built: the caller asks
 * for one token at a time and keeps only what it needs, so a 56 MB
 * instance costs its own bytes plus the engine's arrays.  Strings
 * without escapes point into the text; the rest are decoded into a
 * scratch buffer valid until the next token.  Every syntax error reads
 * "malformed JSON at line L column C: why".
 */
#ifndef SOLVE_JSON_H
#define SOLVE_JSON_H

#include <stddef.h>
#include <stdio.h>

enum jl_tok {
	JL_ERR = -1,		/* err filled */
	JL_END,			/* end of the text */
	JL_OBJ, JL_OBJ_END, JL_ARR, JL_ARR_END, JL_COLON, JL_COMMA,
	JL_STR, JL_INT, JL_REAL, JL_TRUE, JL_FALSE, JL_NULL
};

struct jl {
	const char	*b;
	size_t		 len, pos;
	size_t		 at;		/* offset of the last token */
	/* JL_STR: the decoded string (not NUL-terminated), has_nul if it
	 * contains an escaped NUL. */
	const char	*s;
	size_t		 slen;
	int		 has_nul;
	long long	 i;		/* JL_INT */
	char		*scratch;	/* owned */
	size_t		 scap;
	char		*err;
	size_t		 errlen;
};

void	jl_init(struct jl *, const char *buf, size_t len, char *err,
	    size_t errlen);
void	jl_free(struct jl *);
/* The next token; JL_ERR with err filled on a syntax error. */
int	jl_next(struct jl *);
/* Consume the rest of the value whose first token is tok; 0 or -1. */
int	jl_skip(struct jl *, int tok);
/* Fill err with "malformed JSON at line L column C: ..." for offset at. */
int	jl_fail(struct jl *, size_t at, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * Walk an object whose JL_OBJ was just read: the next key (JL_STR, its
 * colon consumed, the key in s/slen), JL_OBJ_END, or JL_ERR.  *first
 * starts at 1; it tells whether a comma must come before the key.
 */
int	jl_obj_next(struct jl *, int *first);
/* The same for an array: the first token of the next element,
 * JL_ARR_END or JL_ERR. */
int	jl_arr_next(struct jl *, int *first);
/* Write s (len bytes) as a JSON string to f. */
int	jl_write_str(FILE *f, const char *s, size_t len);

#endif
