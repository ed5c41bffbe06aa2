"""Reports about inline ``mtnorm:`` directives (made by the linter, see normalize.suppressions)."""
