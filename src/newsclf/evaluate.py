"""Metrics and reports for topic and stance predictions."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["stance_report", "topic_report"]


def _round(x: float) -> float:
    return round(float(x), 4)


def _per_label(labels, precision, recall, f1, support) -> dict:
    return {
        label: {
            "precision": _round(precision[i]),
            "recall": _round(recall[i]),
            "f1": _round(f1[i]),
            "support": int(support[i]),
        }
        for i, label in enumerate(labels)
    }


def topic_report(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], labels: Sequence[str]
) -> dict:
    """Multi-label figures: micro and macro F1, per-label P/R/F1 and primary-label accuracy.

    ``primary_accuracy`` is the share of articles whose first predicted topic is the first gold
    topic; ``primary_in_gold`` the share whose first predicted topic is among the gold topics.
    """
    from sklearn.metrics import f1_score, precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold items but {len(predicted)} predictions")
    binarizer = MultiLabelBinarizer(classes=list(labels))
    y_true = binarizer.fit_transform(gold)
    y_pred = binarizer.transform(predicted)
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    n = len(gold)
    primary = sum(bool(g) and bool(q) and g[0] == q[0] for g, q in zip(gold, predicted))
    in_gold = sum(bool(q) and q[0] in g for g, q in zip(gold, predicted))
    return {
        "n": n,
        "micro_f1": _round(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        "macro_f1": _round(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "primary_accuracy": _round(primary / n) if n else 0.0,
        "primary_in_gold": _round(in_gold / n) if n else 0.0,
        "per_label": _per_label(labels, p, r, f, support),
    }


def stance_report(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict:
    """Single-label figures: accuracy, macro F1 over ``labels`` and per-label P/R/F1."""
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold items but {len(predicted)} predictions")
    labels = list(labels)
    p, r, f, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    return {
        "n": len(gold),
        "accuracy": _round(accuracy_score(gold, predicted)) if gold else 0.0,
        "macro_f1": _round(
            f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)
        ),
        "per_label": _per_label(labels, p, r, f, support),
    }
