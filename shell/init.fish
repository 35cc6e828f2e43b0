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

function fish_prompt
    # fish has no errexit or pipefail; what a prompt sees of the last
    # command is $status and $pipestatus, both handed to your prompt as
    # they were (set keeps both).
    set -l last_pipestatus $pipestatus
    set -l last_status $status
    set -l segment (command gitprompt --shell fish 2>/dev/null | string collect)
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
