# Demo stage: expertise matching (issue 4), after the questions stage has
# queued the district's inquiry questions.
#
# Decision: preview the plan, then APPLY it.  The scheduling stages that
# follow need coaches with caseloads (assigned questions) to place
# coaching cycles, and an applied plan is what a coaching lead would do on
# day one.  The queues do not end up empty: stage 35 submits the questions
# that "arrive" after this run, and questions without a confirmed topic
# stay submitted for a coach to sort.  Re-running the demo is harmless:
# existing pairs are kept.
echo "-- plan preview: coachctl admin assign --dry-run --explain --"
ctl admin assign --dry-run --explain | sed -n 1,20p
echo "-- applying --"
ctl admin assign
cat >> "$next" <<'EOM'
  coachctl admin assign --dry-run --explain   # plan + "why this coach" (score parts, runner-up)
  coachctl admin assign --dry-run --full-replan  # what a full re-plan would move
  coachctl admin assign                       # apply: queued -> assigned, one transaction
  coachctl --json admin assign --dry-run      # the plan as JSON
  coachctl question model ID student-work     # coaching model: meeting + debrief only
EOM
