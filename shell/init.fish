# gitprompt for fish: gitprompt init fish | source, in ~/.config/fish/config.fish.
#
# Inside a git work tree the prompt is the gitprompt segment followed by "$ "
# ("# " for root); outside, your own fish_prompt runs, seeing the exit status
# of your last command. fish prints what a function echoes as it is, so names
# from the repository are never evaluated.

if not functions -q __gitprompt_user_fish_prompt
    if functions -q fish_prompt
        functions --copy fish_prompt __gitprompt_user_fish_prompt
    else
        function __gitprompt_user_fish_prompt
            printf '%s> ' (prompt_pwd)
        end
    end
end

function __gitprompt_return --description 'set $status for the next command'
    return $argv[1]
end

# The prompt is asynchronous: a new prompt asks gitprompt and shows at once
# the segment last seen for this directory, uncoloured and dimmed as stale
# (or your own prompt if none was seen). The answer comes as a file in a
# directory of this shell's own, removed when it exits, and a signal
# (SIGUSR1), whose handler repaints the prompt with it, so typing is never
# blocked. fish cannot hold a coprocess's pipes, so on Linux its
# `gitprompt daemon` takes requests as files in that directory: a prompt
# writes one and forks nothing. Where there is no daemon (another system,
# or one that died before its first answer) each prompt runs the one-shot
# gitprompt in the background. A daemon that dies is replaced at the next
# prompt; it ends when the shell does.
#
# The request goes out on the fish_prompt event, once for each new prompt,
# not from fish_prompt itself, which every repaint runs: a repaint shows the
# answer there is rather than asking again. fish ignores a repaint asked
# for while it repaints, so a signal may go unheeded; the daemon sends it
# again until the prompt has shown the answer and written NAME.seen.
# __gitprompt_new_spool makes the directory answers (and the daemon's
# requests) go through: in $XDG_RUNTIME_DIR, a file system in memory of
# this user's alone, where there is one, else in $TMPDIR or /tmp.
function __gitprompt_new_spool
    set -g __gitprompt_spool
    test -d "$XDG_RUNTIME_DIR"; and set -g __gitprompt_spool (command mktemp -d -p $XDG_RUNTIME_DIR gitprompt.XXXXXXXX 2>/dev/null)
    test -n "$__gitprompt_spool"; or set -g __gitprompt_spool (command mktemp -d 2>/dev/null)
end
__gitprompt_new_spool
set -g __gitprompt_request 0
set -g __gitprompt_fresh
set -g __gitprompt_shown
set -g __gitprompt_seen_dirs
set -g __gitprompt_seen_segments
set -g __gitprompt_daemon_pid
set -g __gitprompt_daemon_env
set -g __gitprompt_daemon_answered
set -g __gitprompt_daemon_vars GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_COMMON_DIR \
    GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM \
    GIT_ATTR_NOSYSTEM GIT_NO_REPLACE_OBJECTS GIT_REPLACE_REF_BASE HOME XDG_CONFIG_HOME \
    XDG_CACHE_HOME GITPROMPT_NO_CACHE NO_COLOR CLICOLOR_FORCE GIT_CONFIG_SYSTEM GIT_CONFIG_COUNT \
    GIT_CONFIG_PARAMETERS SUDO_UID
# The daemon needs /proc to be seen alive, and Linux.
test -e /proc/$fish_pid; or set -g __gitprompt_daemon_pid none

