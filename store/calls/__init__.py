"""Calls: what the telephone switch says of each call to the hotline — offered to a queue,
answered at a seat (after how long), abandoned while waiting, ended (after how long a talk) —
and the ticket a call led to. Call records are events on the ``call`` stream, so the
center's 接通率 and 15 秒接通率 are counted over the whole city, whichever seat heard them."""
