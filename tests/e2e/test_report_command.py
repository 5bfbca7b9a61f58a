"""``hotline report`` on a copy of the sample: the figures equal a count made here, straight
from the event log, and the workbook reads back with numbers as numbers."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "hotline.db.sample"
FIGURES = {"件数", "数值", "上期", "去年同期", "工单总量", "超期未办", "受理件数", "合计"}
RATES = {"占比", "按期办结率", "回访满意率"}
SATISFIED = {"非常满意", "满意", "基本满意"}  # the sample city keeps the default levels


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "seat.db"
    shutil.copyfile(SAMPLE, path)
    return path


def hotline(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "console.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def replay(path: Path, first: str, last: str) -> dict:
    """October's figures by walking the events in order, without the projections."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    parents: dict[str, str | None] = {}
    kinds: dict[str, list[str]] = defaultdict(list)
    tickets: dict[str, dict] = {}
    for type_, subject, occurred, payload in conn.execute(
        "SELECT type, subject_id, occurred_at, payload FROM events ORDER BY pos"
    ):
        p = json.loads(payload)
        if type_ == "unit.defined":
            parents[p["id"]] = p.get("parent_id")
            continue
        if type_ == "ticket.registered":
            day = datetime.fromisoformat(occurred).date().isoformat()
            tickets[subject] = {"day": day, "channel": p["channel"], "type": p["type"]}
        if subject not in tickets:
            continue
        kinds[subject].append(type_)
        t = tickets[subject]
        if type_ in ("ticket.dispatched", "ticket.redispatched"):
            t["unit"] = p["lead_unit_id"]
        elif type_ == "ticket.called_back":
            t["rating"] = p["satisfaction"]
        elif type_ == "ticket.redone":
            t["rating"] = None  # a redo sets the matter going again; the old rating goes
    conn.close()

    def top(unit: str) -> str:
        while parents.get(unit):
            unit = parents[unit]
        return unit

    cohort = {k: t for k, t in tickets.items() if first <= t["day"] <= last}
    had = {k: set(kinds[k]) for k in cohort}
    direct = [
        k
        for k in cohort
        if "ticket.answered" in had[k]
        and not had[k]
        & {
            "ticket.dispatched",
            "ticket.not_accepted",
            "ticket.transferred_emergency",
            "ticket.merged",
        }
    ]
    rated = [t["rating"] for t in cohort.values() if t.get("rating")]
    units = Counter(top(t["unit"]) for t in cohort.values() if "unit" in t)
    return {
        "registered": len(cohort),
        "by_channel": dict(Counter(t["channel"] for t in cohort.values())),
        "by_type": dict(Counter(t["type"] for t in cohort.values())),
        "answered_directly": len(direct),
        "dispatched": sum("ticket.dispatched" in had[k] for k in cohort),
        "not_accepted": sum("ticket.not_accepted" in had[k] for k in cohort),
        "transferred": sum("ticket.transferred_emergency" in had[k] for k in cohort),
        "merged": sum("ticket.merged" in had[k] for k in cohort),
        "satisfaction_rate": round(sum(r in SATISFIED for r in rated) / len(rated), 4),
        "units": dict(units),
    }


def test_monthly_json_equals_a_count_from_the_event_log(sample_copy):
    done = hotline("report", "monthly", "--month", "2026-10", "--json", "--db", str(sample_copy))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    expected = replay(sample_copy, "2026-10-01", "2026-10-31")
    assert report["period"] == {"from": "2026-10-01", "to": "2026-10-31"}
    totals = report["totals"]
    assert expected["registered"] > 1000  # the sample's October is a real month's worth
    for key in ("registered", "answered_directly", "dispatched", "not_accepted", "merged"):
        assert totals[key] == expected[key], key
    assert totals["transferred"] == expected["transferred"]
    assert totals["by_channel"] == expected["by_channel"]
    assert totals["by_type"] == expected["by_type"]
    rates = report["indicators"]
    assert rates["direct_answer_rate"] == round(
        expected["answered_directly"] / expected["registered"], 4
    )
    assert rates["satisfaction_rate"] == expected["satisfaction_rate"]
    assert {u["unit_id"]: u["total"] for u in report["units"]} == expected["units"]
    for u in report["units"]:
        for key in ("on_time_rate", "satisfaction_rate"):
            assert u[key] is None or 0 <= u[key] <= 1


