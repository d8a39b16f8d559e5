"""Quality of the default topic model on real news (161 hand-labelled articles).

    python bench/real_news.py [--models models] [--errors]

Trains nothing: it evaluates the model in --models (run `python train.py` first), which was
trained on data/ alone. --errors lists each wrong article's gold and predicted labels and the
n-grams behind the wrong predictions (ids only: the articles' text is not printed).
"""

from __future__ import annotations

import argparse

from _common import machine, read_jsonl, shared_path, write_result

import newsclf
from newsclf.evaluate import topic_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="models")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()

    records = read_jsonl(shared_path("topics/real-news-dev.jsonl"))
    clf = newsclf.load(args.models)
    texts = [f"{r.get('title') or ''}\n{r['text']}" for r in records]
    results = clf.classify_many(
        texts, ids=[str(r["id"]) for r in records], explain=4 if args.errors else 0
    )
    gold = [r["labels"] for r in records]
    report = topic_report(gold, [p.labels for p in results], clf.labels)

    print(
        f"real-news-dev: n={report['n']}  micro-F1 {report['micro_f1']:.3f}  "
        f"macro-F1 {report['macro_f1']:.3f}  primary accuracy {report['primary_accuracy']:.3f}  "
        f"(primary among gold {report['primary_in_gold']:.3f})"
    )
    print(f"{'label':<20}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}")
    for label, row in report["per_label"].items():
        print(
            f"{label:<20}{row['precision']:>7.2f}{row['recall']:>7.2f}{row['f1']:>7.2f}"
            f"{row['support']:>5}"
        )
    if args.errors:
        for g, p in zip(gold, results):
            if g != p.labels:
                print(f"\n{p.id}: gold {g} predicted {p.labels}")
                for label in p.labels:
                    if label not in g:
                        print(f"  {label}: " + ", ".join(n for n, _ in p.explain[label]))
    meta = clf.topic_model.meta_
    path = write_result(
        "real_news",
        {
            "machine": machine(),
            "model_created": meta["created_at"],
            "training_sha256": meta["training_data"]["sha256"],
            **report,
        },
    )
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
