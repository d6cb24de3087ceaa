"""Reliability under bad and hostile input: properties over arbitrary and edited text, hostile files, scripts."""

from __future__ import annotations

import json
import zipfile

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qidu_nlp.pipeline import rows as mentions
from qidu_nlp.corpus import Corpus
from qidu_nlp.corpus.ingest import Failure, Record, iter_records, make_record
from qidu_nlp.corpus.longdocs import chunk_offsets, pipe_long
from qidu_nlp.corpus.analyze import Options, analyze_record
from qidu_nlp.text.scripts import detect_script, opencc_available, to_simplified

LIGHT = {"segmenter": "char", "components": ["qidu_structure", "qidu_slogans", "qidu_quantities"]}
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


def check_doc(nlp, text: str) -> None:
    """The invariants every Doc of the pipeline must keep."""
    doc = nlp(text)
    assert doc.text == text
    groups = {key: list(doc.spans[key]) for key in doc.spans}
    groups["ents"] = list(doc.ents)
    lines = {i for i, ch in enumerate(text) if ch in "\r\n"}
    for key, spans in groups.items():
        for span in spans:
            assert 0 <= span.start_char < span.end_char <= len(text), (key, span)
            assert span.text == text[span.start_char:span.end_char]
            assert not span.text[0].isspace() and not span.text[-1].isspace(), (key, span.text)
            assert not lines & set(range(span.start_char, span.end_char)), (key, span.text)
        by_label: dict[str, list] = {}
        for span in spans:
            by_label.setdefault(span.label_, []).append((span.start_char, span.end_char))
        for label, offsets in by_label.items():
            offsets.sort()
            for (s1, e1), (s2, e2) in zip(offsets, offsets[1:]):
                assert e1 <= s2, (key, label, (s1, e1), (s2, e2))
    first = mentions.mention_rows(doc, doc_id="x")
    assert mentions.mention_rows(nlp(text), doc_id="x") == first


# --------------------------------------------------------------------------- properties


@SETTINGS
@given(text=st.text(min_size=1, max_size=120))
def test_property_arbitrary_unicode_never_breaks_invariants(nlp_char, text):
    check_doc(nlp_char, text)


QUOTES = "“”‘’\"'「」《》"
HALF_FULL = str.maketrans("0123456789%,.;:!?()", "０１２３４５６７８９％，．；：！？（）")


@st.composite
def edited_report(draw, source: str):
    start = draw(st.integers(0, max(0, len(source) - 300)))
    chars = list(source[start:start + 300])
    for _ in range(draw(st.integers(1, 8))):
        if not chars:
            break
        i = draw(st.integers(0, len(chars) - 1))
        op = draw(st.sampled_from(["delete_quote", "double_quote", "newline", "width", "numeral", "delete"]))
        if op == "delete_quote":
            idx = [j for j, c in enumerate(chars) if c in QUOTES]
            if idx:
                del chars[draw(st.sampled_from(idx))]
        elif op == "double_quote":
            chars.insert(i, draw(st.sampled_from(QUOTES)))
        elif op == "newline":
            chars.insert(i, draw(st.sampled_from(["\n", "\r\n", "\n\n"])))
        elif op == "width":
            chars[i] = chars[i].translate(HALF_FULL)
        elif op == "numeral":
            chars.insert(i, draw(st.sampled_from(["1.43亿元", "三", "２０２４年", "百分之八", "0", "10万", "约"])))
        else:
            del chars[i]
    return "".join(chars)


def test_property_edited_report_text_char(nlp_char, qidu_text):
    @SETTINGS
    @given(text=edited_report(qidu_text))
    def run(text):
        check_doc(nlp_char, text)

    run()


def test_property_edited_report_text_pkuseg(nlp, qidu_text):
    @settings(max_examples=5, deadline=None)
    @given(text=edited_report(qidu_text))
    def run(text):
        check_doc(nlp, text)

    run()


# --------------------------------------------------------------------------- hostile characters and quotes


