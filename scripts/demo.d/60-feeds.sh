# Demo stage: iCalendar feeds (issue 7).  Issues feed URLs for one teacher
# of Lincoln Elementary and for their coach, Dana Whitfield
# (coach-whitfield), and prints them (https and webcal) with what to try.
# The server keeps only hashes of feed tokens, so a URL can be printed only
# when it is issued: the URLs are saved in $state/feed-urls and reused on
# later runs (rotated if that file was lost).

fd_issue() {	# fd_issue --teacher|--coach ID: "https URL" / "webcal URL"
	out=$(ctl feed url "$1" "$2" 2>/dev/null) || return 0
	case $out in
	*https:*) ;;
	*) out=$(ctl feed rotate "$1" "$2" 2>/dev/null) || return 0 ;;
	esac
	printf '%s\n' "$out" | sed -n 's/^\(https\|webcal\): *\(.*\)$/\1 \2/p'
}

if [ ! -s "$state/feed-urls" ]; then
	fd_teacher=$(ctl --json teacher list --school rbu-es-lincoln |
	    grep -o '"id": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
	{
		echo "teacher $fd_teacher"
		fd_issue --teacher "$fd_teacher" | sed 's/^/teacher-/'
		echo "coach coach-whitfield"
		fd_issue --coach coach-whitfield | sed 's/^/coach-/'
	} > "$state/feed-urls.tmp"
	chmod 600 "$state/feed-urls.tmp"
	# keep only a complete set, so a failed run is retried next time
	if [ "$(grep -c -- '-https ' "$state/feed-urls.tmp")" = 2 ]; then
		mv "$state/feed-urls.tmp" "$state/feed-urls"
	else
		echo "60-feeds: could not issue the demo feed URLs" >&2
	fi
fi

fd_get() { sed -n "s/^$1 //p" "$state/feed-urls" | head -1; }
cat >> "$next" <<EOM
  # iCalendar feeds (saved in $state/feed-urls; shown once by the server)
  # teacher $(fd_get teacher):
  #   $(fd_get teacher-https)
  #   $(fd_get teacher-webcal)
  # coach coach-whitfield:
  #   $(fd_get coach-https)
  #   $(fd_get coach-webcal)
  curl --cacert $pki/ca.crt -si '$(fd_get teacher-https)' | head -20
                                        # 200 text/calendar, ETag; BEGIN:VCALENDAR...
  coachctl feed url --teacher $(fd_get teacher)   # "already has a URL ... feed rotate"
  coachctl feed rotate --coach coach-whitfield    # new URL; the old one now gives 410
EOM
