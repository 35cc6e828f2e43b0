# gitprompt for zsh: eval "$(gitprompt init zsh)" in ~/.zshrc.
#
# Inside a git work tree the prompt becomes the gitprompt segment followed by
# "$ " ("# " for root); outside, PROMPT is left exactly as you set it,
# including changes your own precmd functions make to it. The segment arrives
# with % doubled; with prompt_subst on PROMPT only references it, and zsh does
# not expand what a referenced variable holds, so a branch named
# $(touch pwned) is shown, never run. With prompt_subst off zsh expands no $
# at all, so the segment is put into PROMPT as it is. With prompt_bang on,
# a ! in the segment is doubled so that it shows as itself, not as the
# history number.
#
# The hook returns 0: zsh gives every precmd function, and %? in the prompt,
# the exit status of the user's command whatever the hooks before returned,
# and a non-zero return would close a shell running with errexit.

# The prompt is asynchronous when `gitprompt daemon` runs: precmd sends the
# request and shows at once the segment last seen for this directory,
# dimmed as stale (or your own prompt if none was seen), and the answer
# repaints it when it arrives, read by a zle -F handler, so typing is never
# blocked. Without a daemon (it cannot start) precmd runs the one-shot
# gitprompt and waits for it. A daemon that dies is replaced at the next
# prompt; it ends when the shell does.

