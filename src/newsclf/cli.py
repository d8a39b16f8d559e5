"""The ``newsclf`` command line: option parsing, output formatting and exit codes only.

Exit codes: 0 success, 1 a runtime error or at least one item that could not be classified,
2 a usage error. Heavy modules are imported inside the commands so that ``--help`` is instant.
"""

from __future__ import annotations

import json
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .errors import InputError, NewsclfError

app = typer.Typer(
    name="newsclf",
    help="Arabic news topic and stance classification.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

ModelsOption = Annotated[
    Path | None,
    typer.Option(
        "--models",
        help="Directory holding topic/ (and stance/). Default: $NEWSCLF_MODELS or models/.",
        show_default=False,
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks on errors.")]


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    csv = "csv"


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"newsclf: error: {message}", err=True)
    return typer.Exit(code)


def _run(verbose: bool, func, *args, **kwargs):
    """Call ``func``; turn the errors newsclf expects into one line and an exit code."""
    try:
        return func(*args, **kwargs)
    except InputError as exc:
        if verbose:
            raise
        raise _fail(str(exc), 2) from None
    except NewsclfError as exc:
        if verbose:
            raise
        raise _fail(str(exc), 1) from None
    except OSError as exc:
        if verbose:
            raise
        raise _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 1) from None


def _models_dir(models: Path | None) -> Path:
    from .persist import default_models_dir

    return models if models is not None else default_models_dir()


def _table_row(record: dict) -> str:
    if record.get("error"):
        return f"{record['id']}\tERROR: {record['error']}"
    topics = ", ".join(f"{t['label']} {t['score']:.2f}" for t in record["topics"])
    row = f"{record['id']}\t{topics}"
    if "stance" in record:
        row += f"\tstance: {record['stance']['label']}"
    if record.get("warnings"):
        row += "\t(" + "; ".join(record["warnings"]) + ")"
    return row


def _label_batch(clf, batch, target, split_related, options) -> list:
    """One prediction per item (several per page with ``split_related``), in order."""
    from .result import Prediction

    records: list = []
    for item in batch:
        item_target = item.target if item.target is not None else target
        if item.error:
            records.append(Prediction.failed(item.id, item.error))
        elif split_related:
            records.extend(clf.classify_page(item.text, id=item.id, target=item_target, **options))
        else:
            records.append(None)  # filled below, in one model call for the whole batch
    plain = [item for item in batch if not item.error]
    if not split_related and plain:
        targets = [i.target if i.target is not None else target for i in plain]
        done = iter(
            clf.classify_many(
                [i.text for i in plain],
                ids=[i.id for i in plain],
                targets=targets if any(t is not None for t in targets) else None,
                **options,
            )
        )
        records = [r if r is not None else next(done) for r in records]
    return records


def _json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


class _StopRequest:
    """While active, SIGINT and SIGTERM ask the predict loop to stop after the current batch.

    The batch being labelled is finished and written whole, so output never ends in a partial
    line. A second signal stops at once (for a run blocked on reading stdin).
    """

    def __init__(self):
        self.signal: str | None = None
        self.number = 0
        self._previous: dict = {}

    def _handle(self, signum, frame):
        if self.signal is not None:
            raise KeyboardInterrupt
        self.signal, self.number = signal.Signals(signum).name, signum

    def __enter__(self):
        for s in (signal.SIGINT, signal.SIGTERM):
            self._previous[s] = signal.signal(s, self._handle)
        return self

    def __exit__(self, *exc):
        for s, handler in self._previous.items():
            signal.signal(s, handler)
        return False


@app.command()
def predict(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Article text, files (.txt: one article each; .jsonl; .csv) or - for stdin.",
            show_default=False,
        ),
    ] = None,
    lines: Annotated[
        bool, typer.Option("--lines", help="Plain text: one article per line.")
    ] = False,
    input_format: Annotated[
        InputFormat,
        typer.Option("--input-format", help="How to read files and stdin (auto: by file suffix)."),
    ] = InputFormat.auto,
    text_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the article.")] = "text",
    id_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the item id.")] = "id",
    target: Annotated[
        str | None,
        typer.Option(help="Also give each article's stance toward this claim or position."),
    ] = None,
    target_field: Annotated[
        str, typer.Option(help="JSONL/CSV field holding a per-item target (overrides --target).")
    ] = "target",
    top_k: Annotated[int | None, typer.Option(min=1, help="At most this many topics.")] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0, max=1.0, help="One threshold for every label instead of the tuned ones."
        ),
    ] = None,
    explain: Annotated[
        int, typer.Option(min=0, help="Show the N n-grams that pushed each chosen topic.")
    ] = 0,
    split_related: Annotated[
        bool,
        typer.Option("--split-related", help="Also label each 'read also' teaser, with parent_id."),
    ] = False,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="jsonl or table.")
    ] = OutputFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")
    ] = None,
    max_chars: Annotated[int, typer.Option(min=1, help="Cut articles longer than this.")] = 100_000,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per model call.")] = 256,
    models: ModelsOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Label articles with topics; one JSON line per input item, in input order."""
    from .classifier import iter_batches, load
    from .io import read_items

    if not inputs:
        if sys.stdin.isatty():
            raise _fail("give article text, one or more files, or - to read stdin", 2)
        inputs = ["-"]
    clf = _run(verbose, load, _models_dir(models), max_chars=max_chars)
    if target is not None:
        _run(verbose, clf.require_stance_model)
    options = {"top_k": top_k, "threshold": threshold, "explain": explain}
    out = sys.stdout if output is None else _run(verbose, open, output, "w", encoding="utf-8")
    items = read_items(
        inputs,
        lines=lines,
        fmt=input_format.value,
        text_field=text_field,
        id_field=id_field,
        target_field=target_field,
    )
    written, failed = 0, 0
    progress = sys.stderr.isatty()  # a running count for people, nothing in pipes and logs
    stop = _StopRequest()
    try:
        with stop:
            for batch in iter_batches(items, batch_size):
                records = [
                    r.to_dict() for r in _label_batch(clf, batch, target, split_related, options)
                ]
                render = _json_line if output_format is OutputFormat.jsonl else _table_row
                out.write("".join(render(r) + "\n" for r in records))
                out.flush()
                written += len(records)
                failed += sum(r["error"] is not None for r in records)
                if progress:
                    typer.echo(f"\r{written:,} records written", err=True, nl=False)
                if stop.signal:
                    break
        if progress:
            typer.echo("", err=True)
    except InputError as exc:
        raise _fail(f"{exc} ({written} records written before it)", 2) from None
    except NewsclfError as exc:
        raise _fail(f"{exc} ({written} records written before it)", 1) from None
    except BrokenPipeError:  # e.g. `newsclf predict big.jsonl | head`
        sys.stderr.close()
        raise typer.Exit(0) from None
    finally:
        if output is not None:
            out.close()
    if stop.signal:
        raise _fail(
            f"interrupted by {stop.signal}; {written} complete records were written "
            "(whole lines only)",
            128 + stop.number,
        )
    if failed:
        typer.echo(f"newsclf: {failed} of {written} items could not be classified", err=True)
        raise typer.Exit(1)


class Task(str, Enum):
    topic = "topic"
    stance = "stance"


TaskOption = Annotated[Task, typer.Option("--task", help="Which model: topic or stance.")]


@app.command()
def train(
    data: Annotated[Path, typer.Argument(help="Labelled JSONL file, or a directory of them.")],
    task: TaskOption = Task.topic,
    dev: Annotated[
        Path | None,
        typer.Option(help="Held-out JSONL for figures (default: records with split=dev in DATA)."),
    ] = None,
    label_map: Annotated[
        str | None,
        typer.Option(help="Stance: rename corpus labels, e.g. other=unrelated,Favor=agree."),
    ] = None,
    models: ModelsOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Train a model on labelled JSONL and save it under --models.

    Topic data: text (+ title), labels or label. Stance data: text, target, label.
    """
    from .training import parse_label_map, train_stance, train_topic

    target = _models_dir(models)
    typer.echo(f"training {task.value} model on {data} ...", err=True)
    if task is Task.topic:
        meta = _run(verbose, train_topic, data, target, dev=dev)
    else:
        mapping = _run(verbose, parse_label_map, label_map)
        meta = _run(verbose, train_stance, data, target, dev=dev, label_map=mapping)
    _echo_summary(meta, target / task.value)


