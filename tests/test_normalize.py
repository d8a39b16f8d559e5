"""Each normalisation step, their composition, and the pyarabic behaviour we rely on or avoid."""

from __future__ import annotations

import pytest
from pyarabic import araby

from newsclf import normalize as N


@pytest.mark.parametrize(
    ("step", "raw", "expected"),
    [
        (N.strip_diacritics, "مُحَمَّدٌ", "محمد"),
        (N.strip_diacritics, "رَحْمٰن", "رحمن"),  # superscript alef
        (N.strip_diacritics, "سَلامٌ عَلَيْكُمْ", "سلام عليكم"),
        (N.strip_tatweel, "العـــــربية", "العربية"),
        (N.normalize_alef, "أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
        (N.normalize_alef, "مؤتمر رئيس", "مؤتمر رئيس"),  # hamza on waw / yeh is kept
        (N.normalize_alef_maqsura, "على مستشفى", "علي مستشفي"),
        (N.normalize_digits, "عام ٢٠١٨ و۱۴۰۲", "عام 2018 و1402"),
        (N.apply_nfkc, "\ufefb\ufe8e\ufe91", "لاا\u0628"),  # lam-alef ligature, presentation forms
        (N.remove_format_chars, "a\u200fb\u200dc\ufeffd\x07e", "abcde"),
        (N.remove_format_chars, "می\u200cخواهم", "می خواهم"),
        (N.hashtags_to_words, "#حفتر_رئيسي روسيا", "حفتر رئيسي روسيا"),
        (N.collapse_whitespace, "  نص   طويل \n\n\n ثان  ", "نص طويل\nثان"),
    ],
)
def test_step(step, raw, expected):
    assert step(raw) == expected


def test_placeholders_replace_urls_emails_and_mentions():
    text = "راجع https://example.com/a?b=1 أو www.site.org واكتب إلى info@news.ae وتابع @newsclf"
    out = N.normalize(text)
    assert "_url_" in out and out.count("_url_") == 2
    assert "_email_" in out and "info@" not in out
    assert "_user_" in out and "@" not in out


def test_normalize_composes_every_step():
    raw = "أعلنَ  الرئيسُ #قمة_الرياض في ٢٠١٩ على https://x.com  Hello"
    assert N.normalize(raw) == "اعلن الرئيس قمة الرياض في 2019 علي _url_ hello"


@pytest.mark.parametrize("text", ["", "   ", "إِنَّ ٱلْعِلْمَ", "#وسم_عربي @user x@y.com", "S-400 ﻻ"])
def test_normalize_is_idempotent(text):
    once = N.normalize(text)
    assert N.normalize(once) == once


def test_normalize_rejects_non_text():
    with pytest.raises(TypeError, match="expects str"):
        N.normalize(None)


def test_arabic_ratio():
    assert N.arabic_ratio("خبر عاجل") == 1.0
    assert N.arabic_ratio("breaking news") == 0.0
    assert N.arabic_ratio("123 !!") == 0.0
    assert 0.3 < N.arabic_ratio("خبر news") < 0.6


# pyarabic's names promise less than they do; these tests pin why newsclf writes its own steps.
def test_pyarabic_normalize_alef_also_folds_alef_maqsura():
    assert araby.normalize_alef("على") == "علا"


def test_pyarabic_normalize_hamza_turns_every_carrier_into_lone_hamza():
    assert araby.normalize_hamza("أإآؤئ") == "ءءءءءء"


def test_pyarabic_strip_tashkeel_keeps_superscript_alef():
    assert "\u0670" in araby.strip_tashkeel("رَحْمٰن")


def test_pyarabic_is_arabicrange_is_false_for_spaces_and_digits():
    assert araby.is_arabicrange("سلام") is True
    assert araby.is_arabicrange("سلام 1") is False
