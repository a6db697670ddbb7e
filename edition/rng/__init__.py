"""`edition validate PATH… --schema …`: any XML files against any RelaxNG schema, with its Schematron.

One concern per module: discover (which files), locate (which schema), schemas (loading, compiling,
specialising via specialise), contentmodel and messages (readable diagnostics), schematron (ISO
Schematron: rules, pruning, the SaxonC route), xpath1 and native (the rules that run on lxml),
check (one file), resultcache (--cache), runner and progress (many files).
"""
