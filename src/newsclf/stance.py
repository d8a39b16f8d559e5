"""Stance of an article toward a target (a claim or a position): agree, disagree, discuss, unrelated.

A bag of n-grams cannot see a denial, so the classifier reads the *pair*: TF-IDF of the article
and of the target; the words one side has and the other lacks; and dense pair
features: word and character similarity between the target and the article and between the
target and the article's most similar sentences, how much of the target the article covers, and
counts of Arabic denial, confirmation, hedging and negation cues near those sentences. One
multinomial logistic regression reads them all. A target that recurs in training (as in
target-stance corpora of tweets) gets a logistic regression of its own over word unigrams and
character 1-4-grams of its articles, which scores that target's pairs instead.
"""

from __future__ import annotations

import copy
import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache, partial
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import StandardScaler

from .clean import clean_page
from .errors import ModelError
from .evaluate import stance_report
from .features import (
    WORD_TOKEN_PATTERN,
    CharNgramVectorizer,
    FeatureConfig,
    WordNgramVectorizer,
    make_features,
)
from .labels import STANCE_IDS
from .normalize import NORMALIZER_VERSION, normalize
from .persist import load_skops, save_model_dir, save_skops, verified_artefact

__all__ = ["CUES", "PAIR_FEATURE_NAMES", "StanceClassifier", "pair_features"]


def _words(listing: str) -> tuple[str, ...]:
    """A cue list written as Arabic prose lists it: items separated by "،"."""
    return tuple(item.strip() for item in listing.split("،") if item.strip())


# Cue lexicons, written as a newsroom writes them; normalised (alef, yeh, diacritics) on use.
CUES: dict[str, tuple[str, ...]] = {
    "deny": _words(
        "نفى، ينفي، تنفي، نفت، نفي، نفيا، كذب، كذّب، يكذب، تكذيب، فند، فنّد، يفند، لا صحة، "
        "عار عن الصحة، عارية عن الصحة، غير صحيح، غير صحيحة، شائعة، شائعات، إشاعة، إشاعات، "
        "مزاعم، زعم، يزعم، ادعاءات، مفبركة، مفبرك، مضللة، مضلل، غير دقيقة، أخبار كاذبة، "
        "كاذبة، كاذب، دحض، ينفى، رفض، يرفض، رفضت، استبعد، يستبعد، لا أساس، تصحيح، خطأ، نفى "
        "صحة"
    ),
    "confirm": _words(
        "أكد، يؤكد، أكدت، تؤكد، تأكيد، أعلن، يعلن، أعلنت، كشف، كشفت، أوضح، صرح، أفاد، ذكر، "
        "أقر، اعترف، رسميا، بيان رسمي، ثبت، تأكد، وافق، وافقت، أصدر، أصدرت، تم، بالفعل"
    ),
    "hedge": _words(
        "قد، ربما، يحتمل، محتمل، يتوقع، توقعات، من المتوقع، تقارير، بحسب تقارير، أنباء، أنباء "
        "عن، مصادر، لم يتسن، لم يتم التحقق، غير مؤكدة، تساؤلات، يدرس، تدرس، قيد الدراسة، يجري "
        "التحقيق، تحقيق، جدل، مثير للجدل، يقال، قيل، يعتقد، رجح، يرجح، تكهنات، هل، إن صحت"
    ),
    "negation": _words("لا، لم، لن، ليس، ليست، غير، دون، بدون، عدم، ما"),
}
_SENTENCE = re.compile(r"[.!?؟\n]+")
MAX_SENTENCES = 200  # sentences per article read for the sentence features
_TOKEN = re.compile(WORD_TOKEN_PATTERN)
PAIR_FEATURE_NAMES = (
    "cos_word",
    "cos_char",
    "best_sentence_cos_word",
    "best_sentence_cos_char",
    "top2_sentence_cos_word",
    "target_coverage",
    "best_sentence_coverage",
    "log_article_words",
    "log_target_words",
    "article_deny",
    "article_confirm",
    "article_hedge",
    "article_negation",
    "near_deny",
    "near_confirm",
    "near_hedge",
    "near_negation",
    "target_deny",
    "target_negation",
    "negation_mismatch",
    "target_question",
    "headline_pair",
    "idf_coverage",
    "related_sentences",
    "deny_sentence_sim",
    "confirm_sentence_sim",
    "hedge_sentence_sim",
    "target_numbers_found",
    "target_numbers_missing",
)
TOP_SENTENCES = 5  # sentences closest to the target, read for cue-bearing evidence
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@cache
def _cue_patterns() -> dict[str, re.Pattern]:
    patterns = {}
    for name, words in CUES.items():
        forms = sorted({normalize(w) for w in words}, key=len, reverse=True)
        # A cue is a whole word, optionally with a conjunction or preposition glued in front.
        patterns[name] = re.compile(
            r"(?<!\w)(?:و|ف|ب|ل)?(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)"
        )
    return patterns


