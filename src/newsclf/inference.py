"""Prediction-time n-gram TF-IDF and linear scoring in NumPy and SciPy alone.

A fitted topic model is exported to plain arrays (vocabularies, idf weights, coefficients) that
are saved with ``numpy.savez`` and read back with ``allow_pickle=False``: loading a model runs no
code from the file and imports no scikit-learn, which keeps ``newsclf predict`` quick to start.
The computations here reproduce scikit-learn's ``TfidfVectorizer`` (word and ``char_wb``
analyzers, sublinear tf, idf, l2 norm) and ``LogisticRegression.predict_proba`` exactly;
``tests/test_features.py`` compares the two on fixtures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import repeat

import numpy as np
import scipy.sparse as sp

__all__ = [
    "LinearNgramModel",
    "char_wb_counts",
    "decode_vocabulary",
    "encode_vocabulary",
    "tfidf",
    "word_counts",
]

_WHITE_SPACES = re.compile(r"\s\s+")
_SEPARATOR = "\x00"  # normalised text never contains NUL


def _word_char_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """The ``char_wb`` n-grams of one word, exactly as scikit-learn generates them."""
    padded = f" {word} "
    length = len(padded)
    if length <= min_n:
        return [padded]  # a short word counts once, as in scikit-learn
    grams = [
        padded[i : i + n]
        for n in range(min_n, min(max_n, length - 1) + 1)
        for i in range(length - n + 1)
    ]
    if length <= max_n:
        grams.append(padded)
    return grams


def _drop_missing(columns: list[int], indptr: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Remove the -1 entries (n-grams outside the vocabulary), keeping row boundaries right."""
    columns = np.asarray(columns, dtype=np.int64)
    keep = columns >= 0
    kept_before = np.concatenate([[0], np.cumsum(keep)])
    return columns[keep], kept_before[np.asarray(indptr, dtype=np.int64)]


def char_wb_counts(
    docs: Iterable[str],
    vocabulary: dict,
    ngram_range: tuple[int, int],
    fixed: bool = True,
    dtype=np.float32,
):
    """Character n-gram counts within word boundaries, one row per document.

    counts = (documents x distinct words) @ (distinct words x n-gram columns): the Python loop
    sees each token once, and each distinct word's n-grams once per call; vocabulary look-ups
    run in C through ``map``. With ``fixed=False``, ``vocabulary`` (a ``defaultdict`` handing
    out new column numbers) grows as it goes.
    """
    min_n, max_n = ngram_range
    word_ids: dict[str, int] = {}
    doc_words: list[int] = []
    doc_indptr = [0]
    gram_columns: list[int] = []
    word_indptr = [0]
    for doc in docs:
        if not isinstance(doc, str):
            raise ValueError(
                f"Iterable over raw text documents expected, {type(doc).__name__} object received."
            )
        for word in _WHITE_SPACES.sub(" ", doc).split():
            wid = word_ids.get(word)
            if wid is None:
                wid = word_ids[word] = len(word_ids)
                grams = _word_char_ngrams(word, min_n, max_n)
                if fixed:  # -1 marks n-grams outside the vocabulary, dropped below
                    gram_columns.extend(map(vocabulary.get, grams, repeat(-1)))
                else:
                    gram_columns.extend(map(vocabulary.__getitem__, grams))
                word_indptr.append(len(gram_columns))
            doc_words.append(wid)
        doc_indptr.append(len(doc_words))
    columns, word_bounds = _drop_missing(gram_columns, word_indptr)
    words = sp.csr_matrix(
        (
            np.ones(len(doc_words), dtype=dtype),
            np.asarray(doc_words, dtype=np.int64),
            np.asarray(doc_indptr, dtype=np.int64),
        ),
        shape=(len(doc_indptr) - 1, len(word_ids)),
    )
    grams = sp.csr_matrix(
        (np.ones(len(columns), dtype=dtype), columns, word_bounds),
        shape=(len(word_ids), len(vocabulary)),
    )
    counts = (words @ grams).tocsr()
    counts.sum_duplicates()  # canonical form: sorted indices, as scikit-learn returns
    return counts


def word_counts(
    docs: Sequence[str],
    vocabulary: dict,
    token_pattern: re.Pattern,
    ngram_range: tuple[int, int],
    dtype=np.float32,
):
    """Word n-gram counts for a fixed vocabulary, as scikit-learn's word analyzer makes them."""
    min_n, max_n = ngram_range
    lookup, missing = vocabulary.get, repeat(-1)
    indices: list[int] = []
    indptr = [0]
    for doc in docs:
        tokens = token_pattern.findall(doc)
        grams = list(tokens) if min_n == 1 else []
        for n in range(max(min_n, 2), min(max_n, len(tokens)) + 1):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        indices.extend(map(lookup, grams, missing))
        indptr.append(len(indices))
    columns, bounds = _drop_missing(indices, indptr)
    counts = sp.csr_matrix(
        (np.ones(len(columns), dtype=dtype), columns, bounds),
        shape=(len(indptr) - 1, len(vocabulary)),
    )
    counts.sum_duplicates()
    return counts


