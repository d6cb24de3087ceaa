"""The benchmark harness on small hand-made cases: gold I/O, the scorer, predict, bench, plug-ins.

The cases use sentences of the bundled report (corpora/qidu_2024.txt); offsets are found with
``_at`` so that every expected span is its surface in the sentence.
"""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language

from qidu_nlp.errors import InputError
from qidu_nlp.evaluation.bench import BenchReport, bench
from qidu_nlp.evaluation.gold import load_gold
from qidu_nlp.evaluation.predict import doc_to_spans, load_detector, predict, predict_file
from qidu_nlp.evaluation.scorer import match_overlap, score
from qidu_nlp.pipeline.spans import write_spans

from conftest import QIDU_GOLD

# Two sentences of the bundled report.
S1 = "围绕“1221”工作体系，聚焦“强富美优”城市愿景，推进“三区两园一线”发展蓝图落地落实。"
S2 = "全年完成一般公共预算收入1.43亿元，同比增长34%；固定资产投资5.3亿元，同比增长6.47%。"


def _at(text: str, surface: str, label: str, nth: int = 0, **attrs) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "label": label, **attrs}


def _rec(text: str, spans: list[dict], rid: str = "d1") -> dict:
    return {"id": rid, "text": text, "spans": spans}


GOLD_S1 = [
    _at(S1, "1221", "SLOGAN", kind="numeric"),
    _at(S1, "强富美优", "SLOGAN", kind="motto"),
    _at(S1, "三区两园一线", "SLOGAN", kind="numeric"),
]
GOLD_S2 = [
    _at(S2, "1.43亿元", "QUANTITY", value=143000000.0, unit="元"),
    _at(S2, "34%", "QUANTITY", value=34.0, unit="%"),
    _at(S2, "5.3亿元", "QUANTITY", value=530000000.0, unit="元"),
    _at(S2, "6.47%", "QUANTITY", value=6.47, unit="%"),
]


def _prf(result: dict, label: str, mode: str = "strict") -> tuple:
    r = result["labels"][label][mode]
    return round(r["precision"], 4), round(r["recall"], 4), round(r["f1"], 4)


def test_perfect_prediction_scores_one():
    gold = [_rec(S1, GOLD_S1, "a"), _rec(S2, GOLD_S2, "b")]
    result = score(gold, gold)
    for label in ("SLOGAN", "QUANTITY"):
        assert _prf(result, label) == (1.0, 1.0, 1.0)
        assert _prf(result, label, "overlap") == (1.0, 1.0, 1.0)
    assert result["micro"]["strict"]["f1"] == 1.0
    assert result["slogan_kind"]["accuracy"] == 1.0
    assert result["quantity_value"]["accuracy"] == 1.0
    assert result["quantity_unit"]["accuracy"] == 1.0
    assert all(not d["false_positives"] and not d["false_negatives"] for d in result["documents"])


def test_shifted_span_is_an_overlap_match_not_a_strict_one():
    gold = [_rec(S1, [GOLD_S1[1]])]
    # the span with its quotation marks: “强富美优”
    pred = [_rec(S1, [_at(S1, "“强富美优”", "SLOGAN", kind="motto")])]
    result = score(gold, pred)
    assert _prf(result, "SLOGAN") == (0.0, 0.0, 0.0)
    assert _prf(result, "SLOGAN", "overlap") == (1.0, 1.0, 1.0)
    doc = result["documents"][0]
    assert [(e["text"], e["overlaps"]) for e in doc["false_positives"]] == [("“强富美优”", True)]
    assert [(e["text"], e["overlaps"]) for e in doc["false_negatives"]] == [("强富美优", True)]


def test_extra_span_lowers_precision_only():
    gold = [_rec(S1, GOLD_S1[:2])]
    pred = [_rec(S1, GOLD_S1)]
    result = score(gold, pred)
    assert _prf(result, "SLOGAN") == (0.6667, 1.0, 0.8)
    assert [e["text"] for e in result["documents"][0]["false_positives"]] == ["三区两园一线"]
    assert result["documents"][0]["false_negatives"] == []


