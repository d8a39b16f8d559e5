"""Input readers: one item per input item, in order, bad items kept as errors."""

from __future__ import annotations

import pytest

from newsclf.errors import InputError
from newsclf.io import read_items


def test_literal_text_is_one_item():
    items = list(read_items(["خبر أول", "خبر ثان"]))
    assert [(i.id, i.text) for i in items] == [("arg-1", "خبر أول"), ("arg-2", "خبر ثان")]


def test_text_file_is_one_article_or_one_per_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("سطر أول\n\nسطر ثان\n", encoding="utf-8")
    assert [i.text for i in read_items([str(path)])] == ["سطر أول\n\nسطر ثان\n"]
    assert [(i.id, i.text) for i in read_items([str(path)], lines=True)] == [
        (f"{path}:1", "سطر أول"),
        (f"{path}:3", "سطر ثان"),
    ]


def test_jsonl_bad_lines_become_error_items_in_order(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "\xd8\xae\xd8\xa8\xd8\xb1"}\n'
        b"not json\n"
        b"[1, 2]\n"
        b'{"id": "d"}\n'
        b'{"id": "e", "text": "\xff\xfe"}\n'
        b'{"id": 7, "text": "ok", "target": "claim"}\n'
    )
    items = list(read_items([str(path)]))
    assert [i.id for i in items] == ["a", f"{path}:2", f"{path}:3", "d", f"{path}:5", "7"]
    assert items[0].text == "خبر" and items[0].error is None
    assert "invalid JSON" in items[1].error
    assert "expected a JSON object" in items[2].error
    assert "'text' is missing" in items[3].error
    assert "invalid UTF-8" in items[4].error and "line 5" in items[4].error
    assert items[5].target == "claim"


def test_jsonl_custom_fields_and_bom_and_crlf(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes('\ufeff{"key": "x", "body": "نص"}\r\n'.encode())
    [item] = read_items([str(path)], text_field="body", id_field="key")
    assert (item.id, item.text, item.error) == ("x", "نص", None)


def test_csv(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,text\n1,"خبر, مع فاصلة"\n2,ثان\n', encoding="utf-8-sig")
    assert [(i.id, i.text) for i in read_items([str(path)])] == [
        ("1", "خبر, مع فاصلة"),
        ("2", "ثان"),
    ]


def test_csv_without_text_column_is_a_usage_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'text' column"):
        list(read_items([str(path)]))


def test_invalid_utf8_text_file_names_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("سطر\nسطر ثان\n".encode() + b"\xff\n")
    [item] = read_items([str(path)])
    assert item.text is None and item.error == f"{path}, line 3: invalid UTF-8"


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        list(read_items([str(tmp_path / "nope.jsonl")]))
