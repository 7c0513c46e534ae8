/*
 * cmd_queue: `coachctl queue ...`, the expertise-area queues of inquiry
 * questions: which queues exist and how deep they are, one
 * queue in order with the aging formula broken down, and the admin
 * statistics (waits, oldest question, arrivals vs assignments per week).
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coachctl.h"
#include "cmd_question.h"
#include "xmalloc.h"

static int
queue_list(struct ctl *ctl, struct ctl_args *a)
{
	static const char *const hdr[] = { "AREA", ">DEPTH", ">HELD",
	    "OLDEST", "TOPICS", NULL };
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__Empty	 e = COACHD__V1__EMPTY__INIT;
	Coachd__V1__Response	*resp;
	const Coachd__V1__QueueInfo *q;
	struct out_table	*t;
	char			 depth[16], held[16], old[32], topics[512];
	size_t			 i, j, off;
	int			 rc;

	(void)a;
	req.op_case = COACHD__V1__REQUEST__OP_QUEUE_LIST;
	req.queue_list = &e;
	if ((rc = call_reply(ctl, &req, 0, &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	t = out_table_new(hdr);
	for (i = 0; i < resp->queues->n_queues; i++) {
		q = resp->queues->queues[i];
		snprintf(depth, sizeof depth, "%u", q->depth);
		snprintf(held, sizeof held, "%u", q->held);
		if (q->depth > 0)
			question_fmt_dur(q->oldest_wait, old, sizeof old);
		else
			snprintf(old, sizeof old, "-");
		topics[0] = '\0';
		for (j = off = 0; j < q->n_topics && off < sizeof topics; j++)
			off += (size_t)snprintf(topics + off,
			    sizeof topics - off, "%s%s", j ? "," : "",
			    q->topics[j]);
		out_table_add(t, q->area, depth, held, old, topics);
	}
	out_table_print(t, stdout);
	if (out_table_rows(t) == 0)
		printf("(no queue matches your expertise or interests)\n");
	out_table_free(t);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static int
queue_show(struct ctl *ctl, struct ctl_args *a)
{
	static const char *const hdr[] = { ">POS", ">ID", "TEACHER", "TOPIC",
	    "WAITED", ">BASE", ">AGING", ">TOTAL", "TEXT", NULL };
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QueueShowRequest r = COACHD__V1__QUEUE_SHOW_REQUEST__INIT;
	Coachd__V1__Response	*resp;
	const Coachd__V1__QueueEntry *e;
	struct out_table	*t;
	char			 pos[16], id[32], w[32], b[32], ag[16], tot[16];
	char			 text[48];
	size_t			 i, n;
	int			 rc;

	r.area = (char *)ctl_pos(a, 0);
	req.op_case = COACHD__V1__REQUEST__OP_QUEUE_SHOW;
	req.queue_show = &r;
	if ((rc = call_reply(ctl, &req, 0, &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	printf("queue %s: %zu question(s); order: total = base + aging "
	    "(aging = +1 per %dh waited, at most %d), then submission time, "
	    "then id\n", resp->queue->area, resp->queue->n_entries,
	    resp->queue->aging_hours, resp->queue->aging_cap);
	t = out_table_new(hdr);
	for (i = 0; i < resp->queue->n_entries; i++) {
		e = resp->queue->entries[i];
		snprintf(pos, sizeof pos, "%u", e->position);
		snprintf(id, sizeof id, "%" PRId64, e->id);
		question_fmt_dur(e->waited, w, sizeof w);
		snprintf(b, sizeof b, "%d%s%s", e->base_priority,
		    e->new_teacher ? " new" : "", e->boosted ? " boost" : "");
		snprintf(ag, sizeof ag, "%d", e->aging);
		snprintf(tot, sizeof tot, "%d", e->total);
		n = strlen(e->text);
		if (n < sizeof text)
			memcpy(text, e->text, n + 1);
		else {
			n = sizeof text - 4;
			while (n > 0 && ((unsigned char)e->text[n] & 0xc0) ==
			    0x80)
				n--;
			memcpy(text, e->text, n);
			memcpy(text + n, "...", 4);
		}
		out_table_add(t, pos, id, e->teacher, e->topic, w, b, ag, tot,
		    text);
	}
	out_table_print(t, stdout);
	out_table_free(t);
	srv_response_free(resp);
	return CTL_EX_OK;
}

static const struct ctl_opt stats_opts[] = {
	{ "weeks", "N", 0, "ISO weeks of arrivals/assignments (default 4)" },
	{ NULL, NULL, 0, NULL }
};

/* The per-area table of queue stats. */
static void
print_area_stats(const Coachd__V1__QueueStats *s)
{
	static const char *const hdr[] = { "AREA", ">DEPTH", ">HELD",
	    "WAIT-MEDIAN", "WAIT-P90", "OLDEST", ">ASSIGNED", "TO-ASSIGN-MED",
	    NULL };
	const Coachd__V1__QueueAreaStats *x;
	struct out_table	*t;
	char			 d[16], h[16], med[32], p90[32], old[64];
	char			 as[16], am[32], ow[32];
	size_t			 i;

	t = out_table_new(hdr);
	for (i = 0; i < s->n_areas; i++) {
		x = s->areas[i];
		snprintf(d, sizeof d, "%u", x->depth);
		snprintf(h, sizeof h, "%u", x->held);
		question_fmt_dur(x->depth ? x->wait_median : -1, med,
		    sizeof med);
		question_fmt_dur(x->depth ? x->wait_p90 : -1, p90, sizeof p90);
		if (x->oldest_id > 0) {
			question_fmt_dur(x->oldest_wait, ow, sizeof ow);
			snprintf(old, sizeof old, "#%" PRId64 " (%s)",
			    x->oldest_id, ow);
		} else
			snprintf(old, sizeof old, "-");
		snprintf(as, sizeof as, "%u", x->assigned);
		question_fmt_dur(x->assigned ? x->assign_median : -1, am,
		    sizeof am);
		out_table_add(t, x->area, d, h, med, p90, old, as, am);
	}
	out_table_print(t, stdout);
	out_table_free(t);
}

