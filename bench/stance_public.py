"""Stance on public Arabic corpora: newsclf's pair model beside a plain TF-IDF pair baseline.

    python bench/stance_public.py [--only ans,baly,mawqif,transfer] [--models models]

- ANS (headline pairs), train -> test (newsclf's C chosen on the dev part), macro-F1 over agree /
  disagree / unrelated;
- Baly 2018 (claim vs article), leave-one-fold-out over the three folds, macro-F1 over four labels;
- Mawqif (tweets toward three targets), train -> test, macro-F1 over agree / disagree / discuss;
- transfer: the default model (trained on data/stance only) on the ANS test set, its "discuss"
  predictions counted as "unrelated" (ANS has no discuss label).
Without a dev part, newsclf chooses its C by cross-validation on the training part.
The baseline is TF-IDF (word 1-2 + char 2-5) of the article and of the target, concatenated,
into logistic regression.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import machine, read_jsonl, shared_path, write_result

from newsclf.evaluate import stance_report
from newsclf.stance import StanceClassifier
from newsclf.training import _pair_columns as pair_columns

MAPS = {
    "ans": {"agree": "agree", "disagree": "disagree", "other": "unrelated"},
    "baly": {
        "agree": "agree",
        "disagree": "disagree",
        "discuss": "discuss",
        "unrelated": "unrelated",
    },
    "mawqif": {"Favor": "agree", "Against": "disagree", "None": "discuss"},
}


def load(name: str, part: str) -> list[dict]:
    path = {
        "ans": f"stance/ans/{part}.jsonl",
        "mawqif": f"stance/mawqif/{part}.jsonl",
        "baly": f"stance/baly2018/fold_{part}.jsonl.gz",
    }[name]
    rows = read_jsonl(shared_path(path))
    for r in rows:
        r["label"] = MAPS[name][r["label"]]
    return rows


class Baseline:
    """TF-IDF of each side, concatenated, into logistic regression."""

    def fit(self, rows):
        import scipy.sparse as sp
        from sklearn.linear_model import LogisticRegression

        from newsclf.features import make_features
        from newsclf.normalize import normalize

        self._n, self._sp = normalize, sp
        self.a = make_features().fit([normalize(r["text"]) for r in rows])
        self.t = make_features().fit([normalize(r["target"]) for r in rows])
        self.clf = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
        self.clf.fit(self._x(rows), [r["label"] for r in rows])
        return self

    def _x(self, rows):
        return self._sp.hstack(
            [
                self.a.transform([self._n(r["text"]) for r in rows]),
                self.t.transform([self._n(r["target"]) for r in rows]),
            ]
        ).tocsr()

    def predict(self, rows):
        return list(self.clf.predict(self._x(rows)))


def newsclf_predict(train, test, dev=None, **params):
    model = StanceClassifier(**params).fit(
        *pair_columns(train), dev=pair_columns(dev) if dev else None
    )
    proba = model.predict_proba([r["text"] for r in test], [r["target"] for r in test])
    return [model.labels[i] for i in proba.argmax(1)], model


def compare(train, test, labels, dev=None, **params) -> dict:
    """newsclf (C chosen on ``dev``, or by grouped CV on ``train``) beside the baseline."""
    gold = [r["label"] for r in test]
    start = time.perf_counter()
    ours, model = newsclf_predict(train, test, dev, **params)
    seconds = time.perf_counter() - start
    base = Baseline().fit(train).predict(test)
    return {
        "newsclf": stance_report(gold, ours, labels),
        "baseline": stance_report(gold, base, labels),
        "newsclf_C": {"chosen": model.C_, "by": model.C_chosen_by_, "scores": model.C_scores_},
        "newsclf_train_and_predict_s": round(seconds, 1),
    }


def run_ans():
    return compare(
        load("ans", "train"),
        load("ans", "test"),
        ["agree", "disagree", "unrelated"],
        dev=load("ans", "dev"),
    )


def run_mawqif():
    return compare(
        load("mawqif", "train"),
        load("mawqif", "test"),
        ["agree", "disagree", "discuss"],
        min_target_count=30,
    )


def run_baly():
    folds = {k: load("baly", k) for k in ("1", "2", "3")}
    labels = ["agree", "disagree", "discuss", "unrelated"]
    per_fold = {}
    for held in folds:
        train = [r for k, rows in folds.items() if k != held for r in rows]
        per_fold[held] = compare(train, folds[held], labels)
    summary = {
        system: round(statistics.mean(f[system]["macro_f1"] for f in per_fold.values()), 4)
        for system in ("newsclf", "baseline")
    }
    return {"mean_macro_f1": summary, "folds": per_fold}


def run_transfer(models: str):
    model = StanceClassifier.load(f"{models}/stance")
    test = load("ans", "test")
    proba = model.predict_proba([r["text"] for r in test], [r["target"] for r in test])
    predicted = [model.labels[i] for i in proba.argmax(1)]
    predicted = ["unrelated" if p == "discuss" else p for p in predicted]
    return {
        "newsclf_default": stance_report(
            [r["label"] for r in test], predicted, ["agree", "disagree", "unrelated"]
        )
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="ans,baly,mawqif,transfer")
    parser.add_argument("--models", default="models")
    args = parser.parse_args()
    wanted = args.only.split(",")
    results = {"machine": machine()}
    runners = {
        "ans": run_ans,
        "baly": run_baly,
        "mawqif": run_mawqif,
        "transfer": lambda: run_transfer(args.models),
    }
    for name in wanted:
        results[name] = runners[name]()
        r = results[name]
        if name == "baly":
            print(
                f"baly (leave-one-fold-out, mean macro-F1): newsclf {r['mean_macro_f1']['newsclf']:.3f}"
                f"  baseline {r['mean_macro_f1']['baseline']:.3f}  (C per fold: "
                + ", ".join(str(f["newsclf_C"]["chosen"]) for f in r["folds"].values())
                + ")"
            )
        elif name == "transfer":
            print(
                f"transfer: default model on ANS test: macro-F1 {r['newsclf_default']['macro_f1']:.3f}"
                f"  accuracy {r['newsclf_default']['accuracy']:.3f}"
            )
        else:
            print(
                f"{name}: macro-F1 newsclf {r['newsclf']['macro_f1']:.3f}  baseline "
                f"{r['baseline']['macro_f1']:.3f}  (accuracy {r['newsclf']['accuracy']:.3f} vs "
                f"{r['baseline']['accuracy']:.3f}; C {r['newsclf_C']['chosen']})"
            )
    path = write_result("stance_public" if len(wanted) == 4 else "stance_public_partial", results)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
