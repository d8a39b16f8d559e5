"""Draw docs/vs_fasttext_f1.png (per-label F1 of newsclf and fastText) from the benchmark JSON.

python bench/chart.py [bench/results/vs_fasttext.json]
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from _common import RESULTS, ROOT


def main() -> None:
    source = sys.argv[1] if len(sys.argv) > 1 else RESULTS / "vs_fasttext.json"
    results = json.loads(open(source, encoding="utf-8").read())
    datasets = results["datasets"]
    fig, axes = plt.subplots(1, len(datasets), figsize=(7 * len(datasets), 4.5), squeeze=False)
    for ax, (name, pair) in zip(axes[0], datasets.items()):
        labels = list(pair["newsclf"]["per_label_f1"])
        x = np.arange(len(labels))
        for offset, system in ((-0.2, "newsclf"), (0.2, "fasttext")):
            values = [pair[system]["per_label_f1"][label] for label in labels]
            ax.bar(
                x + offset,
                values,
                width=0.4,
                label=f"{system} (macro-F1 {pair[system]['macro_f1']:.3f})",
            )
        ax.set_xticks(x, labels, rotation=35, ha="right")
        ax.set_ylim(0, 1)
        ax.set_ylabel("F1")
        ax.set_title(
            {
                "ant": "ANT cross-outlet (train Sky/Arabiya/F24, test BBC/CNN)",
                "asnd": "ASND train -> test",
            }.get(name, name)
        )
        ax.legend(loc="lower right")
    fig.tight_layout()
    target = ROOT / "docs" / "vs_fasttext_f1.png"
    fig.savefig(target, dpi=110)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
