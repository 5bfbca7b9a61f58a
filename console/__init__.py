"""Everything a person sees: the command line and the Textual console."""