def _figures(report: dict) -> str:
    if "micro_f1" in report:
        return (
            f"micro-F1 {report['micro_f1']:.3f}  macro-F1 {report['macro_f1']:.3f}  "
            f"primary accuracy {report['primary_accuracy']:.3f}  (n={report['n']})"
        )
    return (
        f"accuracy {report['accuracy']:.3f}  macro-F1 {report['macro_f1']:.3f}  (n={report['n']})"
    )


def _echo_summary(meta: dict, where: Path) -> None:
    data = meta["training_data"]
    typer.echo(f"saved {where} ({data['n_train']} train, {data['n_dev']} dev items)", err=True)
    for part, report in meta.get("metrics", {}).items():
        typer.echo(f"  {part}: {_figures(report)}", err=True)


@app.command()
def evaluate(
    data: Annotated[Path, typer.Argument(help="Labelled JSONL file, or a directory of them.")],
    task: TaskOption = Task.topic,
    split: Annotated[
        str | None, typer.Option(help="Only records with this split (e.g. dev).")
    ] = None,
    label_map: Annotated[
        str | None, typer.Option(help="Stance: rename corpus labels, e.g. other=unrelated.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    models: ModelsOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Topic: per-label P/R/F1, micro and macro F1, primary accuracy. Stance: per-label and macro."""
    from .classifier import load
    from .evaluate import stance_report, topic_report
    from .training import parse_label_map, read_stance_data, read_topic_data

    clf = _run(verbose, load, _models_dir(models))
    if task is Task.topic:
        records, _ = _run(verbose, read_topic_data, data)
    else:
        _run(verbose, clf.require_stance_model)
        mapping = _run(verbose, parse_label_map, label_map)
        records, _ = _run(verbose, read_stance_data, data, mapping)
    if split is not None:
        records = [r for r in records if r["split"] == split]
    if not records:
        raise _fail(f"{data}: no records" + (f" with split={split}" if split else ""), 2)
    if task is Task.topic:
        results = clf.classify_many([r["text"] for r in records])
        report = topic_report(
            [r["labels"] for r in records], [p.labels for p in results], clf.labels
        )
    else:
        results = clf.stance_many([r["text"] for r in records], [r["target"] for r in records])
        report = stance_report(
            [r["label"] for r in records], [s.label for s in results], clf.stance_model.labels
        )
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{'label':<20}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for label, row in report["per_label"].items():
        typer.echo(
            f"{label:<20}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}"
            f"{row['support']:>10}"
        )
    typer.echo("\n" + _figures(report))


@app.command()
def info(models: ModelsOption = None, verbose: VerboseOption = False) -> None:
    """Show what the installed models were trained on, with their held-out figures."""
    from . import __version__
    from .persist import read_meta

    root = _models_dir(models)
    typer.echo(f"newsclf {__version__}; models: {root}")
    for kind in ("topic", "stance"):
        if kind == "stance" and not (root / "stance" / "meta.json").exists():
            typer.echo("stance model: none (train one with `python train.py`)")
            continue
        meta = _run(verbose, read_meta, root / kind, kind)
        data = meta.get("training_data", {})
        typer.echo(
            f"{kind} model: created {meta.get('created_at')}, {data.get('n_train')} train / "
            f"{data.get('n_dev')} dev items from {data.get('path')}"
        )
        typer.echo("  labels: " + ", ".join(meta["labels"]))
        typer.echo("  versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()))
        if "thresholds" in meta:
            typer.echo(
                "  thresholds: " + ", ".join(f"{k} {v:.2f}" for k, v in meta["thresholds"].items())
            )
        config = meta.get("config", {})
        if config.get("C_scores"):
            tried = ", ".join(f"{c}: {f:.3f}" for c, f in config["C_scores"].items())
            typer.echo(f"  C: {config['C']} (chosen by {config['C_chosen_by']}, macro-F1 {tried})")
        for part, report in meta.get("metrics", {}).items():
            typer.echo(f"  {part}: {_figures(report)}")


def main() -> None:
    app()


def _train_default(
    data: Annotated[Path, typer.Option(help="Topic corpus (JSONL file or directory).")] = Path(
        "data/topics"
    ),
    stance_data: Annotated[
        Path, typer.Option(help="Stance corpus (JSONL file or directory).")
    ] = Path("data/stance"),
    models: ModelsOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Train the default topic and stance models from the bundled corpus (`python train.py`)."""
    train(data=data, task=Task.topic, dev=None, label_map=None, models=models, verbose=verbose)
    train(
        data=stance_data, task=Task.stance, dev=None, label_map=None, models=models, verbose=verbose
    )


def train_default() -> None:
    typer.run(_train_default)
