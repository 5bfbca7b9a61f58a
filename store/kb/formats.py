"""Reading and writing knowledge-base files: JSON Lines (gzip too), CSV and XLSX.

Readers yield ``(row_number, row_or_problem)``: a row that cannot even be read (bad JSON,
not an object) comes out as a message, so the importer reports it and reads on.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "csv", "xlsx")

Row = dict[str, Any]


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (unknown format, not a spreadsheet …)."""


def format_of(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    for suffix, fmt in ((".jsonl", "jsonl"), (".json", "jsonl"), (".ndjson", "jsonl")):
        if name.endswith(suffix):
            return fmt
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise UnreadableFile(f"不认识的文件格式：{path.name}（支持 .jsonl .jsonl.gz .csv .xlsx）")


def read_rows(path: Path) -> Iterator[tuple[int, Row | str]]:
    """Rows of the file, numbered from 1 as a person counts them (the header is not a row)."""
    fmt = format_of(path)
    if fmt == "xlsx":
        yield from _read_xlsx(path)
        return
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        yield from (_read_jsonl(handle) if fmt == "jsonl" else _read_csv(handle))


def _read_jsonl(lines: Iterable[str]) -> Iterator[tuple[int, Row | str]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            yield number, f"不是合法的 JSON：{error.msg}（第 {error.colno} 列）"
            continue
        yield number, value if isinstance(value, dict) else "这一行不是 JSON 对象"


def _read_csv(handle: io.TextIOBase) -> Iterator[tuple[int, Row | str]]:
    reader = csv.DictReader(handle)
    for number, row in enumerate(reader, start=1):
        if None in row:  # more cells than the header has names
            yield number, f"这一行比表头多出 {len(row[None])} 格"
            continue
        yield number, {k: v for k, v in row.items() if k}


def _read_xlsx(path: Path) -> Iterator[tuple[int, Row | str]]:
    from openpyxl import load_workbook  # only imports read spreadsheets

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise UnreadableFile(f"无法读取 Excel 文件：{error}") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        for number, values in enumerate(rows, start=1):
            if all(v in (None, "") for v in values):
                continue
            yield number, {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return "" if value is None else value


def write_rows(path: Path, fields: tuple[str, ...], rows: Iterable[Row]) -> int:
    """Write ``rows`` in the format the file name says; return how many were written."""
    fmt = format_of(path)
    count = 0
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("知识库")
        sheet.append(list(fields))
        for row in rows:
            sheet.append([_flat(row[f]) for f in fields])
            count += 1
        book.save(path)
        return count
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        if fmt == "csv":
            writer = csv.writer(handle)
            writer.writerow(fields)
        for row in rows:
            if fmt == "csv":
                writer.writerow([_flat(row[f]) for f in fields])
            else:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def _flat(value: Any) -> Any:
    """A cell's value: lists one item a line, objects as JSON, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
