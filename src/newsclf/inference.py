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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import repeat

import numpy as np
import scipy.sparse as sp

__all__ = [
    "CharNgramTable",
    "LinearNgramModel",
    "WordNgramTable",
    "char_wb_counts",
    "decode_vocabulary",
    "encode_vocabulary",
    "tfidf",
    "word_counts",
]

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
    out new column numbers) grows as it goes. For a fixed vocabulary used more than once,
    :class:`CharNgramTable` does the same in NumPy, several times faster.
    """
    min_n, max_n = ngram_range
    words, distinct = _document_words(docs, dtype)
    gram_columns: list[int] = []
    word_indptr = [0]
    for word in distinct:
        grams = _word_char_ngrams(word, min_n, max_n)
        if fixed:  # -1 marks n-grams outside the vocabulary, dropped below
            gram_columns.extend(map(vocabulary.get, grams, repeat(-1)))
        else:
            gram_columns.extend(map(vocabulary.__getitem__, grams))
        word_indptr.append(len(gram_columns))
    columns, word_bounds = _drop_missing(gram_columns, word_indptr)
    grams = sp.csr_matrix(
        (np.ones(len(columns), dtype=dtype), columns, word_bounds),
        shape=(len(distinct), len(vocabulary)),
    )
    return _canonical(words @ grams)


def _document_words(docs: Iterable[str], dtype) -> tuple[sp.csr_matrix, list[str]]:
    """The (documents x distinct words) count matrix of whitespace tokens, and those words.

    Splitting on whitespace is what scikit-learn's ``char_wb`` analyzer does (its collapsing
    of whitespace runs first changes nothing that ``str.split`` sees).
    """
    word_ids: defaultdict[str, int] = defaultdict()
    word_ids.default_factory = word_ids.__len__  # a new word gets the next number, in C
    doc_words: list[int] = []
    doc_indptr = [0]
    for doc in docs:
        if not isinstance(doc, str):
            raise ValueError(
                f"Iterable over raw text documents expected, {type(doc).__name__} object received."
            )
        doc_words.extend(map(word_ids.__getitem__, doc.split()))
        doc_indptr.append(len(doc_words))
    words = sp.csr_matrix(
        (
            np.ones(len(doc_words), dtype=dtype),
            np.asarray(doc_words, dtype=np.int64),
            np.asarray(doc_indptr, dtype=np.int64),
        ),
        shape=(len(doc_indptr) - 1, len(word_ids)),
    )
    return words, list(word_ids)


def _canonical(counts) -> sp.csr_matrix:
    counts = counts.tocsr()
    counts.sum_duplicates()  # canonical form: sorted indices, as scikit-learn returns
    return counts


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class _KeyIndex:
    """Vocabulary columns by packed n-gram key, one look-up structure per n-gram length.

    A term is a run of symbols (numbers below ``base``: characters or words) and its key is that
    run read as one base-``base`` integer. Where an n-gram length's key space is small (up to
    2**22 keys) the structure is a direct table from key to column; otherwise the sorted keys,
    searched with ``searchsorted``.
    """

    DIRECT_MAX = 1 << 22

    def __init__(self, symbols: np.ndarray, lengths: np.ndarray, columns: np.ndarray, base: int):
        """``symbols``: every term's symbols, term after term; ``lengths``: symbols per term."""
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        keys = np.zeros(len(lengths), dtype=np.int64)
        for k in range(int(lengths.max()) if len(lengths) else 0):
            has = lengths > k
            keys[has] = keys[has] * base + symbols[starts[has] + k]
        self.direct: dict[int, np.ndarray] = {}
        self.sorted: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n in np.unique(lengths).tolist():
            of_n = lengths == n
            keys_n, columns_n = keys[of_n], columns[of_n]
            size = base**n
            if size <= self.DIRECT_MAX:
                table = np.full(size, -1, dtype=np.int64)
                table[keys_n] = columns_n
                self.direct[n] = table
            else:
                order = np.argsort(keys_n, kind="stable")
                self.sorted[n] = (keys_n[order], columns_n[order])

    def __contains__(self, n: int) -> bool:
        return n in self.direct or n in self.sorted

    def find(self, n: int, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of the ``wanted`` keys (all within the key space) are terms, and their columns."""
        if n in self.direct:
            columns = self.direct[n][wanted]
            hit = columns >= 0
            return hit, columns[hit]
        keys, columns = self.sorted[n]
        found = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        hit = keys[found] == wanted
        return hit, columns[found[hit]]


class CharNgramTable:
    """A fixed ``char_wb`` vocabulary compiled to integer keys, for counting in NumPy.

    Each character of the vocabulary's alphabet gets a small number (0 is every other
    character), and an n-gram becomes those numbers packed into one 64-bit integer. Counting
    then packs every window of every distinct padded word at once and looks it up in the
    :class:`_KeyIndex` of its length: no Python work per n-gram. The counts
    equal :func:`char_wb_counts` and scikit-learn's (``tests/test_features.py``). A vocabulary
    whose alphabet is too large to pack (over 4,095 characters for 5-grams) is counted by
    :func:`char_wb_counts` instead.
    """

    def __init__(self, vocabulary: dict, ngram_range: tuple[int, int]):
        self.vocabulary = vocabulary
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        terms = list(vocabulary)
        columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(terms))
        lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
        codes = _code_points("".join(terms))
        alphabet = np.unique(codes)
        self.bits = max(1, len(alphabet).bit_length())  # numbers 1..len(alphabet)
        longest = int(lengths.max()) if len(terms) else 0
        self.packable = self.bits * max(longest, self.ngram_range[1]) <= 63
        if not self.packable:
            return
        # Characters above the alphabet's largest fall on the last entry, which is 0.
        self.lookup = np.zeros(int(alphabet[-1]) + 2 if len(alphabet) else 1, dtype=np.int64)
        self.lookup[alphabet] = np.arange(1, len(alphabet) + 1)
        self.index = _KeyIndex(self.lookup[codes], lengths, columns, 1 << self.bits)

    def counts(self, docs: Iterable[str], dtype=np.float32, sort: bool = True) -> sp.csr_matrix:
        """Character n-gram counts, one row per document, columns as in the vocabulary.

        ``sort=False`` leaves each row's column indices unsorted (the same matrix, for
        arithmetic that does not care, a little faster).
        """
        if not self.packable:
            return char_wb_counts(docs, self.vocabulary, self.ngram_range, dtype=dtype)
        words, distinct = _document_words(docs, dtype)
        counts = (words @ self._word_grams(distinct, dtype)).tocsr()
        if sort:
            counts.sort_indices()
        return counts

    def _word_grams(self, distinct: list[str], dtype) -> sp.csr_matrix:
        """The (distinct words x vocabulary) matrix of each word's in-vocabulary n-grams.

        Keys are laid out as (character position x n-gram length), so that reading the hits
        row by row yields them word after word: the CSR matrix needs no sort. A word's repeated
        n-gram stays as two entries, which the product with it sums.
        """
        min_n, max_n = self.ngram_range
        shape = (len(distinct), len(self.vocabulary))
        if not distinct:
            return sp.csr_matrix(shape, dtype=dtype)
        padded_lengths = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct)) + 2
        codes = _code_points(" " + "  ".join(distinct) + " ")
        numbers = self.lookup[np.minimum(codes, len(self.lookup) - 1)]
        total = len(numbers)
        word_of = np.repeat(np.arange(len(distinct)), padded_lengths)
        left = np.cumsum(padded_lengths)[word_of] - np.arange(total)  # chars to the word's end
        numbers = np.concatenate([numbers, np.zeros(max_n, dtype=np.int64)])
        key = np.zeros(total, dtype=np.int64)
        columns = np.full((total, max_n), -1, dtype=np.int64)
        for n in range(1, max_n + 1):
            key = (key << self.bits) | numbers[n - 1 : n - 1 + total]
            if n >= min_n:
                windows = left >= n
            else:  # a padded word shorter than min_n counts once, whole
                windows = (left == n) & (padded_lengths[word_of] == n)
            if n not in self.index:
                continue
            at = np.flatnonzero(windows)
            hit, found = self.index.find(n, key[at])
            columns[at[hit], n - 1] = found
        kept = columns >= 0
        per_word = np.bincount(word_of, weights=kept.sum(axis=1), minlength=len(distinct))
        indptr = np.concatenate([[0], np.cumsum(per_word, dtype=np.int64)])
        columns = columns[kept]  # row-major: position after position, so word after word
        return sp.csr_matrix((np.ones(len(columns), dtype=dtype), columns, indptr), shape)


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


class WordNgramTable:
    """A fixed word n-gram vocabulary as integer keys, for counting in NumPy.

    Every word that occurs in some vocabulary term gets a number; an n-gram is those numbers
    read as one base-(number of words) integer, looked up in the :class:`_KeyIndex` of its
    length. Counts equal :func:`word_counts` and scikit-learn's. A vocabulary whose
    longest n-grams cannot be packed into 63 bits is counted by :func:`word_counts`.
    """

    def __init__(self, vocabulary: dict, token_pattern: re.Pattern, ngram_range):
        self.vocabulary = vocabulary
        self.token_pattern = token_pattern
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        terms = list(vocabulary)
        words = " ".join(terms).split(" ")  # every term's words, term after term
        self.word_ids: defaultdict[str, int] = defaultdict()
        self.word_ids.default_factory = self.word_ids.__len__
        ids = np.fromiter(map(self.word_ids.__getitem__, words), np.int64, len(words))
        self.word_ids = dict(self.word_ids)
        self.base = max(1, len(self.word_ids))
        self.packable = self.base ** self.ngram_range[1] < 2**63
        if not self.packable:
            return
        lengths = np.fromiter(map(str.count, terms, repeat(" ")), np.int64, len(terms)) + 1
        columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(terms))
        self.index = _KeyIndex(ids, lengths, columns, self.base)

    def counts(self, docs: Iterable[str], dtype=np.float32) -> sp.csr_matrix:
        """Word n-gram counts, one row per document, columns as in the vocabulary."""
        if not self.packable:
            return word_counts(docs, self.vocabulary, self.token_pattern, self.ngram_range, dtype)
        min_n, max_n = self.ngram_range
        tokens: list[str] = []
        bounds = [0]
        for doc in docs:
            tokens.extend(self.token_pattern.findall(doc))
            bounds.append(len(tokens))
        n_docs = len(bounds) - 1
        ids = np.fromiter(map(self.word_ids.get, tokens, repeat(-1)), np.int64, len(tokens))
        doc_of = np.repeat(np.arange(n_docs), np.diff(bounds))
        left = np.asarray(bounds[1:], dtype=np.int64)[doc_of] - np.arange(len(tokens))
        key = np.zeros(len(tokens), dtype=np.int64)
        known = np.ones(len(tokens), dtype=bool)
        padded = np.concatenate([ids, np.full(max_n, -1, dtype=np.int64)])
        rows, columns = [], []
        for n in range(1, max_n + 1):
            step = padded[n - 1 : n - 1 + len(tokens)]
            known &= step >= 0
            key = key * self.base + step
            if n < min_n or n not in self.index:
                continue
            windows = known & (left >= n)
            hit, found = self.index.find(n, key[windows])
            rows.append(doc_of[windows][hit])
            columns.append(found)
        rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        columns = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
        return _canonical(
            sp.csr_matrix(
                (np.ones(len(rows), dtype=dtype), (rows, columns)),
                shape=(n_docs, len(self.vocabulary)),
            )
        )


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
        self._tables: tuple[WordNgramTable, CharNgramTable] | None = None
        self.coef = coef  # (n_labels, n_features)
        self.intercept = intercept  # (n_labels,)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_tables": None}  # rebuilt on first use, not shipped

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
        return sp.hstack(self._feature_blocks(texts, sort=True), format="csr")

    # Below this many texts, counting with dict look-ups beats compiling the vocabularies
    # into tables (about 0.1 s for the default model), which a one-article run never repays.
    SMALL_BATCH = 32

    def _feature_blocks(self, texts: Sequence[str], sort: bool):
        if len(texts) < self.SMALL_BATCH and self._tables is None:
            word = word_counts(texts, self.word_vocabulary, self._token_re, self.word_ngram_range)
            char = char_wb_counts(texts, self.char_vocabulary, self.char_ngram_range)
        else:
            word_table, char_table = self.tables()
            word = word_table.counts(texts)
            char = char_table.counts(texts, sort=sort)
        return (
            tfidf(word, self.word_idf, self.sublinear_tf),
            tfidf(char, self.char_idf, self.sublinear_tf),
        )

    def tables(self) -> tuple[WordNgramTable, CharNgramTable]:
        """The vocabularies compiled for counting in NumPy, built on first use.

        Two threads may both build them at first; they build the same thing, and the
        assignment is atomic.
        """
        if self._tables is None:
            self._tables = (
                WordNgramTable(self.word_vocabulary, self._token_re, self.word_ngram_range),
                CharNgramTable(self.char_vocabulary, self.char_ngram_range),
            )
        return self._tables

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Each label's probability, shape ``(n_texts, n_labels)``.

        Computed block by block (word columns, then character columns) with unsorted rows:
        the same sums as ``features(texts) @ coef.T`` without building the joined matrix.
        """
        word, char = self._feature_blocks(texts, sort=False)
        n_word = len(self.word_vocabulary)
        decision = word @ self.coef[:, :n_word].T + char @ self.coef[:, n_word:].T
        decision = np.asarray(decision) + self.intercept
        return 1.0 / (1.0 + np.exp(-decision))

    def feature_names(self) -> list[str]:
        word = sorted(self.word_vocabulary, key=self.word_vocabulary.__getitem__)
        char = sorted(self.char_vocabulary, key=self.char_vocabulary.__getitem__)
        return [f"word__{t}" for t in word] + [f"char__{t}" for t in char]
