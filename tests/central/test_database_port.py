"""The central database's port runs one statement text on both backends alike: a question
mark or a percent sign that is text, not a placeholder, stays text on PostgreSQL too."""

from __future__ import annotations

from central.db import open_database


def test_placeholders_and_literal_marks_mean_the_same_on_both_backends(database_url):
    db = open_database(database_url)
    try:
        with db.transaction(write=True) as tx:
            tx.execute(
                "INSERT INTO central_meta (key, value) VALUES (?, ?)", ("note?", "100% 满意？")
            )
            found = tx.execute(
                "SELECT key, value, 'why?' AS q, value LIKE '100%' AS pct FROM central_meta"
                " WHERE key = ? -- a comment with ? and %",
                ("note?",),
            )
            assert found == [{"key": "note?", "value": "100% 满意？", "q": "why?", "pct": 1}]
            assert tx.scalar("SELECT count(*) FROM central_meta WHERE key LIKE 'note%'") == 1
            assert tx.scalar("SELECT 'it''s ? here' || ?", ("!",)) == "it's ? here!"
    finally:
        db.close()
