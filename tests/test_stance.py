"""Stance toward a target: pair features, the model, and the API and CLI around it."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

import newsclf
from newsclf.cli import app
from newsclf.normalize import normalize
from newsclf.stance import PAIR_FEATURE_NAMES, StanceClassifier, _cue_counts

ARTICLE = (
    "نفت وزارة الدفاع الليبية صحة التقارير التي تحدثت عن وصول منظومة صواريخ روسية إلى "
    "قاعدة الجفرة، ووصفت ما نشر بأنه شائعات لا أساس لها. وقال المتحدث باسم الوزارة إن "
    "القاعدة تخضع لأعمال صيانة روتينية."
)
CLAIM = "روسيا نقلت منظومة صواريخ إلى قاعدة الجفرة في ليبيا"


@pytest.fixture(scope="module")
def full_models(models_dir, stance_models_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("full")
    shutil.copytree(models_dir / "topic", root / "topic")
    shutil.copytree(stance_models_dir / "stance", root / "stance")
    return root


def test_cue_lexicon_finds_denials_after_normalisation():
    deny = _cue_counts(normalize(ARTICLE))[0]
    assert deny >= 2  # نفت، شائعات، لا أساس
    assert _cue_counts(normalize("أكدت الوزارة الخبر رسميا"))[1] >= 2


def test_pair_features_shape_and_similarity(stance_models_dir):
    model = StanceClassifier.load(stance_models_dir / "stance")
    word, char = (
        model.text_features_.transformer_list[0][1],
        model.text_features_.transformer_list[1][1],
    )
    from newsclf.stance import pair_features

    a = normalize(ARTICLE)
    rows = pair_features(
        [a, a], [normalize(CLAIM), normalize("فاز الأهلي بالدوري المصري")], word, char
    )
    assert rows.shape == (2, len(PAIR_FEATURE_NAMES))
    cos = PAIR_FEATURE_NAMES.index("cos_char")
    assert rows[0, cos] > rows[1, cos]


PAIR_FEATURES_DIGEST = """
import hashlib, json, sys
from newsclf.normalize import normalize
from newsclf.stance import StanceClassifier, _prepare_article, pair_features
model = StanceClassifier.load(sys.argv[1])
word, char = (v for _, v in model.text_features_.transformer_list)
with open(sys.argv[2], encoding="utf-8") as handle:
    rows = [json.loads(line) for _, line in zip(range(120), handle)]
x = pair_features([_prepare_article(r["text"]) for r in rows], [normalize(r["target"]) for r in rows], word, char)
print(hashlib.sha256(x.tobytes()).hexdigest())
"""


def test_pair_features_do_not_depend_on_the_hash_seed(stance_models_dir):
    """Python salts string hashes per process; set order must not reach the features."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    digests = set()
    for seed in ("1", "2", "3"):
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                PAIR_FEATURES_DIGEST,
                str(stance_models_dir / "stance"),
                str(ROOT / "data" / "stance" / "pairs.jsonl"),
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_model_probabilities(stance_models_dir):
    model = StanceClassifier.load(stance_models_dir / "stance")
    proba = model.predict_proba([ARTICLE, ARTICLE], [CLAIM, "ارتفاع أسعار القهوة في البرازيل"])
    assert proba.shape == (2, len(model.labels))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(model.labels) == {"agree", "disagree", "discuss", "unrelated"}


