"""Arabic text normalisation: small pure ``str -> str`` steps composed into :func:`normalize`.

Every step is idempotent and so is their composition, which is applied before any feature is
computed and to every text the models see. Choices that change meaning are documented here:

* alef forms (أ إ آ ٱ) become bare alef; hamza on waw and yeh (ؤ ئ) and lone hamza are kept;
* alef maqsura (ى) becomes yeh (ي): scraped Egyptian and Gulf pages write final yeh either way;
* teh marbuta (ة) is kept: edited news text uses it reliably, and folding it into heh (ه) would
  merge nouns with the third-person suffix (كتابة / كتابه);
* Latin text is case-folded, so that ``S-400`` and ``s-400`` are one token.

pyarabic is used where its behaviour matches these choices (tatweel). Its ``normalize_alef`` also
turns alef maqsura and superscript alef into alef, its ``normalize_hamza`` turns every hamza
carrier into a lone hamza, and its ``strip_tashkeel`` leaves the superscript alef in place, so
those steps are written out here; ``tests/test_normalize.py`` pins that behaviour.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pyarabic import araby

__all__ = [
    "NORMALIZER_VERSION",
    "apply_nfkc",
    "arabic_ratio",
    "collapse_whitespace",
    "hashtags_to_words",
    "normalize",
    "normalize_alef",
    "normalize_alef_maqsura",
    "normalize_digits",
    "remove_format_chars",
    "replace_emails",
    "replace_mentions",
    "replace_urls",
    "strip_diacritics",
    "strip_tatweel",
]

#: Bumped whenever a step changes what it outputs; saved into every model's meta.json.
NORMALIZER_VERSION = "1"

URL_TOKEN = "_url_"
EMAIL_TOKEN = "_email_"
MENTION_TOKEN = "_user_"

# Harakat, shadda, sukun, the superscript (dagger) alef, combining hamza and the Quranic
# annotation marks.
_DIACRITICS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"
)
_ALEF_FORMS = re.compile("[\u0622\u0623\u0625\u0671]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MENTION = re.compile(r"[#@]*@[#@]*\w+")
_HASHTAG = re.compile(r"#+(\w+)")
_BREAKS = (
    ("\r\n", "\n"),
    ("\r", "\n"),
    ("\f", "\n"),
    ("\v", "\n"),
    ("\x85", "\n"),
    ("\t", " "),
    ("\u200c", " "),
)
_NON_ASCII_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_NON_ARABIC_LETTER = re.compile("[^\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_NOT_LETTER = re.compile(r"[\W\d_]+")


def apply_nfkc(text: str) -> str:
    """Fold presentation forms and ligatures (ﻻ, ﷲ, ﺑ) into their plain letters."""
    return unicodedata.normalize("NFKC", text)


@functools.cache
def _invisible() -> re.Pattern:
    """Format (Cf) and control (Cc) characters, surrogates and private-use code points.

    Built on first use from this Python's Unicode tables (Cf characters only occur in planes
    0, 1 and 14), so that importing newsclf stays fast.
    """
    spans, start = [], None
    for cp in [*range(0x20000), *range(0xE0000, 0xE1000), 0xE1000]:
        hidden = cp != 0xE1000 and unicodedata.category(chr(cp)) in ("Cf", "Cc")
        if hidden and start is None:
            start = cp
        elif not hidden and start is not None:
            spans.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    spans += ["\ud800-\udfff", "\ue000-\uf8ff", "\U000f0000-\U0010ffff"]
    return re.compile("[" + "".join(spans) + "]")


def remove_format_chars(text: str) -> str:
    """Drop invisible characters: bidi marks, zero-width joiners, BOM, controls, private use.

    Line and page breaks become newlines and tabs spaces; the zero-width non-joiner, which
    separates morphemes in Persian script, becomes a space.
    """
    for ch, replacement in _BREAKS:
        if ch in text:
            text = text.replace(ch, replacement)
    return _invisible().sub("", text)


def strip_diacritics(text: str) -> str:
    """Remove harakat, tanwin, shadda, sukun, the superscript alef and Quranic marks."""
    return _DIACRITICS.sub("", text)


def strip_tatweel(text: str) -> str:
    """Remove the kashida / tatweel stretching character (ـ)."""
    return araby.strip_tatweel(text)


def normalize_alef(text: str) -> str:
    """Map alef with hamza above or below, with madda and alef wasla to bare alef (ا)."""
    return _ALEF_FORMS.sub("\u0627", text)


def normalize_alef_maqsura(text: str) -> str:
    """Map alef maqsura (ى) to yeh (ي), as scraped pages mix the two at word ends."""
    return text.replace("\u0649", "\u064a")


def normalize_digits(text: str) -> str:
    """Map Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII digits."""
    return text.translate(_DIGITS) if _NON_ASCII_DIGIT.search(text) else text


def replace_urls(text: str) -> str:
    """Replace web addresses with a placeholder token."""
    if "://" not in text and "www." not in text.lower():
        return text
    return _URL.sub(f" {URL_TOKEN} ", text)


def replace_emails(text: str) -> str:
    """Replace e-mail addresses with a placeholder token."""
    return _EMAIL.sub(f" {EMAIL_TOKEN} ", text) if "@" in text else text


def replace_mentions(text: str) -> str:
    """Replace @mentions with a placeholder token."""
    return _MENTION.sub(f" {MENTION_TOKEN} ", text) if "@" in text else text


def hashtags_to_words(text: str) -> str:
    """Turn ``#حفتر_رئيسي`` into ``حفتر رئيسي``: hashtags are topical words, keep them."""
    if "#" not in text:
        return text
    return _HASHTAG.sub(lambda m: m.group(1).replace("_", " "), text)


def collapse_whitespace(text: str) -> str:
    """Collapse runs of spaces, keep single line breaks between paragraphs, trim the ends."""
    return "\n".join(" ".join(words) for line in text.split("\n") if (words := line.split()))


def arabic_ratio(text: str) -> float:
    """Share of the letters in ``text`` that are Arabic letters (0.0 when there are none).

    Long texts are judged by their first 5,000 characters.
    """
    text = text[:5000]
    letters = len(_NOT_LETTER.sub("", text))
    return len(_NON_ARABIC_LETTER.sub("", text)) / letters if letters else 0.0


def normalize(text: str) -> str:
    """Apply every normalisation step, in an order that makes the whole idempotent."""
    if not isinstance(text, str):
        raise TypeError(f"normalize expects str, got {type(text).__name__}")
    text = apply_nfkc(text)
    text = remove_format_chars(text)
    text = strip_diacritics(text)
    text = strip_tatweel(text)
    text = hashtags_to_words(text)
    text = replace_urls(text)
    text = replace_emails(text)
    text = replace_mentions(text)
    text = normalize_alef(text)
    text = normalize_alef_maqsura(text)
    text = normalize_digits(text)
    # Removing characters can bring a base letter and a combining mark together, and case
    # folding can leave a decomposed sequence: compose once more so that a second pass is a no-op.
    text = apply_nfkc(text.casefold())
    return collapse_whitespace(text)
