"""Importing and exporting the knowledge base: every format, bad rows reported, idempotent."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from store import Actor, Store
from store.core.rebuild import check
from store.directory.defaults import install_defaults
from store.kb import importer
from store.kb.entries import stored_fields

GOOD = {
    "id": "T-1",
    "title": "电动车楼道充电投诉",
    "answer": "禁止在楼梯间为电动自行车充电，派单属地街道。",
    "region": "江澄市",
}


def write_jsonl(path: Path, lines: list[str]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


# The test city's Q&A entries (scripts/data/kb-jiangcheng.jsonl, one a line).
CITY_ENTRIES = sum(
    1
    for line in (Path(__file__).parents[2] / "scripts/data/kb-jiangcheng.jsonl").open()
    if line.strip()
)


def entry_count(store) -> int:
    return store.conn.execute("SELECT count(*) FROM kb_entries").fetchone()[0]


def test_corpus_rows_import_as_they_are(store, tmp_path):
    """The shared corpus' shape: id kept, body → answer, the other fields as metadata."""
    row = {
        "id": "LAW-00001",
        "title": "上海市住宅物业管理规定 第一条",
        "instrument": "上海市住宅物业管理规定",
        "article": "第一条",
        "chapter": "第一章  总则",
        "region": "上海",
        "kind": "地方性法规",
        "body": "为了规范住宅物业管理活动，制定本规定。",
        "hotline_topic": True,
    }
    path = write_jsonl(tmp_path / "laws.jsonl.gz", [json.dumps(row, ensure_ascii=False)])
    report = importer.import_file(store, Actor.system(), path)
    assert (report.added, report.rejected) == (1, [])
    fields = stored_fields(store.conn, "LAW-00001")
    assert fields["answer"] == row["body"] and fields["region"] == "上海"
    assert fields["status"] == "published"
    assert fields["metadata"] == {
        "instrument": "上海市住宅物业管理规定",
        "article": "第一条",
        "chapter": "第一章  总则",
        "kind": "地方性法规",
        "hotline_topic": True,
    }


def test_bad_rows_are_reported_and_the_rest_imported(store, tmp_path):
    lines = [
        json.dumps(GOOD, ensure_ascii=False),
        "{not json",
        "[1, 2]",
        json.dumps({"id": "T-2", "title": "", "answer": "x"}),
        json.dumps({"id": "bad id!", "title": "t", "answer": "a"}),
        json.dumps({"id": "T-3", "title": "t", "answer": "a", "expires_on": "明年"}),
        json.dumps({"id": "T-4", "title": "t", "answer": "请联系 13812345678 王先生"}),
        json.dumps({"id": "T-5", "title": "t", "answer": "a" * 20_001}),
        json.dumps({"id": "T-6", "title": "t", "answer": "a", "topic_code": "9999"}),
        json.dumps({"id": "T-7", "title": "t", "answer": "a", "status": "maybe"}),
        json.dumps({"id": "T-8", "title": "末行正常", "answer": "正常答案"}),
    ]
    report = importer.import_file(store, Actor.system(), write_jsonl(tmp_path / "m.jsonl", lines))
    assert report.added == 2
    reasons = {number: reason for number, _, reason in report.rejected}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert "JSON" in reasons[2] and "对象" in reasons[3]
    assert "标题" in reasons[4] and "条目编号" in reasons[5] and "失效日期" in reasons[6]
    assert "电话号码" in reasons[7] and "过长" in reasons[8] and "分类" in reasons[9]
    assert "状态" in reasons[10]
    assert stored_fields(store.conn, "T-8")["title"] == "末行正常"


def test_import_is_idempotent_on_the_id(store, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [json.dumps(GOOD, ensure_ascii=False)])
    importer.import_file(store, Actor.system(), path)
    events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    again = importer.import_file(store, Actor.system(), path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == events
    changed = dict(GOOD, answer="新的答案")
    path2 = write_jsonl(tmp_path / "b.jsonl", [json.dumps(changed, ensure_ascii=False)])
    third = importer.import_file(store, Actor.system(), path2)
    assert third.updated == 1 and stored_fields(store.conn, "T-1")["answer"] == "新的答案"
    assert check(store.conn) == []


def test_csv_with_mapping_and_a_short_row(store, tmp_path):
    path = tmp_path / "units.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "名称", "内容", "来源"])
        w.writerow(["C-1", "路灯不亮找谁", "城市道路路灯由市城管局路灯所维护。", "城管局"])
        w.writerow(["C-2", "多一格", "答案", "来源", "多出来的"])
        w.writerow(["C-3", "", "没有标题", "x"])
    mapping = importer.parse_mapping("title=名称,answer=内容")
    report = importer.import_file(store, Actor.system(), path, mapping)
    assert report.added == 1
    assert [r[0] for r in report.rejected] == [2, 3]
    fields = stored_fields(store.conn, "C-1")
    assert fields["title"] == "路灯不亮找谁" and fields["metadata"] == {"来源": "城管局"}


def test_mapping_errors_are_explained():
    with pytest.raises(Exception, match="字段对应写法不对"):
        importer.parse_mapping("titel=名称")


def test_xlsx_round_trip_through_export(store, tmp_path):
    out = tmp_path / "kb.xlsx"
    count = importer.export_file(store, out)
    assert count == entry_count(store) == CITY_ENTRIES
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    assert header[:4] == ("id", "title", "questions", "answer")
    # Re-importing what was exported changes nothing.
    report = importer.import_file(store, Actor.system(), out)
    assert (report.unchanged, report.added, report.updated, report.rejected) == (
        CITY_ENTRIES,
        0,
        0,
        [],
    )


def test_xlsx_from_a_person_with_dates_numbers_and_blank_rows(store, tmp_path):
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "标题", "答案", "失效日期", "状态"])
    sheet.append([1001, "燃气费缴纳", "可在江澄燃气App缴费。", datetime(2027, 1, 31), "已发布"])
    sheet.append([None, None, None, None, None])
    sheet.append(["X-2", "缺答案", None, None, None])
    path = tmp_path / "people.xlsx"
    book.save(path)
    report = importer.import_file(store, Actor.system(), path)
    assert report.added == 1 and [r[0] for r in report.rejected] == [3]
    fields = stored_fields(store.conn, "1001")
    assert fields["expires_on"] == "2027-01-31" and fields["status"] == "published"


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".csv", ".xlsx"])
def test_export_then_import_into_a_new_seat_gives_the_same_entries(store, tmp_path, suffix):
    out = tmp_path / f"kb{suffix}"
    importer.export_file(store, out)
    with Store.open(tmp_path / "new.db") as seat:
        install_defaults(seat, Actor.system())
        report = importer.import_file(seat, Actor.system(), out)
        assert (report.added, report.rejected) == (CITY_ENTRIES, [])
        ids = [r[0] for r in store.conn.execute("SELECT id FROM kb_entries")]
        for entry_id in ids:
            assert stored_fields(seat.conn, entry_id) == stored_fields(store.conn, entry_id)


def test_unknown_format_and_missing_file_via_the_cli(tmp_path, db_path):
    from support.cli import hotline

    (tmp_path / "kb.txt").write_text("x")
    result = hotline("kb", "import", str(tmp_path / "kb.txt"), "--db", str(db_path))
    assert result.returncode == 2 and "不认识的文件格式" in result.stderr
    result = hotline("kb", "import", str(tmp_path / "none.jsonl"), "--db", str(db_path))
    assert result.returncode == 2 and "文件不存在" in result.stderr
