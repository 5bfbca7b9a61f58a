"""``hotline shell``: the seat on a prompt-toolkit command line, for a slow SSH link, an
80×24 terminal or a quick check — the same store, the same services, the same rules as the
console, with English verbs and Chinese help and output."""
