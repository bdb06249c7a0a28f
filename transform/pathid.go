package transform

// TEMPORARY PLACEHOLDER written by the main developer so the package
// compiles while the helper writes the real file: replace this file entirely.

// PathIdentity is what a file's path says about whose disclosure it is.
type PathIdentity struct {
	Department, Region string
	FiscalYear         int
	Stage, Scope       string
}

func identityFromPath(path string) PathIdentity { return PathIdentity{} }