/*
 * Arrivals/assignments per ISO week: one row per area, one column per
 * week ("arrived/assigned"), so that a few weeks of eight areas fit on
 * a screen.  The server sends the rows area by area, oldest week first.
 */
static void
print_week_stats(const Coachd__V1__QueueStats *s)
{
	struct out_table	*t;
	const char		**hdr, **cells;
	char			*hbuf, *cbuf;
	size_t			 nw = s->weeks, i, j;

	if (nw == 0 || s->n_week_rows % nw != 0)
		return;
	hdr = xcalloc(nw + 2, sizeof *hdr);
	cells = xcalloc(nw + 1, sizeof *cells);
	hbuf = xcalloc(nw, 32);
	cbuf = xcalloc(nw, 32);
	hdr[0] = "AREA";
	for (j = 0; j < nw; j++) {
		snprintf(hbuf + 32 * j, 32, ">%d-W%02d",
		    s->week_rows[j]->iso_year, s->week_rows[j]->iso_week);
		hdr[j + 1] = hbuf + 32 * j;
		cells[j + 1] = cbuf + 32 * j;
	}
	t = out_table_new(hdr);
	for (i = 0; i < s->n_week_rows; i += nw) {
		cells[0] = s->week_rows[i]->area;
		for (j = 0; j < nw; j++)
			snprintf(cbuf + 32 * j, 32, "%u/%u",
			    s->week_rows[i + j]->arrivals,
			    s->week_rows[i + j]->assignments);
		out_table_addv(t, cells);
	}
	out_table_print(t, stdout);
	out_table_free(t);
	free(cbuf);
	free(hbuf);
	free(cells);
	free(hdr);
}

static int
queue_stats(struct ctl *ctl, struct ctl_args *a)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__QueueStatsRequest r = COACHD__V1__QUEUE_STATS_REQUEST__INIT;
	Coachd__V1__Response	*resp;
	int			 rc;

	if (ctl_opt_uint(a, "weeks", 104, &r.weeks) == -1)
		return CTL_EX_USAGE;
	req.op_case = COACHD__V1__REQUEST__OP_QUEUE_STATS;
	req.queue_stats = &r;
	if ((rc = call_reply(ctl, &req, 0, &resp)) != CTL_EX_OK || resp == NULL)
		return rc;
	print_area_stats(resp->queue_stats);
	printf("\narrived/assigned per ISO week (UTC), last %u weeks:\n",
	    resp->queue_stats->weeks);
	print_week_stats(resp->queue_stats);
	srv_response_free(resp);
	return CTL_EX_OK;
}

const struct ctl_cmd cmd_queue[] = {
	{ .name = "list", .summary = "queues (one per expertise area) and "
	  "their depth", .minpos = 0, .maxpos = 0, .fn = queue_list,
	  .help = "Coaches see the queues matching their expertise or "
	  "interests; admins see every queue." },
	{ .name = "show", .summary = "one queue in order, with the aging "
	  "breakdown", .usage = "AREA", .minpos = 1, .maxpos = 1,
	  .fn = queue_show },
	{ .name = "stats", .summary = "admin: depth, waits, oldest, arrivals "
	  "vs assignments", .minpos = 0, .maxpos = 0, .opts = stats_opts,
	  .fn = queue_stats },
	{ .name = NULL }
};
