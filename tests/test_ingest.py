"""Ingestion: encodings, docx, JSONL, header metadata, and clear failures."""

from __future__ import annotations

import codecs
import json

import pytest

from qidu_nlp.corpus.ingest import Failure, Record, decode_bytes, iter_records, read_text_file

SAMPLE = "政府工作报告\n——2024年1月12日在齐都镇第二十届人民代表大会第三次会议上\n镇长  刘菁华\n各位代表：\n全年完成一般公共预算收入1.43亿元。\n"


@pytest.mark.parametrize(
    "encoding,prefix",
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("gbk", b""), ("utf-16", b"")],
)
def test_ingest_reads_each_encoding(tmp_path, encoding, prefix):
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    record = read_text_file(path)
    assert record.text == SAMPLE


def test_ingest_utf16_without_bom(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE.encode("utf-16-le"))
    assert read_text_file(path).text == SAMPLE


def test_ingest_gb18030_is_not_mojibake():
    text, enc = decode_bytes("城乡品质提档升级".encode("gb18030"))
    assert (text, enc) == ("城乡品质提档升级", "gb18030")


def test_ingest_bundled_report_metadata(qidu_text):
    (record,) = list(iter_records(["corpora/qidu_2024.txt"]))
    assert record.id == "qidu-2024"
    assert record.text == qidu_text
    meta = record.meta
    assert (meta["date"], meta["year"], meta["place"], meta["level"], meta["speaker"]) == (
        "2024-01-12", 2024, "齐都镇", "town", "刘菁华")
    assert meta["meeting"] == "齐都镇第二十届人民代表大会第三次会议"


def test_ingest_header_metadata_without_sidecar(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    meta = read_text_file(path).meta
    assert (meta["title"], meta["date"], meta["place"], meta["speaker"]) == ("政府工作报告", "2024-01-12", "齐都镇", "刘菁华")


def test_ingest_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in SAMPLE.strip().split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "report.docx"
    document.save(str(path))
    record = read_text_file(path)
    assert record.text == SAMPLE.strip()
    assert record.meta["speaker"] == "刘菁华"


def test_ingest_docx_that_is_not_a_docx(tmp_path):
    import zipfile

    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not word")
    (item,) = list(iter_records([path]))
    assert isinstance(item, Failure) and "Q009" in item.reason and str(path) in item.source


def test_ingest_folder_recursive_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("乙。", encoding="utf-8")
    (tmp_path / "a.md").write_text("甲。", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"year": 2020}', encoding="utf-8")
    ids = [r.id for r in iter_records([tmp_path])]
    assert ids == ["a", "2"]


def test_ingest_sidecar_meta(tmp_path):
    (tmp_path / "r.txt").write_text("甲。", encoding="utf-8")
    (tmp_path / "r.meta.json").write_text('{"id": "r-2020", "year": 2020, "place": "某县"}', encoding="utf-8")
    (record,) = list(iter_records([tmp_path / "r.txt"]))
    assert (record.id, record.meta["year"], record.meta["place"]) == ("r-2020", 2020, "某县")


def test_ingest_jsonl_malformed_line_is_reported_with_line_number(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "甲。"}, ensure_ascii=False) + "\n{not json\n"
        + json.dumps({"id": "c", "text": "丙。", "year": 2001}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    items = list(iter_records([path]))
    assert [type(i).__name__ for i in items] == ["Record", "Failure", "Record"]
    assert items[1].source == f"{path}:2" and "Line 2" in items[1].reason
    assert items[2].meta["year"] == 2001


def test_ingest_jsonl_record_without_text(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "body": "x"}\n', encoding="utf-8")
    (item,) = list(iter_records([path]))
    assert isinstance(item, Failure) and "'text'" in item.reason


@pytest.mark.parametrize(
    "content,code",
    [(b"", "Q004"), (b"   \n\n", "Q004"), (bytes(range(256)) * 8, "Q005")],
)
def test_ingest_bad_files_fail_with_a_coded_reason(tmp_path, content, code):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (item,) = list(iter_records([path]))
    assert isinstance(item, Failure) and code in item.reason


def test_ingest_unknown_encoding(tmp_path):
    path = tmp_path / "weird.txt"
    path.write_bytes(b"\x81\x30\xff\xfe\xfd" * 50)
    (item,) = list(iter_records([path]))
    assert isinstance(item, Failure)
    assert "Q005" in item.reason or "Q006" in item.reason


def test_ingest_missing_path_does_not_stop_the_others(tmp_path):
    good = tmp_path / "g.txt"
    good.write_text("甲。", encoding="utf-8")
    items = list(iter_records([tmp_path / "missing.txt", good]))
    assert isinstance(items[0], Failure) and "Q003" in items[0].reason
    assert isinstance(items[1], Record) and items[1].text == "甲。"


def test_ingest_duplicate_ids_are_made_unique(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "甲。"}\n{"id": "a", "text": "乙。"}\n', encoding="utf-8")
    assert [r.id for r in iter_records([path])] == ["a", "a~2"]


def test_ingest_shared_national_reports_stream(tmp_path):
    from conftest import shared_file

    path = shared_file("national_reports.jsonl")
    first = next(iter(iter_records([path])))
    assert first.id == "national-1954" and first.meta["year"] == 1954
