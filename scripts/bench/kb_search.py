#!/usr/bin/env python3
"""Knowledge-base search: import the corpus, run the query set, print time and recall@5.

    python scripts/bench/kb_search.py [--corpus ../shared/data/kb-laws.jsonl.gz]
                                      [--db /tmp/kb-bench.db] [--rounds 5]

The database is built once (import time printed) and reused on later runs, with the city's
own answers (``scripts/data/kb-jiangcheng.jsonl``) beside the articles. The query set is
timed as agents search (the city's answers first) and over the articles alone; each query
``--rounds`` times after one warm-up round (the console warms the homophone tables
on a thread of its own after login, so the first typo query does not count load time).
Prints one JSON line per figure and the queries that missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.core.roles import Actor  # noqa: E402
from store.core.seat import Store  # noqa: E402
from store.directory.defaults import install_defaults  # noqa: E402
from store.kb import importer, synonyms, typos  # noqa: E402
from store.kb.evaluation import evaluate, load_queries  # noqa: E402
from store.kb.search import Scope  # noqa: E402

CITY_ANSWERS = ROOT / "scripts" / "data" / "kb-jiangcheng.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/data/kb-laws.jsonl.gz")
    parser.add_argument("--db", type=Path, default=Path("/tmp/hotline-kb-bench.db"))
    parser.add_argument(
        "--queries",
        type=Path,
        nargs="+",
        default=[
            ROOT / "tests/data/kb_queries.json",
            ROOT / "tests/data/kb_queries_heldout.json",
            ROOT / "tests/data/kb_queries_everyday.json",
        ],
        help="query sets (each timed and scored on its own)",
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    if not args.db.exists():
        store = Store.open(args.db)
        install_defaults(store, Actor.system())
        synonyms.install_starter(store, Actor.system())
        started = time.perf_counter()
        report = importer.import_file(store, Actor.system(), args.corpus)
        figure("import_s", round(time.perf_counter() - started, 1), report=report.summary())
        store.close()
    store = Store.open(args.db)
    # The city's own answers beside the articles, as a seat holds them (idempotent).
    importer.import_file(store, Actor.system(), CITY_ANSWERS)
    synonyms.install_starter(store, Actor.system())  # the vocabulary as it stands (idempotent)
    vocabulary_coverage(store, args.corpus)
    entries = store.conn.execute("SELECT count(*) FROM kb_entries").fetchone()[0]
    figure("entries", entries, db_mb=round(args.db.stat().st_size / 1e6, 1))

    started = time.perf_counter()
    typos.warm(store.conn)
    figure("homophone_tables_ms", round((time.perf_counter() - started) * 1000, 1))
    cold(args.db)
    for path in args.queries:
        queries = load_queries(path)
        for label, scope in (
            ("search_ms_articles_alone", Scope(today=date.today())),
            ("search_ms", Scope(today=date.today(), city=store.config().city)),
        ):
            last = timed(store, queries, scope, f"{path.stem}:{label}", args.rounds)
        figure("recall_at_5", round(last.recall, 3), set=path.stem)
        for miss in last.misses():
            figure("miss", miss.query.text, kind=miss.query.kind, got=list(miss.titles[:3]))
    return 0


def vocabulary_coverage(store: Store, corpus: Path) -> None:
    """How many of the vocabulary's official terms the entries hold (each should)."""
    official = sorted({c for _, c in synonyms.STARTER})
    found = [
        term
        for term in official
        if store.conn.execute(
            "SELECT 1 FROM kb_entries WHERE instr(title || answer, ?) LIMIT 1", (term,)
        ).fetchone()
    ]
    missing = sorted(set(official) - set(found))
    figure("vocabulary_official_found", len(found), of=len(official), missing=missing[:20])


def timed(store: Store, queries, scope: Scope, label: str, rounds_wanted: int):
    """Time the query set ``rounds_wanted`` times after a warm-up; the last round."""
    evaluate(store.conn, queries, scope)  # warm-up: page cache, statement cache
    rounds = [evaluate(store.conn, queries, scope) for _ in range(rounds_wanted)]
    times = sorted(o.elapsed_ms for r in rounds for o in r.outcomes)
    pct = statistics.quantiles(times, n=100, method="inclusive")
    last = rounds[-1]
    figure(
        label,
        None,
        queries=len(queries),
        runs=len(times),
        p50=round(pct[49], 2),
        p95=round(pct[94], 2),
        max=round(times[-1], 2),
    )
    for kind, (found, asked) in last.by_kind().items():
        kind_times = sorted(
            o.elapsed_ms for r in rounds for o in r.outcomes if o.query.kind == kind
        )
        figure(
            f"kind_{kind}",
            None,
            found=found,
            asked=asked,
            p95=round(statistics.quantiles(kind_times, n=20, method="inclusive")[18], 2),
        )
    return last


# One query in a fresh process, timed inside the search: what the first search after a
# start costs (a common word, a homophone typo, pinyin for words).
COLD = """
import json, sys
from datetime import date
from store.core.seat import Store
from store.kb.search import Scope, search
with Store.open_readonly(sys.argv[1]) as store:
    scope = Scope(today=date.today(), city=store.config().city)
    print(json.dumps(search(store.conn, sys.argv[2], scope).elapsed_ms))
"""
COLD_QUERIES = ("噪声", "燥声扰民", "公基金提取", "gongjijin tiqu", "老板不发工资")


def cold(db: Path, runs: int = 3) -> None:
    """Each cold query in ``runs`` fresh processes; p95 and max of the times."""
    times = []
    for query in COLD_QUERIES:
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-c", COLD, str(db), query],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            times.append(json.loads(done.stdout))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    figure("cold_search_ms", None, runs=len(times), p95=round(p95, 1), max=round(times[-1], 1))


def figure(name: str, value, **extra) -> None:
    print(json.dumps({"figure": name, "value": value, **extra}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.exit(main())
