"""The simulation behind ``make_sample_db.py``: a city's directory and 90 days of calls,
each ticket living its life through the store's commands on a simulated clock."""

from __future__ import annotations

import contextlib
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

import sample_calls as calls
import sample_city as city
from sample_kb import build_kb, refs_for_topic
from sample_switch import Switch

from store.calls import commands as call_records
from store.core.clock import CITY_TZ, from_text
from store.core.errors import DomainError
from store.core.progress import SILENT, Progress
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.directory import catalogue as dispatch_catalogue
from store.directory import commands as directory
from store.directory.defaults import install_defaults
from store.directory.workdays import WorkCalendar
from store.tickets import workflow
from store.tickets.states import State

AS_OF = datetime(2026, 11, 20, 20, 0, tzinfo=CITY_TZ)  # a Friday evening
HOURS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 2.5, 5, 8, 9, 8, 5, 5, 7, 8, 8, 7, 5, 4, 3.5, 3, 2, 0.8]


class SimClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class City:
    streets: dict[str, list[str]] = field(default_factory=dict)  # district → street codes
    staff: dict[Role, list[Actor]] = field(default_factory=dict)
    liaisons: dict[str, Actor] = field(default_factory=dict)  # unit id → liaison


def _person(rng: random.Random) -> str:
    return rng.choice(city.SURNAMES) + "".join(
        rng.choice(city.GIVEN) for _ in range(rng.choice((1, 2)))
    )


def build_city(store: Store, rng: random.Random) -> City:
    """Define districts, streets, ~520 units in three levels, desks and people."""
    sysa = Actor.system()
    install_defaults(store, sysa)
    result = City()
    names = iter(city.STREET_NAMES)
    for code, name, suffix in city.DISTRICTS:
        directory.define_district(store, sysa, code, name)
        result.streets[code] = []
        for i in range(11):
            street = f"{code}S{i + 1:02d}"
            directory.define_street(store, sysa, street, code, next(names) + suffix)
            result.streets[code].append(street)
    for code, name, kind in city.CITY_UNITS:
        directory.define_unit(store, sysa, code, name, 1, kind=kind)
    street_names = dict(store.conn.execute("SELECT code, name FROM streets"))
    for code, name, _ in city.DISTRICTS:
        gov = f"G-{code}"
        directory.define_unit(
            store, sysa, gov, f"{name}人民政府", 1, kind="district", areas=[(code, "")]
        )
        for dept, dept_name in city.DISTRICT_DEPARTMENTS:
            directory.define_unit(
                store,
                sysa,
                f"{gov}-{dept}",
                f"{name}{dept_name}",
                2,
                parent_id=gov,
                kind="department",
                areas=[(code, "")],
            )
        for street in result.streets[code]:
            office = f"J-{street}"
            kind_name = "人民政府" if street_names[street].endswith("镇") else "办事处"
            directory.define_unit(
                store,
                sysa,
                office,
                f"{name}{street_names[street]}{kind_name}",
                2,
                parent_id=gov,
                kind="street",
                areas=[(code, street)],
            )
            for j, community in enumerate(rng.sample(city.COMMUNITY_NAMES, 3)):
                suffix = "村" if street_names[street].endswith("镇") else "社区"
                directory.define_unit(
                    store,
                    sysa,
                    f"{office}-C{j + 1}",
                    f"{street_names[street]}{community}{suffix}",
                    3,
                    parent_id=office,
                    kind="community",
                    areas=[(code, street)],
                )
    for desk_id, name, line, description, topics, business in city.DESKS:
        directory.define_desk(
            store, sysa, desk_id, name, line, description, topics=topics, business=business
        )
    desks_for_staff = iter(["YSHJ", "ZCZY-RS", "12333"])
    for prefix, role, count in city.STAFF:
        for i in range(count):
            agent_id = prefix if count == 1 and prefix == "admin" else f"{prefix}{i + 1:02d}"
            desk = next(desks_for_staff) if role == "desk" else None
            directory.define_agent(
                store,
                sysa,
                agent_id,
                _person(rng),
                role,
                city.SAMPLE_PASSWORD,
                desk_id=desk,
                salt_seed=agent_id,
            )
            result.staff.setdefault(Role(role), []).append(
                directory.get_actor(store.conn, agent_id)
            )
    for row in store.conn.execute("SELECT id FROM units WHERE level <= 2 ORDER BY id").fetchall():
        agent_id = f"L-{row['id']}"
        directory.define_agent(
            store,
            sysa,
            agent_id,
            _person(rng),
            "liaison",
            city.SAMPLE_PASSWORD,
            unit_id=row["id"],
            salt_seed=agent_id,
        )
        result.liaisons[row["id"]] = directory.get_actor(store.conn, agent_id)
    return result


