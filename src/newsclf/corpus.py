"""Checks and statistics for a labelled topic corpus (the project's own ``data/topics``).

python -m newsclf.corpus [data/topics]     # prints the statistics, exits 1 on a problem
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import Counter
from pathlib import Path

from .labels import TOPIC_IDS

__all__ = ["corpus_stats", "format_stats", "load_corpus", "near_duplicates", "validate"]

REQUIRED_FIELDS = ("id", "title", "text", "labels", "split")


def load_corpus(path: str | Path) -> list[dict]:
    """Every record of every ``*.jsonl`` under ``path`` (or of the file ``path``)."""
    path = Path(path)
    files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    records = []
    for f in files:
        with f.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    record = json.loads(line)
                    record["_where"] = f"{f.name}:{number}"
                    records.append(record)
    return records


def validate(records: list[dict]) -> list[str]:
    """Problems with individual records: missing fields, unknown labels, duplicate ids."""
    problems = []
    seen: dict[str, str] = {}
    for r in records:
        where = r.get("_where", r.get("id"))
        missing = [f for f in REQUIRED_FIELDS if f not in r]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        labels = r["labels"]
        if (
            not isinstance(labels, list)
            or not 1 <= len(labels) <= 3
            or len(set(labels)) != len(labels)
        ):
            problems.append(f"{where}: labels must be 1-3 distinct ids, got {labels!r}")
        elif any(label not in TOPIC_IDS for label in labels):
            problems.append(f"{where}: unknown label in {labels!r}")
        if r["split"] not in ("train", "dev"):
            problems.append(f"{where}: split must be train or dev, got {r['split']!r}")
        if not str(r["text"]).strip() or not str(r["title"]).strip():
            problems.append(f"{where}: empty title or text")
        if r["id"] in seen:
            problems.append(f"{where}: id {r['id']!r} also at {seen[r['id']]}")
        seen[r["id"]] = where
    return problems


def near_duplicates(
    texts: list[str], threshold: float = 0.5, n: int = 5
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, jaccard)`` of texts whose character n-gram sets overlap above a threshold."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    from .normalize import normalize

    grams = CountVectorizer(analyzer="char", ngram_range=(n, n), binary=True, lowercase=False)
    x = grams.fit_transform([normalize(t) for t in texts]).astype(np.float32)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    inter = (x @ x.T).tocoo()
    pairs = []
    for i, j, shared in zip(inter.row, inter.col, inter.data):
        if i < j:
            jaccard = shared / (sizes[i] + sizes[j] - shared)
            if jaccard > threshold:
                pairs.append((int(i), int(j), float(jaccard)))
    return sorted(pairs, key=lambda p: -p[2])


def corpus_stats(records: list[dict]) -> dict:
    lengths = [len(r["text"].split()) for r in records]
    labelled = Counter(label for r in records for label in r["labels"])
    primary = Counter(r["labels"][0] for r in records)
    return {
        "articles": len(records),
        "dev": sum(r["split"] == "dev" for r in records),
        "multi_label_share": round(sum(len(r["labels"]) > 1 for r in records) / len(records), 3),
        "words": {
            "min": min(lengths),
            "median": statistics.median(lengths),
            "max": max(lengths),
            "total": sum(lengths),
        },
        "labels": {
            label: {"all": labelled[label], "primary": primary[label]} for label in TOPIC_IDS
        },
    }


def format_stats(stats: dict) -> str:
    words = stats["words"]
    lines = [
        f"{stats['articles']} articles ({stats['dev']} dev), "
        f"{stats['multi_label_share']:.0%} with two or more topics",
        f"words per article: min {words['min']}, median {words['median']:g}, max {words['max']}, "
        f"total {words['total']:,}",
        "",
        "| topic | articles | as primary |",
        "|---|---:|---:|",
    ]
    lines += [f"| {label} | {c['all']} | {c['primary']} |" for label, c in stats["labels"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    records = load_corpus(argv[0] if argv else "data/topics")
    problems = validate(records)
    for i, j, jac in near_duplicates([r["text"] for r in records]):
        problems.append(f"near-duplicates {records[i]['id']} ~ {records[j]['id']} ({jac:.2f})")
    print(format_stats(corpus_stats(records)))
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
