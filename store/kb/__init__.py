"""The knowledge base (热线百科): entries, their search, synonyms, import and export.

Entries change only by events on the ``kb`` stream, like everything else in the store.
"""
