"""The console's link with the telephone switch: the adapter on the event loop, each call
recorded in the seat's store, the answered call popped on the intake screen, and the link's
state beside the sync line.

Without a switch (no ``cti.toml``) the console works as it always did: the agent types the
caller's number. Whatever the switch sends, nothing here takes the console down: a call that
cannot be recorded is said in the sync line's place and logged without its number.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from textual import work

from console import crash_log
from console.cti import settings as cti_settings
from console.cti.signals import STATE_TEXT, Adapter, CallSignal, Kind, LinkState
from store import DomainError
from store.services import calls
from store.services.maintenance import StoreFailure

# Calls in the queue this seat remembers (most are answered at other seats, which it never
# hears of): the oldest are forgotten first.
OFFERS_KEPT = 2000
RESTART_S = 30  # after a fault in the adapter itself


class CallLink:
    """Mixed into the console's App (which has ``backend``, ``actor`` and the sync line)."""

    def init_calls(self, settings_file: Path | None = None) -> None:
        """Set up the link (nothing runs until ``start_call_link``)."""
        self._cti_file = settings_file
        self.cti_state = LinkState.NOT_CONFIGURED
        self.cti_why = ""
        self.cti_settings = cti_settings.CtiSettings()
        self._offers: dict[str, calls.CallSeen] = {}  # calls in the queue, by id
        # An answered call waiting for the intake screen (opened over another screen).
        self.pending_call: tuple[CallSignal, calls.CallerNumber] | None = None

    @property
    def call_line(self) -> str:
        """The link's state as the header shows it."""
        text = STATE_TEXT[self.cti_state]
        return f"{text}（{self.cti_why}）" if self.cti_why else text

    def start_call_link(self) -> None:
        """Read the seat's link settings and follow the switch, if it has one."""
        try:
            self.cti_settings = cti_settings.load(self._cti_file)
        except cti_settings.SettingsError as error:
            self.cti_why = "配置有误"
            self.notify(str(error), title="话机未接入", severity="error", timeout=30, markup=False)
            return
        if self.cti_settings.configured:
            self.follow_switch()

    def _adapter(self) -> Adapter:
        s = self.cti_settings
        if s.ami is not None:
            from console.cti.ami import AmiLink

            return AmiLink(s.ami, self.backend.clock)
        from console.cti.http_contract import HttpContract

        assert s.http is not None
        return HttpContract(s.http, self.backend.clock)

    @work(exclusive=True, group="cti", exit_on_error=False)
    async def follow_switch(self) -> None:
        """Run the adapter until the console closes; a fault in it is logged (without any
        number) and the link started again, never left dead."""
        while True:
            try:
                await self._adapter().run(self.call_signal, self._link_state)
            except Exception as error:  # noqa: BLE001 - the link must outlive a fault
                crash_log.record(error, "cti")
                self._link_state(
                    LinkState.RECONNECTING, f"意外错误，已记录日志，{RESTART_S} 秒后重连"
                )
                await asyncio.sleep(RESTART_S)

    def _link_state(self, state: LinkState, why: str) -> None:
        self.cti_state, self.cti_why = state, why
        self.show_sync_status()

    # a call ----------------------------------------------------------------------------

    def call_signal(self, signal: CallSignal) -> None:
        """What the switch said of a call: pop it if answered here, and record it."""
        number = calls.from_switch(signal.caller)
        seen = self._seen(signal, number)
        if signal.kind is Kind.ANSWERED:
            self.pop_call(signal, number)
        elif signal.kind is Kind.RINGING:
            self.notify(f"来电振铃：{number.masked}", title="来电", markup=False)
        self.record_call(signal, seen)

    def _seen(self, signal: CallSignal, number: calls.CallerNumber) -> calls.CallSeen:
        """The call as it entered the queue: the switch's own count of the wait when it gives
        one, else when this seat heard it offered, else now."""
        known = self._offers.get(signal.call_id)
        if signal.waited_s is not None or known is None:
            waited = timedelta(seconds=signal.waited_s or 0)
            known = calls.CallSeen(signal.call_id, number, signal.queue, signal.at - waited)
        if signal.kind is Kind.OFFERED:
            self._offers[signal.call_id] = known
            while len(self._offers) > OFFERS_KEPT:  # answered elsewhere: never heard of again
                self._offers.pop(next(iter(self._offers)))
        elif signal.kind in (Kind.ANSWERED, Kind.ABANDONED, Kind.ENDED):
            self._offers.pop(signal.call_id, None)
        return known

    def pop_call(self, signal: CallSignal, number: calls.CallerNumber) -> None:
        """Put the answered call on the intake screen: now if it is showing, else when the
        agent goes back to it (the call is said in a notice meanwhile)."""
        from console.screens.intake import IntakeScreen

        if isinstance(self.screen, IntakeScreen):
            self.screen.take_call(signal, number)
            return
        self.pending_call = (signal, number)
        back = "按 Esc 回到受理界面" if self._intake_below() else "按 F2 打开受理界面"
        self.notify(
            f"{number.masked} 已接通：{back}，号码和历史会自动填好。",
            title="新来电",
            timeout=15,
            markup=False,
        )

    def _intake_below(self) -> bool:
        from console.screens.intake import IntakeScreen

        return any(isinstance(s, IntakeScreen) for s in self.screen_stack)

    @work(group="cti-record", exit_on_error=False)
    async def record_call(self, signal: CallSignal, seen: calls.CallSeen) -> None:
        """Write the call's fact to the seat's store (which syncs it to the center)."""
        if self.actor is None or not calls.takes_calls(self.actor):
            return
        record_queue = self.cti_settings.record_queue
        try:
            if signal.kind is Kind.OFFERED and record_queue:
                await self.backend.call(calls.offered, self.actor, seen)
            elif signal.kind is Kind.ABANDONED and record_queue:
                await self.backend.call(calls.abandoned, self.actor, seen, signal.at)
            elif signal.kind is Kind.ANSWERED:
                await self.backend.call(
                    calls.answered, self.actor, seen, signal.at, signal.extension
                )
            elif signal.kind is Kind.ENDED:
                await self.backend.call(calls.ended, self.actor, signal.call_id, signal.at)
        except (DomainError, StoreFailure) as error:
            self.notify(f"话务记录未保存：{error.message}", severity="warning", markup=False)
        except Exception as error:  # noqa: BLE001 - a bad signal must not end the link
            crash_log.record(error, "cti")