function __gitprompt_on_answer --on-signal SIGUSR1
    set -l file $__gitprompt_spool/$__gitprompt_request
    test -f $file; or return
    set -l segment (string collect <$file)
    if test "$__gitprompt_daemon_pid" != none
        # The daemon removes an answer when it writes the next.
        set -g __gitprompt_daemon_answered 1
    else
        # This answer's file and any left by requests it superseded;
        # those still being written (.tmp) are left to their own writers.
        command rm -f (string match -v -- '*.tmp' $__gitprompt_spool/*)
    end
    set -l i (contains -i -- $__gitprompt_request_dir $__gitprompt_seen_dirs)
    if test -n "$i"
        set __gitprompt_seen_segments[$i] "$segment"
    else
        set -a __gitprompt_seen_dirs $__gitprompt_request_dir
        set -a __gitprompt_seen_segments "$segment"
    end
    test "$PWD" = "$__gitprompt_request_dir"; or return
    set -g __gitprompt_fresh "$segment"
    commandline -f repaint
end

function __gitprompt_cleanup --on-event fish_exit
    test -n "$__gitprompt_spool"; and command rm -rf $__gitprompt_spool
end

# __gitprompt_ask writes request number $__gitprompt_request for this
# directory into the daemon's spool, starting a daemon when none runs, and
# returns 1 when there is no daemon to ask.
function __gitprompt_ask
    test "$__gitprompt_daemon_pid" = none; and return 1
    # The daemon reads the variables that choose a repository, its config,
    # the cache and colour when it starts: after a change to one, another
    # is started, with a spool of its own (it ends when its spool goes).
    set -l env
    for name in $__gitprompt_daemon_vars
        if set -qx $name
            set -a env "$name=$$name"
        else
            set -a env $name
        end
    end
    # Quoted, a list is its items joined by spaces: each NAME=value or
    # NAME is one, in the order of the names.
    if test -n "$__gitprompt_daemon_pid"; and test "$env" != "$__gitprompt_daemon_env"
        command rm -rf $__gitprompt_spool
        __gitprompt_new_spool
        set -g __gitprompt_daemon_pid
    end
    if test -n "$__gitprompt_daemon_pid"; and not __gitprompt_daemon_alive
        if test -z "$__gitprompt_daemon_answered"
            # It died without an answer: it cannot serve here.
            set -g __gitprompt_daemon_pid none
            return 1
        end
        set -g __gitprompt_daemon_pid
    end
    if test -z "$__gitprompt_daemon_pid"
        set -g __gitprompt_daemon_env "$env"
        set -g __gitprompt_daemon_answered
        command gitprompt daemon --spool $__gitprompt_spool --signal $fish_pid </dev/null >/dev/null 2>/dev/null &
        set -g __gitprompt_daemon_pid $last_pid
        disown $last_pid 2>/dev/null
    end
    string match -qr '[[:cntrl:]]' -- $PWD; and return 1
    set -l request '"dir":"'(string replace -a '\\' '\\\\' -- $PWD | string replace -a '"' '\\"')'","shell":"fish"'
    for var in GITPROMPT_FORMAT GITPROMPT_TIMEOUT
        set -q $var; and test -n "$$var"; or continue
        string match -qr '[[:cntrl:]]' -- "$$var"; and return 1
        set request $request',"'(string lower (string replace GITPROMPT_ '' $var))'":"'(string replace -a '\\' '\\\\' -- "$$var" | string replace -a '"' '\\"')'"'
    end
    printf '{%s}\n' $request >$__gitprompt_spool/$__gitprompt_request.req 2>/dev/null
end

# __gitprompt_daemon_alive says whether the daemon runs. One killed may
# still be exiting (flags has PF_EXITING, 0x4) and fish reaps a disowned
# child only after a later command, so a dead one may still be a zombie:
# /proc/PID/stat is "pid (comm) state ppid pgrp session tty tpgid flags …".
function __gitprompt_daemon_alive
    test -e /proc/$__gitprompt_daemon_pid; or return 1
    read -l stat </proc/$__gitprompt_daemon_pid/stat; or return 1
    string match -qr '\) (?<state>\S) (?:\S+ ){5}(?<flags>\d+) ' -- $stat; or return 1
    string match -qr '^[ZX]$' -- $state; and return 1
    test (math "bitand($flags, 4)") -eq 0
end

# __gitprompt_on_prompt asks for the segment of a new prompt, from the
# daemon or else from a one-shot gitprompt in the background.
function __gitprompt_on_prompt --on-event fish_prompt
    set -e __gitprompt_fresh
    test -n "$__gitprompt_spool"; or return
    set -g __gitprompt_request (math $__gitprompt_request + 1)
    set -g __gitprompt_request_dir $PWD
    if not __gitprompt_ask
        command sh -c 'gitprompt --shell fish >"$1.tmp"; mv "$1.tmp" "$1" && kill -USR1 "$2"' \
            gitprompt $__gitprompt_spool/$__gitprompt_request $fish_pid </dev/null 2>/dev/null &
        disown $last_pid 2>/dev/null
    end
end

# __gitprompt_segment prints the segment to show now: this prompt's answer
# when it has come, else the last one seen here, dimmed.
function __gitprompt_segment
    if set -q __gitprompt_fresh[1]
        printf '%s' $__gitprompt_fresh
        # The daemon signals again until told the answer was shown.
        if test "$__gitprompt_daemon_pid" != none; and test "$__gitprompt_shown" != $__gitprompt_request
            set -g __gitprompt_shown $__gitprompt_request
            echo >$__gitprompt_spool/$__gitprompt_request.seen 2>/dev/null
        end
        return
    end
    if test -z "$__gitprompt_spool"
        command gitprompt --shell fish 2>/dev/null | string collect
        return
    end
    set -l i (contains -i -- $PWD $__gitprompt_seen_dirs)
    if test -n "$i"; and test -n "$__gitprompt_seen_segments[$i]"
        printf '\e[2m%s\e[0m' (string replace -ra '\e\[[0-9;]*m' '' -- $__gitprompt_seen_segments[$i])
    end
end

function fish_prompt
    # fish has no errexit or pipefail; what a prompt sees of the last
    # command is $status and $pipestatus, both handed to your prompt as
    # they were (set keeps both).
    set -l last_pipestatus $pipestatus
    set -l last_status $status
    set -l segment (__gitprompt_segment | string collect)
    if test -z "$segment"
        # A pipeline of returns gives $pipestatus back; "not" the status
        # of a negated one. Every word is gitprompt's or a number.
        set -l replay (string join ' | ' '__gitprompt_return '$last_pipestatus)
        if test "$last_status" != "$last_pipestatus[-1]"
            set replay "not $replay"
        end
        eval "$replay; __gitprompt_user_fish_prompt"
        return
    end
    printf '%s' $segment
    if fish_is_root_user
        printf '# '
    else
        printf '$ '
    end
end
