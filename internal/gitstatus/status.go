// Package gitstatus computes what a shell prompt shows about a git work tree
// (branch, upstream, ahead/behind, staged/unstaged/untracked/conflicted counts,
// stash, operation in progress) through go-git's plumbing and its own fast
// work-tree scan, without running git and without writing to the repository.
package gitstatus

// Status is the state of one work tree. Its JSON names are gitprompt's
// --json contract. Counts that were not computed because the time budget ran
// out are -1 and Complete is false.
type Status struct {
	Workdir    string `json:"workdir"`
	Gitdir     string `json:"gitdir"`
	Branch     string `json:"branch"`
	Detached   bool   `json:"detached"`
	Commit     string `json:"commit"` // full hash, "" when unborn
	Unborn     bool   `json:"unborn"`
	Upstream   string `json:"upstream"` // "origin/main" or ""
	Ahead      int    `json:"ahead"`
	Behind     int    `json:"behind"`
	PushRemote string `json:"push_remote"`
	PushAhead  int    `json:"push_ahead"`
	PushBehind int    `json:"push_behind"`
	Staged     int    `json:"staged"`
	Unstaged   int    `json:"unstaged"`
	Untracked  int    `json:"untracked"`
	Conflicted int    `json:"conflicted"`
	Stash      int    `json:"stash"`
	State      string `json:"state"` // "", "rebase", "rebase-i", "rebase-m", "am", "am/rebase", "merge", "cherry-pick", "revert", "bisect"
	Step       int    `json:"step"`
	Total      int    `json:"total"`
	Tag        string `json:"tag"` // a tag pointing at HEAD, "" if none
	Complete   bool   `json:"complete"`
}
