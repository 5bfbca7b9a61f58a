"""The central server (sync and the handling units' API) — arrives with its own issue.

Nothing here yet; ``store`` must never import this package.
"""
