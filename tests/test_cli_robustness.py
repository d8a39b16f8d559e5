"""Whatever a scraper hands the CLI: one record per input item, in order, or a one-line error."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from newsclf.cli import app

ARTICLE = "أعلنت وزارة الصحة المصرية إطلاق حملة تطعيم ضد شلل الأطفال في محافظات الصعيد."
runner = CliRunner()


def predict(models_dir, *args):
    result = runner.invoke(app, ["predict", *map(str, args), "--models", str(models_dir)])
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result, records


@pytest.mark.parametrize(
    ("name", "content", "n_errors"),
    [
        ("invalid.txt", ARTICLE.encode() + b"\n\xff\xfe broken", 1),
        ("binary.txt", bytes(range(256)) * 40, 1),
        ("empty.txt", b"", 1),
        ("bom_crlf.txt", b"\xef\xbb\xbf" + ARTICLE.encode() + b"\r\n\r\n", 0),
    ],
)
def test_text_files_give_exactly_one_record(models_dir, tmp_path, name, content, n_errors):
    path = tmp_path / name
    path.write_bytes(content)
    result, records = predict(models_dir, path)
    assert len(records) == 1 and records[0]["id"] == str(path)
    assert sum(r["error"] is not None for r in records) == n_errors
    assert result.exit_code == (1 if n_errors else 0)
    assert "Traceback" not in result.output


def test_jsonl_with_every_kind_of_bad_line(models_dir, tmp_path):
    good = json.dumps({"text": ARTICLE}, ensure_ascii=False).encode()
    lines = [
        b"\xef\xbb\xbf" + good,  # BOM on the first line
        b"[1, 2, 3]",  # not an object
        b'"just a string"',  # not an object
        b'{"title": "no text field"}',  # missing field
        b'{"text": 42}',  # wrong type
        b'{"text": "\xff\xfe"}',  # invalid UTF-8
        b"{broken json",
        good + b"\r",  # Windows line ending
        json.dumps({"text": "ا" * 20_000_000}).encode(),  # a 20 MB line
        good,
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\r\n")
    result, records = predict(models_dir, path, "--max-chars", "50000")
    assert len(records) == len(lines)
    assert [r["error"] is None for r in records] == [
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert any("cut to the first 50000" in w for w in records[8]["warnings"])
    assert result.exit_code == 1
    assert "6 of 10 items could not be classified" in result.stderr


def test_empty_jsonl_is_no_records(models_dir, tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    result, records = predict(models_dir, path)
    assert result.exit_code == 0 and records == []


def test_csv_problems(models_dir, tmp_path):
    missing = tmp_path / "no_text.csv"
    missing.write_text("id,body\n1,x\n", encoding="utf-8")
    result, records = predict(models_dir, missing)
    assert result.exit_code == 2 and records == []
    assert "no 'text' column" in result.stderr and "Traceback" not in result.output
    ragged = tmp_path / "ragged.csv"
    ragged.write_bytes(b"id,text\r\n1," + ARTICLE.encode() + b"\r\n2\r\n3,\xff\r\n")
    result, records = predict(models_dir, ragged)
    assert [r["id"] for r in records][:2] == ["1", "2"]
    assert records[0]["error"] is None and records[1]["error"] is not None
    assert result.exit_code == 1


def test_interrupt_leaves_whole_lines_and_says_how_many(models_dir, tmp_path):
    source = tmp_path / "big.jsonl"
    line = json.dumps({"text": ARTICLE}, ensure_ascii=False)
    source.write_text((line + "\n") * 200_000, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsclf",
            "predict",
            str(source),
            "-o",
            str(out),
            "--batch-size",
            "200",
            "--models",
            str(models_dir),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size == 0):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGINT
    written = out.read_text(encoding="utf-8").splitlines()
    assert 0 < len(written) < 200_000
    assert all(json.loads(row)["error"] is None for row in written)  # whole lines only
    assert f"{len(written)} complete records were written" in stderr
