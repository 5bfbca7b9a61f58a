"""Tickets (工单): the state machine, the working-day deadlines, the numbering, the workflow's
commands (``store.tickets.workflow``) and what the screens read (``store.tickets.read``).
"""
