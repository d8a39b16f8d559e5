"""The project's own stance corpus in data/stance: well-formed, balanced, no copies across texts."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import ROOT, jsonl_records

from newsclf.corpus import near_duplicates
from newsclf.labels import STANCE_IDS

MIN_PAIRS = 1000


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    return jsonl_records(ROOT / "data" / "stance")


def test_records_are_well_formed(pairs):
    ids = [r["id"] for r in pairs]
    assert len(set(ids)) == len(ids)
    for r in pairs:
        assert r["label"] in STANCE_IDS and r["split"] in {"train", "dev"}
        assert r["style"] in {"article", "headline"}
        assert r["text"].strip() and r["target"].strip() and r["text"] != r["target"]


def test_size_balance_and_split(pairs):
    assert len(pairs) >= MIN_PAIRS
    labels = Counter(r["label"] for r in pairs)
    assert min(labels[label] for label in STANCE_IDS) / len(pairs) >= 0.15
    assert 0.10 <= sum(r["split"] == "dev" for r in pairs) / len(pairs) <= 0.20
    for split in ("train", "dev"):
        assert {r["label"] for r in pairs if r["split"] == split} == set(STANCE_IDS)


def test_each_text_has_one_split(pairs):
    splits: dict[str, set] = {}
    for r in pairs:
        splits.setdefault(r["article_id"], set()).add(r["split"])
    assert all(len(s) == 1 for s in splits.values())


def test_no_near_copies_across_texts(pairs):
    """No two texts, and no two targets of different texts, are near copies of each other."""
    texts = {r["article_id"]: r["text"] for r in pairs}
    ids = list(texts)
    copies = near_duplicates([texts[i] for i in ids], threshold=0.5)
    assert [(ids[i], ids[j]) for i, j, _ in copies] == []
    targets = [(r["article_id"], r["target"]) for r in pairs]
    copies = near_duplicates([t for _, t in targets], threshold=0.8)
    assert [(targets[i], targets[j]) for i, j, _ in copies if targets[i][0] != targets[j][0]] == []
