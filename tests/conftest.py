"""Shared fixtures: a small topic model trained once per test session on the project's corpus."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_PAGE = SHARED / "seeds" / "000_20dfc535022ac0bc.txt"


def jsonl_records(folder: Path) -> list[dict]:
    """Every record of every JSONL file in ``folder``, files in name order."""
    records = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle if line.strip())
    return records


def corpus_records() -> list[dict]:
    return jsonl_records(ROOT / "data" / "topics")


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory) -> Path:
    """A sample of data/topics small enough to train on in a few seconds."""
    rng = random.Random(0)
    by_label: dict[str, list[dict]] = {}
    for record in corpus_records():
        by_label.setdefault(record["labels"][0], []).append(record)
    sample = []
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        sample += [dict(r, split="train") for r in group[:14]]
        sample += [dict(r, split="dev") for r in group[14:17]]
    path = tmp_path_factory.mktemp("corpus") / "small.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="session")
def models_dir(small_corpus, tmp_path_factory) -> Path:
    from newsclf.training import train_topic

    root = tmp_path_factory.mktemp("models")
    train_topic(small_corpus, root)
    return root


@pytest.fixture(scope="session")
def classifier(models_dir):
    import newsclf

    return newsclf.load(models_dir)


@pytest.fixture(scope="session")
def stance_models_dir(tmp_path_factory) -> Path:
    """A stance model trained on a sample of data/stance (a few hundred pairs)."""
    from newsclf.training import train_stance

    rows = []
    with (ROOT / "data" / "stance" / "pairs.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    sample = [r for r in rows if r["split"] == "train"][:240] + [
        r for r in rows if r["split"] == "dev"
    ][:40]
    path = tmp_path_factory.mktemp("stance-data") / "pairs.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample), encoding="utf-8"
    )
    root = tmp_path_factory.mktemp("stance-models")
    train_stance(path, root)
    return root


@pytest.fixture(scope="session")
def default_models_dir(tmp_path_factory) -> Path:
    """The default topic model, trained on all of data/topics as `python train.py` does."""
    from newsclf.training import train_topic

    root = tmp_path_factory.mktemp("default-models")
    train_topic(ROOT / "data" / "topics", root)
    return root
