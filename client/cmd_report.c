/*
 * cmd_report: `coachctl report time` (one coach or a school: hours and
 * share per category, planned vs actual, the coaching share against the
 * protected minimum) and `coachctl report district` (admins: categories
 * ranked, coaches furthest over a cap, teachers not seen for 4 weeks).
 * Bars come from chart.c; --json and --csv export the same numbers.
 * Reports hold times and categories only, never note text.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "coachctl.h"
#include "fmt.h"
#include "report.h"
#include "xmalloc.h"

#define REPORT_BAR_WIDTH	40
#define REPORT_UNSEEN_SHOWN	10

/* Bars on stdout: UTF-8 blocks in a UTF-8 locale, ASCII otherwise. */
static void
report_chart(const struct chart_bar *bars, size_t n)
{
	char	*buf;
	int	 len, utf8;

	if (n == 0) {
		printf("  (no time recorded)\n");
		return;
	}
	utf8 = chart_want_utf8(getenv("LC_ALL"), getenv("LC_CTYPE"),
	    getenv("LANG"));
	if ((len = chart_bars(bars, n, REPORT_BAR_WIDTH, 0, utf8, NULL,
	    0)) < 0)
		return;
	buf = xmalloc((size_t)len + 1);
	chart_bars(bars, n, REPORT_BAR_WIDTH, 0, utf8, buf, (size_t)len + 1);
	fputs(buf, stdout);
	free(buf);
}

void
report_bars_init(struct report_bars *rb, size_t n)
{
	rb->bar = xcalloc(n + 1, sizeof *rb->bar);
	rb->note = xcalloc(n + 1, sizeof *rb->note);
	rb->n = n;
}

char *
report_bar(struct report_bars *rb, size_t i, const char *label,
    int64_t minutes, int64_t limit)
{
	rb->bar[i].label = label;
	rb->bar[i].value = (double)minutes / 60.0;
	rb->bar[i].limit = limit >= 0 ? (double)limit / 60.0 : -1;
	rb->bar[i].note = rb->note[i];
	return rb->note[i];
}

void
report_bars_print(struct report_bars *rb)
{
	report_chart(rb->bar, rb->n);
	free(rb->bar);
	free(rb->note);
	rb->bar = NULL;
	rb->note = NULL;
}

