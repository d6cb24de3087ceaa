"""benchmarks/entity_sample.py, the hand-judged precision of entities at corpus scale: the
interval, the counts per label, and a judged file with a line left unjudged."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "entity_sample.py"


@pytest.fixture(scope="module")
def entity_sample():
    spec = importlib.util.spec_from_file_location("entity_sample", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _line(label: str, text: str, judgement: str | None) -> str:
    return json.dumps({"doc": "lg-00001", "label": label, "text": text, "context": f"在[{text}]建成",
                       "judgement": judgement}, ensure_ascii=False)


def test_wilson_interval_of_ninety_in_a_hundred(entity_sample):
    lo, hi = entity_sample.wilson(90, 100)
    assert (round(lo, 3), round(hi, 3)) == (0.826, 0.945)


def test_precision_counts_ok_strictly_and_boundary_leniently(entity_sample, tmp_path):
    judged = tmp_path / "judged.jsonl"
    judged.write_text("\n".join([_line("VILLAGE", "南峪村", "ok"), _line("VILLAGE", "镇宁高荡村", "boundary"),
                                 _line("VILLAGE", "城中村", "wrong"), _line("PERSON", "习近平", "ok")]) + "\n",
                      encoding="utf-8")
    out = tmp_path / "precision.json"
    assert entity_sample.main(["precision", str(judged), "--out", str(out)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["VILLAGE"]["n"] == 3
    assert summary["VILLAGE"]["strict"] == pytest.approx(1 / 3)
    assert summary["VILLAGE"]["lenient"] == pytest.approx(2 / 3)
    assert summary["PERSON"]["strict"] == 1.0


def test_precision_refuses_a_file_with_unjudged_lines_and_names_them(entity_sample, tmp_path, capsys):
    judged = tmp_path / "judged.jsonl"
    judged.write_text(_line("PLACE", "临淄区", "ok") + "\n" + _line("PLACE", "齐都镇", None) + "\n", encoding="utf-8")
    assert entity_sample.main(["precision", str(judged), "--out", str(tmp_path / "p.json")]) == 1
    assert "lines [2]" in capsys.readouterr().err
    assert not (tmp_path / "p.json").exists()


def test_collect_finds_an_old_sample_line_by_its_context_and_appends_it_with_offsets(entity_sample, tmp_path):
    text = "沙坡头区迎水桥镇姚滩村入选全国改善人居环境示范村。"
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "lg-00001", "province": "宁夏回族自治区", "text": text}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    judged = tmp_path / "entity_sample_seed1_judged.jsonl"
    row = {"doc": "lg-00001", "label": "VILLAGE", "text": "姚滩村", "context": "沙坡头区迎水桥镇[姚滩村]入选全国改善人居环境示范村。",
           "judgement": "ok"}
    judged.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "corpus_judgements.jsonl"
    assert entity_sample.main(["collect", str(judged), "--corpus", str(corpus), "--out", str(out)]) == 0
    [got] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (got["sample"], got["start"], got["end"], got["province"]) == ("seed1", 8, 11, "宁夏回族自治区")