def test_recurring_targets_learn_their_own_cues(tmp_path):
    """The same word can mean support for one recurring target and rejection of another."""
    rng = np.random.default_rng(0)
    filler = normalize("اليوم الناس في البلد هذا الامر كثير حديث عن الموضوع منذ ايام").split()
    vaccine, digital, other = "لقاح كورونا", "التحول الرقمي", "نتائج الانتخابات البلدية"
    rows = []
    for i in range(40):
        word = "رائع" if i % 2 else "سيئ"
        noise = " ".join(rng.choice(filler, 6))
        rows.append((f"{noise} {word} جدا", vaccine, "agree" if word == "رائع" else "disagree"))
        rows.append((f"{noise} {word} حقا", digital, "disagree" if word == "رائع" else "agree"))
        rows.append((f"{noise} خبر {i}", other, ["discuss", "unrelated"][i % 2]))
    model = StanceClassifier(min_target_count=30).fit(*zip(*rows))
    assert set(model.recurring_targets_) == {
        normalize(vaccine),
        normalize(digital),
        normalize(other),
    }
    tests = ["الموضوع رائع جدا", "الامر سيئ حقا"]
    proba = model.predict_proba(tests * 2, [vaccine, vaccine, digital, digital])
    predicted = [model.labels[i] for i in proba.argmax(axis=1)]
    assert predicted == ["agree", "disagree", "disagree", "agree"]
    model.save(tmp_path / "stance")
    again = StanceClassifier.load(tmp_path / "stance")
    np.testing.assert_allclose(
        again.predict_proba(tests * 2, [vaccine, vaccine, digital, digital]), proba
    )


def test_pair_groups_join_pairs_that_share_an_article_or_a_target():
    from newsclf.stance import _pair_groups

    groups = _pair_groups(["a1", "a1", "a2", "a3", "a4"], ["t1", "t2", "t2", "t3", "t3"])
    assert groups[0] == groups[1] == groups[2]  # a1 joins its two targets, t2 joins a2
    assert groups[3] == groups[4] != groups[0]


def test_C_is_chosen_on_dev_or_by_grouped_cross_validation(stance_models_dir):
    config = json.loads((stance_models_dir / "stance" / "meta.json").read_text("utf-8"))["config"]
    assert config["C_chosen_by"] == "dev"  # the fixture's data has a dev part
    assert set(config["C_scores"]) == {"0.3", "1.0", "3.0"}
    assert config["C_scores"][str(config["C"])] == max(config["C_scores"].values())

    rng = np.random.default_rng(1)
    words = normalize("قال مصدر رسمي اليوم ان الحكومة تدرس الملف منذ ايام دون قرار").split()
    articles, targets, labels = [], [], []
    for i in range(60):
        label = ["agree", "disagree", "unrelated"][i % 3]
        cue = {"agree": "اكدت", "disagree": "نفت", "unrelated": "الطقس"}[label]
        articles.append(f"{' '.join(rng.choice(words, 8))} {cue} الخبر {i}")
        targets.append(f"قرار الحكومة رقم {i // 3}")
        labels.append(label)
    searched = StanceClassifier(C=(0.1, 1.0)).fit(articles, targets, labels)
    assert searched.C_chosen_by_ == "grouped 3-fold CV"
    assert set(searched.C_scores_) == {0.1, 1.0}
    assert searched.C_ == max(searched.C_scores_, key=lambda c: (searched.C_scores_[c], -c))
    fixed = StanceClassifier(C=0.5).fit(articles, targets, labels)
    assert fixed.C_ == 0.5 and fixed.C_scores_ == {} and fixed.C_chosen_by_ is None


def test_light_stems_let_inflected_forms_meet():
    from newsclf.stance import _tokens, light_stem

    def stems(text):
        return [light_stem(w) for w in normalize(text).split()]

    assert stems("السودانية السوداني") == ["سودان", "سودان"]
    assert stems("المحادثات محادثات") == ["محادث", "محادث"]
    assert stems("وبالمدينة للسلام") == ["مدين", "سلام"]
    assert stems("من S-400 covid") == ["من", "s-400", "covid"]  # short and foreign words stay
    target, article = "محادثات السلام السودانية", "استأنف الطرفان المحادثات للسلام السوداني"
    assert _tokens(normalize(target)) <= _tokens(normalize(article))


def test_a_model_with_other_pair_features_is_refused(stance_models_dir, tmp_path):
    from newsclf.errors import ModelError

    shutil.copytree(stance_models_dir / "stance", tmp_path / "stance")
    meta_path = tmp_path / "stance" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["pair_features"] = meta["pair_features"][:-1]  # as saved by an older version
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="another set of pair features"):
        StanceClassifier.load(tmp_path / "stance")


