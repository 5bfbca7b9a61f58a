"""A bulletin as JSON (for machines) and as an Excel workbook (what the centers pass around):
one sheet per table, a merged title row with the period, numbers as numbers, percentages
formatted, and a chart of the tickets per day."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from store.reports.bulletin import Bulletin, Row
from store.reports.calls import CallCounts
from store.reports.indicators import LABELS

_RATE_KEYS = {k for k in LABELS if k.endswith("_rate")}


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _rows(rows: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "name": r.name,
            "count": r.count,
            "share": _round(r.share),
            "previous": r.previous,
            "year_before": r.year_before,
            "change": _round(r.change),
            "change_year": _round(r.change_year),
        }
        for r in rows
    ]


def as_json(b: Bulletin) -> dict[str, Any]:
    """The bulletin's figures: rates as fractions 0–1, or null where nothing was due."""
    h = b.headline
    return {
        "period": {"from": b.period.first.isoformat(), "to": b.period.last.isoformat()},
        "as_of": b.now.isoformat(timespec="seconds"),
        "totals": {
            "registered": h.registered,
            "previous": h.previous,
            "year_before": h.year_before,
            "change": _round(h.change),
            "change_year": _round(h.change_year),
            "answered_directly": h.answered_directly,
            "dispatched": h.dispatched,
            "to_desk": h.to_desk,
            "transferred": h.transferred,
            "not_accepted": h.not_accepted,
            "merged": h.merged,
            "by_channel": {r.code: r.count for r in b.by_channel},
            "by_type": {r.code: r.count for r in b.by_type},
        },
        "indicators": h.indicators.as_json(),
        "calls": h.calls.as_json(),
        "by_channel": _rows(b.by_channel),
        "by_type": _rows(b.by_type),
        "by_topic": _rows(b.by_topic),
        "hot_topics": _rows(b.hot_topics),
        "units": [
            {
                "group": u.group,
                "unit_id": u.unit_id,
                "name": u.name,
                "total": u.total,
                "overdue_open": u.overdue_open,
                "on_time_rate": _round(u.on_time_rate),
                "satisfaction_rate": _round(u.satisfaction_rate),
            }
            for u in b.units
        ],
        "overdue_by_month": {
            "months": b.overdue.months,
            "units": [
                {"unit_id": u, "name": name, "by_month": by_month}
                for u, name, by_month in b.overdue.rows
            ],
        },
        "business": {"registered": b.business[0], "satisfaction_rate": _round(b.business[1])},
        "exchange_110": {
            "to_110": b.exchange.to_110,
            "from_110": b.exchange.from_110,
            "from_110_on_time_rate": _round(b.exchange.from_110_on_time_rate),
            "from_110_satisfaction_rate": _round(b.exchange.from_110_satisfaction_rate),
        },
        "cases": [_fields_of(c) for c in b.cases],
        "daily": [{"day": d, "registered": n} for d, n in b.daily],
        "calls_by_hour": [{"hour": hour, **_calls(c)} for hour, c in enumerate(b.calls_by_hour)],
        "calls_daily": [{"day": d, **_calls(c)} for d, c in b.calls_daily],
    }


def _calls(c: CallCounts) -> dict[str, Any]:
    return {
        **c.as_json(),
        "answer_rate": _round(c.answer_rate),
        "answered_within_15s_rate": _round(c.answered_within_15s_rate),
        "mean_wait_seconds": _round(c.mean_wait_seconds, 1),
    }


def _fields_of(case: Any) -> dict[str, Any]:
    """A slotted dataclass as a dict."""
    return {name: getattr(case, name) for name in case.__slots__}


def write_workbook(b: Bulletin, path: Path, city: str) -> None:
    """Write the bulletin to ``path`` (.xlsx), one sheet per table."""
    book = xlsxwriter.Workbook(str(path))
    try:
        _Sheets(book, b, city).write_all()
    finally:
        book.close()


