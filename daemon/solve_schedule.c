/* coach-solve schedule: placeholder until the engine lands. */
#include <stdio.h>

#include "coach-solve.h"

int
solve_schedule_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "coach-solve: schedule is not available in this build\n");
	return SOLVE_EXIT_USAGE;
}