def test_missing_span_lowers_recall_only():
    gold = [_rec(S2, GOLD_S2)]
    pred = [_rec(S2, GOLD_S2[:3])]
    result = score(gold, pred)
    assert _prf(result, "QUANTITY") == (1.0, 0.75, 0.8571)
    assert [e["text"] for e in result["documents"][0]["false_negatives"]] == ["6.47%"]
    assert result["documents"][0]["false_positives"] == []


def test_label_mismatch_matches_neither_strict_nor_overlap():
    text = "在区委、区政府和镇党委的坚强领导下"
    gold = [_rec(text, [_at(text, "镇党委", "ORG")])]
    pred = [_rec(text, [_at(text, "镇党委", "PLACE")])]
    result = score(gold, pred)
    assert _prf(result, "ORG") == (0.0, 0.0, 0.0)
    assert _prf(result, "PLACE", "overlap") == (0.0, 0.0, 0.0)
    assert result["labels"]["ORG"]["gold"] == 1 and result["labels"]["PLACE"]["pred"] == 1
    assert result["micro"]["overlap"]["tp"] == 0


def test_overlap_matching_is_one_to_one():
    # one predicted span covering two gold slogans matches only one of them, the larger overlap
    text = "全面落实“闲地”“闲产”盘活工作"
    gold = [_at(text, "闲地", "SLOGAN", kind="motto"), _at(text, "闲产", "SLOGAN", kind="motto")]
    wide = {"start": gold[0]["start"] - 1, "end": gold[1]["end"] - 1, "label": "SLOGAN", "kind": "motto"}
    assert text[wide["start"] : wide["end"]] == "“闲地”“闲"
    result = score([_rec(text, gold)], [_rec(text, [wide])])
    assert _prf(result, "SLOGAN", "overlap") == (1.0, 0.5, 0.6667)
    assert match_overlap(gold, [wide]) == [(0, 0)]


def test_overlap_matching_prefers_the_larger_overlap():
    gold = [{"start": 0, "end": 2, "label": "X"}, {"start": 2, "end": 10, "label": "X"}]
    pred = [{"start": 1, "end": 8, "label": "X"}, {"start": 0, "end": 1, "label": "X"}]
    assert match_overlap(gold, pred) == [(0, 1), (1, 0)]


def test_kind_accuracy_counts_strict_matches_only():
    gold = [_rec(S1, GOLD_S1)]
    pred_spans = [dict(GOLD_S1[0]), dict(GOLD_S1[1], kind="campaign"), dict(GOLD_S1[2])]
    result = score(gold, [_rec(S1, pred_spans)])
    assert _prf(result, "SLOGAN") == (1.0, 1.0, 1.0)
    assert result["slogan_kind"]["n"] == 3
    assert result["slogan_kind"]["correct"] == 2
    errors = result["documents"][0]["attribute_errors"]
    assert [(e["text"], e["error"]) for e in errors] == [("强富美优", "kind 'campaign' ≠ 'motto'")]


def test_kind_accuracy_by_gold_kind():
    gold = [_rec(S1, GOLD_S1)]
    result = score(gold, [_rec(S1, GOLD_S1[:1])])
    by_kind = result["slogan_kind"]["by_kind"]
    assert by_kind["numeric"] == {"gold": 2, "found": 1, "recall": 0.5}
    assert by_kind["motto"] == {"gold": 1, "found": 0, "recall": 0.0}


@pytest.mark.parametrize(
    "pred_value, pred_unit, value_ok, unit_ok",
    [
        (143000000.0, "元", True, True),
        (143000000.0 * (1 + 1e-9), "元", True, True),  # within 1e-6 relative
        (1.43, "亿元", False, False),  # 亿 not multiplied out
        (143000000.0, "万元", True, False),
        (None, "元", False, True),
    ],
)
def test_value_and_unit_accuracy(pred_value, pred_unit, value_ok, unit_ok):
    gold_span = GOLD_S2[0]
    pred_span = dict(gold_span, value=pred_value, unit=pred_unit)
    result = score([_rec(S2, [gold_span])], [_rec(S2, [pred_span])])
    assert result["quantity_value"]["accuracy"] == (1.0 if value_ok else 0.0)
    assert result["quantity_unit"]["accuracy"] == (1.0 if unit_ok else 0.0)


