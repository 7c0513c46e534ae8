# Demo stage: time logs and caps (issue 6).  Logs a realistic fortnight of
# non-session time for the demo coaches (data work, PD, team facilitation,
# leadership team, resources, the coach's own learning, one student crisis):
# last week Monday to Friday and today, so that the literacy coach, Dana
# Whitfield (coach-whitfield), is clearly over the 4h/week data-work cap
# (5h45m last week, 5h30m this week) while the others stay under it.
# Scheduled sessions, when the scheduling stage has booked some, count by
# themselves.  The stage ends with her time report and the district's
# "coaches over a cap" table.
# Re-running the demo logs nothing twice: a coach who already has entries
# this week is skipped.  The notes are the coaches' own words and never
# appear in the reports below.

# last week's Monday + K days, as YYYY-MM-DD
monday=$(date -d "-$(( $(date +%u) - 1 )) day" +%F)
tl_day() {
	date -d "$monday -7 day +$1 day" +%F
}

# tl_log COACH CATEGORY MINUTES DAY NOTE (admins log for any coach)
tl_log() {
	ctl log add --coach "$1" --category "$2" --minutes "$3" --date "$4" \
	    "$5" >/dev/null 2>&1 || true
}

tl_has_week() {
	ctl --json log list --coach "$1" | grep -q '"id"'
}

today=$(date +%F)
for c in coach-whitfield coach-abara coach-lindqvist coach-delacruz \
    coach-farouk coach-mbeki coach-kowal coach-oyelaran; do
	tl_has_week "$c" && continue
	# last week, Monday (0) to Friday (4)
	for k in 0 2 4; do
		tl_log "$c" team-facilitation 45 "$(tl_day $k)" "grade-level PLC"
	done
	for k in 1 3; do
		tl_log "$c" resources 20 "$(tl_day $k)" "sorting the book room"
	done
	tl_log "$c" own-learning 60 "$(tl_day 0)" "coaching network webinar"
	tl_log "$c" data-work 60 "$(tl_day 1)" "benchmark results with grade 3"
	tl_log "$c" pd-delivery 90 "$(tl_day 2)" "early-release PD session"
	tl_log "$c" data-work 45 "$(tl_day 3)" "progress monitoring sheets"
	tl_log "$c" student-crisis 30 "$(tl_day 3)" "covering a de-escalation"
	tl_log "$c" leadership-team 60 "$(tl_day 4)" "leadership team meeting"
	# this week so far
	tl_log "$c" team-facilitation 45 "$today" "grade-level PLC"
	if [ "$c" != coach-whitfield ]; then
		tl_log "$c" data-work 90 "$today" "formative data review"
		continue
	fi
	# the literacy coach is buried in the reading screener: 5h45m of
	# data work last week, 5h30m this week, against a 4h/week cap
	tl_log "$c" data-work 150 "$(tl_day 2)" "screener data cleanup"
	tl_log "$c" data-work 90 "$(tl_day 4)" "data wall for grade 2"
	tl_log "$c" data-work 150 "$today" "district reading screener upload"
	ctl log add --coach "$c" --category data-work --minutes 180 \
	    --date "$today" "re-entering screener scores" 2>&1 |
	    sed 's/^/  /' || true
done
echo "-- coachctl report time --coach coach-whitfield --weeks 2 --"
ctl report time --coach coach-whitfield --weeks 2 || true
# the district view's answer to "who is over a cap?" (its ranking and the
# unseen teachers are in the full `coachctl report district`)
echo "-- coachctl report district (coaches over a cap) --"
ctl report district 2>/dev/null | sed -n '/^coaches over a cap/,/^$/p' ||
    true
cat >> "$next" <<'EOM'
  coachctl report time --coach coach-whitfield --weeks 2
      # bars per category (hours, share, cap); data-work runs past its cap mark
      # (the "OVER" note, ▓ / ! past the │ / | cap), coaching share vs 60%
  coachctl report time --coach coach-whitfield --csv   # same numbers as CSV
  coachctl report district                    # categories ranked by time; coaches
      # furthest over a cap (coach-whitfield, data-work, 137%); teachers not
      # seen for more than 4 weeks
  coachctl caps --coach coach-whitfield        # this week's standing per cap
  coachctl admin caps list                     # categories, marks, file + runtime caps
  coachctl admin caps set data-work 6h/week --coach coach-whitfield  # audited
  coachctl log add --coach coach-abara --category duty --minutes 30
      # refused: duty is will-not-do; add --override (admin) to record it
EOM
