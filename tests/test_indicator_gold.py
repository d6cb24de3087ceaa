"""The indicator gold (corpora/annotations/indicators_*.jsonl), its checks, the scorer and `qidu bench --indicators`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qidu_nlp.cli import app
from qidu_nlp.errors import InputError
from qidu_nlp.evaluation.indicators import load_indicator_gold, read_corpus, score_statements
from qidu_nlp.resources import BytesFolder
from qidu_nlp.rules.indicators.table import read_table

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "corpora" / "annotations"
QIDU_GOLD = ANNOTATIONS / "indicators_qidu_2024.jsonl"
# file → (documents dev/held-out, statements dev/held-out), as in corpora/annotations/README.md
COUNTS = {
    "indicators_national.jsonl": ((25, 12), (495, 229), "national_reports.jsonl"),
    "indicators_local_dev.jsonl": ((20, 8), (116, 51), "local_dev/gold.jsonl"),
    "indicators_local_reports.jsonl": ((26, 13), (102, 44), "local_reports.jsonl"),
}


@pytest.fixture(scope="module")
def bundled():
    return load_indicator_gold([QIDU_GOLD], read_corpus([]))


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_gold_files_hold_the_counts_the_readme_gives(name):
    from conftest import shared_file

    (docs_dev, docs_held), (st_dev, st_held), corpus = COUNTS[name]
    gold = load_indicator_gold([ANNOTATIONS / name], read_corpus([shared_file(corpus)]))
    splits = [rec["split"] for rec in gold.documents.values()]
    assert (splits.count("dev"), splits.count("heldout")) == (docs_dev, docs_held)
    assert (len(gold.subset("dev").statements), len(gold.subset("heldout").statements)) == (st_dev, st_held)


def test_the_held_out_split_file_lists_exactly_the_held_out_documents():
    listed = set(json.loads((ANNOTATIONS / "indicators_split.json").read_text(encoding="utf-8"))["heldout"])
    marked = {json.loads(line)["doc_id"] for path in ANNOTATIONS.glob("indicators_*.jsonl")
              for line in path.read_text(encoding="utf-8").splitlines()
              if json.loads(line)["type"] == "document" and json.loads(line)["split"] == "heldout"}
    assert marked == listed


def test_the_bundled_report_gold_has_its_seven_statements_in_sixteen_regions(bundled):
    assert (len(bundled.statements), len(bundled.regions["qidu-2024"])) == (7, 16)


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "indicators_bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _qidu_lines() -> list[str]:
    return QIDU_GOLD.read_text(encoding="utf-8").splitlines()


def test_a_malformed_line_is_named_by_file_and_line(tmp_path):
    lines = _qidu_lines()
    lines[3] = lines[3][:-1]
    path = _write(tmp_path, lines)
    with pytest.raises(InputError, match=rf"{path.name}:4: malformed JSON"):
        load_indicator_gold([path], read_corpus([]))


def test_a_statement_outside_every_region_is_refused(tmp_path):
    lines = [line for line in _qidu_lines() if json.loads(line)["type"] != "region"]
    path = _write(tmp_path, lines)
    with pytest.raises(InputError, match=r":2: statement '一般公共预算收入' lies outside every region of qidu-2024"):
        load_indicator_gold([path], read_corpus([]))


def test_a_different_text_is_refused_by_its_hash(tmp_path):
    lines = _qidu_lines()
    doc = json.loads(lines[0])
    lines[0] = json.dumps({**doc, "sha256": "0" * 64}, ensure_ascii=False)
    path = _write(tmp_path, lines)
    with pytest.raises(InputError, match=r":1: the text of 'qidu-2024' .* is not the annotated one"):
        load_indicator_gold([path], read_corpus([]))


def test_a_document_missing_from_the_texts_names_the_corpus_to_pass(tmp_path):
    path = _write(tmp_path, ['{"type": "document", "doc_id": "national-2024", "corpus": "national_reports.jsonl", '
                             '"sha256": "x", "split": "dev"}'])
    with pytest.raises(InputError, match="pass its national_reports.jsonl with --texts"):
        load_indicator_gold([path], read_corpus([]))


def _gold_rows(gold) -> list[dict]:
    return [{k: s[k] for k in ("indicator", "start", "end", "value_low", "value_high", "unit", "change_low",
                               "change_high", "change_unit", "direction", "approx", "status", "period_start",
                               "period_end")} for s in gold.statements]


def test_the_gold_scored_against_itself_is_perfect(bundled):
    score = score_statements(bundled, {"qidu-2024": _gold_rows(bundled)})
    assert score["statements"]["f1"] == 1.0
    assert all(acc["accuracy"] == 1.0 for name, acc in score["accuracy"].items() if acc["n"])


def test_a_prediction_outside_the_regions_is_not_scored(bundled):
    stray = {**_gold_rows(bundled)[0], "start": 0, "end": 4}
    score = score_statements(bundled, {"qidu-2024": _gold_rows(bundled) + [stray]})
    assert (score["statements"]["pred"], score["statements"]["precision"]) == (7, 1.0)


def test_each_gold_statement_is_matched_once(bundled):
    rows = _gold_rows(bundled)
    score = score_statements(bundled, {"qidu-2024": rows + [dict(rows[0])]})
    assert (score["statements"]["tp"], score["statements"]["pred"], len(score["errors"]["spurious"])) == (7, 8, 1)


def test_a_wrong_upper_bound_is_a_number_error(bundled):
    rows = _gold_rows(bundled)
    rows[3] = {**rows[3], "change_high": 4.0}
    score = score_statements(bundled, {"qidu-2024": rows})
    assert (score["statements"]["f1"], score["accuracy"]["value"]["accuracy"]) == (1.0, 6 / 7)


def test_bench_scores_indicators_beside_the_cue_word_baseline():
    result = CliRunner().invoke(app, ["bench", "--indicators", str(QIDU_GOLD), "--split", "dev", "--baselines"])
    assert result.exit_code == 0, result.output
    rows = {line.split("|")[1].strip(): line for line in result.output.splitlines() if line.startswith("| ")}
    assert "| 7 | 1.000 | 1.000 | 1.000 |" in rows["qidu"] and "cue words" in rows


def test_bench_refuses_an_unknown_split():
    result = CliRunner().invoke(app, ["bench", "--indicators", str(QIDU_GOLD), "--split", "test"])
    assert result.exit_code == 1 and "--split 'test'" in result.output


def test_a_name_given_to_two_indicators_is_refused_naming_both():
    table = {"indicators": [{"id": "GDP", "aliases": ["生产总值"]}, {"id": "industrial output", "aliases": ["生产总值"]}]}
    folder = BytesFolder({"indicators.json": json.dumps(table, ensure_ascii=False).encode("utf-8")})
    with pytest.raises(InputError, match="'生产总值' names both 'GDP' and 'industrial output'"):
        read_table(folder)


def test_the_second_blind_set_holds_six_reports_in_no_earlier_gold_and_its_split_lists_them():
    from conftest import shared_file

    gold = load_indicator_gold([ANNOTATIONS / "indicators_national_blind2.jsonl"],
                               read_corpus([shared_file("national_reports.jsonl")]))
    assert (len(gold.documents), len(gold.statements), sum(len(r) for r in gold.regions.values())) == (6, 85, 18)
    assert {rec["split"] for rec in gold.documents.values()} == {"blind2"}
    listed = json.loads((ANNOTATIONS / "indicators_split.json").read_text(encoding="utf-8"))["blind2"]
    assert sorted(gold.documents) == sorted(listed)
    earlier = {json.loads(line)["doc_id"] for name in COUNTS for line in (ANNOTATIONS / name).read_text(encoding="utf-8").splitlines()}
    assert not earlier & set(gold.documents)


def test_a_sealed_split_is_scored_without_its_errors(tmp_path):
    from qidu_nlp.evaluation.indicators import bench_indicators

    sealed = tmp_path / "indicators_sealed.jsonl"
    sealed.write_text(QIDU_GOLD.read_text(encoding="utf-8").replace('"split": "dev"', '"split": "blind2"'), encoding="utf-8")
    bench = bench_indicators([sealed], splits=["blind2"], baseline=False)
    errors = bench.results["qidu"]["blind2"]["errors"]
    assert set(errors) == {"missed", "spurious", "attributes"} and all(isinstance(n, int) for n in errors.values())
    assert "- missed" not in bench.markdown() and "- spurious" not in bench.markdown()
