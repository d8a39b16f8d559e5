"""Scraped-page cleaning on hand-written pages and, when present, the project's seed page."""

from __future__ import annotations

import pytest
from conftest import ROOT, SEED_PAGE

from newsclf.clean import clean_page, strip_share_noise

PAGE = """\
البرلمان التونسي يصادق على قانون المالية بعد جلسة ماراثونية
تاريخ النشر: 10 ديسمبر 2019
Total 3 Shares Share 2 Tweet 1 Pin it 0
صادق مجلس نواب الشعب في تونس، فجر الثلاثاء، على مشروع قانون المالية بأغلبية 110 أصوات.
وقال وزير المالية إن الموازنة الجديدة تستهدف خفض العجز إلى ثلاثة في المئة.
المصدر: وكالة تونس أفريقيا للأنباء
كلمات دلالية: تونس، البرلمان، قانون المالية، الموازنة
إقرأ أيضاً:
منتخب تونس يستعد لكأس أفريقيا بمعسكر في الدوحة
يدخل المنتخب التونسي معسكرا مغلقا لمدة عشرة أيام استعدادا للبطولة القارية.
شارك عبر: فيسبوك تويتر واتساب
"""


def test_title_body_and_metadata_are_separated():
    article = clean_page(PAGE)
    assert article.title == "البرلمان التونسي يصادق على قانون المالية بعد جلسة ماراثونية"
    assert article.date == "10 ديسمبر 2019"
    assert article.sources == ["وكالة تونس أفريقيا للأنباء"]
    assert article.keywords == ["تونس", "البرلمان", "قانون المالية", "الموازنة"]
    assert article.body.startswith("صادق مجلس نواب الشعب")
    assert article.body.endswith("ثلاثة في المئة.")


def test_noise_and_metadata_do_not_reach_the_text():
    text = clean_page(PAGE).text
    for noise in (
        "Shares",
        "Tweet",
        "Pin it",
        "تاريخ النشر",
        "كلمات دلالية",
        "المصدر",
        "فيسبوك",
        "منتخب تونس",
    ):
        assert noise not in text


def test_read_also_becomes_a_related_article():
    related = clean_page(PAGE).related
    assert len(related) == 1
    assert related[0].title == "منتخب تونس يستعد لكأس أفريقيا بمعسكر في الدوحة"
    assert related[0].body.startswith("يدخل المنتخب التونسي")


def test_consecutive_teaser_headlines_are_separate_articles():
    page = "عنوان\nنص الخبر. جملة ثانية.\nاقرأ أيضا: خبر أول عن الاقتصاد\nخبر ثان عن الرياضة\n"
    assert [r.title for r in clean_page(page).related] == [
        "خبر أول عن الاقتصاد",
        "خبر ثان عن الرياضة",
    ]


@pytest.mark.parametrize(
    "noise",
    [
        "Total 0 Shares Share 0 Tweet 0 Pin it 0",
        "شارك عبر: فيسبوك تويتر واتساب",
        "طباعة | أرسل لصديق",
        "Share on Facebook",
    ],
)
def test_share_noise_is_removed(noise):
    assert strip_share_noise(f"خبر {noise} نهاية").split() == ["خبر", "نهاية"]


def test_plain_text_passes_through():
    article = clean_page("انخفضت أسعار النفط اليوم بعد قرار أوبك.")
    assert article.text == "انخفضت أسعار النفط اليوم بعد قرار أوبك."
    assert article.related == [] and article.keywords == []


def test_windows_line_endings():
    assert clean_page(PAGE.replace("\n", "\r\n")).title == clean_page(PAGE).title


def test_sample_pages_in_seeds_are_clean():
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = clean_page(path.read_text(encoding="utf-8"))
        assert article.title and article.body, path
        assert "Shares" not in article.text and "شارك عبر" not in article.text, path


@pytest.mark.skipif(not SEED_PAGE.exists(), reason="../shared/seeds is not available")
def test_shared_seed_page():
    article = clean_page(SEED_PAGE.read_text(encoding="utf-8"))
    assert article.title.startswith("منظومة (S-400) في ليبيا")
    assert article.date == "28th, December 2024 GMT"
    assert article.sources == ["لوفيغارو الفرنسية", "ليبيا الأحرار"]
    assert {"حفتر", "روسيا"} <= set(article.keywords)
    # The tag cloud glued into one word and the share counter are gone from the body.
    assert "حفتررئيسيروسيا" not in article.body and "Total" not in article.body
    assert article.body.rstrip().endswith("قاعدة بحرية روسية دائمة.")
    assert len(article.related) == 1
    teaser = article.related[0]
    assert teaser.title.startswith("بوتين يدعو سلطان عمان")
    assert teaser.sources == ["RT + وكالات"]
    assert "الوساطة" in teaser.body
