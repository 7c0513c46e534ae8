/*
 * queue_suggest: topic suggestions for a teacher's free-text question.
 *
 * Keyword matching over lightly stemmed words; deliberately simple and
 * deterministic so that a coach can predict (and the docs can state) why
 * a topic was offered.  Part of the queue engine; see docs/queues.md.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "xmalloc.h"

/* --- suggestion ------------------------------------------------------- */

#define WORD_MAX 32

struct words {
	char	(*w)[WORD_MAX];
	size_t	  n;
};

static int
ends_with(const char *w, size_t len, const char *suf, size_t keep)
{
	size_t	sl = strlen(suf);

	return len >= sl + keep && strcmp(w + len - sl, suf) == 0;
}

/*
 * A deliberately small stemmer: enough that "questions", "questioning"
 * and "question" meet, and "managing"/"management"/"manage" too.  At most
 * one suffix goes, then a final 'e'.
 */
void
queue_stem(char *w)
{
	static const struct { const char *suf, *rep; size_t keep; } rules[] = {
		{ "sses", "ss", 2 }, { "ies", "y", 2 }, { "ation", "", 4 },
		{ "ment", "", 4 }, { "ing", "", 3 }, { "ed", "", 3 },
		{ "ly", "", 4 },
	};
	size_t	len = strlen(w), i, sl;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (ends_with(w, len, rules[i].suf, rules[i].keep)) {
			sl = strlen(rules[i].suf);
			strcpy(w + len - sl, rules[i].rep);
			len = strlen(w);
			goto final_e;
		}
	}
	if (len >= 4 && w[len - 1] == 's' && w[len - 2] != 's' &&
	    w[len - 2] != 'u' && w[len - 2] != 'i')
		w[--len] = '\0';
final_e:
	if (len >= 4 && w[len - 1] == 'e')
		w[--len] = '\0';
}

/* Split text into lower-case, stemmed ASCII words (letters and digits). */
static void
tokenise(const char *text, struct words *out)
{
	size_t		 cap = 0, len;
	const char	*p = text;

	out->w = NULL;
	out->n = 0;
	while (*p != '\0') {
		while (*p != '\0' && !isalnum((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->w = xreallocarray(out->w, cap, sizeof *out->w);
		}
		len = 0;
		while (isalnum((unsigned char)*p)) {
			if (len < WORD_MAX - 1)
				out->w[out->n][len++] =
				    (char)tolower((unsigned char)*p);
			p++;
		}
		out->w[out->n][len] = '\0';
		queue_stem(out->w[out->n]);
		out->n++;
	}
}

/* Keyword word kw matches text word tw: equal, or kw a 5+ letter prefix. */
static int
word_match(const char *kw, const char *tw)
{
	size_t	kl = strlen(kw);

	if (strcmp(kw, tw) == 0)
		return 1;
	return kl >= 5 && strncmp(kw, tw, kl) == 0;
}

/* Whether the phrase kw occurs as consecutive words of text. */
static int
phrase_found(const struct words *kw, const struct words *text)
{
	size_t	i, j;

	if (kw->n == 0 || kw->n > text->n)
		return 0;
	for (i = 0; i + kw->n <= text->n; i++) {
		for (j = 0; j < kw->n; j++)
			if (!word_match(kw->w[j], text->w[i + j]))
				break;
		if (j == kw->n)
			return 1;
	}
	return 0;
}

static int
suggestion_cmp(const void *a, const void *b)
{
	const struct queue_suggestion *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->hits != y->hits)
		return x->hits > y->hits ? -1 : 1;
	return x->topic < y->topic ? -1 : x->topic > y->topic;
}

/* Rank topics by the keywords found in text. */
int
queue_suggest(const struct taxonomy_topics *topics, const char *text,
    struct queue_suggestion *out, size_t max, size_t *nout, char *err,
    size_t errlen)
{
	struct words		 tw, kw;
	struct queue_suggestion	*all;
	size_t			 i, k, n = 0;

	(void)err;
	(void)errlen;
	*nout = 0;
	tokenise(text, &tw);
	all = xcalloc(topics->n, sizeof *all);
	for (i = 0; i < topics->n; i++) {
		struct queue_suggestion s = { i, 0, 0 };

		for (k = 0; k < topics->v[i].nkeywords; k++) {
			tokenise(topics->v[i].keywords[k], &kw);
			/* Longer phrases are more specific: weight = words. */
			if (phrase_found(&kw, &tw)) {
				s.score += (int)kw.n;
				s.hits++;
			}
			free(kw.w);
		}
		if (s.score > 0)
			all[n++] = s;
	}
	if (n > 0)
		qsort(all, n, sizeof *all, suggestion_cmp);
	for (i = 0; i < n && i < max; i++)
		out[i] = all[i];
	*nout = i;
	free(all);
	free(tw.w);
	return 0;
}