/* A CSV field: quoted when it holds a comma, quote or newline. */
static void
csv_field(const char *s, int last)
{
	const char	*p;

	if (strpbrk(s, ",\"\n\r") == NULL)
		fputs(s, stdout);
	else {
		putchar('"');
		for (p = s; *p; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	}
	putchar(last ? '\n' : ',');
}

static const struct ctl_opt time_opts[] = {
	{ "coach", "ID", 0, "one coach (coaches: only themselves)" },
	{ "school", "ID", 0, "every coach serving a school (admins)" },
	{ "weeks", "N", 0, "weeks up to this one (default 4)" },
	{ "csv", NULL, 0, "export as CSV" },
	{ NULL, NULL, 0, NULL }
};

static void
time_csv(const Coachd__V1__CapsTimeReport *t)
{
	char	 num[6][32];
	size_t	 i;

	printf("category,name,kind,planned_minutes,actual_minutes,share_pct,"
	    "limit_minutes\n");
	for (i = 0; i < t->n_rows; i++) {
		const Coachd__V1__CapsReportRow *r = t->rows[i];

		snprintf(num[0], sizeof num[0], "%lld", (long long)r->planned);
		snprintf(num[1], sizeof num[1], "%lld", (long long)r->actual);
		snprintf(num[2], sizeof num[2], "%d.%02d", r->share_bp / 100,
		    r->share_bp % 100);
		if (r->limit >= 0)
			snprintf(num[3], sizeof num[3], "%lld",
			    (long long)r->limit);
		else
			num[3][0] = '\0';
		csv_field(r->category, 0);
		csv_field(r->name, 0);
		csv_field(r->coaching ? "coaching" : "non-coaching", 0);
		csv_field(num[0], 0);
		csv_field(num[1], 0);
		csv_field(num[2], 0);
		csv_field(num[3], 1);
	}
	printf("total,,,%lld,%lld,100.00,\n", (long long)t->planned,
	    (long long)t->actual);
	printf("coaching-share,,coaching,,%lld,%d.%02d,%d.%02d\n",
	    (long long)t->coaching_actual, t->coaching_share_bp / 100,
	    t->coaching_share_bp % 100, t->protected_bp / 100,
	    t->protected_bp % 100);
}

static void
time_print(const Coachd__V1__CapsTimeReport *t)
{
	struct report_bars	 rb;
	char			 a[32], b[32], c[32];
	size_t			 i;

	printf("time report: %s %s, %s to %s (%u week%s)\n", t->scope,
	    t->scope_id, t->from, t->to, t->weeks, t->weeks == 1 ? "" : "s");
	report_bars_init(&rb, t->n_rows);
	for (i = 0; i < t->n_rows; i++) {
		const Coachd__V1__CapsReportRow *r = t->rows[i];

		snprintf(report_bar(&rb, i, r->category, r->actual, r->limit),
		    REPORT_NOTE_LEN, "%s %d%%%s%s%s%s%s",
		    fmt_minutes(r->actual, a, sizeof a), r->share_bp / 100,
		    r->planned > 0 ? " planned " : "",
		    r->planned > 0 ? fmt_minutes(r->planned, b, sizeof b) : "",
		    r->limit >= 0 ? " cap " : "",
		    r->limit >= 0 ? fmt_minutes(r->limit, c, sizeof c) : "",
		    r->limit >= 0 && r->actual > r->limit ? " OVER" : "");
	}
	report_bars_print(&rb);
	printf("total %s actual, %s scheduled; coaching share %d%% "
	    "(protected minimum %d%%)%s\n",
	    fmt_minutes(t->actual, a, sizeof a),
	    fmt_minutes(t->planned, b, sizeof b), t->coaching_share_bp / 100,
	    t->protected_bp / 100, t->below_protected ?
	    ": BELOW the minimum" : "");
}

static int
report_time(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsReportTimeRequest tr =
	    COACHD__V1__CAPS_REPORT_TIME_REQUEST__INIT;
	Coachd__V1__Response		*resp;
	uint32_t			 w = 0;
	int				 rc = CTL_EX_OK;

	if (ctl_opt(a, "coach") != NULL && ctl_opt(a, "school") != NULL)
		return ctl_usage(a, "give --coach or --school, not both");
	if (ctl_opt_uint(a, "weeks", 104, &w) == -1)
		return CTL_EX_USAGE;
	tr.weeks = w;
	ctl_opt_str(a, "coach", &tr.coach);
	ctl_opt_str(a, "school", &tr.school);
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_REPORT_TIME, &tr);
	if ((rc = call_reply(ctl, &req,
	    COACHD__V1__RESPONSE__RESULT_CAPS_TIME_REPORT, &resp)) !=
	    CTL_EX_OK || resp == NULL)
		return rc;
	if (ctl_flag(a, "csv"))
		time_csv(resp->caps_time_report);
	else
		time_print(resp->caps_time_report);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static const struct ctl_opt district_opts[] = {
	{ "weeks", "N", 0, "weeks up to this one (default 4)" },
	{ "csv", NULL, 0, "export as CSV (three sections)" },
	{ NULL, NULL, 0, NULL }
};

static void
district_csv(const Coachd__V1__CapsDistrictReport *d)
{
	size_t	i;

	printf("section,category,name,kind,actual_minutes,share_pct\n");
	for (i = 0; i < d->n_ranked; i++)
		printf("ranked,%s,\"%s\",%s,%lld,%d.%02d\n",
		    d->ranked[i]->category, d->ranked[i]->name,
		    d->ranked[i]->coaching ? "coaching" : "non-coaching",
		    (long long)d->ranked[i]->actual,
		    d->ranked[i]->share_bp / 100,
		    d->ranked[i]->share_bp % 100);
	printf("\nsection,coach,category,period,used_minutes,limit_minutes,"
	    "pct\n");
	for (i = 0; i < d->n_over; i++)
		printf("over,%s,%s,%s,%lld,%lld,%d.%02d\n", d->over[i]->coach,
		    d->over[i]->category, d->over[i]->period,
		    (long long)d->over[i]->used, (long long)d->over[i]->limit,
		    d->over[i]->pct_bp / 100, d->over[i]->pct_bp % 100);
	printf("\nsection,teacher,school,last_seen,days\n");
	for (i = 0; i < d->n_unseen; i++)
		printf("unseen,%s,%s,%s,%d\n", d->unseen[i]->teacher,
		    d->unseen[i]->school, d->unseen[i]->last_seen,
		    d->unseen[i]->days);
}

static void
district_print(const Coachd__V1__CapsDistrictReport *d)
{
	struct out_table	*t;
	static const char *const ohdr[] = { "COACH", "CATEGORY", "PERIOD",
	    ">USED", ">CAP", ">%", NULL };
	static const char *const uhdr[] = { "TEACHER", "NAME", "SCHOOL",
	    "LAST SEEN", ">DAYS", NULL };
	struct report_bars	 rb;
	char			 a[32], b[32], pct[16], days[16];
	size_t			 i;

	printf("district time use, %s to %s: %s in all\n", d->from, d->to,
	    fmt_minutes(d->actual, a, sizeof a));
	report_bars_init(&rb, d->n_ranked);
	for (i = 0; i < d->n_ranked; i++)
		snprintf(report_bar(&rb, i, d->ranked[i]->category,
		    d->ranked[i]->actual, -1), REPORT_NOTE_LEN, "%s %d%%",
		    fmt_minutes(d->ranked[i]->actual, a, sizeof a),
		    d->ranked[i]->share_bp / 100);
	report_bars_print(&rb);
	printf("\ncoaches over a cap (week of %s%s%s%s%s), furthest"
	    " first:\n", d->week_start, *d->term_start ? "; term " : "",
	    d->term_start, *d->term_start ? ".." : "", d->term_end);
	t = out_table_new(ohdr);
	for (i = 0; i < d->n_over; i++) {
		snprintf(pct, sizeof pct, "%d%%", d->over[i]->pct_bp / 100);
		out_table_add(t, d->over[i]->coach, d->over[i]->category,
		    d->over[i]->period, fmt_minutes(d->over[i]->used, a,
		    sizeof a), fmt_minutes(d->over[i]->limit, b, sizeof b), pct);
	}
	if (d->n_over == 0)
		printf("  none\n");
	else
		out_table_print(t, stdout);
	out_table_free(t);
	printf("\nteachers not seen for more than 4 weeks: %zu\n",
	    d->n_unseen);
	t = out_table_new(uhdr);
	/* the longest gaps come first; the rest are in --json / --csv */
	for (i = 0; i < d->n_unseen && i < REPORT_UNSEEN_SHOWN; i++) {
		snprintf(days, sizeof days, "%d", d->unseen[i]->days);
		out_table_add(t, d->unseen[i]->teacher, d->unseen[i]->name,
		    d->unseen[i]->school, *d->unseen[i]->last_seen ?
		    d->unseen[i]->last_seen : "never",
		    d->unseen[i]->days < 0 ? "-" : days);
	}
	if (d->n_unseen > 0)
		out_table_print(t, stdout);
	if (d->n_unseen > REPORT_UNSEEN_SHOWN)
		printf("... and %zu more (--csv or --json for all)\n",
		    d->n_unseen - REPORT_UNSEEN_SHOWN);
	out_table_free(t);
}

static int
report_district(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request		 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__CapsReportDistrictRequest dr =
	    COACHD__V1__CAPS_REPORT_DISTRICT_REQUEST__INIT;
	Coachd__V1__Response		*resp;
	uint32_t			 w = 0;
	int				 rc = CTL_EX_OK;

	if (ctl_opt_uint(a, "weeks", 104, &w) == -1)
		return CTL_EX_USAGE;
	dr.weeks = w;
	srv_request_set(&req, COACHD__V1__REQUEST__OP_CAPS_REPORT_DISTRICT,
	    &dr);
	if ((rc = call_reply(ctl, &req,
	    COACHD__V1__RESPONSE__RESULT_CAPS_DISTRICT_REPORT, &resp)) !=
	    CTL_EX_OK || resp == NULL)
		return rc;
	if (ctl_flag(a, "csv"))
		district_csv(resp->caps_district_report);
	else
		district_print(resp->caps_district_report);
	srv_response_free(resp);
	return CTL_EX_OK;
}

const struct ctl_cmd cmd_report[] = {
	{ .name = "time", .summary = "hours per category, planned vs actual,"
	  " coaching share", .opts = time_opts, .fn = report_time },
	{ .name = "district", .summary = "admins: categories ranked, coaches"
	  " over caps, teachers unseen", .opts = district_opts,
	  .fn = report_district },
	{ .name = NULL }
};
