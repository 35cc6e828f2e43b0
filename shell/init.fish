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

# The prompt is asynchronous: a new prompt starts gitprompt in the background
# and shows at once the segment last seen for this directory, uncoloured and
# dimmed as stale (or your own prompt if none was seen). When gitprompt is
# done it signals this shell (SIGUSR1), and the handler repaints the prompt
# with the answer, so typing is never blocked. Answers go to a directory of
# this shell's own, removed when it exits.
set -g __gitprompt_answers (command mktemp -d 2>/dev/null)
set -g __gitprompt_request 0
set -g __gitprompt_answered
set -g __gitprompt_seen_dirs
set -g __gitprompt_seen_segments

function __gitprompt_on_answer --on-signal SIGUSR1
    set -l file $__gitprompt_answers/$__gitprompt_request
    test -f $file; or return
    set -l segment (string collect <$file)
    # This answer's file and any left by requests it superseded; those
    # still being written (.tmp) are left to their own writers.
    set -l files (string match -v -- '*.tmp' $__gitprompt_answers/*)
    command rm -f $files
    set -l i (contains -i -- $__gitprompt_request_dir $__gitprompt_seen_dirs)
    if test -n "$i"
        set __gitprompt_seen_segments[$i] "$segment"
    else
        set -a __gitprompt_seen_dirs $__gitprompt_request_dir
        set -a __gitprompt_seen_segments "$segment"
    end
    test "$PWD" = "$__gitprompt_request_dir"; or return
    set -g __gitprompt_answered "$segment"
    commandline -f repaint
end

function __gitprompt_cleanup --on-event fish_exit
    test -n "$__gitprompt_answers"; and command rm -rf $__gitprompt_answers
end

# __gitprompt_segment prints the segment to show now: the answer that asked
# for this repaint, else the last one seen here, dimmed, after asking anew.
function __gitprompt_segment
    if set -q __gitprompt_answered[1]
        printf '%s' $__gitprompt_answered
        set -e __gitprompt_answered
        return
    end
    if test -z "$__gitprompt_answers"
        command gitprompt --shell fish 2>/dev/null | string collect
        return
    end
    set -g __gitprompt_request (math $__gitprompt_request + 1)
    set -g __gitprompt_request_dir $PWD
    command sh -c 'gitprompt --shell fish >"$1.tmp"; mv "$1.tmp" "$1" && kill -USR1 "$2"' \
        gitprompt $__gitprompt_answers/$__gitprompt_request $fish_pid </dev/null 2>/dev/null &
    disown $last_pid 2>/dev/null
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
