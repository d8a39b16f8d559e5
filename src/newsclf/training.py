"""Training entry points shared by ``python train.py`` and ``newsclf train``."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from .errors import InputError
from .io import read_jsonl_records
from .labels import STANCE_IDS, TOPIC_IDS

__all__ = ["DEFAULT_TOPIC_DATA", "data_files", "read_topic_data", "train_topic"]

DEFAULT_TOPIC_DATA = Path("data/topics")


def data_files(path: str | os.PathLike) -> list[Path]:
    """The JSONL files of a dataset: the file itself, or every ``*.jsonl`` under a directory."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.rglob("*.jsonl"))
        if not files:
            raise InputError(f"{path} holds no .jsonl files")
        return files
    if not path.is_file():
        raise InputError(f"training data {path} does not exist")
    return [path]


def _hash_files(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    return digest.hexdigest()


def read_topic_data(path: str | os.PathLike) -> tuple[list[dict], str]:
    """Read labelled articles: ``text`` (plus optional ``title``), ``labels`` or ``label``.

    Returns the records (``text``, ``labels``, ``split``) and the sha256 of the files read.
    """
    files = data_files(path)
    records = []
    for f in files:
        for number, record in read_jsonl_records(f):
            where = f"{f}, line {number}"
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"{where}: 'text' must be a non-empty string")
            labels = record.get("labels", record.get("label"))
            if isinstance(labels, str):
                labels = [labels]
            if (
                not isinstance(labels, list)
                or not labels
                or not all(isinstance(x, str) for x in labels)
            ):
                raise InputError(f"{where}: needs 'labels' (a list of topic ids) or 'label'")
            unknown = [x for x in labels if x not in TOPIC_IDS]
            if unknown:
                raise InputError(
                    f"{where}: unknown topic {unknown[0]!r}; expected one of {', '.join(TOPIC_IDS)}"
                )
            title = record.get("title")
            if isinstance(title, str) and title.strip():
                text = f"{title.strip()}\n{text}"
            records.append({"text": text, "labels": labels, "split": record.get("split", "train")})
    return records, _hash_files(files)


def _train_and_save(kind: str, data, models_dir, dev, read: Callable, fit: Callable) -> dict:
    """Read, split (``dev`` file or ``split: dev`` records), fit, save; return the saved meta."""
    records, digest = read(data)
    if dev is not None:
        dev_records, dev_digest = read(dev)
        digest = hashlib.sha256((digest + dev_digest).encode()).hexdigest()
        train_records = records
    else:
        train_records = [r for r in records if r["split"] != "dev"]
        dev_records = [r for r in records if r["split"] == "dev"]
    if not train_records:
        raise InputError(f"{data}: no training records (all are marked dev)")
    try:
        model = fit(train_records, dev_records)
    except ValueError as exc:
        raise InputError(f"{data}: {exc}") from exc
    target = model.save(
        Path(models_dir) / kind,
        training_data={
            "path": str(data),
            "sha256": digest,
            "n_train": len(train_records),
            "n_dev": len(dev_records),
        },
    )
    return model.load(target).meta_


def _fit_topic(train_records: list[dict], dev_records: list[dict], C: float | None = None):
    from .topic import TopicClassifier

    model = TopicClassifier(**({"C": C} if C is not None else {}))
    return model.fit(
        [r["text"] for r in train_records],
        [r["labels"] for r in train_records],
        [r["text"] for r in dev_records] or None,
        [r["labels"] for r in dev_records] or None,
    )


def train_topic(
    data: str | os.PathLike,
    models_dir: str | os.PathLike,
    dev: str | os.PathLike | None = None,
    C: float | None = None,
) -> dict:
    """Fit a topic model on ``data`` and save it to ``<models_dir>/topic``; return its meta.

    Records marked ``"split": "dev"`` (or read from ``dev``) are held out: the model never
    sees them, and the figures in meta.json's ``metrics.dev`` are measured on them.
    """
    return _train_and_save(
        "topic", data, models_dir, dev, read_topic_data, partial(_fit_topic, C=C)
    )


def parse_label_map(spec: str | None) -> dict[str, str]:
    """``"other=unrelated,Favor=agree"`` -> ``{"other": "unrelated", "Favor": "agree"}``."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        source, sep, target = part.partition("=")
        if not sep or not source.strip() or target.strip() not in STANCE_IDS:
            raise InputError(
                f"bad --label-map entry {part.strip()!r}: expected NAME=LABEL with "
                f"LABEL one of {', '.join(STANCE_IDS)}"
            )
        mapping[source.strip()] = target.strip()
    return mapping


def read_stance_data(
    path: str | os.PathLike, label_map: dict[str, str] | None = None
) -> tuple[list[dict], str]:
    """Read (``text``, ``target``, ``label``) pairs; ``label_map`` renames corpus labels."""
    label_map = label_map or {}
    files = data_files(path)
    records = []
    for f in files:
        for number, record in read_jsonl_records(f):
            where = f"{f}, line {number}"
            text, target = record.get("text"), record.get("target")
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"{where}: 'text' must be a non-empty string")
            if not isinstance(target, str) or not target.strip():
                raise InputError(f"{where}: 'target' must be a non-empty string")
            label = label_map.get(record.get("label"), record.get("label"))
            if label not in STANCE_IDS:
                raise InputError(
                    f"{where}: unknown stance {record.get('label')!r}; expected one "
                    f"of {', '.join(STANCE_IDS)} (or map it with --label-map)"
                )
            records.append(
                {
                    "text": text,
                    "target": target,
                    "label": label,
                    "split": record.get("split", "train"),
                }
            )
    return records, _hash_files(files)


def _pair_columns(rows: list[dict]) -> tuple[list[str], list[str], list[str]]:
    return [r["text"] for r in rows], [r["target"] for r in rows], [r["label"] for r in rows]


def _fit_stance(train_records: list[dict], dev_records: list[dict]):
    from .stance import StanceClassifier

    return StanceClassifier().fit(
        *_pair_columns(train_records), dev=_pair_columns(dev_records) if dev_records else None
    )


def train_stance(
    data: str | os.PathLike,
    models_dir: str | os.PathLike,
    dev: str | os.PathLike | None = None,
    label_map: dict[str, str] | None = None,
) -> dict:
    """Fit a stance model on ``data`` and save it to ``<models_dir>/stance``; return its meta."""
    return _train_and_save(
        "stance", data, models_dir, dev, partial(read_stance_data, label_map=label_map), _fit_stance
    )
