"""Indicator statements: the bundled report's headline indicators, national targets, compare()."""

from __future__ import annotations

import json

import pytest

from qidu_nlp.indicators import COLUMNS, compare, to_frame
from qidu_nlp.pipeline.rows import indicator_rows as extract
from qidu_nlp.rules.indicators import extract_text

HEADLINE = [
    # indicator, value, unit, change, change_unit, direction, period, status, approx
    ("一般公共预算收入", 143000000.0, "元", 34.0, "%", "up", 2023, "actual", None),
    ("规上工业总产值", 8071000000.0, "元", 3.45, "%", "up", 2023, "actual", None),
    ("固定资产投资", 530000000.0, "元", 6.47, "%", "up", 2023, "actual", None),
    ("地区生产总值", None, None, 3.5, "%", "up", 2024, "target", "about"),
    ("一般公共预算收入", None, None, 10.0, "%", "up", 2024, "target", "about"),
    ("固定资产投资", None, None, 5.0, "%", "up", 2024, "target", "about"),
    ("居民人均可支配收入", None, None, 7.5, "%", "up", 2024, "target", "about"),
]
_KEYS = ["indicator", "value", "unit", "change", "change_unit", "direction", "period", "status", "approx"]


@pytest.fixture(scope="module")
def qidu_rows(qidu_doc):
    return extract(qidu_doc)


@pytest.mark.parametrize("expected", HEADLINE, ids=[f"{h[0]}-{h[6]}" for h in HEADLINE])
def test_headline_indicators_of_the_bundled_report(qidu_rows, expected):
    rows = [tuple(r[k] for k in _KEYS) for r in qidu_rows]
    assert expected in rows


def test_bundled_report_has_exactly_the_seven_headline_statements(qidu_rows):
    assert [tuple(r[k] for k in _KEYS) for r in qidu_rows] == HEADLINE


def test_rows_carry_the_sentence_and_the_place_from_the_header(qidu_rows):
    first = qidu_rows[0]
    assert first["sentence"].startswith("全年完成一般公共预算收入1.43亿元")
    assert first["place"] == "齐都镇"
    assert first["mention"] == "一般公共预算收入"


def test_meta_gives_doc_id_and_year(nlp):
    doc = nlp("全年完成一般公共预算收入1.43亿元，同比增长34%。")
    doc._.qidu.meta = {"id": "qidu-2024", "year": 2024, "place": "齐都镇"}
    (row,) = extract(doc)
    assert (row["doc_id"], row["place"], row["period"], row["status"]) == ("qidu-2024", "齐都镇", 2023, "actual")


def test_a_sentence_with_two_indicators():
    text = "2018年，预计地区生产总值增长8%;一般公共预算收入完成21.9亿元,增长9.1%。"
    rows = extract_text(text, meta={"year": 2019})
    assert [(r["indicator"], r["value"], r["change"], r["period"], r["status"]) for r in rows] == [
        ("地区生产总值", None, 8.0, 2018, "actual"),
        ("一般公共预算收入", 2190000000.0, 9.1, 2018, "actual"),
    ]


def test_a_level_and_its_change_in_one_clause_after_a_milestone():
    text = "预计:全县GDP突破百亿元大关,达109亿元、增长9.2%;一般公共预算收入8.02亿元、增长10.7%。"
    rows = extract_text(text, meta={"year": 2019})
    assert [(r["indicator"], r["value"], r["change"]) for r in rows] == [
        ("地区生产总值", 10900000000.0, 9.2),
        ("一般公共预算收入", 802000000.0, 10.7),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # national 2014: a target phrased with 预期增长, no 目标
        ("今年进出口总额预期增长7.5%左右。", ("进出口总额", 7.5, 2014, "target", "about")),
        # national 1992: 计划要求
        ("今年计划要求，全社会固定资产投资增长百分之八。", ("固定资产投资", 8.0, 2014, "target", None)),
        ("力争全年地区生产总值增长6%以上。", ("地区生产总值", 6.0, 2014, "target", "over")),
    ],
)
def test_targets_phrased_without_the_word_target(text, expected):
    (row,) = extract_text(text, meta={"year": 2014})
    assert (row["indicator"], row["change"], row["period"], row["status"], row["approx"]) == expected


