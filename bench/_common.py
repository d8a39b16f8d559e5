"""Helpers shared by the benchmarks: where the public corpora are, and how to read them."""

from __future__ import annotations

import gzip
import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "bench" / "results"


def shared_path(relative: str) -> Path:
    """Path of a public corpus file, or exit cleanly (status 0) when it is not on this machine."""
    path = SHARED_DATA / relative
    if not path.exists():
        print(f"skipped: {path} is not available (the public corpora live in ../shared/data)")
        sys.exit(0)
    return path


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
