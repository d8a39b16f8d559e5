"""The fast feature paths give scikit-learn's matrices: training counts and prediction arrays."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from newsclf.features import WORD_TOKEN_PATTERN, CharNgramVectorizer, make_features
from newsclf.inference import LinearNgramModel, decode_vocabulary, encode_vocabulary
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


def test_vocabulary_round_trip():
    vocabulary = {"ب": 2, "أ ب": 0, " ت ": 1}
    assert decode_vocabulary(encode_vocabulary(vocabulary)) == vocabulary
    assert decode_vocabulary(encode_vocabulary({})) == {}


def test_word_token_pattern_keeps_short_tokens():
    vec = TfidfVectorizer(token_pattern=WORD_TOKEN_PATTERN).fit(["و S 400 في"])
    assert {"و", "s", "400", "في"} <= set(vec.vocabulary_)
