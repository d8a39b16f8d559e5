"""Model directories: a skops artefact plus ``meta.json``, written atomically, checked on load.

A model directory (``models/topic/``, ``models/stance/``) holds ``model.skops`` and
``meta.json``. Loading checks, in order, that the directory exists, that the meta schema is
known, that the artefact was written by this scikit-learn version and that its sha256 matches the
one recorded at training time, and only then deserialises it with :mod:`skops.io`, which builds
objects from an allow-list of types (scikit-learn's, NumPy's, SciPy's and
:data:`TRUSTED_TYPES`) and never runs pickle's arbitrary code.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import ModelError, ModelNotFoundError

__all__ = [
    "ARTEFACT_NAME",
    "META_NAME",
    "META_SCHEMA",
    "default_models_dir",
    "environment",
    "load_model_dir",
    "save_model_dir",
    "sha256_file",
]

ARTEFACT_NAME = "model.skops"
#: The only types beyond scikit-learn's, NumPy's and SciPy's that a model file may contain.
TRUSTED_TYPES = ["newsclf.features.CharNgramVectorizer"]
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
    import numpy
    import sklearn

    from . import __version__

    return {
        "newsclf": __version__,
        "scikit_learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
    }


def save_model_dir(directory: str | os.PathLike, artefact: Any, meta: dict) -> Path:
    """Write ``artefact`` and ``meta`` to ``directory``, replacing it only once both are whole.

    Everything is written to a temporary sibling directory first and renamed into place, so a
    crash or an interrupt never leaves a half-written model behind.
    """
    import skops.io as sio

    target = Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        sio.dump(artefact, staging / ARTEFACT_NAME)
        meta = {
            "schema": META_SCHEMA,
            **meta,
            "versions": environment(),
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "artefact": {"file": ARTEFACT_NAME, "sha256": sha256_file(staging / ARTEFACT_NAME)},
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


def load_model_dir(directory: str | os.PathLike, kind: str) -> tuple[Any, dict]:
    """Load and verify a model directory; return ``(artefact, meta)``."""
    import sklearn
    import skops.io as sio

    directory = Path(directory)
    meta = read_meta(directory, kind)
    trained_with = meta.get("versions", {}).get("scikit_learn")
    if trained_with != sklearn.__version__:
        raise ModelError(
            f"the {kind} model at {directory} was trained with scikit-learn {trained_with}, "
            f"this environment has {sklearn.__version__}; retrain it with `python train.py` "
            "(or install the matching scikit-learn)"
        )
    artefact_path = directory / meta.get("artefact", {}).get("file", ARTEFACT_NAME)
    if not artefact_path.is_file() or artefact_path.parent.resolve() != directory.resolve():
        raise ModelError(f"{directory}: artefact {artefact_path.name} is missing")
    recorded = meta.get("artefact", {}).get("sha256")
    actual = sha256_file(artefact_path)
    if recorded != actual:
        raise ModelError(
            f"{artefact_path}: sha256 {actual[:12]}… does not match {str(recorded)[:12]}… "
            "recorded in meta.json; the file was changed or corrupted — refusing to load it"
        )
    try:
        artefact = sio.load(artefact_path, trusted=TRUSTED_TYPES)
    except Exception as exc:  # skops raises several types for refused or broken files
        raise ModelError(f"{artefact_path}: refused to load ({type(exc).__name__}: {exc})") from exc
    return artefact, meta