class Simulation:
    """A queue of timed actions; each ticket's next step is scheduled by the one before."""

    def __init__(
        self, store: Store, clock: SimClock, rng: random.Random, town: City, as_of: datetime
    ):
        self.store, self.clock, self.rng, self.city, self.as_of = store, clock, rng, town, as_of
        self.calendar = WorkCalendar()
        self.queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self.counter = 0
        self.repeat_pool = [self._phone() for _ in range(260)]
        self.open_by_phone: dict[str, str] = {}
        # Tickets still waiting in some queue at build time, whatever the dice say:
        # ticket → "desk" | "return" | "returned" | "extension" (see ``in_flight``).
        self.pending: dict[str, str] = {}
        peak = max(HOURS)
        self.switch = Switch(store, 4242, lambda at: HOURS[at.hour] / peak, self.at)
        self.switch.recorder = town.staff[Role.SUPERVISOR][0]  # the queue's recording seat

    # scheduling -------------------------------------------------------------------
    def at(self, when: datetime, action: Callable[[], None]) -> None:
        if when <= self.as_of:
            self.counter += 1
            heapq.heappush(self.queue, (when, self.counter, action))

    def run(self) -> None:
        while self.queue:
            when, _, action = heapq.heappop(self.queue)
            self.clock.now = when
            action()

    def work_time(self, when: datetime) -> datetime:
        """Move ``when`` into office hours of a working day (units work 8:30–17:30)."""
        if self.calendar.is_workday(when.date()) and time(8, 30) <= when.time() <= time(17, 30):
            return when
        day = when.date()
        if not self.calendar.is_workday(day) or when.time() > time(17, 30):
            day = self.calendar.next_workday(day)
        start = datetime.combine(day, time(8, 30), CITY_TZ)
        return start + timedelta(minutes=self.rng.randrange(0, 180))

    def later(self, hours_lo: float, hours_hi: float, *, office: bool = False) -> datetime:
        when = self.clock.now + timedelta(minutes=self.rng.uniform(hours_lo, hours_hi) * 60)
        return self.work_time(when) if office else when

    def who(self, role: Role) -> Actor:
        return self.rng.choice(self.city.staff[role])

    # callers ------------------------------------------------------------------------
    def _phone(self) -> str:
        if self.rng.random() < 0.06:
            return f"0573{self.rng.randrange(80000000, 89999999)}"
        return f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def _fill(self, text: str) -> str:
        r = self.rng
        return text.format(
            estate=r.choice(city.ESTATES),
            road=r.choice(city.ROADS),
            no=r.randrange(1, 240),
            building=r.randrange(1, 32),
            shop=r.choice(city.SHOPS),
            school=r.choice(city.SCHOOLS),
            company=r.choice(city.COMPANIES),
            when=r.choice(calls.WHEN),
            amount=r.choice([300, 680, 1200, 2800, 5600, 12000, 36000]),
            months=r.randrange(2, 7),
        )

    def _draft(self, content: str, topic: str, kind: str, **extra) -> workflow.TicketDraft:
        r = self.rng
        phone = r.choice(self.repeat_pool) if r.random() < 0.2 else self._phone()
        district = r.choice(city.DISTRICTS)[0]
        anonymous = r.random() < 0.25
        gender = r.choice(["male", "female"])
        name = (
            "" if anonymous else r.choice(city.SURNAMES) + ("先生" if gender == "male" else "女士")
        )
        return workflow.TicketDraft(
            content=content,
            topic_code=topic,
            type=kind,
            caller_phone=phone,
            caller_name=name,
            caller_gender=gender,
            anonymous=anonymous,
            confidential=r.random() < 0.03,
            district_code=district,
            street_code=r.choice(self.city.streets[district]),
            address=f"{r.choice(city.ROADS)}{r.randrange(1, 240)}号",
            **extra,
        )

    # intake ------------------------------------------------------------------------------
    def arrival(self, pending: str | None = None) -> None:
        r = self.rng
        agent = self.who(Role.AGENT)
        roll = 1.0 if pending else r.random()
        if roll < 0.015:
            line, text = r.choice(calls.EMERGENCIES)
            t = self._register(
                agent, self._draft(self._fill(text), "1002", "help", urgency="critical")
            )
            workflow.transfer_emergency(
                self.store, agent, t, line, r.choice(["one_key", "three_way"])
            )
            return
        if roll < 0.045:
            code, text = r.choice(calls.NOT_ACCEPTED)
            t = self._register(agent, self._draft(text, "1601", "consult"))
            workflow.not_accept(self.store, agent, t, code, "已向来电人解释并告知合法渠道。")
            return
        if roll < 0.06:
            draft = self._draft(
                self._fill(r.choice(calls.FROM_110)),
                "0302",
                "complaint",
                channel="from_110",
                incident_110=f"JC{r.randrange(10**9):09d}",
            )
            t = self._register(agent, draft)
            self.dispatch(t, agent, ("street",), draft.district_code, draft.street_code)
            return
        answerable = [c for c in calls.TEMPLATES if c.answer]
        handled = [c for c in calls.TEMPLATES if not c.answer]
        template = r.choice(answerable if r.random() < 0.72 else handled)
        if pending:
            template = r.choice(
                [c for c in handled if pending != "desk" or c.topic in calls.DESK_TOPICS] or handled
            )
            channel = "phone"
        channel = r.choices(["phone", "wechat", "web", "app", "sms"], [86, 6, 4, 3, 1])[0]
        draft = self._draft(
            self._fill(template.content) + r.choice(calls.CONTEXT),  # callers add their own story
            template.topic,
            template.type,
            request=template.request,
            urgency=template.urgency,
            channel=channel,
            business=template.topic.startswith("12") or "公司" in template.content,
        )
        earlier = self.open_by_phone.get(draft.caller_phone)
        if earlier and r.random() < 0.25:
            draft.repeat = True
            t = self._register(agent, draft)
            workflow.merge(self.store, agent, t, earlier, "同一诉求重复来电，并入原工单。")
            self._try(lambda: workflow.urge(self.store, agent, earlier, "来电人再次来电催促办理。"))
            return
        t = self._register(agent, draft)
        if pending:
            self.pending[t] = pending
        if channel == "phone":
            self.outcome(t, agent, template, draft)
        else:  # written requests wait in the queue until an agent takes them
            self.at(
                self.later(0.5, 14), lambda: self.outcome(t, self.who(Role.AGENT), template, draft)
            )

    def outcome(
        self, t: str, agent: Actor, template: calls.CallTemplate, draft: workflow.TicketDraft
    ) -> None:
        r = self.rng
        desk = calls.DESK_TOPICS.get(template.topic)
        waiting = self.pending.get(t)
        if waiting == "desk" or (
            desk and not waiting and draft.channel == "phone" and r.random() < 0.3
        ):
            workflow.transfer_desk(
                self.store, agent, t, desk or "YSHJ", r.choice(["one_key", "three_way"])
            )
            if not waiting:
                self.at(self.later(1, 10, office=True), lambda: self.desk_work(t, template, draft))
        elif waiting:
            self.dispatch(t, agent, template.unit, draft.district_code, draft.street_code)
        elif template.answer and r.random() < 0.96:
            workflow.answer_directly(
                self.store, agent, t, template.answer, refs_for_topic(self.store, template.topic)
            )
        else:
            self.dispatch(t, agent, template.unit, draft.district_code, draft.street_code)

    def _register(self, agent: Actor, draft: workflow.TicketDraft) -> str:
        t = workflow.register(self.store, agent, draft).subject_id
        if draft.channel == "phone" and draft.caller_phone:
            call_id = self.switch.answered(agent, draft.caller_phone, self.clock.now)
            call_records.link(self.store, agent, call_id, t)
        return t

    def desk_work(self, t: str, template: calls.CallTemplate, draft: workflow.TicketDraft) -> None:
        specialist = self.who(Role.DESK)
        if self.rng.random() < 0.1:
            workflow.hand_back(self.store, specialist, t, "不属于本专席受理范围，退回话务员处理。")
            self.at(
                self.later(0.5, 3), lambda: self.outcome(t, self.who(Role.AGENT), template, draft)
            )
        elif template.answer:
            workflow.answer_directly(
                self.store,
                specialist,
                t,
                "专席政策专员解答：" + template.answer,
                refs_for_topic(self.store, template.topic),
            )
        else:
            self.dispatch(t, specialist, template.unit, draft.district_code, draft.street_code)

    # the unit's side and the loop back ---------------------------------------------
    def unit_for(self, target: tuple[str, ...], district: str, street: str) -> str:
        if target[0] == "street":
            return f"J-{street}"
        if target[0] == "district":
            return f"G-{district}-{target[1]}"
        return target[1]

    def dispatch(
        self, t: str, actor: Actor, target: tuple[str, ...], district: str, street: str
    ) -> None:
        r = self.rng
        unit = self.unit_for(target, district, street)
        assisting = [f"J-{street}"] if target[0] != "street" and r.random() < 0.15 else []
        workflow.dispatch(self.store, actor, t, unit, assisting, "请按时限办理并答复来电人。")
        phone = self.store.conn.execute(
            "SELECT caller_phone FROM tickets WHERE id=?", (t,)
        ).fetchone()[0]
        self.open_by_phone[phone] = t
        self.at(
            self.later(0.5, 30 if r.random() < 0.1 else 6, office=True),
            lambda: self.sign(t, district, street),
        )
        if r.random() < 0.12:
            self.at(
                self.later(6, 72),
                lambda: self._try(
                    lambda: workflow.urge(
                        self.store, self.who(Role.AGENT), t, "来电人再次来电询问办理进度。"
                    )
                ),
            )
        if r.random() < 0.05:
            self.at(
                self.later(1, 48),
                lambda: self._try(
                    lambda: workflow.note(
                        self.store, self.who(Role.SUPERVISOR), t, "请关注，来电人情绪激动。"
                    )
                ),
            )

    def liaison(self, t: str) -> Actor:
        unit = self.store.conn.execute(
            "SELECT lead_unit_id FROM tickets WHERE id=?", (t,)
        ).fetchone()[0]
        return self.city.liaisons[unit]

    def sign(self, t: str, district: str, street: str) -> None:
        r = self.rng
        workflow.sign(self.store, self.liaison(t), t)
        if r.random() < 0.8:
            self.at(
                self.later(0.5, 3),
                lambda: (
                    workflow.contact(
                        self.store, self.liaison(t), t, "已电话联系来电人，了解具体情况。"
                    )
                    if self._state(t) in ("handling", "extension_requested")
                    else None
                ),
            )
        waiting = self.pending.get(t)
        if waiting == "extension":
            self.at(self.later(0.5, 2), lambda: self.request_extension(t))
        elif waiting in ("return", "returned") and not self._returned_before(t):
            self.at(self.later(0.5, 2), lambda: self.request_return(t, district, street))
        elif r.random() < 0.09:
            self.at(self.later(1, 5, office=True), lambda: self.request_return(t, district, street))
        else:
            self.plan_reply(t)

    def request_return(self, t: str, district: str, street: str) -> None:
        try:
            workflow.request_return(
                self.store,
                self.liaison(t),
                t,
                "该事项不属于我单位职责范围，依据“三定”方案应由属地街道或行业主管部门办理。",
            )
        except DomainError:
            self.plan_reply(t)
            return
        waiting = self.pending.get(t)
        if waiting == "return":
            return  # still in the supervisors' review queue
        approve = waiting == "returned" or self.rng.random() < 0.8
        delay = self.later(0.5, 2) if waiting else self.later(8, 30, office=True)
        self.at(delay, lambda: self.decide_return(t, approve, district, street))

    def decide_return(self, t: str, approve: bool, district: str, street: str) -> None:
        supervisor = self.who(Role.SUPERVISOR)
        if not approve:
            workflow.decide_return(
                self.store, supervisor, t, False, "经核实属于该单位职责，请继续办理。"
            )
            self.plan_reply(t)
            return
        workflow.decide_return(self.store, supervisor, t, True, "同意退回，改派相关单位。")
        current = self.store.conn.execute(
            "SELECT lead_unit_id FROM tickets WHERE id=?", (t,)
        ).fetchone()[0]
        target = f"G-{district}-CG" if current.startswith("J-") else f"J-{street}"
        if self.pending.get(t) == "returned":
            return  # waiting for re-dispatch
        self.at(
            self.later(4, 24, office=True), lambda: self.redispatch(t, target, district, street)
        )

    def redispatch(self, t: str, unit: str, district: str, street: str) -> None:
        workflow.redispatch(
            self.store, self.who(Role.SUPERVISOR), t, unit, [], "已核实职责，改派贵单位办理。"
        )
        self.at(self.later(0.5, 6, office=True), lambda: self.sign(t, district, street))

    def _due(self, t: str) -> datetime:
        row = self.store.conn.execute(
            "SELECT due_at FROM clocks WHERE ticket_id=? AND kind='handle'", (t,)
        ).fetchone()
        return from_text(row[0])

    def plan_reply(self, t: str) -> None:
        r = self.rng
        due = self._due(t)
        extended = self.store.conn.execute(
            "SELECT extension_count FROM tickets WHERE id=?", (t,)
        ).fetchone()[0]
        if not extended and r.random() < 0.08:
            self.at(self.later(24, 60, office=True), lambda: self.request_extension(t))
            return
        span = max((due - self.clock.now).total_seconds(), 3600)
        if r.random() < 0.12:  # overdue, some by more than a week
            when = due + timedelta(hours=r.uniform(4, 240))
        else:
            when = self.clock.now + timedelta(seconds=span * r.uniform(0.15, 0.95))
        self.at(self.work_time(when) if when < due else when, lambda: self.reply(t))
        if r.random() < 0.4:
            self.at(
                due + timedelta(hours=r.uniform(2, 30)),
                lambda: self._try(
                    lambda: (
                        workflow.supervise(
                            self.store,
                            self.who(Role.SUPERVISOR),
                            t,
                            "该工单已超期，请立即办理并说明原因。",
                        )
                        if self._state(t) in ("handling", "dispatched", "extension_requested")
                        else None
                    )
                ),
            )

    def request_extension(self, t: str) -> None:
        if self._state(t) != "handling":
            return
        requested = self.calendar.add_workdays(self._due(t), self.rng.randrange(3, 8))
        workflow.request_extension(
            self.store,
            self.liaison(t),
            t,
            "涉及多部门协调，需要现场勘测，申请延期办理。",
            requested,
        )
        if self.pending.get(t) == "extension":
            return  # still in the supervisors' review queue
        approve = self.rng.random() < 0.85
        self.at(self.later(2, 24, office=True), lambda: self.decide_extension(t, approve))

    def decide_extension(self, t: str, approve: bool) -> None:
        reason = "同意延期，请在新期限内办结。" if approve else "理由不充分，请按原期限办结。"
        workflow.decide_extension(self.store, self.who(Role.SUPERVISOR), t, approve, reason)
        self.plan_reply(t) if approve else self.at(
            self.later(2, 30, office=True), lambda: self.reply(t)
        )

    def reply(self, t: str) -> None:
        if self._state(t) not in ("handling", "extension_requested"):
            return
        workflow.reply(
            self.store,
            self.liaison(t),
            t,
            self.rng.choice(calls.REPLIES),
            "依据相关法规及职责分工办理。",
        )
        self.at(self.later(1, 10), lambda: self.review(t))

    def review(self, t: str) -> None:
        supervisor = self.who(Role.SUPERVISOR)
        if self.rng.random() < 0.08:
            workflow.review(
                self.store, supervisor, t, False, "答复未回应来电人的具体诉求，请重新办理。"
            )
            self.at(self.later(8, 48, office=True), lambda: self.reply(t))
            return
        workflow.review(self.store, supervisor, t, True)
        self.at(self.later(1, 20), lambda: self.call_back(t))

    def call_back(self, t: str) -> None:
        r = self.rng
        agent = self.who(Role.CALLBACK)
        if r.random() < 0.5:
            workflow.reveal_caller(self.store, agent, t, "回访拨号")
        attempts = self.store.conn.execute(
            "SELECT callback_attempts FROM tickets WHERE id=?", (t,)
        ).fetchone()[0]
        if r.random() < 0.15:
            if attempts >= 2:
                workflow.callback(
                    self.store, agent, t, reached=False, note="三次未接通，已发送回访短信。"
                )
                return
            retry = self.later(3, 6)
            workflow.callback(
                self.store, agent, t, reached=False, note="无人接听", next_attempt_at=retry
            )
            self.at(retry, lambda: self.call_back(t))
            return
        level = r.choices(*zip(*calls.SATISFACTION_WEIGHTS, strict=False))[0]
        happy = level in ("非常满意", "满意", "基本满意")
        solved = happy and r.random() < 0.95
        note = "来电人对处理结果表示认可。" if happy else "来电人表示问题仍未解决。"
        workflow.callback(
            self.store, agent, t, reached=True, solved=solved, satisfaction=level, note=note
        )
        if not happy or not solved:
            if r.random() < 0.7:
                self.at(self.later(0.5, 4), lambda: self.redo(t))
            else:
                self.at(
                    self.later(0.5, 8),
                    lambda: workflow.archive(
                        self.store,
                        self.who(Role.SUPERVISOR),
                        t,
                        "诉求超出政策规定，已做好解释，不予重办。",
                    ),
                )
        else:
            self.at(self.later(0.2, 24), lambda: workflow.archive(self.store, agent, t))

    def redo(self, t: str) -> None:
        workflow.redo(self.store, self.who(Role.SUPERVISOR), t, "回访不满意，诉求合理，退回重办。")
        self.plan_reply(t)

    # helpers -----------------------------------------------------------------------------
    def _state(self, t: str) -> str:
        return self.store.conn.execute("SELECT state FROM tickets WHERE id=?", (t,)).fetchone()[0]

    def _returned_before(self, t: str) -> bool:
        return bool(
            self.store.conn.execute("SELECT return_count FROM tickets WHERE id=?", (t,)).fetchone()[
                0
            ]
        )

    def _try(self, action: Callable[[], object]) -> None:
        """Optional actions (urge, note, supervise) that may no longer apply."""
        with contextlib.suppress(DomainError):
            action()


