#compdef gitprompt
# zsh completion for gitprompt: source <(gitprompt completion zsh) after
# compinit, or save it as _gitprompt in a directory on $fpath.
_gitprompt() {
  if [[ $words[2] == (init|completion) ]]; then
    (( CURRENT == 3 )) && _values shell bash zsh fish
    return
  fi
  [[ $words[2] == daemon ]] && return
  _arguments -s \
    '-C[show the work tree DIR is in]:directory:_directories' \
    '--shell=[quote the segment for a shell or a tmux status bar]:shell:(bash zsh fish tmux none)' \
    '--format=[what to show]:format:' \
    '--json[print the status as JSON]' \
    '--timeout=[time budget]:duration:' \
    '--no-color[no colour]' \
    '--no-cache[keep no directory listings]' \
    '--debug[report errors on stderr]' \
    '--version[print the version]' \
    '--help[show help]' \
    '1::command:((init\:"print the init script for a shell" completion\:"print the completion script for a shell" daemon\:"answer prompt requests on stdin"))'
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _gitprompt "$@"
else
  compdef _gitprompt gitprompt
fi
