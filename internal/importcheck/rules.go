package importcheck

// RuleDoc documents a rule: check's help lists the summaries, and SARIF
// output carries both texts for code scanning to show.
type RuleDoc struct {
	Name    string
	Summary string // what it reports
	Help    string // what to do about it
}

// RuleDocs are the rules in the order check's help lists them.
var RuleDocs = []RuleDoc{
	{RuleStrayImport, "an import of a fork's path where the canonical path is upstream's",
		"Import upstream's path and build against the fork with a replace directive or go.work (gofork use); gofork fix rewrites such imports back."},
	{RuleSuspiciousImport, "an import with the host and repository name of a required module but another owner, on a host whose paths are host/owner/repo, that lies in no declared or required module (--no-heuristics: off)",
		"If it is a fork, import upstream's path and point the build at the fork (gofork use); if it is a module of its own, require it, or pass --no-heuristics. gofork fix leaves it alone: it is a guess."},
	{RuleModuleLine, "a go.mod declaring a fork's module path",
		"A fork keeps upstream's module path, so that no import needs rewriting; gofork fix puts it back."},
	{RuleImportComment, `package x // import "<fork path>"`,
		"An import comment must name upstream's path; gofork fix rewrites it."},
	{RuleLocalReplace, "a directory replace in a go.mod tracked by git that points outside the repository (--allow-local-replace)",
		"Drop the line before committing (gofork drop MODULE, if gofork use wrote it) or keep it in an untracked go.work; --allow-local-replace accepts it."},
	{RuleGoWork, "a go.work tracked by git that uses a directory outside the repository (--allow-go-work); with --release, any go.work tracked by git",
		"Untrack it (git rm --cached go.work) and keep it local; outside --release, --allow-go-work accepts it."},
	{RuleReleaseReplace, "with --release, any replace or exclude in a go.mod tracked by git: modules that require this one ignore them, and go install pkg@version refuses a module that has any",
		"Remove the replace or exclude before tagging; gofork drop MODULE removes one that gofork use wrote."},
	{RuleSyntax, "a .go file whose package clause or import section does not parse (exit status 2)",
		"Fix the file so that gofmt accepts it; the other files are still checked."},
	{RuleUnreadable, "a file that could not be read, or a go.mod, go.work or .go that is not a regular file (exit status 2)",
		"Make the file readable, or remove what is not a regular file."},
}
