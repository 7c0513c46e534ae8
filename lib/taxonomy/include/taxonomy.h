/*
 * taxonomy: the small INI-like reader behind conf/topics.conf and
 * conf/categories.conf, and the inquiry-question topic list.
 *
 * Everything here is pure: the caller reads the file and hands over its
 * text plus a name used in messages ("file:line: what is wrong").
 */
#ifndef TAXONOMY_H
#define TAXONOMY_H

#include <stddef.h>

/*
 * One line of an INI-like file.  For a section header key and value are
 * NULL and section holds the header text ("topic writing").  Returning -1
 * from the callback stops the parse; the callback fills err with what is
 * wrong and the reader prefixes "name:line: ".
 */
typedef int (*taxonomy_ini_cb)(void *arg, const char *section,
    const char *key, const char *value, int line, char *err, size_t errlen);

/*
 * Read text line by line.  Blank lines and lines starting with '#' or ';'
 * are ignored; keys and values are trimmed.  Returns 0 or -1 with err
 * filled ("name:line: ...").
 */
int	taxonomy_ini_parse(const char *text, const char *name,
	    taxonomy_ini_cb cb, void *arg, char *err, size_t errlen);

/* Split "a, b ,c" into trimmed, non-empty, lower-cased items (malloc'd). */
int	taxonomy_split_list(const char *value, char ***out, size_t *nout);
void	taxonomy_free_list(char **v, size_t n);

/* Whether s is a valid identifier: [a-z0-9][a-z0-9_.:-]*, at most 47. */
int	taxonomy_valid_id(const char *s);

#define TAXONOMY_ID_MAX 48

/* One inquiry-question topic ([topic ID] section). */
struct taxonomy_topic {
	char	 *id;
	char	 *name;
	char	 *area;		/* expertise area: one queue per area */
	char	**keywords;	/* lower-cased phrases */
	size_t	  nkeywords;
	int	  priority;	/* base priority in its queue, default 0 */
	int	  line;		/* where it was defined, for messages */
};

/* The whole topic list, in file order.  Owns every string. */
struct taxonomy_topics {
	struct taxonomy_topic	*v;
	size_t			 n;
};

/*
 * Parse conf/topics.conf text.  Sections: [topic ID] with keys name, area,
 * keywords (comma list), optional priority (-10..10).  Unknown keys or
 * sections, duplicate ids or keys, missing fields: -1 and err.  On error
 * out is left empty.
 */
int	taxonomy_parse_topics(const char *text, const char *name,
	    struct taxonomy_topics *out, char *err, size_t errlen);
void	taxonomy_topics_free(struct taxonomy_topics *t);

/* Index of topic id, or -1. */
int	taxonomy_find_topic(const struct taxonomy_topics *t, const char *id);

/*
 * The distinct expertise areas in order of first appearance.  Fills up to
 * max pointers (borrowed from t) and returns how many areas exist.
 */
size_t	taxonomy_areas(const struct taxonomy_topics *t, const char **out,
	    size_t max);

#endif
