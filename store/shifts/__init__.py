"""Shifts: a supervisor hands the shift over (交接班) with its figures and notes, and the next
supervisor acknowledges it. Handovers are events on the ``shift`` stream, so every seat and
the central server hold them."""