@pytest.mark.parametrize("text", [
    "聚焦\x00“强富美优”城市愿景。",
    "聚焦“强富\u200b美优”城市愿景。\u200b\ufeff",
    "🎉聚焦“强富美优”城市愿景👍。全年完成一般公共预算收入1.43亿元。",
    "\ue000\ue001聚焦“强富美优”城市愿景。\U000f0000",
    "聚焦\x07\x1b\x7f“强富美优”\x0c城市愿景。\x0b",
])
def test_hostile_characters_keep_invariants(nlp_char, text):
    check_doc(nlp_char, text)


def test_lone_surrogate_from_a_json_escape_never_raises(nlp_char):
    (rec,) = list(Corpus.from_records([json.loads('{"id": "s", "text": "\\ud800聚焦“强富美优”城市愿景。"}')]))
    rid, rows, err = analyze_record(nlp_char, rec)
    assert rid == "s" and (rows is None) != (err is None)


def test_emoji_does_not_shift_offsets(nlp_char):
    doc = nlp_char("🎉聚焦“强富美优”城市愿景。")
    assert [(s.text, s.start_char, s.end_char) for s in doc.spans["slogans"]] == [("强富美优", 4, 8)]


@pytest.mark.parametrize("text", [
    "聚焦“强富美优城市愿景。\n全年完成一般公共预算收入1.43亿元。",
    "聚焦强富美优”城市愿景。",
    "实施“‘三个一’工程”建设，推进“文化齐都 品质小城”建设。",
    "“这一年，是齐都赓续奋进、蓄能前行的一年。面对复杂严峻的外部环境和多重困难挑战，全年完成一般公共预算收入1.43亿元。”\n下一段。",
])
def test_broken_and_nested_quotes_keep_invariants(nlp_char, text):
    check_doc(nlp_char, text)


def test_unbalanced_quote_yields_no_slogan_across_the_line(nlp_char):
    doc = nlp_char("聚焦“强富美优城市愿景。\n全年完成一般公共预算收入1.43亿元。")
    assert list(doc.spans["slogans"]) == []
    assert [s.text for s in doc.spans["quantities"]] == ["1.43亿元"]


# --------------------------------------------------------------------------- long documents


