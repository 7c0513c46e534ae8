# Demo stage: questions that arrive after the morning's assignment run, so
# the demo shows queues with waiting questions, positions and aging.
if [ -f "$state/questions-loaded" ]; then
	echo "late questions already loaded"
else
	submit_questions 2
	touch "$state/questions-loaded"
fi
ctl queue list
