# Demo stage: the district roster (OneRoster 1.1 CSV + coaches.csv).
ctl admin import "$state/district"
cat >> "$next" <<'EOM'
  coachctl whoami                       # who you are: demo-admin (admin)
  coachctl school list                  # ID  NAME  KIND  ACTIVE
  coachctl coach list                   # ID  NAME  EXPERTISE  CAP  SCHOOLS
  coachctl teacher list --school rbu-hs-riverbend  # ID  NAME  SCHOOL  SUBJECTS  GRADES
  coachctl --json coach show coach-abara   # one record as JSON
  coachctl admin token create --role coach --user coach-abara
EOM
