"""Fuzzed input never raises, never loses an item; normalisation stays idempotent."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclf.clean import clean_page
from newsclf.normalize import normalize

# Arbitrary Unicode, weighted towards what scrapers produce: Arabic with diacritics, bidi marks,
# zero-width joiners, emoji, lone combining marks, controls and mixed scripts.
TRICKY = (
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\ufeff"
    "\u0300\u0301\u064b\u064e\u0651\u0670\u0640\x00\x07\x1b\x7f\x85\u2028\u2029\r\n\t"
    "#@_:/.-،؛؟«»\"'"
)
ARABIC = "".join(chr(c) for c in range(0x0621, 0x064B)) + "٠١٢٣٤٥٦٧٨٩ﻻﷲ"
pieces = st.one_of(
    st.text(),
    st.text(alphabet=ARABIC + TRICKY + " ", max_size=200),
    st.sampled_from(
        [
            "😀",
            "👍🏽",
            "🇸🇦",
            "ﷺ",
            "\U0001f9d1\u200d\U0001f4bb",
            "S-400",
            "https://x.co/a",
            "a@b.c",
            "@user",
            "#وسم_عربي",
            "اقرأ أيضا:",
            "المصدر: وكالة",
            "كلمات دلالية:",
            "Total 0 Shares",
            "\ud800",
            "\U000f0000",
        ]
    ),
    st.text(alphabet=string.ascii_letters, min_size=500, max_size=3000),  # one very long token
)
texts = st.lists(pieces, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normalize_is_total_and_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(texts)
def test_clean_page_is_total(text):
    article = clean_page(text)
    assert isinstance(article.text, str)
    for teaser in article.related:
        assert isinstance(teaser.text, str)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(texts, st.none(), st.integers()), max_size=8))
def test_classify_many_returns_one_result_per_item(classifier, items):
    results = classifier.classify_many(items)
    assert len(results) == len(items)
    for item, result in zip(items, results):
        assert (result.error is None) == (bool(result.topics))
        if not isinstance(item, str) or not item.strip():
            assert result.error is not None
        result.to_dict()  # always serialisable


def test_one_megabyte_inputs():
    big = ("نص عربي طويل جدا " * 60_000)[:1_000_000]
    assert normalize(big).startswith("نص عربي")
    assert clean_page(big).text
    assert normalize("x" * 1_000_000) == "x" * 1_000_000
