"""Peak memory of `newsclf predict` on a JSONL stream: 20,000 articles against 200,000.

    python bench/stream_memory.py [--models models] [--small 20000] [--large 200000]

The articles are the project's own corpus (data/topics) repeated, so this runs anywhere.
Each run is a fresh `newsclf predict` process writing to /dev/null; its peak RSS is read from
the kernel (resource.getrusage of the finished child), so the two figures are comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine, write_result


def corpus_lines() -> list[str]:
    lines = []
    for path in sorted((ROOT / "data" / "topics").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            lines.append(
                json.dumps({"id": record["id"], "text": record["text"]}, ensure_ascii=False)
            )
    return lines


def run(models: str, path: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        subprocess.run(
            [sys.executable, "-m", "newsclf", "predict", str(path), "--models", models],
            stdout=sink,
            check=True,
        )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak < before:
        raise RuntimeError("peak RSS of children went down; run sizes in increasing order")
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=str(ROOT / "models"))
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--large", type=int, default=200_000)
    args = parser.parse_args()
    lines = corpus_lines()
    results = {"machine": machine(), "command": "python bench/stream_memory.py"}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.small, args.large):  # increasing: the children's maximum only grows
            path = Path(tmp) / f"{n}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for i in range(n):
                    handle.write(lines[i % len(lines)] + "\n")
            results[str(n)] = {"articles": n, **run(args.models, path)}
            print(
                f"{n:>8} articles: peak RSS {results[str(n)]['peak_rss_mb']} MB, "
                f"{results[str(n)]['seconds']} s"
            )
    ratio = results[str(args.large)]["peak_rss_mb"] / results[str(args.small)]["peak_rss_mb"]
    results["ratio"] = round(ratio, 3)
    print(f"ratio {ratio:.3f} (goal: within 1.20)")
    print(f"wrote {write_result('stream_memory', results)}")


if __name__ == "__main__":
    main()