def test_errors_carry_text_and_sentence():
    text = S1 + S2
    gold = [_rec(text, [_at(text, "34%", "QUANTITY", value=34.0, unit="%")])]
    result = score(gold, [_rec(text, [])])
    (fn,) = result["documents"][0]["false_negatives"]
    assert fn["text"] == "34%"
    assert fn["sentence"] == "全年完成一般公共预算收入1.43亿元，同比增长34%；"
    assert fn["context"] == "入1.43亿元，同比增长[34%]；固定资产投资5.3亿元"  # 12 characters either side


def test_document_without_prediction_counts_all_gold_as_missed():
    gold = [_rec(S1, GOLD_S1, "a"), _rec(S2, GOLD_S2, "b")]
    result = score(gold, [_rec(S1, GOLD_S1, "a")])
    assert _prf(result, "SLOGAN") == (1.0, 1.0, 1.0)
    assert _prf(result, "QUANTITY") == (0.0, 0.0, 0.0)
    assert len(result["documents"][1]["false_negatives"]) == 4


def test_labels_argument_restricts_scoring():
    gold = [_rec(S1 + S2, GOLD_S1 + [dict(s, start=s["start"] + len(S1), end=s["end"] + len(S1)) for s in GOLD_S2])]
    result = score(gold, [_rec(S1 + S2, [])], labels=["QUANTITY"])
    assert list(result["labels"]) == ["QUANTITY"]
    assert result["micro"]["gold"] == 4


def test_score_refuses_a_different_text_under_the_same_id():
    with pytest.raises(ValueError, match="d1"):
        score([_rec(S1, GOLD_S1)], [_rec(S2, [])])


# --- load_gold -------------------------------------------------------------------------------------

GOOD = {"id": "ok", "text": S1, "spans": GOLD_S1}


def _bad(**change) -> dict:
    rec = json.loads(json.dumps(GOOD))
    rec.update(change)
    return rec


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"id": "x", "text": ', "malformed JSON"),
        (json.dumps(["not", "an", "object"]), "not a JSON object"),
        (json.dumps({"text": S1, "spans": []}), "no 'id'"),
        (json.dumps({"id": "x", "spans": []}), "no string field 'text'"),
        (json.dumps({"id": "x", "text": S1}), "no 'spans' list"),
        (json.dumps(_bad(id="x", spans=[{"start": 3, "end": 999, "label": "SLOGAN", "kind": "numeric"}])), "outside the text"),
        (json.dumps(_bad(id="x", spans=[{"start": "3", "end": 7, "label": "SLOGAN"}])), "integer 'start'"),
        (json.dumps(_bad(id="x", spans=[{"start": 3, "end": 7, "label": "SLOGAN"}])), "has no 'kind'"),
        (json.dumps(_bad(id="x", spans=[{"start": 3, "end": 7, "label": "SLOGAN", "kind": "slogan"}])), "has kind 'slogan'"),
        (json.dumps(_bad(id="x", spans=[{"start": 3, "end": 7, "label": "QUANTITY", "unit": ""}])), "numeric 'value'"),
        (json.dumps(_bad(id="x", spans=[{"start": 3, "end": 7, "label": "QUANTITY", "value": 1221}])), "string 'unit'"),
        (json.dumps(_bad(id="x", spans=[GOLD_S1[0], dict(GOLD_S1[0], start=2)])), "overlap"),
        (json.dumps(_bad(id="ok")), "already used on line 1"),
        (json.dumps({"id": "x", "text": "齐都镇第二十届\n人民代表大会", "spans": [{"start": 0, "end": 10, "label": "EVENT"}]}), "line break"),
        (json.dumps({"id": "x", "text": "镇长  刘菁华", "spans": [{"start": 2, "end": 7, "label": "PERSON"}]}), "whitespace"),
    ],
)
def test_load_gold_names_the_bad_line(tmp_path, line, reason):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_gold(path)
    assert info.value.source == f"{path}:3"
    assert reason in info.value.reason


def test_load_gold_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_gold(tmp_path / "nope.jsonl")


def test_load_gold_reads_the_shared_development_set():
    from conftest import shared_file

    records = load_gold(shared_file("local_dev/gold.jsonl"))
    assert len(records) == 28
    assert sum(len(r["spans"]) for r in records) == 1019


