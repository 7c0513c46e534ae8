/*
 * coach-solve: offline front end to coachd's pure engines, for benchmarks
 * and for verifying the engines against independent solvers.  Each
 * subcommand reads one JSON instance on stdin and writes JSON on stdout.
 */
#ifndef COACH_SOLVE_H
#define COACH_SOLVE_H

/* Exit statuses shared by all subcommands. */
#define SOLVE_EXIT_OK      0
#define SOLVE_EXIT_USAGE   1
#define SOLVE_EXIT_INVALID 2	/* the instance on stdin is malformed */

/* `coach-solve assign`: matching engine (lib/match/match.c). */
int	solve_assign_main(int argc, char **argv);
/* `coach-solve schedule`: scheduling engine (lib/sched/sched.c). */
int	solve_schedule_main(int argc, char **argv);

#endif
