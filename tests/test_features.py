"""The fast feature paths give scikit-learn's matrices: training counts and prediction arrays."""

from __future__ import annotations

import pickle
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from newsclf.features import WORD_TOKEN_PATTERN, CharNgramVectorizer, make_features
from newsclf.inference import (
    CharNgramTable,
    LinearNgramModel,
    WordNgramTable,
    decode_vocabulary,
    encode_vocabulary,
)
from newsclf.normalize import normalize

DOCS = [
    normalize(t)
    for t in [
        "قصفت المدفعية مواقع في ريف إدلب الجنوبي وسقط قتلى من المدنيين",
        "فاز الهلال على النصر بهدفين مقابل هدف في الدوري السعودي",
        "ارتفعت أسعار النفط بعد قرار أوبك+ خفض الإنتاج مليوني برميل يوميا",
        "وزير الخارجية يلتقي نظيره التركي في أنقرة لبحث الأزمة السورية",
        "أ ب ت",  # one-letter words: shorter than every n-gram
        "S-400 و F-35 في صفقة واحدة 2019",
        "",
    ]
]
KW = {"ngram_range": (2, 5), "min_df": 1, "max_df": 1.0, "sublinear_tf": True, "dtype": np.float32}


def reference_char():
    return TfidfVectorizer(analyzer="char_wb", lowercase=False, **KW)


def test_char_vectorizer_matches_scikit_learn_exactly():
    ours, ref = CharNgramVectorizer(**KW), reference_char()
    a, b = ours.fit_transform(DOCS), ref.fit_transform(DOCS)
    assert ours.vocabulary_ == ref.vocabulary_
    assert (a != b).nnz == 0
    unseen = [normalize("قصف جديد على حلب وهدف في الدوري")]
    assert (ours.transform(unseen) != ref.transform(unseen)).nnz == 0


def test_char_vectorizer_with_feature_limits_matches():
    kw = dict(KW, min_df=2, max_features=50)
    ours, ref = (
        CharNgramVectorizer(**kw),
        TfidfVectorizer(analyzer="char_wb", lowercase=False, **kw),
    )
    assert (ours.fit_transform(DOCS * 2) != ref.fit_transform(DOCS * 2)).nnz == 0
    assert ours.vocabulary_ == ref.vocabulary_


def test_char_vectorizer_rejects_non_text():
    with pytest.raises(ValueError, match="raw text documents expected"):
        CharNgramVectorizer().fit(["نص", 3])


