/*
 * roster_int.h: internals shared by roster.c, roster_local.c and
 * roster_util.c (not for other modules: use roster.h).
 */
#ifndef COACHD_ROSTER_INT_H
#define COACHD_ROSTER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "csv.h"
#include "roster.h"

/* Map values for users that are not teachers (ids are kept only here). */
#define RS_STUDENT	((size_t)-1)
#define RS_OTHER	((size_t)-2)
#define RS_NONSCHOOL	((size_t)-3)

/* String -> index hash map; keys are borrowed from the roster's arrays. */
struct rs_map {
	const char	**key;
	size_t		 *val;
	size_t		  cap;
	size_t		  n;
};

/*
 * A set of 64-bit fingerprints of ids whose strings are not kept: the
 * students (a million in a big city) and the teachers' enrolment
 * sourcedIds cost 16 bytes each instead of a copy of every id.
 */
struct rs_fpset {
	uint64_t	*v;		/* 0: empty slot */
	size_t		 cap;
	size_t		 n;
};

struct roster_priv {
	struct rs_map		orgs, sessions, courses, users, classes;
	struct rs_map		coaches, enrollments, keys;
	struct rs_fpset		students;	/* users of role student */
	struct rs_fpset		enroll_ids;	/* non-student enrolment ids */
	struct roster_strv	owned;		/* keys owned by the maps */
	int			have_sessions, have_courses;
	char			*bell_file;
	char			*tt_file;
	unsigned char		*tt_teacher;	/* teacher listed in timetable */
	/* Set while roster_dir.c parses a part of a big file (csv.h). */
	size_t			part_hdr;	/* header bytes; 0: whole file */
	size_t			part_line;	/* file line the body starts on */
};

/* Column of a file: name and whether it is required (non-empty). */
struct rs_col {
	const char	*name;
	int		 required;
};

/* One file being parsed. */
struct rs_file {
	struct csv_table	 t;
	const struct rs_col	*spec;
	int			 idx[16];
	char			*err;
	size_t			 errlen;
};

/* roster_util.c */
int	rs_map_get(const struct rs_map *m, const char *key, size_t *val);
void	rs_map_put(struct rs_map *m, const char *key, size_t val);
void	rs_map_free(struct rs_map *m);
int	rs_fp_has(const struct rs_fpset *s, const char *id);
void	rs_fp_free(struct rs_fpset *s);
/* Record id in s, refusing one already in s or (if not NULL) in m. */
int	rs_new_fp_id(struct rs_file *f, size_t r, struct rs_fpset *s,
	    const struct rs_map *m, const char *id);
void	rs_strv_add(struct roster_strv *v, const char *s);
int	rs_strv_has(const struct roster_strv *v, const char *s);
void	rs_strv_addu(struct roster_strv *v, const char *s);
void	rs_strv_free(struct roster_strv *v);
void	rs_grow(void *arrp, size_t n, size_t sz);
void	rs_err(struct rs_file *f, size_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	rs_open(struct rs_file *f, const struct rs_col *spec,
	    const char *text, size_t len, const char *filename, char *err,
	    size_t errlen);
int	rs_open_part(struct rs_file *f, const struct rs_col *spec,
	    const struct roster_priv *p, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
const char *	rs_val(const struct rs_file *f, size_t r, int c);
int	rs_required(struct rs_file *f, size_t r);
int	rs_oneof(const char *s, const char *const *words);
int	rs_bool(const char *s, int dflt);
int	rs_token(const char *s);
void	rs_split(const char *s, char sep, struct roster_strv *v);
int	rs_status(struct rs_file *f, size_t r, int c, int *deleted);
int	rs_grades(struct rs_file *f, size_t r, const char *col,
	    const struct roster_strv *v);
int	rs_day(const char *s, char *out, size_t outlen);
int	rs_time(const char *s);
int	rs_date(const char *s);
const char *	rs_key(struct roster_priv *p, const char *a, const char *b,
	    const char *c);
int	rs_new_id(struct rs_file *f, size_t r, struct rs_map *m,
	    const char *id, size_t val);
int	rs_new_owned_id(struct rs_file *f, size_t r, struct roster_priv *p,
	    struct rs_map *m, const char *id, size_t val);
int	rs_close(struct rs_file *f, int rc);
long	rs_school(const struct roster *r, const char *id);
int	rs_bell_has(struct roster *r, const char *school, const char *period,
	    int *any);
int	rs_key_exists(struct roster_priv *p, const char *a, const char *b,
	    const char *c);
void	rs_key_put(struct roster_priv *p, const char *a, const char *b,
	    const char *c);
long	rs_teacher(const struct roster *r, const char *id);

#endif /* COACHD_ROSTER_INT_H */
