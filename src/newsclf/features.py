"""Character and word n-gram TF-IDF features over normalised Arabic text."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from .config import FeatureConfig
from .inference import CharNgramTable, char_wb_counts, decode_vocabulary, encode_vocabulary

__all__ = ["WORD_TOKEN_PATTERN", "CharNgramVectorizer", "FeatureConfig", "make_features"]

# sklearn's default pattern drops one-letter tokens; Arabic particles and digits matter less than
# that, but "S-400" style tokens and short names do. Text is normalised (no diacritics) first.
WORD_TOKEN_PATTERN = r"(?u)\b\w+\b"


class _CompactVocabulary:
    """Serialise ``vocabulary_`` as one byte array of terms in column order, not as a dict.

    skops writes a dict entry by entry into its JSON schema: for a few hundred thousand n-grams
    that is over a hundred megabytes and seconds to load; the array is a few megabytes and the
    dict is rebuilt in milliseconds.
    """

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object.__getstate__ returns __dict__
        state.pop("_table", None)  # a cache, rebuilt on first use
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            state["vocabulary_terms_"] = encode_vocabulary(vocabulary)
        return state

    def __setstate__(self, state):
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        super().__setstate__(state)
        if terms is not None:
            self.vocabulary_ = decode_vocabulary(terms)


class WordNgramVectorizer(_CompactVocabulary, TfidfVectorizer):
    """``TfidfVectorizer`` over word n-grams whose fitted vocabulary serialises compactly."""


class CharNgramVectorizer(_CompactVocabulary, TfidfVectorizer):
    """``TfidfVectorizer(analyzer="char_wb")`` that computes each distinct word's n-grams once.

    Character n-grams within word boundaries depend only on the word, and news text repeats its
    words, so counting goes from documents to distinct words to vocabulary columns instead of
    generating and looking up every n-gram of every token. Once fitted, ``transform`` counts
    with a :class:`~newsclf.inference.CharNgramTable` (built on first use, not saved). The
    matrix is identical to the reference vectorizer's (``tests/test_features.py``).
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
        if fixed_vocab:
            table = self.__dict__.get("_table")
            if table is None or table.vocabulary is not self.vocabulary_:
                table = self._table = CharNgramTable(self.vocabulary_, self.ngram_range)
            return self.vocabulary_, table.counts(raw_documents, dtype=self.dtype)
        vocabulary = defaultdict()
        vocabulary.default_factory = vocabulary.__len__  # new n-grams get the next column
        counts = char_wb_counts(
            raw_documents, vocabulary, self.ngram_range, fixed=False, dtype=self.dtype
        )
        if not vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        return dict(vocabulary), counts


def make_features(config: FeatureConfig | None = None) -> FeatureUnion:
    """Return an unfitted union of word and character TF-IDF vectorizers.

    The input must already be normalised (:func:`newsclf.normalize.normalize`); the vectorizers
    do no lower-casing or accent stripping of their own.
    """
    config = config or FeatureConfig()
    word = WordNgramVectorizer(
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
