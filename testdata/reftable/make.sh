#!/bin/sh
# Regenerates the reftable fixtures: repositories written by a git that has
# the reftable backend (2.45 or later; the tests' own git is older), each
# stored as a tar file with what that git's status said of it.
#
#   GIT=/path/to/git-2.45+ sh testdata/reftable/make.sh
set -eu
: "${GIT:?set GIT to a git 2.45 or later}"
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=Fixture GIT_AUTHOR_EMAIL=fixture@gofork.example
export GIT_COMMITTER_NAME=Fixture GIT_COMMITTER_EMAIL=fixture@gofork.example
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
g() { "$GIT" -c init.templateDir= "$@"; }

save() { # save NAME DIR: the tar of DIR and git's status run in DIR
	(cd "$work" && tar --sort=name --owner=0 --group=0 --numeric-owner -cf "$out/$1.tar" "$2")
	(cd "$work/$2" && g --no-optional-locks status --porcelain=v2 --branch --show-stash --no-renames --ignore-submodules=dirty) >"$out/$1.status"
}

cd "$work"
g init -q --ref-format=reftable -b main repo
cd repo
echo one >a.txt
g add a.txt
g commit -q -m one
g update-ref refs/remotes/origin/main HEAD
g config branch.main.remote origin
g config branch.main.merge refs/heads/main
g config remote.origin.fetch '+refs/heads/*:refs/remotes/origin/*'
g tag v1
echo two >a.txt
g commit -q -am two
g tag -a -m annotated v2
for n in 3 4 5; do
	echo "$n" >a.txt
	g stash -q
done
g stash drop -q stash@{1}
echo edited >a.txt
echo new >untracked.txt
cd ..
save branch repo

cd repo
g checkout -q v2
cd ..
save detached repo

cd repo
g checkout -q main
i=0
while [ $i -lt 600 ]; do
	echo "create refs/heads/feature/branch-with-a-long-name-$i HEAD"
	i=$((i + 1))
done | g update-ref --stdin
g update-ref -d refs/heads/feature/branch-with-a-long-name-7
g branch -q -m feature/branch-with-a-long-name-8 renamed
cd ..
save manyrefs repo

cd repo
g pack-refs --all
cd ..
save compacted repo

cd repo
g -c worktree.useRelativePaths=true worktree add -q -b wt ../wt
cd ../wt
echo staged >b.txt
g add b.txt
cd ..
save worktree-main repo
tar --sort=name --owner=0 --group=0 --numeric-owner -rf "$out/worktree-main.tar" wt
(cd wt && g --no-optional-locks status --porcelain=v2 --branch --show-stash --no-renames --ignore-submodules=dirty) >"$out/worktree.status"

cd repo
g checkout -q --orphan fresh
cd ..
save unborn repo

gzip -9nf "$out"/*.tar