def arrival_times(rng: random.Random, count: int, days: int, as_of: datetime) -> list[datetime]:
    first = as_of.date() - timedelta(days=days - 1)  # the build day itself has calls too
    cal = WorkCalendar()
    weights = [0.8 if not cal.is_workday(first + timedelta(days=d)) else 1.0 for d in range(days)]
    times = []
    for _ in range(count):
        day = first + timedelta(days=rng.choices(range(days), weights)[0])
        hour = rng.choices(range(24), HOURS)[0]
        when = datetime.combine(day, time(hour), CITY_TZ) + timedelta(seconds=rng.randrange(3600))
        if when < as_of - timedelta(minutes=10):
            times.append(when)
    return sorted(times)


def in_flight(sim: Simulation, as_of: datetime) -> None:
    """A few calls from the last days whose next step is still waiting at build time —
    the desk queue, the supervisors' review of returns and extensions, re-dispatch — so
    the sample always shows those queues, not only when the dice happen to."""
    for i, pending in enumerate(["desk", "return", "returned", "extension"] * 2):
        sim.at(as_of - timedelta(hours=52 - i * 3), lambda p=pending: sim.arrival(p))


def build_catalogue(store: Store, town: City) -> None:
    """The dispatch catalogue: each call topic's usual lead unit (the first template of the
    topic decides), per district where the lead is a district department."""
    sysa = Actor.system()
    seen: set[str] = set()
    for template in calls.TEMPLATES:
        if template.topic in seen:
            continue
        seen.add(template.topic)
        kind = template.unit[0]
        if kind == "street":
            dispatch_catalogue.set_rule(
                store, sysa, template.topic, "", dispatch_catalogue.STREET_OFFICE
            )
        elif kind == "district":
            for district in town.streets:
                unit = f"G-{district}-{template.unit[1]}"
                dispatch_catalogue.set_rule(store, sysa, template.topic, district, unit)
        else:
            dispatch_catalogue.set_rule(store, sysa, template.topic, "", template.unit[1])


