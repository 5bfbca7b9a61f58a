"""Knowledge-base search as an agent uses it: Chinese words, synonyms, pinyin, typos."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from store import Actor, Store
from store.directory.defaults import install_defaults
from store.kb import entries, importer, synonyms, typos
from store.kb.evaluation import evaluate, load_queries
from store.kb.search import Scope, search

ROOT = Path(__file__).resolve().parents[2]
LAWS = ROOT / "scripts/data/kb-laws-hotline.jsonl.gz"
QUERIES = ROOT / "tests/data/kb_queries.json"
TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def laws(tmp_path_factory) -> Store:
    """9,216 real articles (the hotline-topic instruments of 全国, 上海, 浙江, 山东)."""
    store = Store.open(tmp_path_factory.mktemp("kb") / "laws.db", durable=False)
    install_defaults(store, Actor.system())
    synonyms.install_starter(store, Actor.system())
    report = importer.import_file(store, Actor.system(), LAWS)
    assert report.added == 9216 and not report.rejected
    typos.warm(store.conn)
    yield store
    store.close()


def titles(store: Store, query: str, limit: int = 5, **scope) -> list[str]:
    results = search(store.conn, query, Scope(today=TODAY, **scope), limit=limit)
    return [h.title for h in results.hits]


def test_query_set_recall_at_5(laws):
    """The benchmark's 80 queries: a relevant article in the first five for ≥ 90 %."""
    queries = load_queries(QUERIES)
    assert len(queries) >= 60
    result = evaluate(laws.conn, queries, Scope(today=TODAY))
    missed = [(o.query.text, o.titles[:2]) for o in result.misses()]
    assert result.recall >= 0.9, missed
    for kind, (found, asked) in result.by_kind().items():
        assert found / asked >= 0.8, (kind, missed)


def test_two_character_words_and_words_typed_together(laws):
    assert all("噪声" in t for t in titles(laws, "噪声")[:3])
    together = search(laws.conn, "夜间施工噪声", Scope(today=TODAY), limit=5)
    spaced = search(laws.conn, "夜间 施工 噪声", Scope(today=TODAY), limit=5)
    assert together.hits and spaced.hits
    for hit in together.hits:
        text = laws.conn.execute(
            "SELECT title || answer FROM kb_entries WHERE id = ?", (hit.id,)
        ).fetchone()[0]
        assert "夜间" in text and "噪声" in text and "施工" in text


def test_synonyms_come_from_the_editable_table(laws):
    assert any("社会保险" in t for t in titles(laws, "社保"))
    synonyms.remove_synonym(laws, Actor.system(), "社保")
    assert not any("社会保险" in t for t in titles(laws, "社保"))
    synonyms.set_synonym(laws, Actor.system(), "社保", "社会保险")
    assert any("社会保险" in t for t in titles(laws, "社保"))


def test_pinyin_and_initials_find_titles(laws):
    assert all("养犬" in t for t in titles(laws, "yangquan"))
    assert all("物业管理" in t for t in titles(laws, "wygl"))
    assert all("物业管理" in t for t in titles(laws, "WU YE GUAN LI"))


def test_typos_are_corrected_and_said_so(laws):
    results = search(laws.conn, "燥声", Scope(today=TODAY), limit=5)
    assert results.corrected == "噪声" and all("噪声" in h.title for h in results.hits)
    assert search(laws.conn, "噪声", Scope(today=TODAY)).corrected is None


@pytest.mark.parametrize(
    "query",
    [
        '"噪声',
        "噪声 AND",
        "NEAR(噪声",
        "*",
        "噪声*",
        "(((",
        '""',
        "OR OR",
        "{title}:噪声",
        "-",
        "^",
    ],
)
def test_anything_typed_is_a_query_not_a_syntax_error(laws, query):
    results = search(laws.conn, query, Scope(today=TODAY))
    assert isinstance(results.hits, list)
    if "噪声" in query:
        assert results.hits


def test_titles_weigh_more_than_bodies(laws):
    top = titles(laws, "供水", limit=10)
    assert all("供水" in t for t in top)


def test_region_and_topic_filters_and_the_json_shape(laws):
    only = titles(laws, "物业", limit=10, region="上海")
    assert only and all(t.startswith(("上海", "物业管理条例")) for t in only)
    data = search(laws.conn, "物业", Scope(today=TODAY), limit=3).as_json()
    assert set(data) >= {"query", "elapsed_ms", "results"}
    assert set(data["results"][0]) == {"id", "title", "snippet", "score"}
    json.dumps(data, ensure_ascii=False)