def test_ten_megabyte_file_on_one_line_is_read_and_cut_at_sentence_ends(tmp_path):
    sentence = "各位代表：全年完成一般公共预算收入1.43亿元，同比增长34%。"
    path = tmp_path / "big.txt"
    path.write_text(sentence * 125_000, encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    (record,) = list(iter_records([path]))
    assert isinstance(record, Record) and "\n" not in record.text
    pieces = chunk_offsets(record.text, 1_000_000)
    assert len(pieces) == -(-len(record.text) // 1_000_000)
    assert all(e - s <= 1_000_000 for s, e in pieces)
    assert all(record.text[e - 1] == "。" for _, e in pieces)
    assert "".join(record.text[s:e] for s, e in pieces) == record.text
    nlp = spacy.blank("xx")
    nlp.max_length = 1_000_000
    doc = pipe_long(nlp, record.text)
    assert doc.text == record.text


def test_document_longer_than_max_length_is_split_and_merged(nlp_char, qidu_text, monkeypatch):
    text = qidu_text[:9000]
    whole = analyze_record(nlp_char, make_record("q", text))[1]["mentions"]
    monkeypatch.setattr(nlp_char, "max_length", 3000)
    with pytest.raises(ValueError):
        nlp_char(text)
    rid, rows, err = analyze_record(nlp_char, make_record("q", text))
    assert err is None
    for row in rows["mentions"]:
        assert row["text"] == text[row["start"]:row["end"]]
    local = lambda rs: [(r["label"], r["start"], r["end"], r["value"]) for r in rs if r["label"] in ("SLOGAN", "QUANTITY")]
    assert local(rows["mentions"]) == local(whole)
    assert rows["document"]["sentences"] == analyze_record(nlp_char, make_record("q", text))[1]["document"]["sentences"]


def test_chunk_offsets_hard_cut_without_any_break():
    text = "甲" * 25
    assert chunk_offsets(text, 10) == [(0, 10), (10, 20), (20, 25)]


# --------------------------------------------------------------------------- traditional characters


pytestmark_opencc = pytest.mark.skipif(not opencc_available(), reason="OpenCC not installed (pip install opencc-python-reimplemented)")


@pytestmark_opencc
def test_traditional_report_detected_and_converted_with_original_offsets(qidu_text):
    from opencc import OpenCC

    simplified = "\n".join([p for p in qidu_text.split("\n") if len(p) > 60][:3])
    s2t = OpenCC("s2t")
    traditional = "".join(s2t.convert(ch) or ch for ch in simplified)
    assert len(traditional) == len(simplified) and traditional != simplified
    assert detect_script(traditional) == "traditional" and detect_script(simplified) == "simplified"
    assert len(to_simplified(traditional)) == len(traditional)
    records = [{"id": "trad", "text": traditional}, {"id": "simp", "text": simplified}]
    plain = Corpus.from_records(records).analyze(loader_kwargs=LIGHT)
    assert list(plain.documents["script"]) == ["traditional", "simplified"]
    folded = Corpus.from_records(records).analyze(loader_kwargs=LIGHT, to_simplified=True)
    rows = folded.mentions
    trad, simp = rows[rows.doc_id == "trad"], rows[rows.doc_id == "simp"]
    assert list(zip(trad.label, trad.start, trad.end)) == list(zip(simp.label, simp.start, simp.end))
    assert all(t == traditional[s:e] for t, s, e in zip(trad.text, trad.start, trad.end))
    assert len(trad) > 5


# --------------------------------------------------------------------------- bad files


def test_folder_mixing_encodings_and_binary(tmp_path):
    text = "各位代表：\n聚焦“强富美优”城市愿景。\n"
    (tmp_path / "a-utf8.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b-gb18030.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "c-utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "d-binary.txt").write_bytes(bytes(range(256)) * 16)
    items = list(iter_records([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Record", "Record", "Record", "Failure"]
    assert all(i.text == text for i in items[:3])
    assert items[3].reason.startswith("[Q005]")
    result = Corpus.from_paths(tmp_path).analyze(loader_kwargs=LIGHT)
    assert list(result.documents["status"]) == ["ok"] * 3 and len(result.errors) == 1


@pytest.mark.parametrize("content", ["zip-of-text", "not-a-zip"])
def test_fake_docx_is_a_clear_failure(tmp_path, content):
    path = tmp_path / "report.docx"
    if content == "zip-of-text":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "各位代表")
    else:
        path.write_bytes(b"%PDF-1.4 not a docx")
    (item,) = list(iter_records([path]))
    assert isinstance(item, Failure) and item.reason.startswith("[Q009]")


def test_jsonl_with_one_malformed_line(tmp_path):
    path = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": "a", "text": "全年完成一般公共预算收入1.43亿元。"}, ensure_ascii=False), '{"id": "b", "text": "断',
             json.dumps({"id": "c", "text": "聚焦“强富美优”城市愿景。"}, ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = Corpus.from_paths(path).analyze(loader_kwargs=LIGHT)
    assert list(result.documents["id"]) == ["a", "c"]
    assert list(result.errors["source"]) == [f"{path}:2"] and "[Q007] Line 2" in result.errors["reason"][0]


@pytest.mark.parametrize("how", ["vanishes", "unreadable"])
def test_file_that_disappears_mid_run(tmp_path, monkeypatch, how):
    from qidu_nlp.corpus.engines import local as runner

    for name in "abc":
        (tmp_path / f"{name}.txt").write_text(f"各位代表：{name}村完成投资1.2亿元。", encoding="utf-8")
    real = runner.analyze_records

    def hook(nlp, batch, options=Options()):  # batches of one document
        if batch[0].id == "a":
            victim = tmp_path / "b.txt"
            if how == "vanishes":
                victim.unlink()
            else:
                original = type(victim).read_bytes
                monkeypatch.setattr(type(victim), "read_bytes",
                                    lambda self: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                                    if self.name == "b.txt" else original(self))
        return real(nlp, batch, options)

    monkeypatch.setattr(runner, "analyze_records", hook)
    result = Corpus.from_paths(tmp_path).analyze(loader_kwargs=LIGHT, batch_size=1)
    assert list(result.documents["id"]) == ["a", "c"]
    assert list(result.errors["id"]) == [""] and result.errors["source"][0].endswith("b.txt")
    assert "cannot read" in result.errors["reason"][0]
