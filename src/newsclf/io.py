"""Reading articles from text, files, stdin, JSONL and CSV; reading labelled training data.

Readers yield one :class:`Item` per input item, in input order. An item that cannot be read
(invalid UTF-8, a JSONL line that is not an object, a missing text field) is still yielded, with
``error`` set, so that nothing is lost downstream. Only problems with the input as a whole (a
file that does not exist, a CSV with no such column) raise :class:`InputError`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

__all__ = ["Item", "input_format", "read_items", "read_jsonl_records"]

FORMATS = ("auto", "text", "jsonl", "csv")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")


@dataclass
class Item:
    id: str | None
    text: str | None
    target: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Fields:
    text: str = "text"
    id: str = "id"
    target: str = "target"


def input_format(source: str, requested: str = "auto") -> str:
    """The format to read ``source`` as: the requested one, or guessed from the file suffix."""
    if requested != "auto":
        return requested
    suffix = Path(source).suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    return "text"


def _decode(raw: bytes, where: str) -> tuple[str | None, str | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, f"{where}: invalid UTF-8 at byte {exc.start}"


def _text_items(stream: BinaryIO, name: str, lines: bool) -> Iterator[Item]:
    if not lines:
        raw = stream.read()
        try:
            yield Item(id=name, text=raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            yield Item(id=name, text=None, error=f"{name}, line {line}: invalid UTF-8")
        return
    for number, raw in enumerate(stream, 1):
        where = f"{name}:{number}"
        text, error = _decode(raw, f"{name}, line {number}")
        if text is not None:
            text = text.rstrip("\r\n")
            if not text.strip():
                continue  # blank lines separate nothing in --lines mode
        yield Item(id=where, text=text, error=error)


def _jsonl_items(stream: BinaryIO, name: str, fields: Fields) -> Iterator[Item]:
    for number, raw in enumerate(stream, 1):
        where = f"{name}:{number}"
        text, error = _decode(raw, f"{name}, line {number}")
        if error:
            yield Item(id=where, text=None, error=error)
            continue
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Item(
                id=where, text=None, error=f"{name}, line {number}: invalid JSON ({exc.msg})"
            )
            continue
        if not isinstance(record, dict):
            yield Item(
                id=where,
                text=None,
                error=f"{name}, line {number}: expected a JSON object, got {type(record).__name__}",
            )
            continue
        item_id = record.get(fields.id, where)
        item_id = where if item_id is None else str(item_id)
        value = record.get(fields.text)
        target = record.get(fields.target)
        target = target if isinstance(target, str) else None
        if not isinstance(value, str):
            problem = "missing" if value is None else f"not a string ({type(value).__name__})"
            yield Item(
                id=item_id,
                text=None,
                target=target,
                error=f"{name}, line {number}: field {fields.text!r} is {problem}",
            )
            continue
        yield Item(id=item_id, text=value, target=target)


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _csv_items(stream: BinaryIO, name: str, fields: Fields) -> Iterator[Item]:
    # surrogateescape keeps undecodable bytes as lone surrogates, so one bad row is reported as
    # that row's error instead of failing the whole file.
    text_stream = io.TextIOWrapper(
        stream, encoding="utf-8-sig", errors="surrogateescape", newline=""
    )
    reader = csv.reader(text_stream)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise InputError(f"{name}: not a readable CSV file ({exc})") from exc
    if any(_UNDECODABLE.search(column) for column in header):
        raise InputError(f"{name}: invalid UTF-8 in the CSV header")
    if fields.text not in header:
        raise InputError(
            f"{name}: no {fields.text!r} column (columns: {', '.join(header) or 'none'}); "
            "choose one with --text-field"
        )
    position = {column: i for i, column in enumerate(header)}
    row_number = 1
    while True:
        row_number += 1
        where = f"{name}:{row_number}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Item(id=where, text=None, error=f"{name}, row {row_number}: {exc}")
            continue

        def cell(column: str, row=row) -> str | None:
            i = position.get(column)
            return row[i] if i is not None and i < len(row) else None

        item_id = cell(fields.id) or where
        value, target = cell(fields.text), cell(fields.target)
        if any(_UNDECODABLE.search(c) for c in row):
            error = f"{name}, row {row_number}: invalid UTF-8"
            item_id = where if _UNDECODABLE.search(item_id) else item_id
            yield Item(id=item_id, text=None, error=error)
        elif value is None:
            yield Item(id=item_id, text=None, error=f"{name}, row {row_number}: too few columns")
        else:
            yield Item(id=item_id, text=value, target=target or None)


def _open(source: str) -> tuple[BinaryIO, str, bool]:
    if source == "-":
        return sys.stdin.buffer, "<stdin>", False
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source} is a directory; give files, text, or - for stdin")
    try:
        return path.open("rb"), source, True
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from exc


def looks_like_path(arg: str) -> bool:
    """True for an argument that names a file (existing, or path-like enough to be a typo)."""
    if arg == "-" or os.path.exists(arg):
        return True
    return (
        "\n" not in arg
        and len(arg) < 4096
        and Path(arg).suffix.lower() in (".txt", ".jsonl", ".ndjson", ".csv", ".json", ".jsonlines")
        and not any("\u0600" <= ch <= "\u06ff" for ch in arg)
    )


def read_items(
    sources: Iterable[str],
    *,
    lines: bool = False,
    fmt: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    target_field: str = "target",
) -> Iterator[Item]:
    """Yield one :class:`Item` per article in ``sources`` (files, ``-`` or literal texts)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}; expected one of {', '.join(FORMATS)}")
    fields = Fields(text_field, id_field, target_field)
    for index, source in enumerate(sources, 1):
        if not looks_like_path(source):
            yield Item(id=f"arg-{index}", text=source)
            continue
        stream, name, close = _open(source)
        try:
            kind = (
                input_format(source, fmt) if source != "-" else (fmt if fmt != "auto" else "text")
            )
            if kind == "jsonl":
                yield from _jsonl_items(stream, name, fields)
            elif kind == "csv":
                yield from _csv_items(stream, name, fields)
            else:
                yield from _text_items(stream, name, lines)
        finally:
            if close:
                stream.close()


def read_jsonl_records(path: str | os.PathLike) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, record)`` from a JSONL file, raising InputError on a bad line."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}, line {number}: invalid UTF-8") from exc
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}, line {number}: invalid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise InputError(f"{path}, line {number}: expected a JSON object")
            yield number, record
