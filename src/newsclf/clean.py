"""Scraped-page cleaning: turn a raw news page into a structured :class:`Article`.

Pages scraped from Arabic news sites carry share-widget counters, keyword (tag) lines, source and
date lines and "read also" teasers of other stories. None of it is part of the article: the noise
is dropped, the metadata is kept, and the teasers become :attr:`Article.related` articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Article", "clean_page", "strip_share_noise"]

_SHARE_NOISE = re.compile(
    r"(?:Total\s+\d+\s+Shares?|Shares?\s+\d+|Tweet\s+\d+|Pin\s+it\s+\d+|Pin\s+\d+|"
    r"Email\s+\d+|WhatsApp\s+\d+|Facebook\s+\d+|Twitter\s+\d+|LinkedIn\s+\d+|"
    r"Share\s+on\s+(?:Facebook|Twitter|WhatsApp|Telegram)|"
    r"(?:شارك|شاركها|مشاركة)\s*(?:عبر|على)?\s*:?\s*(?:(?:فيسبوك|فيس\s*بوك|تويتر|واتساب|واتس\s*اب|"
    r"تيليجرام|تلغرام|لينكد\s*إن|إكس|انستغرام|ماسنجر|البريد)\s*[,،|/]?\s*)+|"
    r"طباعة\s*(?:\|\s*)?(?:أرسل|ارسل)\s+لصديق|(?:أرسل|ارسل)\s+لصديق|"
    r"\bطباعة\b\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
_SHARE_HINTS = (
    "total",
    "share",
    "tweet",
    "pin",
    "email",
    "whatsapp",
    "facebook",
    "twitter",
    "linkedin",
    "شارك",
    "مشاركة",
    "طباعة",
    "لصديق",
)
_DATE_LINE = re.compile(
    r"^\s*(?:تاريخ\s+النشر|نشر\s+في|نُشر\s+في|نشر\s+بتاريخ|تاريخ\s+الخبر|آخر\s+تحديث|"
    r"اخر\s+تحديث|Published|Updated)\s*:?\s*(.*?)\s*$",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"(?:المصدر|مصدر\s+الخبر)\s*:\s*")
_KEYWORDS_LINE = re.compile(
    r"^\s*(?:كلمات\s+دلالية|الكلمات\s+الدلالية|كلمات\s+مفتاحية|الكلمات\s+المفتاحية|وسوم|الوسوم|"
    r"Tags|Keywords)\s*:?\s*(.*?)\s*$",
    re.IGNORECASE,
)
_READ_ALSO = re.compile(
    r"^\s*(?:[اإأ]قر[أا]\s+(?:[أا]يض[اً]+|المزيد)|مواضيع\s+ذات\s+صلة|[أا]خبار\s+ذات\s+صلة|"
    r"قد\s+يهمك\s+[أا]يض[اً]+|Read\s+also|Related)\s*[:：.]?\s*(.*?)\s*$",
    re.IGNORECASE,
)
_TITLE_MAX_WORDS = 25


@dataclass
class Article:
    """A news article taken out of a page: title, body, metadata and teased related articles."""

    title: str = ""
    body: str = ""
    date: str | None = None
    sources: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    related: list[Article] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Title and body as one text: what the classifiers read."""
        return "\n".join(part for part in (self.title, self.body) if part)


def strip_share_noise(text: str) -> str:
    """Remove share-widget counters and buttons ("Total 0 Shares Share 0 Tweet 0 ...")."""
    # The pattern is a long alternation; a substring pre-check keeps clean pages fast.
    lowered = text.lower()
    if not any(hint in lowered for hint in _SHARE_HINTS):
        return text
    return _SHARE_NOISE.sub(" ", text)


def _split_keywords(tags: str) -> list[str]:
    # Tag lines use commas or bars where the site puts separators, bare spaces otherwise.
    pattern = r"\s*[,،|#؛;]\s*" if re.search(r"[,،|#؛;]", tags) else r"\s+"
    return [tag for tag in re.split(pattern, tags) if tag]


def _is_metadata(line: str) -> bool:
    return bool(_DATE_LINE.match(line) or _KEYWORDS_LINE.match(line) or _SOURCE.match(line.strip()))


def _looks_like_title(line: str) -> bool:
    return len(line.split()) <= _TITLE_MAX_WORDS and not line.rstrip().endswith((".", ":", "؛"))


def _split_sources(line: str) -> tuple[str, list[str]]:
    """Cut every "المصدر: ..." out of a line, returning the rest and the sources found."""
    parts = _SOURCE.split(line)
    return parts[0].strip(), [p.strip() for p in parts[1:] if p.strip()]


def _glued_keywords(line: str, keywords: list[str]) -> bool:
    """True for a tag cloud pasted without spaces ("حفتررئيسيروسيا") from the keyword list."""
    squeezed = re.sub(r"\s+", "", line)
    return len(squeezed) >= 4 and squeezed in "".join(k.replace(" ", "") for k in keywords)


def _parse_block(lines: list[str], first_is_title: bool) -> Article:
    article = Article()
    body: list[str] = []
    for raw in lines:
        line = strip_share_noise(raw).strip()
        if not line:
            continue
        if m := _DATE_LINE.match(line):
            article.date = article.date or m.group(1) or None
            continue
        if m := _KEYWORDS_LINE.match(line):
            article.keywords.extend(_split_keywords(m.group(1)))
            continue
        line, sources = _split_sources(line)
        article.sources.extend(sources)
        if line:
            body.append(line)
    body = [ln for ln in body if not (article.keywords and _glued_keywords(ln, article.keywords))]
    if first_is_title and body and _looks_like_title(body[0]):
        article.title = body.pop(0)
    article.body = "\n".join(body)
    return article


def _split_related(lines: list[str]) -> list[list[str]]:
    """Group the lines after a "read also" marker into one block per teased article."""
    blocks: list[list[str]] = []
    for line in lines:
        if not line.strip():
            continue
        # A headline-like line opens a teaser; full sentences continue the one before.
        starts_new = not blocks or (not _is_metadata(line) and _looks_like_title(line))
        if starts_new:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return blocks


def clean_page(page: str) -> Article:
    """Parse a scraped news page into an :class:`Article` with its related teasers split off.

    The first short line is taken as the title. Keyword, source and date lines anywhere in the
    page become metadata, even where they follow the "read also" section.
    """
    if not isinstance(page, str):
        raise TypeError(f"clean_page expects str, got {type(page).__name__}")
    lines = page.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    main_lines, related_lines, in_related = [], [], False
    for line in lines:
        if m := _READ_ALSO.match(strip_share_noise(line)):
            in_related = True
            if m.group(1):
                related_lines.append(m.group(1))
            continue
        (related_lines if in_related else main_lines).append(line)
    article = _parse_block(main_lines, first_is_title=True)
    for block in _split_related(related_lines):
        teaser = _parse_block(block, first_is_title=True)
        # Metadata lines trailing the last teaser still describe the page.
        article.keywords.extend(k for k in teaser.keywords if k not in article.keywords)
        teaser.keywords = []
        if not teaser.text:
            continue
        article.related.append(teaser)
    return article
