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

__gitprompt_precmd() {
    if [[ $PROMPT != "$__gitprompt_prompt" ]]; then
        __gitprompt_user_prompt=$PROMPT
    fi
    __gitprompt_segment=$(command gitprompt --shell zsh 2>/dev/null) || __gitprompt_segment=
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
    return 0
}

if (( ! ${+__gitprompt_user_prompt} )); then
    typeset -g __gitprompt_segment= __gitprompt_prompt= __gitprompt_user_prompt=$PROMPT
    # Run last, so the prompt the user's own precmd functions set is the
    # one taken over.
    autoload -Uz add-zsh-hook
    add-zsh-hook precmd __gitprompt_precmd
fi
