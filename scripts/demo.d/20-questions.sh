# Demo stage: the district's inquiry questions (questions.csv from
# gen-demo-district.py: teacher_id,text,topic), submitted by the admin on
# behalf of each teacher.  A question whose topic is known is queued in its
# area's queue; the rest (no topic, or an id that is not in topics.conf)
# stay 'submitted' with ranked topic suggestions, for a coach to sort.
# Runs once per database: a second demo run finds the questions there.
# submit_questions WAVE: submit the rows of questions.csv of one wave.
# Wave 1 is three rows in four; wave 2, the rest, arrives in stage 35
# after the assignment run, so that the queues still hold waiting work.
submit_questions() {
	topics=$(ctl --json queue list | /usr/bin/python3 -c '
import json, sys
print(" ".join(t for q in json.load(sys.stdin)["queues"] for t in q["topics"]))')
	/usr/bin/python3 - "$state/district/questions.csv" "$1" <<'PY' |
import csv, sys
wave = int(sys.argv[2])
with open(sys.argv[1], newline="") as f:
    for i, row in enumerate(csv.DictReader(f)):
        if (i % 4 == 3) != (wave == 2):
            continue
        # "|" separates fields: unlike a tab, read does not merge two
        # of them, so an empty topic stays empty.
        text = " ".join(row["text"].split()).replace("|", "/")
        print("|".join((row["teacher_id"], row["topic"], text)))
PY
	while IFS='|' read -r teacher topic text; do
		case " $topics " in
		*" $topic "*)
			[ -n "$topic" ] && set -- --topic "$topic" || set -- ;;
		*)	set -- ;;
		esac
		ctl question submit "$text" --teacher "$teacher" "$@" \
		    >/dev/null || return 1
	done
}

if [ -f "$state/questions-loaded" ]; then
	echo "questions already loaded"
else
	submit_questions 1
	echo "submitted $(ctl --json question list | grep -c '"teacher":') questions"
fi
ctl queue list
cat >> "$next" <<'EOM'
  coachctl queue list                   # AREA  DEPTH  HELD  OLDEST  TOPICS
  coachctl queue show math              # POS ID TEACHER TOPIC WAITED BASE AGING TOTAL TEXT
  coachctl question list --state submitted   # unconfirmed: topic to sort
  coachctl question show ID             # text, topic, standing, suggestions
  coachctl question topic ID TOPIC      # confirm or change the topic -> queued
  coachctl question assign 1 --coach coach-abara   # admin; caseload cap applies
  coachctl question history 1           # AT FROM TO BY NOTE
  coachctl question boost ID --note "principal's priority"   # admin: this one first
  coachctl teacher update --id rbu-es-lincoln-t001 --new-teacher yes   # induction: first
  coachctl queue stats                  # depth, median/p90 wait, oldest, weekly
  # as a teacher: coachctl admin token create --role teacher --user rbu-es-lincoln-t001
  #   then COACHCTL_TOKEN=... coachctl question list   (own questions, POS, WAIT)
EOM