def tfidf(counts, idf: np.ndarray, sublinear: bool):
    """Sublinear tf (1 + log tf), times idf, rows scaled to unit L2 norm."""
    x = counts.tocsr(copy=True)
    if sublinear:
        np.log(x.data, out=x.data)
        x.data += 1
    x.data *= idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    x.data /= np.repeat(norms, np.diff(x.indptr)).astype(x.data.dtype)
    return x


def encode_vocabulary(vocabulary: dict) -> np.ndarray:
    """Terms in column order as one NUL-separated UTF-8 byte array."""
    terms = sorted(vocabulary, key=vocabulary.__getitem__)
    if any(_SEPARATOR in t for t in terms):
        raise ValueError("a vocabulary term contains NUL; normalise text before fitting")
    return np.frombuffer(_SEPARATOR.join(terms).encode("utf-8"), dtype=np.uint8)


def decode_vocabulary(encoded: np.ndarray) -> dict[str, int]:
    """The inverse of :func:`encode_vocabulary`."""
    text = encoded.tobytes().decode("utf-8")
    return {term: i for i, term in enumerate(text.split(_SEPARATOR))} if text else {}


class LinearNgramModel:
    """Word + character TF-IDF features into one logistic regression per label.

    Built from a fitted scikit-learn pipeline with :meth:`from_pipeline`; saved and loaded as
    plain arrays with :meth:`to_arrays` and :meth:`from_arrays`.
    """

    def __init__(
        self,
        word_vocabulary,
        word_idf,
        word_ngram_range,
        token_pattern,
        char_vocabulary,
        char_idf,
        char_ngram_range,
        sublinear_tf,
        coef,
        intercept,
    ):
        self.word_vocabulary = word_vocabulary
        self.word_idf = word_idf
        self.word_ngram_range = tuple(int(n) for n in word_ngram_range)
        self.token_pattern = token_pattern
        self._token_re = re.compile(token_pattern)
        self.char_vocabulary = char_vocabulary
        self.char_idf = char_idf
        self.char_ngram_range = tuple(int(n) for n in char_ngram_range)
        self.sublinear_tf = bool(sublinear_tf)
        self.coef = coef  # (n_labels, n_features)
        self.intercept = intercept  # (n_labels,)

    @classmethod
    def from_pipeline(cls, pipeline) -> LinearNgramModel:
        """Export ``Pipeline([features: FeatureUnion(word, char), classifier: OvR(LR)])``."""
        (_, word), (_, char) = pipeline.named_steps["features"].transformer_list
        estimators = pipeline.named_steps["classifier"].estimators_
        if not all(hasattr(e, "coef_") for e in estimators):
            raise ValueError("every label needs positive and negative training examples")
        return cls(
            dict(word.vocabulary_),
            word.idf_.astype(np.float32),
            word.ngram_range,
            word.token_pattern,
            dict(char.vocabulary_),
            char.idf_.astype(np.float32),
            char.ngram_range,
            word.sublinear_tf,
            np.vstack([np.ravel(e.coef_) for e in estimators]),
            np.concatenate([np.ravel(e.intercept_) for e in estimators]),
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            "word_terms": encode_vocabulary(self.word_vocabulary),
            "word_idf": self.word_idf,
            "word_ngram_range": np.asarray(self.word_ngram_range),
            "token_pattern": np.frombuffer(self.token_pattern.encode("utf-8"), dtype=np.uint8),
            "char_terms": encode_vocabulary(self.char_vocabulary),
            "char_idf": self.char_idf,
            "char_ngram_range": np.asarray(self.char_ngram_range),
            "sublinear_tf": np.asarray(self.sublinear_tf),
            "coef": self.coef,
            "intercept": self.intercept,
        }

    @classmethod
    def from_arrays(cls, arrays) -> LinearNgramModel:
        return cls(
            decode_vocabulary(arrays["word_terms"]),
            arrays["word_idf"],
            arrays["word_ngram_range"],
            arrays["token_pattern"].tobytes().decode("utf-8"),
            decode_vocabulary(arrays["char_terms"]),
            arrays["char_idf"],
            arrays["char_ngram_range"],
            arrays["sublinear_tf"],
            arrays["coef"],
            arrays["intercept"],
        )

    @property
    def n_features(self) -> int:
        return len(self.word_vocabulary) + len(self.char_vocabulary)

    def features(self, texts: Sequence[str]):
        """The TF-IDF matrix: word columns, then character columns."""
        word = word_counts(texts, self.word_vocabulary, self._token_re, self.word_ngram_range)
        char = char_wb_counts(texts, self.char_vocabulary, self.char_ngram_range)
        return sp.hstack(
            [
                tfidf(word, self.word_idf, self.sublinear_tf),
                tfidf(char, self.char_idf, self.sublinear_tf),
            ],
            format="csr",
        )

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Each label's probability, shape ``(n_texts, n_labels)``."""
        decision = np.asarray(self.features(texts) @ self.coef.T) + self.intercept
        return 1.0 / (1.0 + np.exp(-decision))

    def feature_names(self) -> list[str]:
        word = sorted(self.word_vocabulary, key=self.word_vocabulary.__getitem__)
        char = sorted(self.char_vocabulary, key=self.char_vocabulary.__getitem__)
        return [f"word__{t}" for t in word] + [f"char__{t}" for t in char]
