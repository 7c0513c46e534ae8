# Demo stage: expertise matching (issue 4), after the questions stage has
# queued the district's inquiry questions.
#
# Decision: preview the plan, then APPLY it.  The scheduling stages that
# follow need coaches with caseloads (assigned questions) to place
# coaching cycles, and an applied plan is what a coaching lead would do on
# day one.  The queues do not end up empty: questions whose area no coach
# of the school covers, or whose coaches are full, stay queued (listed
# with the reason), and a teacher's second question stays held until the
# first closes.  With the demo district: 27 of the 30 queued questions are
# assigned; 3 stay queued with "no eligible coach" (elementary science and
# instruction questions at Lincoln: the science coach serves only the
# secondary schools), so `coachctl queue list` still shows work waiting.
# Re-running the demo is harmless: existing pairs are kept and only
# questions that became assignable are added.
echo "-- plan preview: coachctl admin assign --dry-run --explain --"
ctl admin assign --dry-run --explain | head -n 20
echo "-- applying --"
ctl admin assign
cat >> "$next" <<'EOM'
  coachctl admin assign --dry-run --explain   # plan + "why this coach" (score parts, runner-up)
  coachctl admin assign --dry-run --full-replan  # what a full re-plan would move
  coachctl admin assign                       # apply: queued -> assigned, one transaction
  coachctl --json admin assign --dry-run      # the plan as JSON
EOM
