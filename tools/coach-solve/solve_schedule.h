/*
 * solve_schedule.h: what `coach-solve schedule`'s two files share (not an
 * API): the instance as read from JSON (solve_schedule_json.c) for the
 * front end that solves and writes it (solve_schedule.c).
 */
#ifndef SOLVE_SCHEDULE_H
#define SOLVE_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sched.h"

#define ERRLEN	512

/* A name -> index table (open addressing) for coach, teacher, cycle ids. */
struct names {
	char	**name;		/* owned, by index */
	size_t	  n, cap;
	size_t	 *slot;		/* index + 1, 0 = empty */
	size_t	  nslot;
};

struct input {
	const char		*buf;
	size_t			 len;
	int			 days, n_periods;
	char			*period[SCHED_MAX_PERIODS];
	struct names		 coach_ids, teacher_ids, cycle_ids;
	struct sched_coach	*coaches;
	struct sched_teacher	*teachers;
	struct sched_cycle	*cycles;
	struct sched_fixed	*fixed;
	size_t			 n_fixed;
	uint64_t		*bits;		/* all bitmaps, owned */
	size_t			 nbits, capbits;
	uint64_t		 seed, iterations;
	/* Slot lists of the element being read, left undecoded: at
	 * district scale they are nearly all of the input. */
	struct {
		const char	*key;
		size_t		 start, end;
	}			 lists[5];
	int			 nlists;
	char			 err[ERRLEN];
};

/* The spans of the top-level fields, found before any is decoded. */
struct span {
	size_t	start, end;	/* end == 0: absent */
};

struct top {
	struct span	days, periods, coaches, teachers, cycles;
	struct span	published, fixed, seed, iterations;
};

/* The lists read straight from the text (solve_schedule_json.c). */
extern const char *const sj_list_keys[];

/* solve_schedule_scan.c: the span scanner and the id tables. */
int	sj_fail(struct input *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
size_t	sj_names_find(const struct names *, const char *);
int	sj_names_init(struct names *, size_t);
size_t	sj_names_add(struct names *, const char *);
void	sj_names_free(struct names *);
size_t	sj_skip_ws(const char *, size_t, size_t);
json_t	*sj_decode(struct input *, struct span, const char *);
int	sj_scan_top(struct input *, struct top *);
long	sj_each(struct input *, struct span, const char *,
	    int (*)(struct input *, json_t *, size_t));

/*
 * Read in->buf (in->len bytes) into p, whose arrays and bitmaps in owns;
 * -1 with in->err naming what and where.  Free with
 * solve_sched_input_free() (also after a failure).
 */
int	solve_sched_read_input(struct input *in, struct sched_problem *p);
void	solve_sched_input_free(struct input *in);

#endif
