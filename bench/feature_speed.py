"""Where prediction time goes: n-gram counting with dict look-ups and with compiled tables.

    python bench/feature_speed.py [--models models] [--n 3000] [--repeats 5]

Scores the first N ANT test pages (BBC + CNN) with the topic model in ``models/topic`` and
prints the median time of each step, the dict path (``char_wb_counts``, ``word_counts``: the
reference the tables replace) beside the compiled tables (``CharNgramTable``,
``WordNgramTable``), and checks that both give the same matrices.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import machine, shared_path, write_result
from vs_fasttext import load_split

from newsclf.inference import char_wb_counts, word_counts
from newsclf.topic import TopicClassifier, prepare_article


def median_seconds(function, repeats: int):
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="models")
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    shared_path("topics/ant-multisource.jsonl.gz")  # exits cleanly when it is absent
    pages = [r["page"] for r in load_split("ant")[1][: args.n]]
    model = TopicClassifier.load(f"{args.models}/topic").model_
    r = args.repeats
    prepare_s, texts = median_seconds(lambda: [prepare_article(p) for p in pages], r)
    compile_s, (word_table, char_table) = median_seconds(lambda: _compile(model), r)
    timings = {
        "prepare (clean + normalise)": prepare_s,
        "compile the vocabularies (once per model)": compile_s,
    }
    char_dict_s, char_dict = median_seconds(
        lambda: char_wb_counts(texts, model.char_vocabulary, model.char_ngram_range), r
    )
    char_table_s, char_tab = median_seconds(lambda: char_table.counts(texts), r)
    word_dict_s, word_dict = median_seconds(
        lambda: word_counts(texts, model.word_vocabulary, model._token_re, model.word_ngram_range),
        r,
    )
    word_table_s, word_tab = median_seconds(lambda: word_table.counts(texts), r)
    assert (char_dict != char_tab).nnz == 0 and (word_dict != word_tab).nnz == 0
    scores_s, _ = median_seconds(lambda: model.scores(texts), r)
    print(
        f"{machine()}; {len(texts)} ANT test pages; model {args.models}/topic "
        f"({len(model.char_vocabulary):,} char and {len(model.word_vocabulary):,} word n-grams)"
    )
    print(f"{'step':45} {'dict path':>10} {'tables':>10} {'ratio':>7}")
    print(
        f"{'character n-gram counts':45} {char_dict_s:10.3f} {char_table_s:10.3f} "
        f"{char_dict_s / char_table_s:6.2f}x"
    )
    print(
        f"{'word n-gram counts':45} {word_dict_s:10.3f} {word_table_s:10.3f} "
        f"{word_dict_s / word_table_s:6.2f}x"
    )
    for name, seconds in timings.items():
        print(f"{name:45} {seconds:21.3f}")
    print(f"{'whole scoring (counts, tf-idf, linear model)':45} {scores_s:21.3f}")
    print(f"articles/s, one process, from raw page: {len(texts) / (prepare_s + scores_s):,.0f}")
    write_result(
        "feature_speed",
        {
            "machine": machine(),
            "n": len(texts),
            "char_counts_s": {"dict": char_dict_s, "tables": char_table_s},
            "word_counts_s": {"dict": word_dict_s, "tables": word_table_s},
            "prepare_s": prepare_s,
            "compile_s": compile_s,
            "scores_s": scores_s,
        },
    )


def _compile(model):
    model._tables = None
    return model.tables()


if __name__ == "__main__":
    main()
