"""Developer tools that are not part of the installed package: the benchmark against
the MkDocs floor (``scripts/bench``) and the synthetic content it builds."""
