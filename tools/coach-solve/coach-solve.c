/*
 * coach-solve: dispatch to the subcommand named by argv[1].  The daemon
 * calls the very same engines; this tool exists so that they can be
 * benchmarked and cross-checked without a running coachd.
 */
#include <stdio.h>
#include <string.h>

#include "coach-solve.h"

#ifndef COACH_SOLVE_VERSION	/* CMake passes the project's version */
#define COACH_SOLVE_VERSION	"0.1.0"
#endif

static const struct {
	const char	*name;
	int		(*main)(int, char **);
	const char	*help;
} subcommands[] = {
	{ "assign",   solve_assign_main,
	  "optimal coach assignment within capacities (JSON on stdin)" },
	{ "schedule", solve_schedule_main,
	  "place coaching cycles into a timetable (JSON on stdin)" },
};

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f, "usage: coach-solve COMMAND < instance.json\n"
	    "       coach-solve --version\n\ncommands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name,
		    subcommands[i].help);
}

int
main(int argc, char **argv)
{
	size_t	i;

	if (argc < 2) {
		usage(stderr);
		return SOLVE_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("coach-solve %s\n", COACH_SOLVE_VERSION);
		return SOLVE_EXIT_OK;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return SOLVE_EXIT_OK;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].main(argc - 1, argv + 1);
	fprintf(stderr, "coach-solve: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return SOLVE_EXIT_USAGE;
}
