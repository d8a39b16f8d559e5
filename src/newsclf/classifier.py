"""The public entry point: load the models once, classify many articles, from any thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from .clean import clean_page
from .errors import ModelNotFoundError
from .normalize import arabic_ratio, normalize
from .persist import default_models_dir
from .result import Prediction, StanceResult, TopicScore

__all__ = ["DEFAULT_MAX_CHARS", "Classifier", "load"]

#: Longest article read, in characters; longer input is cut, with a warning on its result.
DEFAULT_MAX_CHARS = 100_000
_MIN_ARABIC_RATIO = 0.5


class Classifier:
    """Topic (and, when trained, stance) classification of Arabic news articles.

    Holds fitted models and no per-call state, so one instance can serve many threads.
    Use :func:`newsclf.load` to build one from a models directory.
    """

    def __init__(
        self,
        topic_model,
        stance_model=None,
        max_chars: int = DEFAULT_MAX_CHARS,
        stance_dir: str | os.PathLike | None = None,
    ):
        if max_chars < 1:
            raise ValueError(f"max_chars must be positive, got {max_chars}")
        self.topic_model = topic_model
        self._stance_model = stance_model
        self._stance_dir = stance_dir
        self._stance_lock = threading.Lock()
        self.max_chars = max_chars

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["_stance_lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._stance_lock = threading.Lock()

    @property
    def stance_model(self):
        """The stance model, loaded on first use (it costs scikit-learn's import time)."""
        if self._stance_model is None and self._stance_dir is not None:
            with self._stance_lock:
                if self._stance_model is None:
                    from .stance import StanceClassifier

                    self._stance_model = StanceClassifier.load(self._stance_dir)
        return self._stance_model

    @property
    def labels(self) -> tuple[str, ...]:
        return self.topic_model.labels

    # -- topics -----------------------------------------------------------------------------
    def classify(
        self,
        text: str,
        *,
        id: str | None = None,
        target: str | None = None,
        top_k: int | None = None,
        threshold: float | None = None,
        explain: int = 0,
    ) -> Prediction:
        """Classify one article (a plain text or a scraped page); never raises on bad text.

        With ``target``, the result also carries the article's stance toward it.
        """
        return self.classify_many(
            [text],
            ids=[id],
            targets=None if target is None else [target],
            top_k=top_k,
            threshold=threshold,
            explain=explain,
        )[0]

    def classify_many(
        self,
        texts: Sequence[str],
        *,
        ids: Sequence[str | None] | None = None,
        targets: Sequence[str | None] | None = None,
        top_k: int | None = None,
        threshold: float | None = None,
        explain: int = 0,
    ) -> list[Prediction]:
        """Classify many articles at once: one :class:`Prediction` per text, in order.

        ``targets`` (one per text, ``None`` for none) adds each article's stance toward its
        target; it needs a stance model.
        """
        if isinstance(texts, str):
            raise TypeError(
                "classify_many expects a sequence of texts, got a single str; "
                "use classify() for one text"
            )
        texts = list(texts)
        ids = list(ids) if ids is not None else [None] * len(texts)
        if len(ids) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(ids)} ids")
        if targets is not None and len(targets) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(targets)} targets")
        results: list[Prediction | None] = [None] * len(texts)
        prepared, positions, warnings = [], [], {}
        for i, (text, item_id) in enumerate(zip(texts, ids)):
            article, problem, notes = self._prepare(text)
            if problem:
                results[i] = Prediction.failed(item_id, problem, notes)
                continue
            prepared.append(article)
            positions.append(i)
            warnings[i] = notes
        if prepared:
            scores = self.topic_model.predict_scores(prepared, prepared=True)
            for row, i, article in zip(scores, positions, prepared):
                results[i] = self._prediction(
                    ids[i], row, warnings[i], article, top_k, threshold, explain
                )
        if targets is not None and any(t is not None for t in targets):
            self._attach_stances(results, dict(zip(positions, prepared)), targets)
        return results  # type: ignore[return-value]

    # -- stance -----------------------------------------------------------------------------
    def stance(self, article: str, target: str) -> StanceResult:
        """The stance of ``article`` toward ``target``; never raises on bad text."""
        return self.stance_many([article], [target])[0]

    def stance_many(self, articles: Sequence[str], targets: Sequence[str]) -> list[StanceResult]:
        """One :class:`StanceResult` per (article, target) pair, in order."""
        if isinstance(articles, str) or isinstance(targets, str):
            raise TypeError("stance_many expects sequences of texts; use stance() for one pair")
        articles, targets = list(articles), list(targets)
        if len(articles) != len(targets):
            raise ValueError(f"{len(articles)} articles but {len(targets)} targets")
        self.require_stance_model()
        results: list[StanceResult] = []
        prepared = []
        for article in articles:
            text, problem, warnings = self._prepare(article)
            results.append(StanceResult(None, warnings=warnings, error=problem))
            prepared.append(text)
        ok = [i for i, r in enumerate(results) if r.error is None]
        scored = self._score_stances([prepared[i] for i in ok], [targets[i] for i in ok])
        for i, stance in zip(ok, scored):
            stance.warnings = results[i].warnings + stance.warnings
            results[i] = stance
        return results

    def require_stance_model(self) -> None:
        """Raise :class:`ModelNotFoundError` unless a stance model is (or can be) loaded."""
        if self.stance_model is None:
            raise ModelNotFoundError(
                "no stance model loaded (models/stance) — run `python train.py`"
            )

    def _score_stances(self, articles: list[str], targets: list) -> list[StanceResult]:
        """Stances of prepared articles toward raw targets; bad targets become errors."""
        results: list[StanceResult] = []
        pairs = []
        for article, target in zip(articles, targets):
            if not isinstance(target, str) or not target.strip():
                results.append(StanceResult(None, error="empty target"))
                continue
            target = normalize(target[: self.max_chars])
            notes = []
            if arabic_ratio(target) < _MIN_ARABIC_RATIO:
                notes.append("target has little or no Arabic text; stance may be unreliable")
            results.append(StanceResult(None, warnings=notes))
            pairs.append((len(results) - 1, article, target))
        if pairs:
            model = self.stance_model
            proba = model.predict_proba(
                [a for _, a, _ in pairs], [t for _, _, t in pairs], prepared=True
            )
            for (i, _, _), row in zip(pairs, proba):
                results[i].scores = {label: float(p) for label, p in zip(model.labels, row)}
                results[i].label = max(results[i].scores, key=results[i].scores.get)
        return results

    def _attach_stances(
        self, results: list[Prediction], prepared: dict[int, str], targets: Sequence[str | None]
    ) -> None:
        self.require_stance_model()
        wanted = [i for i, t in enumerate(targets) if t is not None and results[i].error is None]
        stances = self._score_stances([prepared[i] for i in wanted], [targets[i] for i in wanted])
        for i, stance in zip(wanted, stances):
            if stance.error is not None:  # a bad target makes the whole record an error
                results[i] = Prediction.failed(results[i].id, stance.error, results[i].warnings)
            else:
                results[i].stance = stance

    def classify_page(
        self, page: str, *, id: str | None = None, target: str | None = None, **options
    ) -> list[Prediction]:
        """Classify a page's main article and each "read also" teaser as separate results.

        The first result is the main article; teasers follow with ids ``<id>#related-<k>`` and
        ``parent_id`` set to ``id``.
        """
        if not isinstance(page, str):
            return [Prediction.failed(id, f"expected text (str), got {type(page).__name__}")]
        article = clean_page(page[: self.max_chars])
        texts = [page] + [r.text for r in article.related]
        ids = [id] + [f"{id}#related-{k}" for k in range(1, len(article.related) + 1)]
        targets = None if target is None else [target] * len(texts)
        results = self.classify_many(texts, ids=ids, targets=targets, **options)
        for result in results[1:]:
            result.parent_id = id
        return results

    def _prepare(self, text) -> tuple[str, str | None, list[str]]:
        """Return ``(prepared text, error, warnings)`` for one input."""
        if not isinstance(text, str):
            return "", f"expected text (str), got {type(text).__name__}", []
        notes = []
        if len(text) > self.max_chars:
            notes.append(f"text cut to the first {self.max_chars} of {len(text)} characters")
            text = text[: self.max_chars]
        if not text.strip():
            return "", "empty text", notes
        article = normalize(clean_page(text).text)
        if not article:
            return "", "no article text left after removing page noise", notes
        ratio = arabic_ratio(article)
        if ratio < _MIN_ARABIC_RATIO:
            notes.append(
                f"little or no Arabic text ({ratio:.0%} of letters); topics may be unreliable"
            )
        return article, None, notes

    def _prediction(self, item_id, row, notes, article, top_k, threshold, explain) -> Prediction:
        chosen = self.topic_model.decide(row, top_k=top_k, threshold=threshold)
        result = Prediction(
            id=item_id,
            topics=[TopicScore(label, score) for label, score in chosen],
            scores={label: float(s) for label, s in zip(self.labels, row)},
            warnings=notes,
        )
        if explain:
            result.explain = {
                label: self.topic_model.explain(article, label, explain) for label, _ in chosen
            }
        return result


def load(
    models: str | os.PathLike | None = None, *, max_chars: int = DEFAULT_MAX_CHARS
) -> Classifier:
    """Load the models under ``models`` (default ``$NEWSCLF_MODELS`` or ``models/``).

    The topic model (``<models>/topic``) is required; the stance model (``<models>/stance``), when
    present, is loaded on the first stance request.
    """
    from .topic import TopicClassifier

    root = Path(models) if models is not None else default_models_dir()
    topic_model = TopicClassifier.load(root / "topic")
    stance_dir = root / "stance" if (root / "stance" / "meta.json").exists() else None
    return Classifier(topic_model, max_chars=max_chars, stance_dir=stance_dir)


def iter_batches(items: Iterable, size: int) -> Iterable[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
