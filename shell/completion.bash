# bash completion for gitprompt: source <(gitprompt completion bash)
_gitprompt() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  # --shell=ba: bash splits the word at '='.
  if [[ $cur == = ]]; then
    cur=
  elif [[ $prev == = ]]; then
    prev=${COMP_WORDS[COMP_CWORD-2]}
  fi
  if [[ ${COMP_WORDS[1]} == init || ${COMP_WORDS[1]} == completion ]]; then
    ((COMP_CWORD == 2)) && COMPREPLY=($(compgen -W 'bash zsh fish' -- "$cur"))
    return 0
  fi
  [[ ${COMP_WORDS[1]} == daemon ]] && return 0
  case $prev in
    -shell|--shell)
      COMPREPLY=($(compgen -W 'bash zsh fish tmux none' -- "$cur"))
      return 0 ;;
    -C)
      compopt -o filenames 2>/dev/null
      COMPREPLY=($(compgen -d -- "$cur"))
      return 0 ;;
    -format|--format|-timeout|--timeout)
      return 0 ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W '-C --shell --format --json --timeout --no-color --no-cache --debug --version --help' -- "$cur"))
  elif ((COMP_CWORD == 1)); then
    COMPREPLY=($(compgen -W 'init completion daemon' -- "$cur"))
  fi
  return 0
}
complete -F _gitprompt gitprompt
