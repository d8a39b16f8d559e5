"""The multi-label topic classifier: TF-IDF features into one-vs-rest logistic regression."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from .clean import clean_page
from .config import FeatureConfig
from .errors import ModelError
from .evaluate import topic_report
from .inference import LinearNgramModel
from .labels import TOPIC_IDS
from .normalize import NORMALIZER_VERSION, normalize
from .persist import load_arrays, save_arrays, save_model_dir, verified_artefact

__all__ = ["TopicClassifier", "prepare_article", "tune_thresholds"]

_THRESHOLD_GRID = np.round(np.arange(0.05, 0.91, 0.025), 3)


def prepare_article(page: str) -> str:
    """The text a topic model reads: the page's main article (teasers dropped), normalised."""
    return normalize(clean_page(page).text)


def tune_thresholds(y_true: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Per-label thresholds that maximise each label's F1 on held-out scores."""
    thresholds = np.full(y_true.shape[1], 0.5)
    for j in range(y_true.shape[1]):
        positives = y_true[:, j].astype(bool)
        if not positives.any():
            continue
        best = -1.0
        for t in _THRESHOLD_GRID:
            chosen = scores[:, j] >= t
            tp = np.sum(chosen & positives)
            f1 = 2 * tp / (chosen.sum() + positives.sum())
            if f1 > best:
                best, thresholds[j] = f1, t
    return thresholds


class TopicClassifier:
    """Multi-label topic classifier with per-label decision thresholds.

    Parameters
    ----------
    features : FeatureConfig, optional
        The n-gram TF-IDF settings.
    C : float
        Inverse regularisation strength of each label's logistic regression.
    labels : sequence of str, optional
        The label ids; defaults to the 11 newsclf topics.
    multi_label : bool
        When False, each article gets exactly one label (the best-scoring one) and no
        thresholds are tuned: for single-label corpora such as a news site's sections.
    n_jobs : int, optional
        Processes for fitting the per-label classifiers.
    """

    def __init__(
        self,
        features: FeatureConfig | None = None,
        C: float = 3.0,
        labels: Sequence[str] = TOPIC_IDS,
        multi_label: bool = True,
        n_jobs: int | None = None,
    ):
        self.features = features or FeatureConfig()
        self.C = C
        self.labels = tuple(labels)
        self.multi_label = multi_label
        self.n_jobs = n_jobs
        self._feature_names = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        # The lock guards a cache; neither belongs in a pickle (joblib workers, multiprocessing).
        state = self.__dict__.copy()
        del state["_lock"]
        state["_feature_names"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    # -- training ---------------------------------------------------------------------------
    def _make_pipeline(self):
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import Pipeline

        from .features import make_features

        # The dual liblinear solver suits many more features than articles: same model, ~15x faster.
        # liblinear shuffles with NumPy's global generator unless given a seed.
        lr = LogisticRegression(
            C=self.C, solver="liblinear", dual=True, class_weight="balanced", random_state=0
        )
        return Pipeline(
            [
                ("features", make_features(self.features)),
                ("classifier", OneVsRestClassifier(lr, n_jobs=self.n_jobs)),
            ]
        )

    def _binarize(self, label_lists: Sequence[Sequence[str]]) -> np.ndarray:
        from sklearn.preprocessing import MultiLabelBinarizer

        unknown = {label for labels in label_lists for label in labels} - set(self.labels)
        if unknown:
            raise ValueError(f"unknown topic labels {sorted(unknown)}; known: {list(self.labels)}")
        return MultiLabelBinarizer(classes=list(self.labels)).fit_transform(label_lists)

    def fit(
        self,
        pages: Sequence[str],
        label_lists: Sequence[Sequence[str]],
        dev_pages: Sequence[str] | None = None,
        dev_label_lists: Sequence[Sequence[str]] | None = None,
    ) -> TopicClassifier:
        """Fit on ``pages``; tune thresholds on out-of-fold scores; measure on the dev part."""
        from sklearn.model_selection import KFold, cross_val_predict

        if isinstance(pages, str):
            raise TypeError("fit expects a sequence of article texts, got a single str")
        if len(pages) != len(label_lists):
            raise ValueError(f"{len(pages)} texts but {len(label_lists)} label lists")
        y = self._binarize(label_lists)
        missing = [self.labels[j] for j in np.flatnonzero(y.sum(axis=0) < 3)]
        if missing:
            raise ValueError(
                f"every label needs at least 3 training examples; too few for {missing}"
            )
        texts = [prepare_article(p) for p in pages]
        self.metrics_ = {}
        if self.multi_label:
            folds = KFold(n_splits=3, shuffle=True, random_state=0)
            oof = cross_val_predict(
                self._make_pipeline(), texts, y, cv=folds, method="predict_proba"
            )
            self.thresholds_ = tune_thresholds(y, oof)
        else:
            self.thresholds_ = np.zeros(len(self.labels))
        # Prediction runs on the exported arrays, not on the scikit-learn objects: see inference.
        self.model_ = LinearNgramModel.from_pipeline(self._make_pipeline().fit(texts, y))
        self.label_counts_ = {label: int(c) for label, c in zip(self.labels, y.sum(axis=0))}
        if self.multi_label:
            self.metrics_["out_of_fold"] = self._report(label_lists, oof)
        if dev_pages:
            dev_scores = self.predict_scores(dev_pages)
            self.metrics_["dev"] = self._report(dev_label_lists, dev_scores)
        return self

    def _report(self, gold: Sequence[Sequence[str]], scores: np.ndarray) -> dict:
        predicted = [[label for label, _ in self.decide(row)] for row in scores]
        return topic_report(gold, predicted, self.labels)

    # -- prediction -------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise ModelError("this TopicClassifier is not fitted; call fit() or load() first")

    def predict_scores(self, pages: Sequence[str], prepared: bool = False) -> np.ndarray:
        """Return an ``(n, n_labels)`` array of probabilities for raw pages (or prepared text)."""
        self._check_fitted()
        texts = list(pages) if prepared else [prepare_article(p) for p in pages]
        if not texts:
            return np.zeros((0, len(self.labels)))
        return self.model_.scores(texts)

    def decide(
        self, scores: np.ndarray, top_k: int | None = None, threshold: float | None = None
    ) -> list[tuple[str, float]]:
        """Labels that pass their threshold (or ``threshold``), best first, at least one.

        A single-label model always returns just the best label.
        """
        if not self.multi_label:
            top_k = 1
        thresholds = self.thresholds_ if threshold is None else np.full(len(self.labels), threshold)
        order = np.argsort(-scores, kind="stable")
        chosen = [j for j in order if scores[j] >= thresholds[j]] or [order[0]]
        if top_k is not None:
            chosen = chosen[: max(1, top_k)]
        return [(self.labels[j], float(scores[j])) for j in chosen]

    def explain(self, prepared_text: str, label: str, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` n-grams that pushed ``label``'s score up the most for this text."""
        self._check_fitted()
        row = self.model_.features([prepared_text])
        contrib = row.multiply(self.model_.coef[self.labels.index(label)]).tocsr()
        top = np.argsort(-contrib.data, kind="stable")[:n]
        names = self._names()
        return [
            (names[contrib.indices[i]], round(float(contrib.data[i]), 4))
            for i in top
            if contrib.data[i] > 0
        ]

    def _names(self) -> list[str]:
        with self._lock:
            if self._feature_names is None:
                self._feature_names = self.model_.feature_names()
            return self._feature_names

    # -- persistence ------------------------------------------------------------------------
    def save(self, directory: str | os.PathLike, training_data: dict | None = None) -> Path:
        """Write ``model.skops`` and ``meta.json`` to ``directory`` (atomically)."""
        self._check_fitted()
        meta = {
            "kind": "topic",
            "labels": list(self.labels),
            "thresholds": {k: float(t) for k, t in zip(self.labels, self.thresholds_)},
            "normalizer_version": NORMALIZER_VERSION,
            "config": {
                "features": self.features.to_dict(),
                "C": self.C,
                "multi_label": self.multi_label,
            },
            "training_data": {**(training_data or {}), "label_counts": self.label_counts_},
            "metrics": self.metrics_,
        }
        arrays = self.model_.to_arrays()
        return save_model_dir(directory, meta, "model.npz", partial(save_arrays, arrays=arrays))

    @classmethod
    def load(cls, directory: str | os.PathLike) -> TopicClassifier:
        """Load a verified model directory written by :meth:`save`."""
        path, meta = verified_artefact(directory, "topic")
        config = meta.get("config", {})
        model = cls(
            FeatureConfig.from_dict(config.get("features", {})),
            config.get("C", 3.0),
            meta["labels"],
            multi_label=config.get("multi_label", True),
        )
        model.model_ = LinearNgramModel.from_arrays(load_arrays(path))
        model.thresholds_ = np.array([meta["thresholds"][label] for label in model.labels])
        model.label_counts_ = meta.get("training_data", {}).get("label_counts", {})
        model.metrics_ = meta.get("metrics", {})
        model.meta_ = meta
        return model