class _Sheets:
    def __init__(self, book: xlsxwriter.Workbook, b: Bulletin, city: str):
        self.book, self.b = book, b
        self.title = f"{city}12345热线 {b.period.label}"
        self.bold = book.add_format({"bold": True})
        self.head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.title_format = book.add_format({"bold": True, "font_size": 14, "align": "center"})
        self.pct = book.add_format({"num_format": "0.00%"})
        self.num = book.add_format({"num_format": "0.00"})

    def sheet(self, name: str, headers: list[str]) -> Any:
        ws = self.book.add_worksheet(name)
        ws.merge_range(
            0, 0, 0, max(len(headers) - 1, 1), f"{self.title} · {name}", self.title_format
        )
        ws.write_row(2, 0, headers, self.head)
        ws.set_column(0, 0, 22)
        ws.set_column(1, len(headers), 14)
        return ws

    def cell(self, ws: Any, row: int, col: int, value: Any, kind: str = "") -> None:
        if value is None:
            ws.write_blank(row, col, None)
        elif kind == "pct":
            ws.write_number(row, col, value, self.pct)
        elif kind == "num":
            ws.write_number(row, col, value, self.num)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value)
        else:
            ws.write_string(row, col, str(value))

    def write_all(self) -> None:
        self.headline()
        for name, rows in (
            ("来源渠道", self.b.by_channel),
            ("诉求类型", self.b.by_type),
            ("诉求分类", self.b.by_topic),
            ("热点问题", self.b.hot_topics),
        ):
            self.breakdown(name, rows)
        self.units()
        self.overdue()
        self.exchange()
        self.cases()
        self.daily()
        self.calls()

    def headline(self) -> None:
        h = self.b.headline
        ws = self.sheet("概况", ["项目", "数值"])
        lines: list[tuple[str, Any, str]] = [
            ("受理总量", h.registered, ""),
            ("环比", h.change, "pct"),
            ("同比", h.change_year, "pct"),
            ("直接答复", h.answered_directly, ""),
            ("派单（交办）", h.dispatched, ""),
            ("转专席", h.to_desk, ""),
            ("转110/119/120/122", h.transferred, ""),
            ("不予受理", h.not_accepted, ""),
            ("并单", h.merged, ""),
            ("来电（已接通或放弃）", h.calls.offered, ""),
            ("接通", h.calls.answered, ""),
            ("放弃", h.calls.abandoned, ""),
        ]
        for key, value in h.indicators.as_json().items():
            lines.append((LABELS[key], value, "pct" if key in _RATE_KEYS else "num"))
        if self.b.empty:
            lines.insert(0, ("说明", "本期没有受理工单", ""))
        for i, (label, value, kind) in enumerate(lines, start=3):
            ws.write_string(i, 0, label)
            self.cell(ws, i, 1, value, kind)

    def breakdown(self, name: str, rows: list[Row]) -> None:
        ws = self.sheet(name, ["名称", "件数", "占比", "上期", "环比", "去年同期", "同比"])
        for i, r in enumerate(rows, start=3):
            ws.write_string(i, 0, r.name)
            self.cell(ws, i, 1, r.count)
            self.cell(ws, i, 2, r.share, "pct")
            self.cell(ws, i, 3, r.previous)
            self.cell(ws, i, 4, r.change, "pct")
            self.cell(ws, i, 5, r.year_before)
            self.cell(ws, i, 6, r.change_year, "pct")

    def units(self) -> None:
        headers = ["序号", "分组", "责任单位", "工单总量", "超期未办", "按期办结率", "回访满意率"]
        ws = self.sheet("单位排名", headers)
        ws.set_column(2, 2, 26)
        for i, u in enumerate(self.b.units, start=3):
            self.cell(ws, i, 0, i - 2)
            ws.write_string(i, 1, u.group)
            ws.write_string(i, 2, u.name)
            self.cell(ws, i, 3, u.total)
            self.cell(ws, i, 4, u.overdue_open)
            self.cell(ws, i, 5, u.on_time_rate, "pct")
            self.cell(ws, i, 6, u.satisfaction_rate, "pct")

    def overdue(self) -> None:
        months = self.b.overdue.months
        ws = self.sheet(
            "超期未办", ["责任单位", *[f"{m[:4]}年{int(m[5:])}月" for m in months], "合计"]
        )
        for i, (_unit, name, by_month) in enumerate(self.b.overdue.rows, start=3):
            ws.write_string(i, 0, name)
            for j, month in enumerate(months, start=1):
                self.cell(ws, i, j, by_month.get(month, 0))
            self.cell(ws, i, len(months) + 1, sum(by_month.values()))

    def exchange(self) -> None:
        ws = self.sheet("企业诉求与110", ["项目", "数值"])
        b, e = self.b, self.b.exchange
        lines = [
            ("企业诉求", b.business[0], ""),
            ("企业诉求满意率", b.business[1], "pct"),
            ("12345 转 110", e.to_110, ""),
            ("110 转 12345", e.from_110, ""),
            ("110 转入工单按期办结率", e.from_110_on_time_rate, "pct"),
            ("110 转入工单满意率", e.from_110_satisfaction_rate, "pct"),
        ]
        for i, (label, value, kind) in enumerate(lines, start=3):
            ws.write_string(i, 0, label)
            self.cell(ws, i, 1, value, kind)

    def cases(self) -> None:
        ws = self.sheet(
            "典型案例", ["工单号", "受理日期", "诉求分类", "诉求内容", "承办单位", "办理期限"]
        )
        ws.set_column(3, 3, 60)
        for i, c in enumerate(self.b.cases, start=3):
            # write_string, never write: a caller's words starting with = stay words, not a
            # formula the spreadsheet would run
            for j, value in enumerate((c.number, c.registered, c.topic, c.content, c.unit, c.due)):
                ws.write_string(i, j, value)

    def daily(self) -> None:
        ws = self.sheet("每日受理", ["日期", "受理件数"])
        for i, (day, n) in enumerate(self.b.daily, start=3):
            ws.write_string(i, 0, day)
            ws.write_number(i, 1, n)
        if len(self.b.daily) > 1:
            chart = self.book.add_chart({"type": "line"})
            last = len(self.b.daily) + 2
            chart.add_series(
                {
                    "name": "受理件数",
                    "categories": ["每日受理", 3, 0, last, 0],
                    "values": ["每日受理", 3, 1, last, 1],
                }
            )
            chart.set_title({"name": f"{self.b.period.label} 每日受理"})
            chart.set_legend({"none": True})
            ws.insert_chart(2, 3, chart, {"x_scale": 1.6, "y_scale": 1.2})

    def calls(self) -> None:
        headers = [
            "时段",
            "来电",
            "接通",
            "15秒内接通",
            "放弃",
            "接通率",
            "15秒接通率",
            "平均等待（秒）",
        ]
        ws = self.sheet("话务（按小时）", headers)
        rows = [(f"{h:02d}:00–{h:02d}:59", c) for h, c in enumerate(self.b.calls_by_hour)]
        rows.append(("合计", self.b.headline.calls))
        for i, (label, c) in enumerate(rows, start=3):
            ws.write_string(i, 0, label)
            for j, n in enumerate((c.offered, c.answered, c.answered_within_15s, c.abandoned), 1):
                ws.write_number(i, j, n)
            self.cell(ws, i, 5, c.answer_rate, "pct")
            self.cell(ws, i, 6, c.answered_within_15s_rate, "pct")
            self.cell(ws, i, 7, c.mean_wait_seconds, "num")
