// Package gitstatus computes what a shell prompt shows about a git work tree
// (branch, upstream, ahead/behind, staged/unstaged/untracked/conflicted counts,
// stash, operation in progress) through go-git's plumbing and its own fast
// work-tree scan, without running git and without writing to the repository.
//
// # Exactness
//
// The counts are those of
//
//	git status --porcelain=v2 --branch --show-stash --no-renames \
//	    --ignore-submodules=dirty
//
// with the repository's configuration: staged counts entries whose X is not
// '.', unstaged those whose Y is not '.', conflicted the unmerged ('u')
// entries, untracked the '?' entries (an untracked directory once, or every
// file with status.showUntrackedFiles=all, none with no). The tests compare with the git binary, state by
// state and on random states. A file's content is compared as git compares
// it, after the conversions its attributes ask for (text, eol, crlf, ident,
// text=auto with git's binary test and its check of the index's copy;
// core.autocrlf; macros; the gitattributes files in the work tree, the
// index, info/attributes, core.attributesFile and /etc/gitattributes). A
// file git would pass through a clean filter or an encoding conversion is
// not compared when its stat data changed: the unstaged count is then
// unknown (-1, Status.Unknown says why). The repository is found and read
// where git's variables and configuration put it (GIT_DIR, GIT_WORK_TREE,
// GIT_INDEX_FILE, GIT_COMMON_DIR, GIT_OBJECT_DIRECTORY,
// GIT_ALTERNATE_OBJECT_DIRECTORIES, core.worktree, include.path, includeIf),
// replace refs apply as in git, and core.ignoreCase matches names and
// patterns whatever their case. A split index is read with its shared
// index, a sparse one with its sparse directories expanded; refs come
// from the files backend or from reftable stacks. Known differences: a
// SHA-256 repository gets only what needs no object id
// (branch, upstream's name, operation, stash) with the counts unknown; and
// under core.ignoreCase on a case-sensitive file system an untracked
// directory named like a tracked one but for case leaves the untracked
// count unknown.
//
// # How it is fast
//
// The index is decoded in place (versions 2, 3 and 4, index.skipHash),
// memory-mapped when large and read when small; like git status, Read
// leaves its checksum to git fsck. HEAD's tree is compared with the index
// through the index's cache tree, so unchanged directories are skipped
// without reading tree objects. The work tree is read one directory at a
// time: one getdents gives the names and types, one lstat per tracked file
// relative to the directory's descriptor checks the stat data as git does,
// and only entries whose stat data changed or that are racily clean are
// hashed. Ignored directories are never entered. Big trees are split into
// directory tasks shared by GOMAXPROCS workers, each reusing its listing
// buffers; small ones are read in one goroutine. Loose objects are inflated
// with compress/zlib, packed ones decoded by go-git's packfile reader,
// located through their .idx files, loaded like the index. bench/status.sh
// measures it against git.
//
// Reading directories was still a third of the time on big trees, so with
// Options.CacheDir set Read keeps each tracked directory's names in a file
// outside the repository, next to the directory's stat data (device, inode,
// size, mtime, ctime). Adding, removing or renaming an entry changes the
// directory's ctime, so a directory whose stat data still matches holds the
// same names and only its files are lstat'd; that is the property git's own
// core.untrackedCache relies on, kept where gitprompt may write. A listing
// is only stored once its directory has been unchanged for two seconds,
// because file times come from a coarse clock: a change in the same tick
// as the listing could leave the ctime as it was. The file carries a
// checksum and the work tree's path and must belong to the user and be
// writable by no one else; anything amiss and it is ignored and rewritten,
// so deleting it is always safe. The file also remembers HEAD's commit and
// its tree, so that an unmoved HEAD's commit is not inflated every time,
// lists refs/tags like a work-tree directory, and keeps the blob id of each
// file it had to hash with the file's stat data then (the files git would
// refresh in the index, as after a checkout), so that it is not hashed again
// while they hold.
//
// # Never writing
//
// Read takes no lock and refreshes nothing in the repository: stat data
// that git would refresh in the index is re-checked on every call instead.
package gitstatus

// Status is the state of one work tree. Its JSON names are gitprompt's
// --json contract. Counts that were not computed because the time budget ran
// out are -1 and Complete is false.
type Status struct {
	Workdir  string `json:"workdir"`
	Gitdir   string `json:"gitdir"`
	Branch   string `json:"branch"`
	Detached bool   `json:"detached"`
	Commit   string `json:"commit"` // full hash, "" when unborn
	Unborn   bool   `json:"unborn"`
	Upstream string `json:"upstream"` // "origin/main", or "" when the branch has none
	// UpstreamGone is set when the upstream is configured but its
	// remote-tracking branch is not there (git status's [gone]).
	UpstreamGone bool `json:"upstream_gone"`
	Ahead        int  `json:"ahead"`
	Behind       int  `json:"behind"`
	// PushRemote is the remote-tracking branch a triangular workflow pushes
	// to ("fork/main"), set when branch.<b>.pushRemote or
	// remote.pushDefault names a remote; PushAhead and PushBehind count
	// against it.
	PushRemote string `json:"push_remote"`
	PushAhead  int    `json:"push_ahead"`
	PushBehind int    `json:"push_behind"`
	Staged     int    `json:"staged"`
	Unstaged   int    `json:"unstaged"`
	Untracked  int    `json:"untracked"`
	Conflicted int    `json:"conflicted"`
	Stash      int    `json:"stash"`
	State      string `json:"state"` // "", "rebase", "rebase-i", "rebase-m", "am", "am/rebase", "merge", "cherry-pick", "revert", "bisect"
	// Step and Total are a rebase's or am's progress ("3/7"), 0 otherwise.
	Step  int `json:"step"`
	Total int `json:"total"`
	// Tag is a tag pointing at HEAD (annotated tags peeled), the first by
	// name when several do, "" if none.
	Tag      string `json:"tag"`
	Complete bool   `json:"complete"`
	// Skipped says why the counts were not computed, by the caller's
	// settings (Options.Settings): they are -1 and Complete is false.
	Skipped string `json:"skipped,omitempty"`
	// Unknown says why a count is -1 though the budget held: a file whose
	// content git would pass through a clean filter, which a prompt does
	// not run. Complete is false.
	Unknown string `json:"unknown,omitempty"`
	// Disabled is set when the caller's settings turn it off for this
	// repository (enable=false); nothing but the directories was read.
	Disabled bool `json:"disabled,omitempty"`

	// CompareBehind is how many commits HEAD lacks from the first of
	// Options.CompareRefs that exists, -1 when none was asked for or found.
	// It is not part of the JSON contract: gitprompt prints it as
	// fork_behind.
	CompareBehind int `json:"-"`
}