__gitprompt_precmd() {
    if [[ $PROMPT != "$__gitprompt_prompt" ]]; then
        __gitprompt_user_prompt=$PROMPT
    fi
    # A daemon found dead when written to is replaced at once.
    if __gitprompt_ask || { (( ! __gitprompt_daemon_in )) && __gitprompt_ask }; then
        local stale=${__gitprompt_seen[$PWD]-}
        if [[ -n $stale ]]; then
            # Colours off, then dim: the last segment, marked as not yet
            # fresh.
            setopt localoptions extendedglob
            stale=${stale//$'\e'\[[0-9;]#m/}
            stale=$'%{\e[2m%}'"${stale}"$'%{\e[0m%}'
        fi
        __gitprompt_show "$stale"
        return 0
    fi
    __gitprompt_show "$(command gitprompt --shell zsh 2>/dev/null)"
    return 0
}

# __gitprompt_ask sends this directory's request to the daemon, starting it
# when none runs, and returns 1 when it cannot.
__gitprompt_ask() {
    # The daemon reads the variables that choose a repository, its config,
    # the cache and colour when it starts: after a change to one, another
    # is started.
    local name env=
    for name in $__gitprompt_daemon_vars; do
        if (( ${(P)+name} )); then
            env+="$name=${(P)name}"$'\n'
        else
            env+="$name"$'\n'
        fi
    done
    [[ $env != "$__gitprompt_daemon_env" ]] && __gitprompt_stop
    # A daemon that left three requests unanswered for 2 s (or a hundred
    # at all) is stuck, stopped or blocked in a file system: it is killed
    # and replaced, so the pipe to it, which it no longer reads, never fills
    # to block the shell. A few quick prompts before a slow first answer
    # are not that.
    local pending=$(( __gitprompt_id - __gitprompt_answered ))
    if (( __gitprompt_daemon_in && (pending >= 3 && SECONDS - __gitprompt_waiting_since >= 2 || pending >= 100) )); then
        kill -KILL $__gitprompt_daemon_pid 2>/dev/null
        __gitprompt_stop
    fi
    local dir=$PWD extra=
    if (( ! __gitprompt_daemon_in )); then
        __gitprompt_daemon_env=$env
        # Started without job control and disowned (the newest job is the
        # current one, %+): no job notices, not in jobs, and exit does not
        # warn of a running job. Its pipes are copied
        # to descriptors of their own, which a coproc of the user's, replacing
        # this one as &p, leaves open. It starts in / so as to hold no
        # directory of the user's.
        setopt localoptions nomonitor
        coproc { cd / && exec gitprompt daemon 2>/dev/null }
        __gitprompt_daemon_pid=$! __gitprompt_answered=$__gitprompt_id
        disown %+ 2>/dev/null
        exec {__gitprompt_daemon_out}>&p {__gitprompt_daemon_in}<&p
        zle -F $__gitprompt_daemon_in __gitprompt_on_answer 2>/dev/null || { __gitprompt_stop; return 1 }
    fi
    [[ $dir == *[[:cntrl:]]* ]] && return 1
    dir=${dir//\\/\\\\}
    dir=${dir//\"/\\\"}
    local value
    for name in format timeout; do
        value=${(P)${:-GITPROMPT_${(U)name}}-}
        [[ -z $value ]] && continue
        [[ $value == *[[:cntrl:]]* ]] && return 1
        value=${value//\\/\\\\}
        extra+=",\"$name\":\"${value//\"/\\\"}\""
    done
    (( __gitprompt_id == __gitprompt_answered )) && __gitprompt_waiting_since=$SECONDS
    (( ++__gitprompt_id ))
    __gitprompt_asked=$PWD
    print -r -- '{"id":'$__gitprompt_id',"dir":"'$dir'","shell":"zsh","brief":true'$extra'}' \
        >&$__gitprompt_daemon_out 2>/dev/null || { __gitprompt_stop; return 1 }
}

# __gitprompt_on_answer reads one answer; the one to the latest request
# repaints the prompt.
__gitprompt_on_answer() {
    local answer
    if ! IFS= read -r -u $1 answer; then
        __gitprompt_stop
        return 0
    fi
    local answered=${${answer#'{"id":'}%%,*}
    # The wait for what is still pending starts again with each answer.
    [[ $answered == <-> ]] && __gitprompt_answered=$answered __gitprompt_waiting_since=$SECONDS
    local head='{"id":'$__gitprompt_id',"segment":"'
    [[ $answer == $head* ]] || return 0
    answer=${answer#$head}
    answer=${answer%'"}'}
    # JSON's escapes are printf %b's, but for \".
    local segment
    printf -v segment '%b' "${answer//\\\"/\"}"
    __gitprompt_seen[$__gitprompt_asked]=$segment
    [[ $PWD == "$__gitprompt_asked" ]] || return 0
    __gitprompt_show "$segment"
    zle && zle reset-prompt
    return 0
}

# __gitprompt_stop forgets a daemon that died (or cannot be written to).
__gitprompt_stop() {
    (( __gitprompt_daemon_in )) || return 0
    zle -F $__gitprompt_daemon_in 2>/dev/null
    exec {__gitprompt_daemon_in}<&- {__gitprompt_daemon_out}>&-
    __gitprompt_daemon_in=0 __gitprompt_daemon_out=0
}

# __gitprompt_show puts the segment $1 (% doubled by gitprompt) into PROMPT,
# or gives the user's prompt back when it is empty.
__gitprompt_show() {
    __gitprompt_segment=$1
    if [[ -o prompt_bang ]]; then
        __gitprompt_segment=${__gitprompt_segment//\!/!!}
    fi
    if [[ -z $__gitprompt_segment ]]; then
        __gitprompt_prompt=
        PROMPT=$__gitprompt_user_prompt
    elif [[ -o prompt_subst ]]; then
        __gitprompt_prompt='${__gitprompt_segment}%(!.#.$) '
        PROMPT=$__gitprompt_prompt
    else
        __gitprompt_prompt="${__gitprompt_segment}%(!.#.\$) "
        PROMPT=$__gitprompt_prompt
    fi
}

if (( ! ${+__gitprompt_user_prompt} )); then
    typeset -g __gitprompt_segment= __gitprompt_prompt= __gitprompt_user_prompt=$PROMPT
    typeset -g __gitprompt_asked= __gitprompt_id=0 __gitprompt_daemon_in=0 __gitprompt_daemon_out=0 __gitprompt_daemon_env=
    typeset -g __gitprompt_daemon_pid=0 __gitprompt_answered=0 __gitprompt_waiting_since=0
    typeset -gA __gitprompt_seen
    typeset -ga __gitprompt_daemon_vars=(GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_COMMON_DIR
        GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM
        GIT_ATTR_NOSYSTEM GIT_NO_REPLACE_OBJECTS GIT_REPLACE_REF_BASE HOME XDG_CONFIG_HOME
        XDG_CACHE_HOME GITPROMPT_NO_CACHE NO_COLOR CLICOLOR_FORCE GIT_CONFIG_SYSTEM GIT_CONFIG_COUNT
        GIT_CONFIG_PARAMETERS SUDO_UID)
    # Run last, so the prompt the user's own precmd functions set is the
    # one taken over.
    autoload -Uz add-zsh-hook
    add-zsh-hook precmd __gitprompt_precmd
fi
