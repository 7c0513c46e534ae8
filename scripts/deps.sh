#!/bin/sh
# Debian packages coachd needs to build, test and run its demo.  Sourced by
# scripts/demo and scripts/test; installs only what is missing.
COACHD_DEPS="
build-essential cmake pkg-config git
libevent-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler
libssl-dev openssl libical-dev libsqlite3-dev sqlite3 libjansson-dev
libinih-dev libcmocka-dev zlib1g-dev
python3 python3-protobuf python3-icalendar
glpk-utils
vdirsyncer khal nginx-light wrk valgrind
libsystemd-dev scdoc zsh man-db systemd procps dpkg-dev clang
"

coachd_install_deps() {
	missing=""
	for p in $COACHD_DEPS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "install ok installed" || missing="$missing $p"
	done
	# ical.js comes from the npm registry.  Machines with NodeSource's
	# nodejs already have npm (and Debian's npm conflicts with it), so ask
	# for Debian's packages only when there is no npm at all.
	command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
	[ -z "$missing" ] && return 0
	echo "coachd: installing Debian packages:$missing" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "coachd: need root to apt-get install; run as root or install them" >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || return 1
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing || return 1
}