def test_load_gold_reads_the_bundled_gold():
    if not QIDU_GOLD.exists():
        pytest.skip(f"{QIDU_GOLD} not present")
    (record,) = load_gold(QIDU_GOLD)
    assert record["id"] == "qidu-2024"


# --- doc_to_spans and predict ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def blank_zh():
    return spacy.blank("zh")


def test_doc_to_spans_reads_every_layer(blank_zh):
    text = "围绕“1221”工作体系，全年完成一般公共预算收入1.43亿元，镇党委"
    doc = blank_zh(text)
    write_spans(doc, "slogans", [_at(text, "1221", "SLOGAN", kind="numeric")])
    write_spans(doc, "ents", [_at(text, "镇党委", "ORG")])
    write_spans(doc, "quantities", [_at(text, "1.43亿元", "QUANTITY", value=143000000, unit="元")])
    assert doc_to_spans(doc) == [
        _at(text, "1221", "SLOGAN", kind="numeric"),
        _at(text, "1.43亿元", "QUANTITY", value=143000000.0, unit="元"),
        _at(text, "镇党委", "ORG"),
    ]
    assert doc_to_spans(doc, labels=["ORG"]) == [_at(text, "镇党委", "ORG")]


@Language.component("test_evaluation_writer")
def _writer(doc):
    write_spans(doc, "slogans", [sp for sp in GOLD_S1 if doc.text == S1])
    return doc


def test_predict_with_a_spacy_pipeline():
    nlp = spacy.blank("zh")
    nlp.add_pipe("test_evaluation_writer")
    (pred,) = predict([{"id": "a", "text": S1, "meta": {"year": 2024}}], detector=nlp)
    assert pred == {"id": "a", "text": S1, "meta": {"year": 2024}, "spans": GOLD_S1}


def test_a_callable_detector_plugs_in():
    def detector(text):
        return [(text.index("34%"), text.index("34%") + 3, "QUANTITY")]

    (pred,) = predict([{"id": "b", "text": S2}], detector=detector)
    assert pred["spans"] == [{"start": 23, "end": 26, "label": "QUANTITY"}]
    assert S2[23:26] == "34%"


def test_predict_labels_filter_callable_output():
    def detector(text):
        return GOLD_S1 + [_at(text, "强富美优", "PLACE")]

    (pred,) = predict([{"id": "a", "text": S1}], detector=detector, labels=["PLACE"])
    assert pred["spans"] == [_at(S1, "强富美优", "PLACE")]


def test_predict_file_writes_the_gold_schema(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in (("a", S1), ("b", S2))) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out" / "pred.jsonl"
    n = predict_file(src, out, detector=load_detector("qidu_nlp.evaluation.baselines:quotes_baseline"))
    assert n == 2
    assert sorted(p.name for p in out.parent.iterdir()) == ["pred.jsonl"]  # no temp file left
    records = load_gold(out)  # the output passes the gold validation
    assert [r["id"] for r in records] == ["a", "b"]
    assert [(S1[s["start"] : s["end"]], s["kind"]) for s in records[0]["spans"]] == [
        ("1221", "numeric"),
        ("强富美优", "motto"),
        ("三区两园一线", "numeric"),
    ]
    assert records[1]["spans"] == []


def test_predict_file_names_a_bad_input_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "x"}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        predict_file(src, tmp_path / "out.jsonl", detector=lambda t: [])
    assert info.value.source == f"{src}:2"
    assert not (tmp_path / "out.jsonl").exists()


# --- load_detector ---------------------------------------------------------------------------------


def test_load_detector_function_of_text():
    detect = load_detector("qidu_nlp.evaluation.baselines:formulas_baseline")
    assert detect("深入贯彻新发展理念") == [{"start": 4, "end": 9, "label": "SLOGAN", "kind": "formula"}]


