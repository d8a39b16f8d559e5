"""The project's own topic corpus in data/topics: well-formed, balanced, no near copies."""

from __future__ import annotations

import pytest
from conftest import ROOT

from newsclf.corpus import corpus_stats, load_corpus, near_duplicates, validate
from newsclf.labels import TOPIC_IDS

MIN_ARTICLES = 1500
MIN_PER_LABEL = 120
MIN_PRIMARY = 70


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "data" / "topics")


def test_records_are_well_formed(corpus):
    assert validate(corpus) == []


def test_size_balance_and_split(corpus):
    stats = corpus_stats(corpus)
    assert stats["articles"] >= MIN_ARTICLES
    short = {
        label: c
        for label, c in stats["labels"].items()
        if c["all"] < MIN_PER_LABEL or c["primary"] < MIN_PRIMARY
    }
    assert short == {}, f"labels under their minimum: {short}"
    assert 0.2 <= stats["multi_label_share"] <= 0.5
    assert 0.10 <= stats["dev"] / stats["articles"] <= 0.20
    assert 40 <= stats["words"]["min"] and stats["words"]["max"] <= 520
    assert 150 <= stats["words"]["median"] <= 250


def test_every_label_has_dev_articles(corpus):
    dev_primary = {r["labels"][0] for r in corpus if r["split"] == "dev"}
    assert dev_primary == set(TOPIC_IDS)


def test_no_near_duplicates(corpus):
    pairs = near_duplicates([r["text"] for r in corpus], threshold=0.5)
    assert [(corpus[i]["id"], corpus[j]["id"], round(s, 2)) for i, j, s in pairs] == []


def test_near_duplicate_check_catches_a_copy():
    text = (
        "أعلنت وزارة الصحة المغربية عن حملة تلقيح واسعة ضد الحصبة تستهدف الأطفال في المناطق "
        "الجبلية النائية خلال الأسابيع المقبلة بالتعاون مع منظمة الصحة العالمية."
    )
    other = "فاز المنتخب الجزائري على نظيره الكاميروني في مباراة ودية أقيمت في العاصمة."
    pairs = near_duplicates([text, other, text.replace("المغربية", "التونسية")])
    assert [(i, j) for i, j, _ in pairs] == [(0, 2)]


def test_validate_reports_malformed_records():
    bad = [
        {"id": "a", "title": "t", "text": "x", "labels": ["weather"], "split": "train"},
        {"id": "a", "title": "t", "text": "x", "labels": ["sports"], "split": "test"},
        {"id": "c", "text": "x"},
    ]
    problems = validate(bad)
    assert len(problems) == 4
