/* coach-solve assign: placeholder until the engine lands. */
#include <stdio.h>

#include "coach-solve.h"

int
solve_assign_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "coach-solve: assign is not available in this build\n");
	return SOLVE_EXIT_USAGE;
}
