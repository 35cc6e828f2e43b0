# gitprompt for bash: eval "$(gitprompt init bash)" in ~/.bashrc.
#
# Inside a git work tree the prompt becomes the gitprompt segment followed by
# "$ " ("# " for root); outside, PS1 is left exactly as you set it, including
# changes your own PROMPT_COMMAND makes to it. PS1 only references
# ${__gitprompt_segment}: bash does not expand what a referenced variable
# holds, so a branch named $(touch pwned) is shown, never run.

__gitprompt_update() {
    local exit_status=$?
    # Take over only PS1 values that are not ours: the user's, or a new one
    # their PROMPT_COMMAND set since the last prompt.
    if [[ ${PS1-} != "${__gitprompt_ps1}" ]]; then
        __gitprompt_user_ps1=${PS1-}
    fi
    __gitprompt_segment=$(command gitprompt --shell bash 2>/dev/null)
    if [[ -n ${__gitprompt_segment} ]]; then
        PS1=${__gitprompt_ps1}
    else
        PS1=${__gitprompt_user_ps1}
    fi
    return "${exit_status}"
}

if [[ -z ${__gitprompt_ps1+set} ]]; then
    __gitprompt_ps1='${__gitprompt_segment}\$ '
    __gitprompt_user_ps1=${PS1-}
    # Run last, so commands already in PROMPT_COMMAND see the exit status of
    # the user's command; __gitprompt_update hands that status on unchanged,
    # for commands added after it and for $? in PS1. Its non-zero return
    # stands first in an && list, where set -e does not end the shell (and
    # is off inside the hook), so `set -e` and a failed command do not close
    # an interactive shell. bash 5.1 also takes PROMPT_COMMAND as an array.
    if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
        PROMPT_COMMAND+=('__gitprompt_update && :')
    else
        PROMPT_COMMAND="${PROMPT_COMMAND:+${PROMPT_COMMAND}$'\n'}__gitprompt_update && :"
    fi
fi
shopt -s promptvars
