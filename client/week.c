/*
 * week.c: render the week grid.  Cells are cut to the column width by
 * display columns (UTF-8 aware), so names with accents stay aligned.
 */
#include <string.h>

#include "coachctl.h"
#include "week.h"

/*
 * The period column is as wide as its longest label ("SPEC 11:05",
 * "Period 10 13:40"), within these bounds; the five day columns share
 * what is left of WEEK_WIDTH: 1 + pcol + 5 * (dcol + 1) + 1 columns.
 */
#define PCOL_MIN	8
#define PCOL_MAX	20

struct frame {
	const char	*h, *v, *tl, *tm, *tr, *ml, *mm, *mr, *bl, *bm, *br;
};

static const struct frame box_uni = {
	"\u2500", "\u2502", "\u250c", "\u252c", "\u2510", "\u251c", "\u253c",
	"\u2524", "\u2514", "\u2534", "\u2518"
};
static const struct frame box_ascii = {
	"-", "|", "+", "+", "+", "+", "+", "+", "+", "+", "+"
};

void
week_short_name(const char *full, char *buf, size_t len)
{
	const char	*sp = strrchr(full, ' ');

	if (sp == NULL || sp == full || len < 4) {
		snprintf(buf, len, "%s", full);
		return;
	}
	snprintf(buf, len, "%c.%s", full[0], sp + 1);
}

/* Print s padded or cut to w display columns. */
static void
cell(FILE *f, const char *s, size_t w)
{
	size_t	used = 0, clen;
	char	ch[8];

	while (*s != '\0') {
		clen = 1;
		while ((s[clen] & 0xc0) == 0x80 && clen < 4)
			clen++;
		memcpy(ch, s, clen);
		ch[clen] = '\0';
		if (used + out_width(ch) > w)
			break;
		fputs(ch, f);
		used += out_width(ch);
		s += clen;
	}
	for (; used < w; used++)
		fputc(' ', f);
}

static void
rule(FILE *f, const struct frame *b, int pcol, int dcol, const char *l,
    const char *m, const char *r)
{
	int	i, d;

	fputs(l, f);
	for (i = 0; i < pcol; i++)
		fputs(b->h, f);
	for (d = 0; d < 5; d++) {
		fputs(m, f);
		for (i = 0; i < dcol; i++)
			fputs(b->h, f);
	}
	fputs(r, f);
	fputc('\n', f);
}

static const char *
kind_abbrev(const char *k)
{
	if (strcmp(k, "meeting") == 0)
		return "mtg";
	if (strcmp(k, "observation") == 0)
		return "obs";
	if (strcmp(k, "debrief") == 0)
		return "deb";
	return k;
}

struct row {
	char	period[64];
	char	label[80];	/* "SPEC 11:05" */
	int	start;
};

void
week_print(FILE *f, const char *const dates[5],
    Coachd__V1__SchedSession *const *s, size_t n, int coach_view, int ascii)
{
	static const char *const dn[5] = { "Mon", "Tue", "Wed", "Thu", "Fri" };
	const struct frame	*b = ascii ? &box_ascii : &box_uni;
	struct row		 rows[64];
	size_t			 nrows = 0, i, j, k;
	char			 buf[128], nm[64];
	int			 d, lines, line, shown, dcol, w;
	int			 pcol = PCOL_MIN;

	/* Rows: the distinct (start time, period) of the week's sessions. */
	for (i = 0; i < n && nrows < 64; i++) {
		for (j = 0; j < nrows; j++)
			if (rows[j].start == (int)s[i]->start_min &&
			    strcmp(rows[j].period, s[i]->period) == 0)
				break;
		if (j < nrows)
			continue;
		for (j = nrows; j > 0 && (rows[j - 1].start >
		    (int)s[i]->start_min); j--)
			rows[j] = rows[j - 1];
		snprintf(rows[j].period, sizeof(rows[j].period), "%s",
		    s[i]->period);
		rows[j].start = (int)s[i]->start_min;
		nrows++;
	}
	for (j = 0; j < nrows; j++) {
		snprintf(buf, sizeof(buf), "%.32s %02u:%02u", rows[j].period,
		    (unsigned)(rows[j].start / 60) % 24u,
		    (unsigned)(rows[j].start % 60));
		snprintf(rows[j].label, sizeof(rows[j].label), "%.79s", buf);
		if ((w = (int)out_width(rows[j].label)) > pcol)
			pcol = w < PCOL_MAX ? w : PCOL_MAX;
	}
	dcol = (WEEK_WIDTH - 2 - pcol) / 5 - 1;
	rule(f, b, pcol, dcol, b->tl, b->tm, b->tr);
	fputs(b->v, f);
	cell(f, "", pcol);
	for (d = 0; d < 5; d++) {
		fputs(b->v, f);
		snprintf(buf, sizeof(buf), "%s %s", dn[d], dates[d] + 5);
		cell(f, buf, dcol);
	}
	fputs(b->v, f);
	fputc('\n', f);
	for (j = 0; j < nrows; j++) {
		rule(f, b, pcol, dcol, b->ml, b->mm, b->mr);
		/* As many lines as the busiest day has sessions then. */
		lines = 1;
		for (d = 0; d < 5; d++) {
			shown = 0;
			for (k = 0; k < n; k++)
				shown += strcmp(s[k]->date, dates[d]) == 0 &&
				    (int)s[k]->start_min == rows[j].start &&
				    strcmp(s[k]->period, rows[j].period) == 0;
			if (shown > lines)
				lines = shown;
		}
		for (line = 0; line < lines; line++) {
			fputs(b->v, f);
			cell(f, line == 0 ? rows[j].label : "", pcol);
			for (d = 0; d < 5; d++) {
				fputs(b->v, f);
				shown = 0;
				buf[0] = '\0';
				for (k = 0; k < n; k++) {
					if (strcmp(s[k]->date, dates[d]) ||
					    (int)s[k]->start_min !=
					    rows[j].start || strcmp(
					    s[k]->period, rows[j].period))
						continue;
					if (shown++ != line)
						continue;
					week_short_name(coach_view ?
					    s[k]->teacher_name :
					    s[k]->coach_name, nm, sizeof(nm));
					snprintf(buf, sizeof(buf), "%s %s%s",
					    kind_abbrev(s[k]->kind), nm,
					    strcmp(s[k]->status, "requested") ?
					    "" : "?");
				}
				cell(f, buf, dcol);
			}
			fputs(b->v, f);
			fputc('\n', f);
		}
	}
	rule(f, b, pcol, dcol, b->bl, b->bm, b->br);
	if (nrows == 0)
		fprintf(f, "(no sessions this week)\n");
}
