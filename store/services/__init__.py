"""What every front end calls: views and actions per job (intake, desk, callbacks, review,
knowledge base, liaison, sync status), returning plain data.

The console, the shell, the central server's routes and the unit command line call these and
nothing below them hold a connection: the rules (who may reveal a number, which role opens which
queue, how many returns are allowed, row limits) are decided here or below, never in a front end.
"""
