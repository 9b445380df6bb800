"""Charts and maps: one function per figure, returning a matplotlib Figure (no I/O, no pyplot state)."""