def build(
    path: Path,
    *,
    tickets: int,
    days: int,
    seed: int,
    as_of: datetime,
    progress: Progress = SILENT,
) -> dict:
    """Build the sample database at ``path``; the old file is replaced only on success."""
    partial = Path(f"{path}.partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    rng = random.Random(seed)
    clock = SimClock(as_of - timedelta(days=days + 1))
    store = Store.open(
        partial, clock=clock, rng=random.Random(seed + 1), durable=False, device_no=1
    )
    town = build_city(store, rng)
    build_kb(store)
    build_catalogue(store, town)
    for specialist in town.staff[Role.DESK][:2]:  # the night shift: two desks staffed
        workflow.set_duty(store, specialist, True)
    sim = Simulation(store, clock, rng, town, as_of)
    arrivals = arrival_times(rng, tickets, days, as_of)
    progress.begin("模拟来电", len(arrivals))

    def arrive() -> None:
        sim.arrival()
        progress.advance(1)

    for when in arrivals:
        sim.at(when, arrive)
    in_flight(sim, as_of)
    sim.run()
    conn = store.conn
    missing = {s.value for s in State} - {
        r[0] for r in conn.execute("SELECT DISTINCT state FROM tickets")
    }
    if tickets >= 2000 and missing:
        raise RuntimeError(
            f"the sample must hold tickets in every state; missing: {sorted(missing)}"
        )
    stats = {
        "tickets": conn.execute("SELECT count(*) FROM tickets").fetchone()[0],
        "events": conn.execute("SELECT count(*) FROM events").fetchone()[0],
        "states": dict(
            conn.execute("SELECT state, count(*) FROM tickets GROUP BY state ORDER BY 2 DESC")
        ),
    }
    # A template: every file made from it is a copy (store/core/identity.py) and takes a device id
    # of its own; the build machine's inode would also make the file differ per build.
    conn.execute("UPDATE meta SET value = 'template' WHERE key = 'identity.file'")
    # The city's history, already on the central server it seeds (hotline central --seed):
    # nothing in it waits to be sent, and a copy starts with 待发 0.
    conn.execute("DELETE FROM outbox")
    # One self-contained file: fold the WAL back in and compact.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    store.close()
    partial.replace(path)
    return stats