def test_agents_see_only_published_entries_in_force(store):
    actor = Actor.system()
    base = {"title": "测试燃气缴费", "answer": "燃气费在App缴纳。"}
    entries.save_entry(store, actor, {**base, "id": "E-DRAFT", "status": "draft"})
    entries.save_entry(
        store, actor, {**base, "id": "E-OLD", "status": "published", "expires_on": "2026-03-01"}
    )
    entries.save_entry(
        store, actor, {**base, "id": "E-NEW", "status": "published", "effective_from": "2026-04-01"}
    )
    entries.save_entry(store, actor, {**base, "id": "E-NOW", "status": "published"})
    seen = [h.id for h in search(store.conn, "燃气缴费", Scope(today=TODAY)).hits]
    assert "E-NOW" in seen and not {"E-DRAFT", "E-OLD", "E-NEW"} & set(seen)
    everything = search(store.conn, "燃气缴费", Scope(today=TODAY, everything=True)).hits
    assert {"E-DRAFT", "E-OLD", "E-NEW", "E-NOW"} <= {h.id for h in everything}


def test_cli_search_json(db_path):
    from support.cli import hotline

    result = hotline("kb", "search", "暖气不热", "--json", "--limit", "3", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "暖气不热" and data["elapsed_ms"] >= 0
    assert data["results"][0]["id"] == "KB-QA-0005"
    assert "供热" in data["results"][0]["snippet"] or "暖气" in data["results"][0]["title"]


@pytest.mark.parametrize(
    "query, first",
    [
        ("噪声", "夜间施工噪声扰民怎么办"),
        ("公积金", "住房公积金怎么提取"),
        ("gongjijin", "住房公积金怎么提取"),
        ("老板不发工资", "单位拖欠工资怎么办"),
        ("医保", "医保异地就医备案怎么办理"),  # the examples of issue 18
        ("医保异地就医", "医保异地就医备案怎么办理"),
        ("房产证", "不动产权证书（房产证）怎么办理"),
        ("退休金", "基本养老金（退休金）怎么领取和查询"),
    ],
)
def test_the_citys_own_answer_comes_before_the_law_articles(query, first):
    """On the sample (its 32 Q&A entries beside 771 law articles), as the intake panel asks."""
    from store.services import kb

    with Store.open_readonly(ROOT / "hotline.db.sample") as store:
        hits = kb.lookup(store, query).results.hits
        assert hits[0].title == first
        laws = [h for h in hits if h.id.startswith("LAW-")]
        assert laws, "the law articles stay reachable below the city's answers"
        # A city answer found only at the loosest tier (a word in passing, as 工资 in
        # 退休工资) may follow the articles; one the city's pass finds never does.
        in_pass = search(store.conn, query, Scope(today=store.now().date(), city="江澄市"), 3)
        assert [h.id for h in hits[: len(in_pass.hits)]][:1] == [in_pass.hits[0].id]
        scope_without_city = Scope(today=store.now().date())
        assert search(store.conn, query, scope_without_city).hits  # the plain search still works


def test_pinyin_words_are_split_into_syllables():
    from store.kb.pinyin_words import split

    assert split("gongjijin") == ["gong", "ji", "jin"]
    assert split("xian") == ["xian"]  # the longer syllable first
    assert split("lvshi") == ["lu", "shi"]  # v for ü, as input methods take it
    assert split("wifi") is None and split("abc") is None


@pytest.mark.parametrize(
    "typed, read, first",
    [
        ("gongjijin tiqu", "公积金 提取", "住房公积金怎么提取"),
        ("shiyejin", "失业金", "失业保险金怎么申领"),  # not 事业进, common in the articles
        ("shebao bujiao", "社保 补缴", "社保断缴了怎么补缴"),  # not 不缴
        ("dibao shenqing", "低保 申请", "最低生活保障怎么申请"),
    ],
)
def test_pinyin_for_any_words_reads_as_the_likely_chinese(typed, read, first):
    """An agent who did not switch the input method (on the sample)."""
    from store.services import kb

    with Store.open_readonly(ROOT / "hotline.db.sample") as store:
        results = kb.lookup(store, typed).results
        assert results.corrected == read
        assert results.hits[0].title == first


def test_latin_letters_that_are_not_pinyin_find_nothing_quietly(laws):
    assert titles(laws, "wifi xyz") == []


def test_the_readings_file_matches_pypinyin():
    """store/kb/readings.txt is made by scripts/make_readings.py; a new pypinyin would show."""
    of_char, by_reading = typos.readings()
    expected_of_char, expected_by_reading = typos.readings_from_pypinyin()
    assert by_reading == expected_by_reading
    assert {c: set(r) for c, r in of_char.items()} == {
        c: set(r) for c, r in expected_of_char.items()
    }


@pytest.mark.parametrize(
    "query, first",
    [
        ("摆摊", "占道经营、流动摊贩怎么投诉"),
        ("孩子上学", "义务教育入学报名（小学、初中）"),
        ("门口有人摆摊", "占道经营、流动摊贩怎么投诉"),
        ("房本", "不动产权证书（房产证）怎么办理"),
        ("外地看病", "医保异地就医备案怎么办理"),
    ],
)
def test_callers_words_find_the_citys_answer(query, first):
    """Everyday words (the vocabulary, store/kb/everyday.txt) reach the city's answer."""
    from store.services import kb

    with Store.open_readonly(ROOT / "hotline.db.sample") as store:
        assert kb.lookup(store, query).results.hits[0].title == first
