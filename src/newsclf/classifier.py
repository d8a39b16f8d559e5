"""The public entry point: load the models once, classify many articles, from any thread."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .clean import clean_page
from .normalize import arabic_ratio, normalize
from .persist import default_models_dir
from .result import Prediction, TopicScore

__all__ = ["DEFAULT_MAX_CHARS", "Classifier", "load"]

#: Longest article read, in characters; longer input is cut, with a warning on its result.
DEFAULT_MAX_CHARS = 100_000
_MIN_ARABIC_RATIO = 0.5


class Classifier:
    """Topic (and, when trained, stance) classification of Arabic news articles.

    Holds fitted models and no per-call state, so one instance can serve many threads.
    Use :func:`newsclf.load` to build one from a models directory.
    """

    def __init__(self, topic_model, stance_model=None, max_chars: int = DEFAULT_MAX_CHARS):
        if max_chars < 1:
            raise ValueError(f"max_chars must be positive, got {max_chars}")
        self.topic_model = topic_model
        self.stance_model = stance_model
        self.max_chars = max_chars

    @property
    def labels(self) -> tuple[str, ...]:
        return self.topic_model.labels

    # -- topics -----------------------------------------------------------------------------
    def classify(
        self,
        text: str,
        *,
        id: str | None = None,
        top_k: int | None = None,
        threshold: float | None = None,
        explain: int = 0,
    ) -> Prediction:
        """Classify one article (a plain text or a scraped page); never raises on bad text."""
        return self.classify_many(
            [text], ids=[id], top_k=top_k, threshold=threshold, explain=explain
        )[0]

    def classify_many(
        self,
        texts: Sequence[str],
        *,
        ids: Sequence[str | None] | None = None,
        top_k: int | None = None,
        threshold: float | None = None,
        explain: int = 0,
    ) -> list[Prediction]:
        """Classify many articles at once: one :class:`Prediction` per text, in order."""
        if isinstance(texts, str):
            raise TypeError(
                "classify_many expects a sequence of texts, got a single str; "
                "use classify() for one text"
            )
        texts = list(texts)
        ids = list(ids) if ids is not None else [None] * len(texts)
        if len(ids) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(ids)} ids")
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
        return results  # type: ignore[return-value]

    def classify_page(self, page: str, *, id: str | None = None, **options) -> list[Prediction]:
        """Classify a page's main article and each "read also" teaser as separate results.

        The first result is the main article; teasers follow with ids ``<id>#related-<k>`` and
        ``parent_id`` set to ``id``.
        """
        if not isinstance(page, str):
            return [Prediction.failed(id, f"expected text (str), got {type(page).__name__}")]
        article = clean_page(page[: self.max_chars])
        texts = [page] + [r.text for r in article.related]
        ids = [id] + [f"{id}#related-{k}" for k in range(1, len(article.related) + 1)]
        results = self.classify_many(texts, ids=ids, **options)
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

    The topic model (``<models>/topic``) is required; the stance model (``<models>/stance``) is
    loaded when present.
    """
    from .topic import TopicClassifier

    root = Path(models) if models is not None else default_models_dir()
    topic_model = TopicClassifier.load(root / "topic")
    return Classifier(topic_model, None, max_chars=max_chars)


def iter_batches(items: Iterable, size: int) -> Iterable[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