def test_api_stance_and_bad_pairs(full_models):
    clf = newsclf.load(full_models)
    result = clf.stance(ARTICLE, CLAIM)
    assert result.error is None and result.label in result.scores
    assert abs(sum(result.scores.values()) - 1) < 1e-6
    bad = clf.stance_many([ARTICLE, "", ARTICLE], ["", CLAIM, "Russia moved missiles"])
    assert bad[0].error == "empty target" and bad[1].error == "empty text"
    assert bad[2].error is None and any(
        "target has little or no Arabic" in w for w in bad[2].warnings
    )


def test_classify_with_targets(full_models):
    clf = newsclf.load(full_models)
    with_target, without, empty = clf.classify_many([ARTICLE] * 3, targets=[CLAIM, None, " "])
    assert with_target.stance is not None and with_target.topics
    assert "stance" in with_target.to_dict()
    assert without.stance is None and "stance" not in without.to_dict()
    assert empty.error == "empty target"


def test_no_stance_model_is_a_clear_error(models_dir):
    clf = newsclf.load(models_dir)
    with pytest.raises(newsclf.errors.ModelNotFoundError, match="no stance model"):
        clf.stance(ARTICLE, CLAIM)


def test_cli_target_and_target_field(full_models, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["predict", ARTICLE, "--target", CLAIM, "--models", str(full_models)]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["stance"]["label"] in {"agree", "disagree", "discuss", "unrelated"}
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        json.dumps({"id": "1", "text": ARTICLE, "target": CLAIM}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "2", "text": ARTICLE}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["predict", str(path), "--models", str(full_models)])
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert "stance" in first and "stance" not in second


def test_cli_train_and_evaluate_stance_with_label_map(tmp_path):
    rows = [
        {"text": ARTICLE, "target": CLAIM, "label": "Against"},
        {"text": ARTICLE, "target": "وزارة الدفاع الليبية نفت وصول صواريخ روسية", "label": "Favor"},
        {"text": ARTICLE, "target": "أعمال صيانة في قاعدة الجفرة", "label": "None"},
    ] * 4
    data = tmp_path / "mine.jsonl"
    data.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    runner = CliRunner()
    args = ["--task", "stance", "--label-map", "Favor=agree,Against=disagree,None=discuss"]
    result = runner.invoke(app, ["train", str(data), *args, "--models", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "m" / "stance" / "meta.json").read_text(encoding="utf-8"))
    assert meta["labels"] == ["agree", "disagree", "discuss"]
    result = runner.invoke(app, ["train", str(data), *args[:2], "--models", str(tmp_path / "m3")])
    assert result.exit_code == 2 and "unknown stance 'Against'" in result.stderr
    result = runner.invoke(
        app,
        [
            "train",
            str(data),
            "--task",
            "stance",
            "--label-map",
            "x",
            "--models",
            str(tmp_path / "m3"),
        ],
    )
    assert result.exit_code == 2 and "bad --label-map entry" in result.stderr


def test_cli_evaluate_stance(full_models, tmp_path):
    rows = [
        {"text": ARTICLE, "target": CLAIM, "label": "other"},
        {"text": ARTICLE, "target": "نفت الوزارة وصول صواريخ", "label": "agree"},
    ]
    data = tmp_path / "eval.jsonl"
    data.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(data),
            "--task",
            "stance",
            "--label-map",
            "other=unrelated",
            "--json",
            "--models",
            str(full_models),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 2 and set(report["per_label"]) == {
        "agree",
        "disagree",
        "discuss",
        "unrelated",
    }


def test_cli_info_shows_the_chosen_C(full_models):
    result = CliRunner().invoke(app, ["info", "--models", str(full_models)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("C: "))
    assert "chosen by dev" in line and "0.3: " in line and "3.0: " in line