def test_the_text_report_reads_as_a_bulletin(sample_copy):
    done = hotline("report", "weekly", "--week", "2026-W43", "--db", str(sample_copy))
    assert done.returncode == 0, done.stderr
    week = replay(sample_copy, "2026-10-19", "2026-10-25")
    assert f"2026年第43周（10月19日至10月25日） 受理 {week['registered']} 件" in done.stdout
    assert "直接答复率" in done.stdout and "责任单位" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_the_workbook_has_a_sheet_per_table_with_numbers_as_numbers(sample_copy, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "十月.xlsx"
    done = hotline(
        "report", "monthly", "--month", "2026-10", "--out", str(out), "--db", str(sample_copy)
    )
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    assert len(book.sheetnames) >= 8
    first = book[book.sheetnames[0]]
    assert "2026年10月" in str(first["A1"].value)
    assert first.merged_cells.ranges  # the title row spans the table
    figures = rates = 0
    for ws in book:
        header = [c.value for c in ws[3]]
        for row in ws.iter_rows(min_row=4):
            for name, cell in zip(header, row, strict=False):
                if cell.value is None:
                    continue
                if name in FIGURES:  # counts and rates are numbers, never text
                    assert cell.data_type == "n", (ws.title, name, cell.value)
                    figures += 1
                if name in RATES:
                    assert cell.number_format.endswith("%") and 0 <= cell.value <= 1
                    rates += 1
    assert figures > 100 and rates > 20
    assert any(ws._charts for ws in book)  # the daily trend is drawn


def test_bad_periods_are_refused_in_chinese(sample_copy):
    for args, words in (
        (("monthly", "--month", "2026-13"), "月份应写作"),
        (("weekly", "--week", "2026-W60"), "没有第 60 周"),
        (("range", "--from", "2026-10-09", "--to", "2026-10-01"), "截止日期早于起始日期"),
        (("daily", "--date", "十月一日"), "日期应写作"),
    ):
        done = hotline("report", *args, "--db", str(sample_copy))
        assert done.returncode == 2
        assert words in done.stderr
        assert "Traceback" not in done.stderr


def test_a_period_without_tickets_says_so(sample_copy):
    done = hotline("report", "daily", "--date", "2020-01-01", "--db", str(sample_copy))
    assert done.returncode == 0, done.stderr
    assert "没有受理工单" in done.stdout
    empty = hotline("report", "daily", "--date", "2020-01-01", "--json", "--db", str(sample_copy))
    data = json.loads(empty.stdout)
    assert data["totals"]["registered"] == 0
    assert data["indicators"]["direct_answer_rate"] is None


def test_the_call_indicators_equal_a_count_of_the_call_events(sample_copy):
    done = hotline("report", "monthly", "--month", "2026-10", "--json", "--db", str(sample_copy))
    report = json.loads(done.stdout)
    conn = sqlite3.connect(f"file:{sample_copy}?mode=ro", uri=True)
    answers, abandons = {}, {}
    for call, kind, payload in conn.execute(
        "SELECT subject_id, type, payload FROM events"
        " WHERE type IN ('call.answered', 'call.abandoned')"
    ):
        p = json.loads(payload)
        if not p["offered_at"].startswith("2026-10"):
            continue
        waited = (
            datetime.fromisoformat(p.get("answered_at") or p["abandoned_at"])
            - datetime.fromisoformat(p["offered_at"])
        ).total_seconds()
        (answers if kind == "call.answered" else abandons)[call] = waited
    conn.close()
    offered = len(answers) + len(abandons)
    within = sum(1 for w in answers.values() if w <= 15)
    assert offered > 1000
    assert report["calls"] == {
        "offered": offered,
        "answered": len(answers),
        "answered_within_15s": within,
        "abandoned": len(abandons),
    }
    assert report["indicators"]["answer_rate"] == round(len(answers) / offered, 4)
    assert report["indicators"]["answered_within_15s_rate"] == round(within / offered, 4)
    assert sum(h["offered"] for h in report["calls_by_hour"]) == offered
    text = hotline("report", "monthly", "--month", "2026-10", "--db", str(sample_copy)).stdout
    assert f"来电 {offered} 个：接通 {len(answers)} 个" in text and "15秒接通率" in text
