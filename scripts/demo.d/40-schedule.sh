# Demo stage: scheduling coaching cycles (issue 5), after stage 30 has
# assigned questions to coaches.  Publishes a plan for the next two weeks
# of school days (horizon_days = 10 in 40-schedule.conf), so the feeds
# stage (60) has sessions to publish.  Re-running is harmless: published
# sessions stay where they are (the re-plan reports them as unchanged).
# Riverbend's 2026-27 holidays (Thanksgiving, winter break, MLK Day,
# Presidents' Day, spring break, Memorial Day) and, next Wednesday, a
# staff PD day at the high school only: the plan skips them.  Adding a
# closure twice replaces it, so re-running is harmless.
while read -r day reason; do
	ctl admin calendar closure --date "$day" --reason "$reason" >/dev/null
done <<EOH
2026-11-26 Thanksgiving
2026-11-27 Thanksgiving
$(for d in 21 22 23 24 25 28 29 30 31; do echo "2026-12-$d winter break"; done)
2027-01-01 winter break
2027-01-18 Martin Luther King Jr. Day
2027-02-15 Presidents' Day
$(for d in 22 23 24 25 26; do echo "2027-03-$d spring break"; done)
2027-05-31 Memorial Day
EOH
ctl admin calendar closure --date "$(date -d 'next wednesday' +%F)" \
    --school rbu-hs-riverbend --reason "staff PD day" >/dev/null
echo "-- closures from today --"
ctl admin calendar list | sed -n '/^Closures:/,$p' | head -n 8
echo "-- plan preview: coachctl admin schedule --dry-run --"
ctl admin schedule --dry-run | tail -n 12
echo "-- publishing --"
ctl admin schedule | tail -n 3
coach=$(ctl --json schedule | /usr/bin/python3 -c \
    'import json,sys; s=json.load(sys.stdin).get("sessions",[]); print(s[0]["coach"] if s else "")')
teacher=$(ctl --json schedule | /usr/bin/python3 -c \
    'import json,sys; s=json.load(sys.stdin).get("sessions",[]); print(s[0]["teacher"] if s else "")')
session=$(ctl --json schedule | /usr/bin/python3 -c \
    'import json,sys; s=json.load(sys.stdin).get("sessions",[]); print(s[0]["id"] if s else "")')
if [ -n "$coach" ]; then
	echo "-- the week of $coach --"
	ctl week --coach "$coach"
fi
cat >> "$next" <<EOM
  coachctl admin schedule --dry-run           # plan + diff (new / moved / unchanged / unplaceable + why)
  coachctl admin schedule                     # publish: sessions 'proposed', feeds updated
  coachctl week --coach $coach                # Mon..Fri grid, periods down ("obs T.Ortiz")
  coachctl week --coach $coach --date $(date -u -d '+7 days' +%F)   # next week
  coachctl schedule --teacher $teacher        # ID DATE TIME PERIOD KIND COACH TEACHER ... STATUS SEQ BY
  coachctl schedule --coach $coach --from $(date -u +%F) --to $(date -u -d '+14 days' +%F)
  coachctl session confirm $session           # requested/proposed -> confirmed
  coachctl session reschedule $session --date YYYY-MM-DD --period P   # SEQ + 1, conflicts named
  coachctl session cancel $session            # kept with status cancelled, SEQ + 1
  # as the teacher or coach (token from 'admin token create'): the buy-in signal
  COACHCTL_TOKEN=... coachctl session request --coach $coach --date YYYY-MM-DD --period P --kind meeting
  COACHCTL_TOKEN=... coachctl session note add $session "confidential: coach and teacher only"
  coachctl admin calendar block --coach $coach --date YYYY-MM-DD --from 11:30 --to 12:15 --category lunch-duty
  coachctl admin calendar availability --coach $coach --slot "mon 08:00-15:00 SCHOOL" --slot "wed 08:00-12:00 SCHOOL"
  coachctl admin calendar closure --date YYYY-MM-DD --reason "snow day"   # then re-plan: moved sessions show SEQ + 1
  coachctl admin calendar list                # availability rows, blocks (with IDs), closures from today
  coachctl admin calendar remove --closure --date YYYY-MM-DD [--school S]   # or --block ID, --availability --coach C
EOM
