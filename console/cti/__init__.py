"""The seat's link with the telephone switch (CTI).

An adapter — Asterisk's manager interface (:mod:`console.cti.ami`) or the generic HTTP
contract any other switch can post to (:mod:`console.cti.http_contract`) — turns what the
switch says into :class:`~console.cti.signals.CallSignal` values and reports its own state;
the console (:mod:`console.call_link`) records the calls and pops the answered one on the
intake screen. Adapters are asyncio code on the console's event loop: they never block it.
"""