def test_a_decrease_is_signed_and_points_down():
    (row,) = extract_text("单位国内生产总值能耗降低2.5%左右，生态环境质量持续改善。", meta={"year": 2024})
    assert (row["indicator"], row["change"], row["direction"]) == ("单位生产总值能耗", -2.5, "down")


def test_a_rate_indicator_takes_its_percentage_as_the_level():
    (row,) = extract_text("城镇登记失业率控制在3.2%以内。", meta={"year": 2019})
    assert (row["indicator"], row["value"], row["unit"], row["change"], row["approx"]) == (
        "城镇登记失业率", 3.2, "%", None, "under",
    )


def test_percentage_points_are_a_change_unit():
    (row,) = extract_text("2023年，常住人口城镇化率提高0.9个百分点。", meta={"year": 2024})
    assert (row["change"], row["change_unit"], row["period"]) == (0.9, "百分点", 2023)


def test_a_new_level_after_提高到_is_not_a_change():
    (row,) = extract_text("常住人口城镇化率提高到67%。", meta={"year": 2025})
    assert (row["value"], row["change"], row["direction"]) == (67.0, None, "up")


def test_better_than_expected_is_no_target_cue():
    text = "经济恢复好于预期，全年国内生产总值增长2.3％，宏观调控积累了新的经验。"
    (row,) = extract_text(text, meta={"year": 2021})
    assert (row["change"], row["period"], row["status"]) == (2.3, 2020, "actual")


@pytest.fixture(scope="module")
def national_table():
    from conftest import shared_file

    rows = []
    for line in shared_file("national_reports.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["year"] >= 2017:
            rows += extract_text(rec["text"], meta={"id": rec["id"], "year": rec["year"], "place": "中国"})
    return to_frame(rows)


@pytest.mark.parametrize(
    "year, change, approx",
    [(2017, 6.5, "about"), (2018, 6.5, "about"), (2019, 6.0, None), (2021, 6.0, "over"),
     (2022, 5.5, "about"), (2023, 5.0, "about"), (2024, 5.0, "about"), (2025, 5.0, "about")],
)
def test_national_gdp_growth_targets(national_table, year, change, approx):
    t = national_table
    rows = t[(t["indicator"] == "国内生产总值") & (t["status"] == "target") & (t["period"] == year)]
    first = rows.iloc[0]
    got_approx = first["approx"] if isinstance(first["approx"], str) else None
    assert (first["change"], got_approx) == (change, approx)


def test_compare_lines_national_targets_up_with_next_years_actuals(national_table):
    view = compare(national_table)
    gdp = view[(view["indicator"] == "国内生产总值")].set_index("period")
    assert (gdp.loc[2023, "target_change"], gdp.loc[2023, "actual_change"], gdp.loc[2023, "met"]) == (5.0, 5.2, True)
    assert (gdp.loc[2022, "target_change"], gdp.loc[2022, "actual_change"], gdp.loc[2022, "met"]) == (5.5, 3.0, False)
    assert gdp.loc[2023, "target_doc"] == "national-2023" and gdp.loc[2023, "actual_doc"] == "national-2024"


def test_compare_treats_ceilings_as_met_when_below():
    rows = [
        {"place": "中国", "indicator": "城镇调查失业率", "period": 2024, "status": "target", "value": 5.5,
         "unit": "%", "approx": "about", "doc_id": "a"},
        {"place": "中国", "indicator": "城镇调查失业率", "period": 2024, "status": "actual", "value": 5.1,
         "unit": "%", "doc_id": "b"},
    ]
    assert compare(rows)["met"].tolist() == [True]


def test_frames_keep_their_columns_when_empty():
    assert list(to_frame([]).columns) == COLUMNS
    assert compare([]).empty


def test_from_to_levels_keep_the_new_level_and_the_annual_growth():
    text = "规上工业总产值从742亿元增加到1550.2亿元,年均增长15.3%。"
    (row,) = extract_text(text, meta={"year": 2022})
    assert (row["value"], row["unit"], row["change"], row["direction"]) == (155020000000.0, "元", 15.3, "up")
