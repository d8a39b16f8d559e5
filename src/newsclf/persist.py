"""Model directories: one artefact plus ``meta.json``, written atomically, checked on load.

A model directory (``models/topic/``, ``models/stance/``) holds ``meta.json`` and one artefact:
``model.npz`` for the topic model (plain arrays, read with ``allow_pickle=False``) or
``model.skops`` for the stance model. Loading checks, in order, that the directory exists, that
the meta schema is known, that the model was trained with this scikit-learn version and this
normaliser version, and that the artefact's sha256 matches the one recorded at training time.
Only then is the artefact read, and neither reader runs code from the file: NumPy refuses pickled
objects, and :mod:`skops.io` builds objects from an allow-list of types (scikit-learn's, NumPy's,
SciPy's and :data:`TRUSTED_TYPES`).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError, ModelNotFoundError
from .normalize import NORMALIZER_VERSION

__all__ = [
    "META_NAME",
    "META_SCHEMA",
    "TRUSTED_TYPES",
    "default_models_dir",
    "environment",
    "load_arrays",
    "load_skops",
    "read_meta",
    "save_arrays",
    "save_model_dir",
    "save_skops",
    "sha256_file",
    "verified_artefact",
]

#: The only types beyond scikit-learn's, NumPy's and SciPy's that a model file may contain.
TRUSTED_TYPES = ["newsclf.features.CharNgramVectorizer", "newsclf.features.WordNgramVectorizer"]
META_NAME = "meta.json"
META_SCHEMA = 1


def default_models_dir() -> Path:
    """``$NEWSCLF_MODELS`` when set, else ``models/`` in the working directory."""
    return Path(os.environ.get("NEWSCLF_MODELS") or "models")


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def environment() -> dict[str, str]:
    """Library versions a model depends on, recorded in meta.json and checked on load."""
    from . import __version__

    return {
        "newsclf": __version__,
        "scikit_learn": _sklearn_version(),
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def save_model_dir(
    directory: str | os.PathLike,
    meta: dict,
    artefact_name: str,
    write_artefact: Callable[[Path], None],
) -> Path:
    """Write an artefact (via ``write_artefact(path)``) and ``meta.json`` to ``directory``.

    Everything is written to a temporary sibling directory first and renamed into place, so a
    crash or an interrupt never leaves a half-written model behind.
    """
    target = Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        write_artefact(staging / artefact_name)
        meta = {
            "schema": META_SCHEMA,
            **meta,
            "versions": environment(),
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "artefact": {"file": artefact_name, "sha256": sha256_file(staging / artefact_name)},
        }
        (staging / META_NAME).write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        retired = None
        if target.exists():
            retired = target.with_name(f".{target.name}-old-{os.getpid()}")
            target.rename(retired)
        staging.rename(target)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)


def save_skops(path: Path, artefact: Any) -> None:
    import skops.io as sio

    sio.dump(artefact, path, compression=zipfile.ZIP_DEFLATED)


def read_meta(directory: str | os.PathLike, kind: str) -> dict:
    """Read and check ``meta.json`` of a ``kind`` ("topic" or "stance") model directory."""
    directory = Path(directory)
    meta_path = directory / META_NAME
    if not meta_path.is_file():
        raise ModelNotFoundError(f"no {kind} model at {directory} — run `python train.py`")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{meta_path} is not valid JSON ({exc}); retrain the model") from exc
    if not isinstance(meta, dict) or meta.get("schema") != META_SCHEMA:
        found = meta.get("schema") if isinstance(meta, dict) else type(meta).__name__
        raise ModelError(
            f"{meta_path} has meta schema {found!r}, this newsclf reads schema {META_SCHEMA}; "
            "retrain with `python train.py`"
        )
    if meta.get("kind") != kind:
        raise ModelError(f"{directory} holds a {meta.get('kind')!r} model, expected {kind!r}")
    return meta


def verified_artefact(directory: str | os.PathLike, kind: str) -> tuple[Path, dict]:
    """Check a ``kind`` model directory; return the path of its artefact and its meta."""
    directory = Path(directory)
    meta = read_meta(directory, kind)
    trained_with = meta.get("versions", {}).get("scikit_learn")
    installed = _sklearn_version()
    if trained_with != installed:
        raise ModelError(
            f"the {kind} model at {directory} was trained with scikit-learn {trained_with}, "
            f"this environment has {installed}; retrain it with `python train.py` "
            "(or install the matching scikit-learn)"
        )
    if meta.get("normalizer_version") != NORMALIZER_VERSION:
        raise ModelError(
            f"the {kind} model at {directory} uses normaliser version "
            f"{meta.get('normalizer_version')}, this newsclf has {NORMALIZER_VERSION}; "
            "retrain it with `python train.py`"
        )
    name = str(meta.get("artefact", {}).get("file", ""))
    artefact_path = directory / name
    if not name or Path(name).name != name or not artefact_path.is_file():
        raise ModelError(f"{directory}: artefact {name!r} is missing")
    recorded = meta.get("artefact", {}).get("sha256")
    actual = sha256_file(artefact_path)
    if recorded != actual:
        raise ModelError(
            f"{artefact_path}: sha256 {actual[:12]}… does not match {str(recorded)[:12]}… "
            "recorded in meta.json; the file was changed or corrupted — refusing to load it"
        )
    return artefact_path, meta


def load_arrays(path: Path) -> dict[str, np.ndarray]:
    """Read an ``.npz`` artefact without ever unpickling anything."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except Exception as exc:  # numpy raises several types for refused or broken files
        raise ModelError(f"{path}: refused to load ({type(exc).__name__}: {exc})") from exc


def load_skops(path: Path) -> Any:
    """Read a ``.skops`` artefact, building only allow-listed types."""
    import skops.io as sio

    try:
        return sio.load(path, trusted=TRUSTED_TYPES)
    except Exception as exc:  # skops raises several types for refused or broken files
        raise ModelError(f"{path}: refused to load ({type(exc).__name__}: {exc})") from exc


def _sklearn_version() -> str:
    # The distribution's metadata, not the package: importing scikit-learn costs half a second
    # that `newsclf predict` should not pay just to check a version.
    from importlib.metadata import version

    return version("scikit-learn")
