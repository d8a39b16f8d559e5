"""The command line through Typer's CliRunner: formats, exit codes, nothing lost."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from newsclf.cli import app

runner = CliRunner()
ARTICLE = "فاز نادي الزمالك على الإسماعيلي بهدفين دون رد في الدوري المصري لكرة القدم."


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_predict_text_argument(models_dir):
    result = run("predict", ARTICLE, "--models", models_dir)
    assert result.exit_code == 0, result.output
    [record] = records(result.stdout)
    assert set(record) == {"id", "topics", "scores", "warnings", "error"}
    assert record["id"] == "arg-1" and record["error"] is None
    assert record["topics"][0]["label"] == "sports"


def test_predict_stdin_lines(models_dir):
    result = run(
        "predict", "-", "--lines", "--models", models_dir, input=f"{ARTICLE}\n\n{ARTICLE}\n"
    )
    assert result.exit_code == 0
    assert [r["id"] for r in records(result.stdout)] == ["<stdin>:1", "<stdin>:3"]


def test_predict_jsonl_keeps_order_and_reports_bad_lines(models_dir, tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "body": ARTICLE}, ensure_ascii=False),
        "{oops",
        json.dumps({"id": "c", "body": ""}),
        json.dumps({"id": "d", "body": ARTICLE}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("predict", path, "--text-field", "body", "-o", out, "--models", models_dir)
    assert result.exit_code == 1
    assert "2 of 4 items could not be classified" in result.stderr
    got = records(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in got] == ["a", f"{path}:2", "c", "d"]
    assert [r["error"] is None for r in got] == [True, False, False, True]


def test_predict_csv_and_table_format(models_dir, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(f"id,text\nx,{ARTICLE}\n", encoding="utf-8")
    result = run("predict", path, "--format", "table", "--models", models_dir)
    assert result.exit_code == 0
    assert result.stdout.startswith("x\tsports ")


def test_predict_options(models_dir):
    result = run(
        "predict",
        ARTICLE,
        "--top-k",
        "1",
        "--explain",
        "2",
        "--threshold",
        "0.0",
        "--models",
        models_dir,
    )
    [record] = records(result.stdout)
    assert len(record["topics"]) == 1 and len(record["explain"]["sports"]) == 2


def test_predict_split_related(models_dir):
    page = (ROOT / "seeds" / "sample_page_sudan_talks.txt").read_text(encoding="utf-8")
    result = run("predict", page, "--split-related", "--models", models_dir)
    main, teaser = records(result.stdout)
    assert teaser["id"] == "arg-1#related-1" and teaser["parent_id"] == "arg-1"
    assert "parent_id" not in main


def test_missing_model_message(tmp_path):
    result = run("predict", ARTICLE, "--models", tmp_path)
    assert result.exit_code == 1
    assert "no topic model at" in result.stderr and "python train.py" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["predict", "missing.jsonl"], "cannot read missing.jsonl"),
        (["predict", "--top-k", "0", "x"], "top-k"),
    ],
)
def test_usage_errors_exit_2(models_dir, args, message):
    result = run(*args, "--models", models_dir)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_train_evaluate_info(small_corpus, tmp_path):
    result = run("train", small_corpus, "--models", tmp_path)
    assert result.exit_code == 0, result.output
    assert "saved" in result.stderr and "micro-F1" in result.stderr
    result = run("evaluate", small_corpus, "--split", "dev", "--json", "--models", tmp_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"n", "micro_f1", "macro_f1", "primary_accuracy", "per_label"} <= set(report)
    assert report["n"] > 0 and 0 <= report["micro_f1"] <= 1
    result = run("info", "--models", tmp_path)
    assert result.exit_code == 0 and "thresholds:" in result.stdout


def test_train_rejects_bad_labels(tmp_path):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": "نص", "labels": ["weather"]}\n', encoding="utf-8")
    result = run("train", data, "--models", tmp_path / "m")
    assert result.exit_code == 2
    assert "unknown topic 'weather'" in result.stderr


def test_module_entry_point_help():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "newsclf", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "predict" in done.stdout
