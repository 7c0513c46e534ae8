# bash completion for coachctl: nouns, verbs, options, and files where an
# option or argument names one.
#
# The command tree comes from `coachctl --commands` (one line per
# command: its words, a tab, its options, "--name=" for those that take a
# value; the line "-" holds the global options), asked once per coachctl
# binary and kept, so the completion always matches the coachctl that
# runs.  Installed as share/bash-completion/completions/coachctl.

# Fill _coachctl_cmds with the tree of coachctl binary $1 (cached).
_coachctl_load()
{
	[[ ${_coachctl_bin-} == "$1" && -n ${_coachctl_cmds-} ]] && return 0
	_coachctl_cmds=$("$1" --commands 2>/dev/null) || return 1
	_coachctl_bin=$1
}

# The options line of command path $1 ("-" for the global options).
_coachctl_opts()
{
	local p o
	while IFS=$'\t' read -r p o; do
		if [[ $p == "$1" ]]; then
			printf '%s\n' "$o"
			return 0
		fi
	done <<<"$_coachctl_cmds"
	return 1
}

# The words that may follow command path $1 (empty: the nouns).
_coachctl_next()
{
	local p o rest
	while IFS=$'\t' read -r p o; do
		[[ $p == "-" ]] && continue
		if [[ -z $1 ]]; then
			rest=$p
		elif [[ $p == "$1 "* ]]; then
			rest=${p#"$1 "}
		else
			continue
		fi
		printf '%s\n' "${rest%% *}"
	done <<<"$_coachctl_cmds" | sort -u
}

# Is "$1" a command path or the start of one?
_coachctl_is_path()
{
	local p o
	while IFS=$'\t' read -r p o; do
		[[ $p == "-" ]] && continue
		[[ $p == "$1" || $p == "$1 "* ]] && return 0
	done <<<"$_coachctl_cmds"
	return 1
}

_coachctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=""
	local path="" w i opts valopt="" o
	COMPREPLY=()
	_coachctl_load "${COMP_WORDS[0]}" || return 0
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

	# Walk the words before the cursor: command words extend the path;
	# an option that takes a value swallows the next word.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -n $valopt ]]; then
			valopt=""
			continue
		fi
		if [[ $w == --* ]]; then
			[[ $w == *=* ]] && continue
			opts="$(_coachctl_opts -) $(_coachctl_opts "$path")"
			[[ " $opts " == *" $w= "* ]] && valopt=$w
			continue
		fi
		if _coachctl_is_path "${path:+$path }$w"; then
			path=${path:+$path }$w
		fi
	done

	# The value of an option: a file for the file options, else nothing.
	if [[ -n $valopt ]]; then
		case $valopt in
		--config | --ca | --cert | --key)
			COMPREPLY=($(compgen -f -- "$cur"))
			;;
		esac
		return 0
	fi
	if [[ $cur == -* ]]; then
		opts="$(_coachctl_opts -) $(_coachctl_opts "$path")"
		for o in $opts; do
			COMPREPLY+=("${o%=}")
		done
		COMPREPLY=($(compgen -W "${COMPREPLY[*]}" -- "$cur"))
		return 0
	fi
	# A complete command takes arguments, not more words.
	if _coachctl_opts "$path" >/dev/null && [[ -n $path ]]; then
		[[ $path == "admin import" ]] &&
			COMPREPLY=($(compgen -d -- "$cur"))
		return 0
	fi
	COMPREPLY=($(compgen -W "$(_coachctl_next "$path")" -- "$cur"))
}
complete -F _coachctl coachctl
