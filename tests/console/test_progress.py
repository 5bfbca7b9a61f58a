"""Long commands show how far they are: a bar with the count on a terminal, plain lines in a
pipe or a log — on stderr, so what they print on stdout stays clean."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from support.cli import ROOT, hotline

from store import Store


def _events(db_path) -> int:
    with Store.open(db_path) as store:
        return store.conn.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_rebuild_in_a_pipe_says_its_count_in_plain_lines(db_path):
    total = _events(db_path)
    done = hotline("store", "rebuild", "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert f"重放事件 {total}/{total}（" in done.stderr and "个/秒" in done.stderr
    assert "重放事件" not in done.stdout and f"已从 {total} 个事件重建投影" in done.stdout
    checked = hotline("store", "rebuild", "--check", "--db", str(db_path))
    assert checked.returncode == 0 and f"重放事件 {total}/{total}" in checked.stderr


def test_a_rebuild_on_a_terminal_draws_a_bar(db_path):
    total = _events(db_path)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "console.cli", "store", "rebuild", "--db", str(db_path)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.wait(30) == 0
    screen = seen.decode("utf-8", errors="replace")
    assert "重放事件" in screen and "━" in screen and f"{total}/{total}" in screen
    assert f"已从 {total} 个事件重建投影" in screen


def test_a_knowledge_base_import_counts_its_entries(db_path, tmp_path):
    corpus = tmp_path / "entries.jsonl"
    corpus.write_text(
        "\n".join(
            f'{{"id": "T-{n}", "title": "测试条目{n}", "body": "正文{n}", "topic": "0101"}}'
            for n in range(30)
        ),
        encoding="utf-8",
    )
    done = hotline("kb", "import", str(corpus), "--db", str(db_path))
    assert "导入条目 30（" in done.stderr, done.stderr