def test_prediction_arrays_match_the_pipeline():
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    y = np.array([[1, 0], [0, 1], [0, 1], [1, 0], [1, 1], [0, 1], [1, 0]])
    pipeline = Pipeline(
        [
            ("features", make_features()),
            ("classifier", OneVsRestClassifier(LogisticRegression(solver="liblinear", dual=True))),
        ]
    )
    # min_df=2 in the default config: repeat the corpus so that every n-gram is kept.
    pipeline.fit(DOCS * 2, np.vstack([y, y]))
    model = LinearNgramModel.from_arrays(LinearNgramModel.from_pipeline(pipeline).to_arrays())
    texts = [*DOCS, normalize("قصف مدفعي على ريف حلب"), "x"]
    ref = pipeline.named_steps["features"].transform(texts).tocsr()
    ours = model.features(texts)
    assert ours.shape == ref.shape
    assert np.array_equal(ours.indptr, ref.indptr) and np.array_equal(ours.indices, ref.indices)
    np.testing.assert_allclose(ours.data, ref.data, rtol=1e-6)
    np.testing.assert_allclose(model.scores(texts), pipeline.predict_proba(texts), rtol=1e-6)
    # A batch this large is counted with the compiled tables; small ones after that too.
    many = texts * (model.SMALL_BATCH // len(texts) + 1)
    np.testing.assert_allclose(model.scores(many), pipeline.predict_proba(many), rtol=1e-6)
    assert model._tables is not None
    ours = model.features(texts)
    assert np.array_equal(ours.indptr, ref.indptr) and np.array_equal(ours.indices, ref.indices)
    np.testing.assert_allclose(ours.data, ref.data, rtol=1e-6)
    assert pickle.loads(pickle.dumps(model))._tables is None


def test_vocabulary_round_trip():
    vocabulary = {"ب": 2, "أ ب": 0, " ت ": 1}
    assert decode_vocabulary(encode_vocabulary(vocabulary)) == vocabulary
    assert decode_vocabulary(encode_vocabulary({})) == {}


def test_word_token_pattern_keeps_short_tokens():
    vec = TfidfVectorizer(token_pattern=WORD_TOKEN_PATTERN).fit(["و S 400 في"])
    assert {"و", "s", "400", "في"} <= set(vec.vocabulary_)


# Few letters, so that n-grams repeat across documents; every kind of whitespace str.split knows;
# a letter outside the Basic Multilingual Plane, a combining mark and a lone surrogate.
SMALL_ALPHABET = "بتسلم ab1\t\n\u00a0\u2003\x1c😀\u064e\ud800"
LARGE_ALPHABET = SMALL_ALPHABET + "".join(map(chr, range(0x0621, 0x064A))) + "xyzXYZ"
CHAR_RANGES = [(1, 1), (1, 3), (2, 5), (3, 5), (4, 6)]


def _texts(alphabet: str):
    return st.lists(st.text(alphabet, max_size=40), min_size=1, max_size=6)


def assert_same_counts(ours, ref):
    assert ours.shape == ref.shape
    assert (ours != ref).nnz == 0
    ours.sum_duplicates()
    assert np.array_equal(ours.indptr, ref.indptr) and np.array_equal(ours.indices, ref.indices)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from([SMALL_ALPHABET, LARGE_ALPHABET]).flatmap(
        lambda a: st.tuples(_texts(a), _texts(a))
    ),
    st.sampled_from(CHAR_RANGES),
)
def test_char_table_counts_like_scikit_learn(corpora, ngram_range):
    fit_docs, docs = corpora
    ref = CountVectorizer(analyzer="char_wb", lowercase=False, ngram_range=ngram_range)
    try:
        ref.fit(fit_docs)
    except ValueError:  # nothing but whitespace: no vocabulary to compile
        return
    table = CharNgramTable(ref.vocabulary_, ngram_range)
    assert table.packable
    assert_same_counts(table.counts(docs), ref.transform(docs))
    assert_same_counts(table.counts(docs, sort=False), ref.transform(docs))


@settings(max_examples=60, deadline=None)
@given(
    _texts("بتس ab1 \n"), _texts("بتس ab1 \n"), st.sampled_from([(1, 1), (1, 2), (2, 3), (1, 3)])
)
def test_word_table_counts_like_scikit_learn(fit_docs, docs, ngram_range):
    ref = CountVectorizer(
        lowercase=False, token_pattern=WORD_TOKEN_PATTERN, ngram_range=ngram_range
    )
    try:
        ref.fit(fit_docs)
    except ValueError:
        return
    table = WordNgramTable(ref.vocabulary_, re.compile(WORD_TOKEN_PATTERN), ngram_range)
    assert table.packable
    assert_same_counts(table.counts(docs), ref.transform(docs))


def test_tables_fall_back_when_keys_do_not_fit_in_64_bits():
    many_letters = " ".join("".join(map(chr, range(c, c + 7))) for c in range(0x4E00, 0x6000, 7))
    ref = CountVectorizer(analyzer="char_wb", lowercase=False, ngram_range=(2, 5))
    ref.fit([many_letters])
    table = CharNgramTable(ref.vocabulary_, (2, 5))
    assert not table.packable  # over 4,095 characters: 13 bits x 5 > 63
    docs = [many_letters[:300], "كلمة"]
    assert_same_counts(table.counts(docs), ref.transform(docs))

    words = CountVectorizer(lowercase=False, token_pattern=WORD_TOKEN_PATTERN, ngram_range=(1, 7))
    words.fit([many_letters])
    table = WordNgramTable(words.vocabulary_, re.compile(WORD_TOKEN_PATTERN), (1, 7))
    assert not table.packable  # 658 words to the seventh power
    assert_same_counts(table.counts(docs), words.transform(docs))


def test_fitted_char_vectorizer_rebuilds_its_table_after_refit():
    vec = CharNgramVectorizer(**KW).fit(DOCS[:2])
    first = vec.transform(DOCS)
    vec.fit(DOCS[2:])
    assert_same_counts(vec.transform(DOCS), reference_char().fit(DOCS[2:]).transform(DOCS))
    assert first.shape[1] != vec.transform(DOCS).shape[1]
