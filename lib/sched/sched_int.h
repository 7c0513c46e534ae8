/*
 * sched_int: state shared by the scheduling engine's two files, sched.c
 * (state, rule checks, placement search for one cycle, reasons) and
 * sched_search.c (construction order and the local search).  Not an API.
 */
#ifndef SCHED_INT_H
#define SCHED_INT_H

#include <stddef.h>
#include <stdint.h>

#include "errmsg.h"
#include "sched.h"

/* Rule families find() may ignore, to tell which one blocks a cycle. */
#define SCHED_R_BUSY	0x1u	/* other sessions in the slot */
#define SCHED_R_DAY	0x2u	/* coach sessions per day */
#define SCHED_R_WEEKT	0x4u	/* coach distinct teachers per week */
#define SCHED_R_WEEKS	0x8u	/* coach sessions per week */
#define SCHED_R_ALL	0xfu

struct sched_st {
	const struct sched_problem *p;
	int		 D, P, W;
	uint64_t	*cbusy;		/* n_coaches * D: coach booked */
	uint64_t	*tbusy;		/* n_teachers * D: teacher booked */
	uint16_t	*cday;		/* n_coaches * D: sessions that day */
	uint16_t	*cweek;		/* n_coaches * W: sessions that week */
	uint32_t	*cper;		/* n_coaches * P: sessions in period */
	uint32_t	*ctotal;	/* n_coaches: sessions overall */
	size_t		*coff, *clist;	/* cycles of each coach (CSR) */
	size_t		*toff, *tlist;	/* cycles of each teacher (CSR) */
	size_t		*fcoff, *fclist; /* fixed sessions of each coach */
	int		*scratch;	/* teacher ids, max coach degree */
	int16_t		*slot;		/* n_cycles * 3, slot = day*P+period */
	uint8_t		*placed;
	uint8_t		*pinned;	/* kept as published: never ejected */
	uint8_t		*alone;		/* placeable in an empty timetable */
	uint64_t	 rng;
	int		 noise;		/* local search: random cost jitter */
	int		 exists_only;	/* find(): any placement will do */
};

unsigned sched_kinds(const struct sched_cycle *);
uint64_t sched_period_mask(int);
void	sched_slot_words(const struct sched_st *, int, char *, size_t);
void	sched_day_words(const struct sched_st *, int, char *, size_t);
void	sched_week_words(const struct sched_st *, int, char *, size_t);
void	sched_candidates(const struct sched_st *, size_t, unsigned,
	    uint64_t [SCHED_NKINDS][SCHED_MAX_DAYS]);
int	sched_week_teachers(struct sched_st *, int, int, int, int *);
void	sched_week_ok(struct sched_st *, size_t, unsigned, uint8_t *);
int	sched_caps_ok(const struct sched_st *, size_t, unsigned,
	    const uint8_t *, const int16_t *);
int	sched_find(struct sched_st *, size_t, unsigned, int16_t *);
void	sched_place(struct sched_st *, size_t, const int16_t *);
void	sched_unplace(struct sched_st *, size_t);
uint64_t sched_rand(struct sched_st *);

/* sched_reason.c */
int	sched_check_prev(struct sched_st *, size_t, int16_t *, char *, size_t);
void	sched_diagnose(struct sched_st *, size_t, char *, size_t);

/* sched_search.c */
void	sched_construct(struct sched_st *);
uint64_t sched_improve(struct sched_st *, uint64_t);

/* sched_setup.c: input checks and the working state. */
int	sched_validate(const struct sched_problem *, char *, size_t);
int	sched_st_init(struct sched_st *, const struct sched_problem *);
void	sched_st_free(struct sched_st *);
int	sched_apply_fixed(struct sched_st *, char *, size_t);

#endif
