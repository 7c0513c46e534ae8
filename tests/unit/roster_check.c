/*
 * roster_check.c: load a roster folder with roster_load_dir() and print
 * what it holds as "key value" lines, for tests that build folders with
 * scripts/gen-demo-district.py (and for tests/bench/roster_bench.sh, with
 * -q: counts only).  Exit 0 on success, 1 with the error.
 */
#include <stdio.h>
#include <string.h>

#include "roster.h"

/* Count slots of one kind. */
static size_t
count_slots(const struct roster *r, enum roster_slot_kind kind)
{
	size_t	i, n = 0;

	for (i = 0; i < r->nslots; i++)
		if (r->slots[i].kind == kind)
			n++;
	return n;
}

int
main(int argc, char **argv)
{
	struct roster	r;
	char		err[512];
	size_t		i, untopic = 0, noteacher = 0;
	int		quiet = 0;

	if (argc == 3 && strcmp(argv[1], "-q") == 0) {
		quiet = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: roster-check [-q] DIR\n");
		return 2;
	}
	if (roster_load_dir(argv[1], &r, err, sizeof err) == -1) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	for (i = 0; i < r.nquestions; i++)
		if (r.questions[i].topic[0] == '\0')
			untopic++;
	for (i = 0; i < r.nclasses; i++)
		if (r.classes[i].teacher_id == NULL)
			noteacher++;
	printf("district %s\n", r.district_name ? r.district_name : "-");
	printf("schools %zu\nteachers %zu\nclasses %zu\ncourses %zu\n",
	    r.nschools, r.nteachers, r.nclasses, r.ncourses);
	printf("sessions %zu\nstudents %zu\nenrollments %zu\n", r.nsessions,
	    r.nstudents, r.nenrollments);
	printf("coaches %zu\nbells %zu\nquestions %zu\nuntopic %zu\n",
	    r.ncoaches, r.nbells, r.nquestions, untopic);
	printf("teach %zu\nfree %zu\nnoteacher %zu\n",
	    count_slots(&r, ROSTER_SLOT_TEACH),
	    count_slots(&r, ROSTER_SLOT_FREE), noteacher);
	/* One line per teacher, for spot checks of the timetable. */
	for (i = 0; !quiet && i < r.nslots; i++)
		printf("slot %s %s %s %s %s\n", r.slots[i].teacher_id,
		    r.slots[i].day, r.slots[i].period,
		    r.slots[i].kind == ROSTER_SLOT_TEACH ? "teach" : "free",
		    r.slots[i].class_id ? r.slots[i].class_id : "-");
	roster_free(&r);
	return 0;
}
