"""Character and word n-gram TF-IDF features over normalised Arabic text."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

__all__ = ["WORD_TOKEN_PATTERN", "CharNgramVectorizer", "FeatureConfig", "make_features"]

# sklearn's default pattern drops one-letter tokens; Arabic particles and digits matter less than
# that, but "S-400" style tokens and short names do. Text is normalised (no diacritics) first.
WORD_TOKEN_PATTERN = r"(?u)\b\w+\b"


@dataclass(frozen=True)
class FeatureConfig:
    """Every feature-extraction setting in one place; saved into each model's meta.json."""

    word_ngram_range: tuple[int, int] = (1, 2)
    char_ngram_range: tuple[int, int] = (2, 5)
    word_min_df: int = 2
    char_min_df: int = 2
    word_max_features: int | None = 200_000
    char_max_features: int | None = 300_000
    max_df: float = 0.9
    sublinear_tf: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FeatureConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("word_ngram_range", "char_ngram_range"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


_WHITE_SPACES = re.compile(r"\s\s+")


def _word_char_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """The ``char_wb`` n-grams of one word, exactly as scikit-learn generates them."""
    padded = f" {word} "
    length = len(padded)
    grams = []
    for n in range(min_n, max_n + 1):
        if length <= n:
            grams.append(padded)  # a short word counts once, as in scikit-learn
            break
        grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


class CharNgramVectorizer(TfidfVectorizer):
    """``TfidfVectorizer(analyzer="char_wb")`` that computes each distinct word's n-grams once.

    Character n-grams within word boundaries depend only on the word, and news text repeats its
    words, so counting goes through a per-call cache from word to vocabulary columns instead of
    generating and looking up every n-gram of every token. The matrix is identical to the
    reference vectorizer's (``tests/test_features.py`` compares them).
    """

    def __init__(
        self,
        *,
        ngram_range=(2, 5),
        min_df=1,
        max_df=1.0,
        max_features=None,
        sublinear_tf=False,
        dtype=np.float64,
    ):
        super().__init__(
            analyzer="char_wb",
            ngram_range=ngram_range,
            lowercase=False,
            min_df=min_df,
            max_df=max_df,
            max_features=max_features,
            sublinear_tf=sublinear_tf,
            dtype=dtype,
        )

    def _count_vocab(self, raw_documents, fixed_vocab):
        # counts = (documents x distinct words) @ (distinct words x n-gram columns): the Python
        # loop only sees each token once, and each distinct word's n-grams once per call.
        if fixed_vocab:
            vocabulary = self.vocabulary_
        else:
            vocabulary = defaultdict()
            vocabulary.default_factory = vocabulary.__len__
        min_n, max_n = self.ngram_range
        word_ids: dict[str, int] = {}
        doc_words: list[int] = []
        doc_indptr = [0]
        gram_columns: list[int] = []
        word_indptr = [0]
        for doc in raw_documents:
            if not isinstance(doc, str):
                raise ValueError(
                    "Iterable over raw text documents expected, "
                    f"{type(doc).__name__} object received."
                )
            for word in _WHITE_SPACES.sub(" ", doc).split():
                wid = word_ids.get(word)
                if wid is None:
                    wid = word_ids[word] = len(word_ids)
                    grams = _word_char_ngrams(word, min_n, max_n)
                    if fixed_vocab:
                        gram_columns.extend(vocabulary[g] for g in grams if g in vocabulary)
                    else:
                        gram_columns.extend(vocabulary[g] for g in grams)
                    word_indptr.append(len(gram_columns))
                doc_words.append(wid)
            doc_indptr.append(len(doc_words))
        if not fixed_vocab:
            vocabulary = dict(vocabulary)
            if not vocabulary:
                raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        words = sp.csr_matrix(
            (
                np.ones(len(doc_words), dtype=self.dtype),
                np.asarray(doc_words, dtype=np.int64),
                np.asarray(doc_indptr, dtype=np.int64),
            ),
            shape=(len(doc_indptr) - 1, len(word_ids)),
        )
        grams = sp.csr_matrix(
            (
                np.ones(len(gram_columns), dtype=self.dtype),
                np.asarray(gram_columns, dtype=np.int64),
                np.asarray(word_indptr, dtype=np.int64),
            ),
            shape=(len(word_ids), len(vocabulary)),
        )
        counts = (words @ grams).tocsr()
        counts.sum_duplicates()  # canonical form: sorted indices, as the reference returns
        return vocabulary, counts


def make_features(config: FeatureConfig | None = None) -> FeatureUnion:
    """Return an unfitted union of word and character TF-IDF vectorizers.

    The input must already be normalised (:func:`newsclf.normalize.normalize`); the vectorizers
    do no lower-casing or accent stripping of their own.
    """
    config = config or FeatureConfig()
    word = TfidfVectorizer(
        analyzer="word",
        token_pattern=WORD_TOKEN_PATTERN,
        ngram_range=config.word_ngram_range,
        lowercase=False,
        min_df=config.word_min_df,
        max_df=config.max_df,
        max_features=config.word_max_features,
        sublinear_tf=config.sublinear_tf,
        dtype=np.float32,
    )
    char = CharNgramVectorizer(
        ngram_range=config.char_ngram_range,
        min_df=config.char_min_df,
        max_df=config.max_df,
        max_features=config.char_max_features,
        sublinear_tf=config.sublinear_tf,
        dtype=np.float32,
    )
    return FeatureUnion([("word", word), ("char", char)])
