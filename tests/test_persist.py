"""Model directories: missing, tampered, foreign-version and malicious artefacts are refused."""

from __future__ import annotations

import json
import pickle
import shutil

import numpy as np
import pytest

from newsclf.errors import ModelError, ModelNotFoundError
from newsclf.persist import sha256_file
from newsclf.topic import TopicClassifier


@pytest.fixture
def model_copy(models_dir, tmp_path):
    target = tmp_path / "topic"
    shutil.copytree(models_dir / "topic", target)
    return target


def edit_meta(directory, **changes):
    path = directory / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        section, _, field = key.partition("__")
        if field:
            meta[section][field] = value
        else:
            meta[section] = value
    path.write_text(json.dumps(meta), encoding="utf-8")


def test_missing_model_says_how_to_train(tmp_path):
    with pytest.raises(ModelNotFoundError, match=r"no topic model at .* run `python train.py`"):
        TopicClassifier.load(tmp_path / "topic")


def artefact(directory):
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    return directory / meta["artefact"]["file"]


def test_topic_artefact_is_plain_arrays(model_copy):
    assert artefact(model_copy).name == "model.npz"


def test_changed_artefact_is_refused(model_copy):
    with artefact(model_copy).open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelError, match="does not match"):
        TopicClassifier.load(model_copy)


def test_other_scikit_learn_version_is_refused_with_a_retrain_hint(model_copy):
    edit_meta(model_copy, versions__scikit_learn="0.24.2")
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2.*retrain"):
        TopicClassifier.load(model_copy)


def test_other_normaliser_version_is_refused(model_copy):
    edit_meta(model_copy, normalizer_version="0")
    with pytest.raises(ModelError, match=r"normaliser version 0.*retrain"):
        TopicClassifier.load(model_copy)


def test_unknown_meta_schema_is_refused(model_copy):
    edit_meta(model_copy, schema=99)
    with pytest.raises(ModelError, match="meta schema 99"):
        TopicClassifier.load(model_copy)


class _Exploit:
    def __reduce__(self):
        import os

        return (os.system, ("touch PWNED",))


@pytest.mark.parametrize("payload", ["pickle", "npz with a pickled object"])
def test_malicious_pickle_is_never_executed(model_copy, tmp_path, monkeypatch, payload):
    """An attacker who replaces the artefact and fixes up the hash still runs no code."""
    monkeypatch.chdir(tmp_path)
    path = artefact(model_copy)
    if payload == "pickle":
        path.write_bytes(pickle.dumps(_Exploit()))
    else:
        with path.open("wb") as handle:
            np.savez(handle, coef=np.array([_Exploit()], dtype=object))
    edit_meta(model_copy, artefact__sha256=sha256_file(path))
    with pytest.raises(ModelError, match="refused to load"):
        TopicClassifier.load(model_copy)
    assert not (tmp_path / "PWNED").exists()


def test_stance_skops_file_with_untrusted_type_is_refused(stance_models_dir, tmp_path, monkeypatch):
    import skops.io as sio

    from newsclf.stance import StanceClassifier

    monkeypatch.chdir(tmp_path)
    target = tmp_path / "stance"
    shutil.copytree(stance_models_dir / "stance", target)
    path = artefact(target)
    assert path.name == "model.skops"
    sio.dump({"payload": _Exploit()}, path)
    edit_meta(target, artefact__sha256=sha256_file(path))
    with pytest.raises(ModelError, match="refused to load"):
        StanceClassifier.load(target)
    path.write_bytes(pickle.dumps(_Exploit()))
    edit_meta(target, artefact__sha256=sha256_file(path))
    with pytest.raises(ModelError, match="refused to load"):
        StanceClassifier.load(target)
    assert not (tmp_path / "PWNED").exists()


def test_save_replaces_a_model_atomically(models_dir, tmp_path):
    model = TopicClassifier.load(models_dir / "topic")
    target = tmp_path / "out" / "topic"
    model.save(target)
    model.save(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["topic"]
    assert TopicClassifier.load(target).labels == model.labels