def _cue_counts(text: str) -> list[int]:
    return [len(p.findall(text)) for p in _cue_patterns().values()]


# Larkey, Ballesteros and Connell's "light10" stemmer (2002): strip a leading wa-, the definite
# article with its glued prepositions, and common suffixes, so that a target's words meet the
# article's inflected forms (السودانية / السوداني, محادثات / المحادثات) when counting overlap.
_PREFIXES = tuple(normalize(p) for p in ("وال", "بال", "كال", "فال", "لل", "ال"))
_SUFFIXES = tuple(normalize(s) for s in ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"))


@lru_cache(maxsize=1 << 16)
def light_stem(word: str) -> str:
    """The light10 stem of a normalised Arabic word (other words come back unchanged)."""
    if len(word) > 3 and word.startswith("و"):
        word = word[1:]
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def _stems(text: str) -> dict[str, str]:
    """Stem -> the first word of the text with that stem (words of three letters or more)."""
    stems: dict[str, str] = {}
    for token in _TOKEN.findall(text):
        if len(token) > 2:
            stems.setdefault(light_stem(token), token)
    return stems


def _tokens(text: str) -> set[str]:
    return set(_stems(text))


def _cosine_rows(a, b) -> np.ndarray:
    """Row-wise cosine of two L2-normalised sparse matrices of the same shape."""
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def pair_features(articles: Sequence[str], targets: Sequence[str], word, char) -> np.ndarray:
    """Dense pair features (see :data:`PAIR_FEATURE_NAMES`) for prepared article/target pairs.

    ``word`` and ``char`` are fitted TF-IDF vectorizers with L2-normalised output. The sentences
    of all articles go through each vectorizer in one call (at most :data:`MAX_SENTENCES` per
    article).
    """
    n = len(articles)
    aw, tw = word.transform(articles), word.transform(targets)
    ac, tc = char.transform(articles), char.transform(targets)
    cos_word, cos_char = _cosine_rows(aw, tw), _cosine_rows(ac, tc)
    per_article = []
    for article in articles:
        sentences = [s for s in (x.strip() for x in _SENTENCE.split(article)) if s] or [article]
        per_article.append(sentences[:MAX_SENTENCES])
    owner = np.repeat(np.arange(n), [len(s) for s in per_article])
    flat = [s for sentences in per_article for s in sentences]
    all_w = _cosine_rows(word.transform(flat), tw[owner])
    all_c = _cosine_rows(char.transform(flat), tc[owner])
    bounds = np.concatenate([[0], np.cumsum([len(s) for s in per_article])])
    idf = dict(zip(word.vocabulary_, word.idf_[list(word.vocabulary_.values())]))
    unseen_idf = float(word.idf_.max()) if len(word.idf_) else 1.0
    rows = []
    for i, (article, target) in enumerate(zip(articles, targets)):
        sentences = per_article[i]
        sims_w, sims_c = all_w[bounds[i] : bounds[i + 1]], all_c[bounds[i] : bounds[i + 1]]
        order = np.argsort(-(sims_w + sims_c), kind="stable")
        near = " ".join(sentences[j] for j in order[:2])
        target_stems = _stems(target)
        target_tokens = set(target_stems)
        best_tokens = _tokens(sentences[order[0]])
        article_tokens = _tokens(article)
        coverage = len(target_tokens & article_tokens) / max(1, len(target_tokens))
        best_coverage = len(target_tokens & best_tokens) / max(1, len(target_tokens))
        weights = {s: idf.get(word, unseen_idf) for s, word in target_stems.items()}
        # fsum: exact, so the set's (hash-seeded) order cannot change the result.
        idf_coverage = math.fsum(weights[t] for t in target_tokens & article_tokens) / max(
            1e-9, math.fsum(weights.values())
        )
        # The closest sentences that carry a denial, confirmation or hedging cue: how close is
        # the evidence that takes (or avoids) a side?
        cue_sims = [0.0, 0.0, 0.0]
        for j in order[:TOP_SENTENCES]:
            counts = _cue_counts(sentences[j])
            for k in range(3):
                if counts[k]:
                    cue_sims[k] = max(cue_sims[k], float(sims_w[j]))
        numbers = set(_NUMBER.findall(target))
        found = len(numbers & set(_NUMBER.findall(article))) if numbers else 0
        a_cues, n_cues, t_cues = _cue_counts(article), _cue_counts(near), _cue_counts(target)
        rows.append(
            [
                cos_word[i],
                cos_char[i],
                sims_w.max(),
                sims_c.max(),
                float(np.sort(sims_w)[-2:].mean()),
                coverage,
                best_coverage,
                np.log1p(len(article.split())),
                np.log1p(len(target.split())),
                *np.log1p(a_cues),
                *np.log1p(n_cues),
                np.log1p(t_cues[0]),
                np.log1p(t_cues[3]),
                float((t_cues[3] > 0) != (n_cues[3] > 0)),
                float("؟" in target or "?" in target),
                float(len(sentences) <= 2 and len(article.split()) <= 40),
                idf_coverage,
                np.log1p(int((sims_w >= 0.2).sum())),
                *cue_sims,
                found / len(numbers) if numbers else 0.0,
                float(len(numbers) > found),
            ]
        )
    return np.asarray(rows, dtype=np.float64)


def _diff_text(article: str, target: str) -> str:
    """Word stems only one side has, marked by side: where a paraphrase and a denial differ."""
    a, t = _tokens(article), _tokens(target)
    return " ".join([f"a_{w}" for w in sorted(a - t)] + [f"t_{w}" for w in sorted(t - a)])


def _target_vectorizer() -> FeatureUnion:
    """Word unigrams and character 1-4-grams: the per-target models read short texts (tweets)."""
    return FeatureUnion(
        [
            (
                "word",
                WordNgramVectorizer(
                    token_pattern=WORD_TOKEN_PATTERN,
                    lowercase=False,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            ("char", CharNgramVectorizer(ngram_range=(1, 4), sublinear_tf=True, dtype=np.float32)),
        ]
    )


def _logistic(C: float, warm_start: bool = False) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced", warm_start=warm_start)


def _pair_groups(articles: Sequence[str], targets: Sequence[str]) -> np.ndarray:
    """A group id per pair: pairs that share an article or a target (transitively) share one."""
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, key in enumerate(zip(articles, targets)):
        for side in (("a", key[0]), ("t", key[1])):
            j = first.setdefault(side, i)
            parent[root(i)] = root(j)
    return np.asarray([root(i) for i in range(len(articles))])


def _prepare_article(text: str) -> str:
    return normalize(clean_page(text).text)


class StanceClassifier:
    """Stance of (article, target) pairs: agree, disagree, discuss or unrelated.

    Parameters
    ----------
    features : FeatureConfig, optional
        The n-gram TF-IDF settings for the article and target sides.
    C : float or sequence of float
        Inverse regularisation strength of the logistic regression. Several values: the one with
        the best macro-F1 on ``dev`` in :meth:`fit` is kept, or without ``dev``, on a three-fold
        cross-validation of the training pairs that keeps pairs sharing an article or a target
        in one fold (ties go to the smaller value). The best value moves with the corpus: 0.3 on
        long scraped articles (Baly 2018), 1 on headline pairs (ANS), 3 on newsclf's own pairs.
    min_target_count : int
        A target seen at least this often in training (with at least two labels) gets a model of
        its own, which scores that target's pairs.
    target_C : float
        Inverse regularisation strength of those per-target logistic regressions.
    """

    def __init__(
        self,
        features: FeatureConfig | None = None,
        C: float | Sequence[float] = (0.3, 1.0, 3.0),
        min_target_count: int = 30,
        target_C: float = 1.0,
    ):
        self.features = features or FeatureConfig(word_min_df=1, char_min_df=2)
        self.C = C
        self.min_target_count = min_target_count
        self.target_C = target_C

    def _design(self, articles: list[str], targets: list[str], dense=None):
        text_x = self.text_features_.transform(articles)
        target_x = self.target_features_.transform(targets)
        diff_x = self.diff_features_.transform(
            [_diff_text(a, t) for a, t in zip(articles, targets)]
        )
        word, char = (
            self.text_features_.transformer_list[0][1],
            self.text_features_.transformer_list[1][1],
        )
        if dense is None:
            dense = pair_features(articles, targets, word, char)
        dense = self.scaler_.transform(dense)
        blocks = [text_x, target_x, diff_x, sp.csr_matrix(dense)]
        return sp.hstack(blocks, format="csr")

    def fit(
        self,
        articles: Sequence[str],
        targets: Sequence[str],
        labels: Sequence[str],
        dev: tuple[Sequence[str], Sequence[str], Sequence[str]] | None = None,
    ) -> StanceClassifier:
        """Fit on (article, target, label) triples; measure on ``dev`` when given."""
        if not (len(articles) == len(targets) == len(labels)):
            raise ValueError(
                f"{len(articles)} articles, {len(targets)} targets, "
                f"{len(labels)} labels: they must match"
            )
        unknown = set(labels) - set(STANCE_IDS)
        if unknown:
            raise ValueError(f"unknown stance labels {sorted(unknown)}; known: {list(STANCE_IDS)}")
        self.labels = tuple(label for label in STANCE_IDS if label in set(labels))
        if len(self.labels) < 2:
            raise ValueError("stance training needs at least two different labels")
        a = [_prepare_article(x) for x in articles]
        t = [normalize(x) for x in targets]
        if dev is not None and len(dev[0]):
            dev = ([_prepare_article(x) for x in dev[0]], [normalize(x) for x in dev[1]], dev[2])
        else:
            dev = None
        self.text_features_ = make_features(self.features).fit(a + t)
        self.target_features_ = WordNgramVectorizer(
            token_pattern=WORD_TOKEN_PATTERN,
            ngram_range=(1, 2),
            lowercase=False,
            sublinear_tf=True,
            min_df=1,
        ).fit(t)
        self.diff_features_ = WordNgramVectorizer(
            token_pattern=r"\S+", lowercase=False, sublinear_tf=True, min_df=2
        ).fit([_diff_text(x, y) for x, y in zip(a, t)])
        counts = Counter(t)
        frequent = sorted(x for x, c in counts.items() if c >= self.min_target_count)
        self.recurring_targets_ = {x: i for i, x in enumerate(frequent)}
        word, char = (
            self.text_features_.transformer_list[0][1],
            self.text_features_.transformer_list[1][1],
        )
        dense = pair_features(a, t, word, char)
        self.scaler_ = StandardScaler().fit(dense)
        x = self._design(a, t, dense)
        fitted = self._choose_C(x, list(labels), a, t, dev)
        self.classifier_ = fitted or _logistic(self.C_).fit(x, list(labels))
        # A recurring target gets a model of its own: unigrams and short character n-grams of
        # the article, fitted on that target's pairs only (its own vocabulary and label priors).
        self.target_models_ = {}
        y = np.asarray(labels)
        for target in self.recurring_targets_:
            rows = [i for i, x_t in enumerate(t) if x_t == target]
            if len(set(y[rows])) < 2:
                continue
            texts = [a[i] for i in rows]
            vectorizer = _target_vectorizer().fit(texts)
            classifier = _logistic(self.target_C)
            classifier.fit(vectorizer.transform(texts), y[rows])
            self.target_models_[target] = {"features": vectorizer, "classifier": classifier}
        self.label_counts_ = {label: int(c) for label, c in Counter(labels).items()}
        self.metrics_ = {}
        if dev is not None:
            proba = self.predict_proba(dev[0], dev[1], prepared=True)
            predicted = [self.labels[i] for i in proba.argmax(1)]
            self.metrics_["dev"] = stance_report(list(dev[2]), predicted, self.labels)
        return self

    def _choose_C(self, x, y: list[str], articles, targets, dev):
        """Pick C from the grid; return the classifier fitted on all of ``x`` when one was.

        ``dev`` holds prepared (article, target) texts and labels, or is None.

        Each split walks the grid from the smallest C up, warm-starting from the previous
        solution. With ``dev`` the split is the whole training part, so the best model fitted
        there is the final one; with cross-validation the caller refits at the chosen C.
        """
        grid = sorted({float(self.C)} if np.isscalar(self.C) else {float(c) for c in self.C})
        self.C_scores_, self.C_chosen_by_ = {}, None
        if len(grid) == 1 or len(y) < 3:
            self.C_ = grid[0]
            return None
        y_all = np.asarray(y)
        if dev is not None:
            self.C_chosen_by_ = "dev"
            splits = [(np.arange(len(y)), self._design(dev[0], dev[1]), list(dev[2]))]
        else:
            self.C_chosen_by_ = "grouped 3-fold CV"
            groups = _pair_groups(articles, targets)
            if len(set(groups)) < 3:
                groups = np.arange(len(y))
            splits = [
                (fit_rows, x[held], y_all[held])
                for fit_rows, held in GroupKFold(n_splits=3).split(x, y, groups)
            ]
        fold_scores: dict[float, list[float]] = {c: [] for c in grid}
        fitted_on_all: dict[float, LogisticRegression] = {}
        for fit_rows, held_x, held_y in splits:
            if len(set(y_all[fit_rows])) < 2:
                continue
            model = _logistic(grid[0], warm_start=True)
            for c in grid:
                model.set_params(C=c).fit(x[fit_rows], y_all[fit_rows])
                score = f1_score(
                    held_y,
                    model.predict(held_x),
                    labels=list(self.labels),
                    average="macro",
                    zero_division=0,
                )
                fold_scores[c].append(score)
                if self.C_chosen_by_ == "dev":
                    fitted_on_all[c] = copy.deepcopy(model)
        self.C_scores_ = {
            c: round(float(np.mean(f)), 4) if f else 0.0 for c, f in fold_scores.items()
        }
        self.C_ = max(grid, key=lambda c: (self.C_scores_[c], -c))
        return fitted_on_all.get(self.C_)

    def predict_proba(
        self, articles: Sequence[str], targets: Sequence[str], prepared: bool = False
    ) -> np.ndarray:
        """Probabilities, one column per label in :attr:`labels`."""
        if not hasattr(self, "classifier_"):
            raise ModelError("this StanceClassifier is not fitted; call fit() or load() first")
        if not len(articles):
            return np.zeros((0, len(self.labels)))
        a = list(articles) if prepared else [_prepare_article(x) for x in articles]
        t = list(targets) if prepared else [normalize(x) for x in targets]
        proba = self.classifier_.predict_proba(self._design(a, t))
        order = [list(self.classifier_.classes_).index(label) for label in self.labels]
        proba = proba[:, order]
        for target, model in getattr(self, "target_models_", {}).items():
            rows = [i for i, x_t in enumerate(t) if x_t == target]
            if not rows:
                continue
            own = model["classifier"].predict_proba(
                model["features"].transform([a[i] for i in rows])
            )
            per_target = np.zeros((len(rows), len(self.labels)))
            for j, label in enumerate(model["classifier"].classes_):
                per_target[:, self.labels.index(label)] = own[:, j]
            proba[rows] = per_target
        return proba

    # -- persistence ------------------------------------------------------------------------
    def save(self, directory: str | os.PathLike, training_data: dict | None = None) -> Path:
        artefact = {
            "text_features": self.text_features_,
            "target_features": self.target_features_,
            "diff_features": self.diff_features_,
            "scaler": self.scaler_,
            "classifier": self.classifier_,
            "target_models": self.target_models_,
        }
        meta = {
            "kind": "stance",
            "labels": list(self.labels),
            "recurring_targets": list(self.recurring_targets_),
            "pair_features": list(PAIR_FEATURE_NAMES),
            "normalizer_version": NORMALIZER_VERSION,
            "config": {
                "features": self.features.to_dict(),
                "C": self.C_,
                "C_scores": {str(c): f for c, f in self.C_scores_.items()},
                "C_chosen_by": self.C_chosen_by_,
                "min_target_count": self.min_target_count,
                "target_C": self.target_C,
            },
            "training_data": {**(training_data or {}), "label_counts": self.label_counts_},
            "metrics": self.metrics_,
        }
        return save_model_dir(
            directory, meta, "model.skops", partial(save_skops, artefact=artefact)
        )

    @classmethod
    def load(cls, directory: str | os.PathLike) -> StanceClassifier:
        path, meta = verified_artefact(directory, "stance")
        if meta.get("pair_features") != list(PAIR_FEATURE_NAMES):
            raise ModelError(
                f"the stance model in {directory} was trained with another set of pair features "
                "than this version of newsclf computes; train it again (python train.py)"
            )
        artefact = load_skops(path)
        config = meta.get("config", {})
        model = cls(
            FeatureConfig.from_dict(config.get("features", {})),
            float(config.get("C", 0.3)),
            config.get("min_target_count", 30),
            config.get("target_C", 1.0),
        )
        model.labels = tuple(meta["labels"])
        model.text_features_ = artefact["text_features"]
        model.target_features_ = artefact["target_features"]
        model.diff_features_ = artefact["diff_features"]
        model.scaler_ = artefact["scaler"]
        model.classifier_ = artefact["classifier"]
        model.target_models_ = artefact.get("target_models", {})
        model.recurring_targets_ = {t: i for i, t in enumerate(meta["recurring_targets"])}
        model.C_ = model.C
        model.C_scores_ = {float(c): f for c, f in config.get("C_scores", {}).items()}
        model.C_chosen_by_ = config.get("C_chosen_by")
        model.label_counts_ = meta.get("training_data", {}).get("label_counts", {})
        model.metrics_ = meta.get("metrics", {})
        model.meta_ = meta
        return model
