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
    __gitprompt_ask || __gitprompt_segment=$(command gitprompt --shell bash 2>/dev/null)
    if [[ -n ${__gitprompt_segment} ]]; then
        PS1=${__gitprompt_ps1}
    else
        PS1=${__gitprompt_user_ps1}
    fi
    return "${exit_status}"
}

# __gitprompt_ask sets __gitprompt_segment from `gitprompt daemon`, kept as
# this shell's coprocess and asked with builtins, so a prompt forks nothing.
# It returns 1 when the daemon cannot answer (it does not start, died, is
# late, or $PWD holds a control character) and the one-shot gitprompt runs.
# The daemon ends when this shell closes its end of the pipe, at exit.
__gitprompt_ask() {
    # coproc is bash 4's (macOS ships 3.2); eval keeps 3.2 able to parse
    # this script.
    ((BASH_VERSINFO[0] >= 4)) || return 1
    # The daemon reads the variables that choose a repository, its config,
    # the cache and colour when it starts: after a change to one it is
    # stopped, this prompt runs the one-shot gitprompt and the next starts a
    # new daemon.
    local name env=
    for name in "${__gitprompt_daemon_vars[@]}"; do
        env+="${name}${!name+=}${!name-}"$'\n'
    done
    if [[ -n ${__GITPROMPT_DAEMON_PID-} && ${env} != "${__gitprompt_daemon_env}" ]]; then
        kill "${__GITPROMPT_DAEMON_PID}" 2>/dev/null
        return 1
    fi
    local dir extra='' answer id
    __gitprompt_json dir "${PWD}" || return 1
    if [[ -n ${GITPROMPT_FORMAT-} ]]; then
        __gitprompt_json answer "${GITPROMPT_FORMAT}" || return 1
        extra+=",\"format\":\"${answer}\""
    fi
    # How long to wait for the answer: 2 s past the daemon's own budget, so
    # only a stuck daemon is given up on.
    local wait=2
    if [[ -n ${GITPROMPT_TIMEOUT-} ]]; then
        __gitprompt_json answer "${GITPROMPT_TIMEOUT}" || return 1
        extra+=",\"timeout\":\"${answer}\""
        if [[ ${GITPROMPT_TIMEOUT} =~ ^([0-9]+)(ms|s|m)$ ]]; then
            case ${BASH_REMATCH[2]} in
            ms) wait=$((BASH_REMATCH[1] / 1000 + 2)) ;;
            s) wait=$((BASH_REMATCH[1] + 2)) ;;
            m) wait=$((BASH_REMATCH[1] * 60 + 2)) ;;
            esac
        fi
    fi
    if [[ -z ${__GITPROMPT_DAEMON_PID-} ]]; then
        # Quiet (the job notice goes to the group's stderr) and disowned:
        # no notices and no entry in jobs. It starts in / so as to hold no
        # directory of the user's.
        { eval 'coproc __GITPROMPT_DAEMON { cd / && exec gitprompt daemon; }'; } 2>/dev/null
        [[ -n ${__GITPROMPT_DAEMON_PID-} ]] || return 1
        __gitprompt_daemon_env=${env}
        disown "${__GITPROMPT_DAEMON_PID}" 2>/dev/null
    fi
    # Bash closes the descriptors and unsets these when the daemon has died.
    local in=${__GITPROMPT_DAEMON[0]-} out=${__GITPROMPT_DAEMON[1]-}
    [[ -n ${in} && -n ${out} ]] || return 1
    id=$((++__gitprompt_id))
    # A daemon that died since bash last looked would end the shell with
    # SIGPIPE: ignore it for the write.
    trap '' PIPE
    printf '{"id":%d,"dir":"%s","shell":"bash","brief":true%s}\n' "${id}" "${dir}" "${extra}" 2>/dev/null >&"${out}"
    local written=$?
    eval "${__gitprompt_pipe_trap:-trap - PIPE}"
    ((written == 0)) || return 1
    # Answers come in order; one left from a request that timed out is
    # skipped. The daemon keeps to its own budget, so a late answer means it
    # is stuck (or stopped, where a SIGTERM would wait): kill it, and start
    # another next time.
    while IFS= read -r -t "${wait}" -u "${in}" answer 2>/dev/null; do
        [[ ${answer} == '{"id":'"${id}"',"error":'* ]] && return 1
        [[ ${answer} == '{"id":'"${id}"',"segment":"'* ]] || continue
        answer=${answer#'{"id":'"${id}"',"segment":"'}
        answer=${answer%'"}'}
        # JSON's escapes are printf %b's, but for \".
        printf -v __gitprompt_segment '%b' "${answer//\\\"/\"}"
        return 0
    done
    kill -KILL "${__GITPROMPT_DAEMON_PID}" 2>/dev/null
    return 1
}

# __gitprompt_json VAR STRING puts STRING, escaped for a JSON string, in VAR;
# it returns 1 for a string with a control character.
__gitprompt_json() {
    local s=$2
    [[ ${s} == *[[:cntrl:]]* ]] && return 1
    s=${s//\\/\\\\}
    printf -v "$1" '%s' "${s//\"/\\\"}"
}

if [[ -z ${__gitprompt_ps1+set} ]]; then
    __gitprompt_id=0
    __gitprompt_daemon_env=
    __gitprompt_daemon_vars=(GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_COMMON_DIR GIT_OBJECT_DIRECTORY
        GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM GIT_ATTR_NOSYSTEM
        GIT_NO_REPLACE_OBJECTS GIT_REPLACE_REF_BASE HOME XDG_CONFIG_HOME XDG_CACHE_HOME
        GITPROMPT_NO_CACHE NO_COLOR CLICOLOR_FORCE GIT_CONFIG_SYSTEM GIT_CONFIG_COUNT GIT_CONFIG_PARAMETERS SUDO_UID)
    __gitprompt_pipe_trap=$(trap -p PIPE)
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