def test_load_detector_factory_returning_a_pipeline(tmp_path, monkeypatch):
    (tmp_path / "my_detector_mod.py").write_text(
        "import spacy\n\ndef make():\n    return spacy.blank('zh')\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    nlp = load_detector("my_detector_mod:make")
    assert isinstance(nlp, Language)


@pytest.mark.parametrize(
    "spec, reason",
    [
        ("qidu_nlp.evaluation.baselines", "module:function"),
        ("no_such_module_xyz:f", "cannot import"),
        ("qidu_nlp.evaluation.baselines:nope", "no attribute"),
        ("qidu_nlp.evaluation.baselines:MONEY_UNITS", "neither"),
    ],
)
def test_load_detector_errors(spec, reason):
    with pytest.raises(InputError, match=reason):
        load_detector(spec)


# --- bench -----------------------------------------------------------------------------------------


@pytest.fixture()
def gold_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    lines = [_rec(S1, GOLD_S1, "a"), _rec(S2, GOLD_S2, "b")]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", encoding="utf-8")
    return path


def test_bench_scores_a_callable_and_reports(gold_file, tmp_path):
    from qidu_nlp.evaluation.baselines import quotes_baseline

    report = bench([gold_file], detector=quotes_baseline, labels=["SLOGAN"])
    assert isinstance(report, BenchReport)
    (entry,) = report.results["gold"]
    (system,) = entry["systems"]
    assert system["name"] == "quotes_baseline"
    assert system["scores"]["labels"]["SLOGAN"]["strict"]["f1"] == 1.0
    assert system["chars_per_second"] > 0
    md = report.markdown()
    assert "| **quotes_baseline** | SLOGAN | 3 | 3 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | – |" in md
    out = tmp_path / "res.json"
    report.to_json(out)
    assert json.loads(out.read_text(encoding="utf-8"))["gold"][0]["n_spans"] == 7


def test_bench_runs_baselines_on_their_own_labels(gold_file):
    report = bench([gold_file], detector=lambda text: [], baselines=True)
    systems = {s["name"]: s for s in report.results["gold"][0]["systems"]}
    assert list(systems["rules"]["scores"]["labels"]) == ["SLOGAN"]
    assert systems["rules"]["scores"]["labels"]["SLOGAN"]["strict"]["f1"] == 1.0
    skipped = {s["name"] for s in report.results["skipped"]}
    if "jionlp" not in skipped:
        # money quantities only, next to the detector under test on the same subset
        assert systems["jionlp"]["scores"]["labels"]["QUANTITY"]["gold"] == 2
        assert systems["<lambda> (jionlp scope)"]["scores"]["labels"]["QUANTITY"]["gold"] == 2


def test_markdown_lists_errors_with_context(gold_file):
    report = bench([gold_file], detector=lambda text: [])
    md = report.markdown(max_errors=1)
    assert "missed (3): SLOGAN 围绕“[1221]”工作体系，聚焦“强富美 … and 2 more" in md


def test_sample_gold_path_is_the_bundled_reports_gold(qidu_text):
    from qidu_nlp.evaluation.gold import load_gold, sample_gold_path

    (record,) = load_gold(sample_gold_path())
    assert record["id"] == "qidu-2024" and record["text"] == qidu_text


def test_bench_takes_named_record_lists_and_more_systems(gold_file):
    from qidu_nlp.evaluation.baselines import Baseline, quotes_baseline
    from qidu_nlp.evaluation.gold import load_gold

    records = load_gold(gold_file)[:1]
    extra = Baseline("nothing", "predicts nothing", ("SLOGAN",), lambda text: [])
    report = bench([("first document", records)], detector=quotes_baseline, labels=["SLOGAN"], systems=[extra])
    (entry,) = report.results["gold"]
    assert entry["name"] == "first document" and entry["n_docs"] == 1
    assert [s["name"] for s in entry["systems"]] == ["quotes_baseline", "nothing"]


def test_cli_bench_scores_one_split_and_prints_the_held_out_scores(tmp_path):
    from typer.testing import CliRunner

    from qidu_nlp.cli import app

    path = tmp_path / "gold.jsonl"
    recs = [_rec(S1, GOLD_S1, "a"), _rec(S2, GOLD_S2, "b")]
    recs[1]["meta"] = {"split": "blind"}
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["bench", str(path), "--split", "blind", "--labels", "SLOGAN"])
    assert res.exit_code == 0, res.output
    assert "### gold.jsonl (blind) (1 documents" in res.output
    assert "Held-out provinces" in res.output  # the shipped judges' cross-validated scores
