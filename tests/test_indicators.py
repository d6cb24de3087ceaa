"""Indicator statements: the bundled report's headline indicators, real sentences of national and
local reports (dev documents of the indicator gold), the GDP-growth target series, series and compare."""

from __future__ import annotations

import json

import pytest

from qidu_nlp.indicators import COLUMNS, compare, series, to_frame
from qidu_nlp.pipeline.rows import indicator_rows
from qidu_nlp.rules.indicators import extract_text, load_table

HEADLINE = [
    # indicator, value, unit, change, change_unit, direction, period, status, approx
    ("general public budget revenue", 143000000.0, "元", 34.0, "%", "up", 2023, "actual", None),
    ("industrial output above designated size", 8071000000.0, "元", 3.45, "%", "up", 2023, "actual", None),
    ("fixed-asset investment", 530000000.0, "元", 6.47, "%", "up", 2023, "actual", None),
    ("GDP", None, None, 3.5, "%", "up", 2024, "target", "about"),
    ("general public budget revenue", None, None, 10.0, "%", "up", 2024, "target", "about"),
    ("fixed-asset investment", None, None, 5.0, "%", "up", 2024, "target", "about"),
    ("per capita disposable income", None, None, 7.5, "%", "up", 2024, "target", "about"),
]
_KEYS = ["indicator", "value_low", "unit", "change_low", "change_unit", "direction", "period_start", "status", "approx"]


def _one(text: str, year: int, **fields) -> list[tuple]:
    keys = list(fields)
    return [tuple(r[k] for k in keys) for r in extract_text(text, meta={"year": year})]


@pytest.fixture(scope="module")
def qidu_rows(qidu_doc):
    return indicator_rows(qidu_doc)


def test_bundled_report_has_exactly_the_seven_headline_statements(qidu_rows):
    assert [tuple(r[k] for k in _KEYS) for r in qidu_rows] == HEADLINE


def test_headline_statements_are_single_numbers_of_single_years(qidu_rows):
    assert all(r["value_low"] == r["value_high"] and r["change_low"] == r["change_high"]
               and r["period_start"] == r["period_end"] for r in qidu_rows)


def test_rows_carry_the_sentence_the_mention_and_the_place_from_the_header(qidu_rows):
    first = qidu_rows[0]
    assert first["sentence"].startswith("全年完成一般公共预算收入1.43亿元，同比增长34%；")
    assert (first["place"], first["mention"]) == ("齐都镇", "一般公共预算收入")


def test_the_pipeline_and_the_plain_text_give_the_same_rows(qidu_rows, qidu_text):
    meta = {"id": "qidu-2024", "year": 2024}
    plain = extract_text(qidu_text, meta=meta)
    assert [{k: r[k] for k in COLUMNS if k != "doc_id"} for r in plain] == \
        [{k: r[k] for k in COLUMNS if k != "doc_id"} for r in qidu_rows]


def test_a_range_keeps_both_bounds():
    # national-2019, the target list
    text = "今年经济社会发展的主要预期目标是：国内生产总值增长6%－6.5%；城镇新增就业1100万人以上。"
    assert _one(text, 2019, indicator=0, change_low=0, change_high=0, status=0)[0] == ("GDP", 6.0, 6.5, "target")


def test_a_range_in_chinese_numerals_keeps_both_bounds():
    # national-1995
    text = "综合分析各方面的条件，今年经济增长速度的宏观调控目标，定为百分之八至九。"
    assert _one(text, 1995, indicator=0, change_low=0, change_high=0, status=0, period_start=0) == [
        ("GDP", 8.0, 9.0, "target", 1995)]


def test_economic_growth_without_gdp_in_the_clause_is_gdp_growth():
    # national-2025
    text = "经济增长预期目标为5%左右，既是稳就业、防风险、惠民生的需要。"
    assert _one(text, 2025, indicator=0, change_low=0, approx=0, status=0) == [("GDP", 5.0, "about", "target")]


def test_an_achieved_figure_and_the_target_it_is_compared_with_are_both_kept():
    # national-1999
    text = "国内生产总值比上年增长7.8％，虽然略低于8％的预定目标，但这是在抵御亚洲金融危机的冲击和战胜国内特大洪涝灾害的情况下取得的，来之不易。"
    assert _one(text, 1999, change_low=0, status=0, period_start=0, approx=0) == [
        (7.8, "actual", 1998, None), (8.0, "target", 1998, None)]


def test_energy_intensity_per_unit_of_gdp_is_not_gdp():
    # national-2025
    text = "粮食产量1.4万亿斤左右；单位国内生产总值能耗降低3%左右，生态环境质量持续改善。"
    assert _one(text, 2025, indicator=0, change_low=0, direction=0)[1] == ("energy intensity", -3.0, "down")


def test_a_share_of_gdp_is_a_share():
    # national-2011, the 十二五 targets
    text = "加快发展服务业，服务业增加值在国内生产总值中的比重提高4个百分点。"
    assert _one(text, 2011, indicator=0, change_low=0, change_unit=0) == [("service share of GDP", 4.0, "百分点")]


def test_a_five_year_average_is_a_plan_average_over_the_plan_years():
    # national-2006
    text = "《纲要（草案）》提出，今后五年国内生产总值年均增长7.5%，这是综合考虑各方面因素，根据需要和可能提出的。"
    assert _one(text, 2006, change_low=0, status=0, period_start=0, period_end=0) == [(7.5, "plan_average", 2006, 2010)]


def test_respectively_lists_are_split_in_order():
    # national-2006
    text = "城镇居民人均可支配收入达到10493元，农村居民人均纯收入达到3255元，扣除价格因素，分别增长9.6%和6.2%。"
    assert _one(text, 2006, indicator=0, value_low=0, change_low=0) == [
        ("urban per capita disposable income", 10493.0, 9.6), ("rural per capita income", 3255.0, 6.2)]


def test_a_shared_word_names_both_items_of_a_list():
    # national-2025; the table does not name 新能源汽车年产量: its own words name it (found by syntax)
    text = "高技术制造业、装备制造业增加值分别增长8.9%、7.7%，新能源汽车年产量突破1300万辆。"
    assert _one(text, 2025, indicator=0, change_low=0, value_low=0) == [
        ("high-tech manufacturing value added", 8.9, None), ("equipment manufacturing value added", 7.7, None),
        ("新能源汽车年产量", None, 13000000.0)]


def test_a_list_word_splits_into_urban_and_rural_income():
    # localdev-01
    text = "城乡居民人均可支配收入分别达到28656元、14775元，分别增长8%、7.5%。"
    assert _one(text, 2019, indicator=0, value_low=0, change_low=0) == [
        ("urban per capita disposable income", 28656.0, 8.0), ("rural per capita income", 14775.0, 7.5)]


def test_a_level_reached_from_a_base_keeps_the_end_level_and_its_year():
    # national-2003
    text = "国内生产总值从1997年的7.4万亿元增加到2002年的10.2万亿元，按可比价格计算，平均每年增长7.7%。"
    assert _one(text, 2003, value_low=0, change_low=0, status=0, period_start=0, period_end=0) == [
        (10.2e12, None, "actual", 2002, 2002), (None, 7.7, "plan_average", 1998, 2002)]


def test_a_change_against_a_base_year_spans_the_years_between():
    # national-1955
    text = "在工业生产方面：两个年度计划都超额完成，一九五四年工业总产值比一九五二年增长了百分之五十三点七。"
    assert _one(text, 1955, indicator=0, change_low=0, status=0, period_start=0, period_end=0) == [
        ("industrial output", 53.7, "actual", 1953, 1954)]


def test_a_target_list_continued_after_a_full_stop_stays_a_target():
    # national-1992
    text = ("今年计划要求，在保持社会总需求与总供给基本平衡的基础上，国民生产总值增长百分之六。"
            "投资要符合产业政策，避免盲目发展和重复建设。社会商品零售总额增长百分之十二点三。")
    assert _one(text, 1992, indicator=0, status=0) == [("GDP", "target"), ("retail sales", "target")]


def test_every_line_of_a_target_list_written_one_item_a_line_is_a_target_of_the_list_year():
    # lg-00355 (local_gov_reports, not in the gold): the line before the list dates and names it
    text = ("综合考虑各种因素，我市2005年经济社会发展的主要预期目标是：\n——全市生产总值增长12%；\n"
            "——财政总收入完成50亿元，增长32.6%；\n——固定资产投资增长25%；\n——人口自然增长率控制在7.5‰以内。")
    assert _one(text, 2004, indicator=0, status=0, period_start=0) == [
        ("GDP", "target", 2005), ("fiscal revenue", "target", 2005), ("fixed-asset investment", "target", 2005),
        ("population natural growth rate", "target", 2005)]


def test_a_list_line_after_the_list_has_ended_is_not_one_of_its_items():
    # lg-00355: the paragraph after the last item (ended by 。) is no longer the list
    text = ("我市2005年经济社会发展的主要预期目标是：\n——全市生产总值增长12%；\n——固定资产投资增长25%。\n"
            "去年全市生产总值增长11%。")
    assert _one(text, 2005, change_low=0, status=0) == [(12.0, "target"), (25.0, "target"), (11.0, "actual")]


def test_a_line_ended_by_a_semicolon_carries_its_targets_to_the_next_line():
    # national-1992's plan, laid out one item a line as local reports write their lists
    text = ("今年计划要求，在保持社会总需求与总供给基本平衡的基础上，国民生产总值增长百分之六；\n"
            "社会商品零售总额增长百分之十二点三。")
    assert _one(text, 1992, indicator=0, status=0, period_start=0) == [("GDP", "target", 1992), ("retail sales", "target", 1992)]


def test_a_cue_before_the_first_figure_of_a_sentence_makes_every_item_of_it_a_target():
    # national-1981, the 1982 plan: 要求 governs the four items
    text = "在国民收入的分配上，要求消费部分增长５．７％，社会商品零售总额增长８％；积累部分增长３．２％，国家预算内直接安排的投资增长５．７％。"
    assert _one(text, 1981, change_low=0, status=0) == [(5.7, "target"), (8.0, "target"), (3.2, "target"), (5.7, "target")]


def test_a_rate_before_a_weak_growth_word_with_no_cue_and_no_year_is_a_target():
    # national-2015, explaining the target: 7%左右的速度 is the rate aimed at
    text = "随着服务业比重上升、小微企业增多和经济体量增大，7%左右的速度可以实现比较充分的就业。"
    assert _one(text, 2015, indicator=0, change_low=0, status=0, period_start=0) == [("GDP", 7.0, "target", 2015)]


def test_a_target_set_by_the_congress_is_kept_and_the_distance_from_it_is_not_a_statement():
    # localdev-03
    text = "财政收入(不含基金)2.01亿元,较上年增长26.4%,高于年初人代会12%的目标14.4个百分点,年均增长20%;"
    assert _one(text, 2007, value_low=0, change_low=0, status=0) == [
        (201000000.0, 26.4, "actual"), (None, 12.0, "target"), (None, 20.0, "plan_average")]


def test_an_average_after_a_list_comma_still_belongs_to_the_indicator_of_the_sentence():
    # national-2023
    text = "国内生产总值增加到121万亿元，五年年均增长5.2%，十年增加近70万亿元、年均增长6.2%，在高基数基础上实现了中高速增长。"
    assert _one(text, 2023, change_low=0, status=0, period_start=0, period_end=0)[-1] == (6.2, "plan_average", 2013, 2022)


def test_a_change_over_a_span_stated_before_the_level_it_reached_spans_those_years():
    # national-1993
    text = "五年间，进出口总额增长１倍，１９９２年达到１６５６亿美元。"
    assert _one(text, 1993, value_low=0, change_low=0, period_start=0, period_end=0) == [(165600000000.0, 1.0, 1988, 1992)]


def test_the_words_actual_in_a_name_are_no_cue_of_a_result():
    # lg-00471: 实际利用外资 is the name of the indicator, the line an item of the target list
    text = "主要预期目标是：\n全社会固定资产投资178亿元，增长30%；\n实际利用外资5亿美元，增长38.9%；"
    assert _one(text, 2003, indicator=0, value_low=0, status=0) == [
        ("fixed-asset investment", 17800000000.0, "target"), ("foreign investment", 500000000.0, "target")]


@pytest.mark.parametrize("text, mention", [
    ("万元生产总值能源消耗比上年下降3%；", "万元生产总值能源消耗"),  # lg-00473
    ("万元生产总值综合能耗下降4%以上", "万元生产总值综合能耗"),
])
def test_a_consumption_per_unit_of_gdp_is_energy_intensity(text, mention):
    rows = extract_text(text, meta={"year": 2010})
    assert [(r["indicator"], r["mention"], r["change_low"]) for r in rows] == [("energy intensity", mention, rows[0]["change_low"])]
    assert rows[0]["change_low"] < 0


def test_this_years_estimate_as_the_base_of_next_years_plan_leaves_the_plan_its_own_year():
    # national-1981 (delivered in December): 由今年预计的３％ is 1981's estimate, ４％ the 1982 plan
    text = "我们现在提出１９８２年的计划，要求工农业总产值的增长速度由今年预计的３％提高到４％，并在执行中力争超过。"
    assert _one(text, 1981, change_low=0, status=0, period_start=0) == [(3.0, "actual", 1981), (4.0, "target", 1982)]


def test_a_name_found_by_syntax_that_writes_a_table_indicator_in_other_words_gets_its_id():
    # lg-00473 (local_gov_reports): the table writes 农民人均纯收入 and 城镇居民人均可支配收入, not with 年
    text = "主要预期目标是：\n城镇居民年人均可支配收入增长8%；\n农民年人均纯收入增长9%；"
    assert load_table().lookup("农民年人均纯收入") is None
    assert _one(text, 2010, indicator=0, mention=0, change_low=0) == [
        ("urban per capita disposable income", "城镇居民年人均可支配收入", 8.0),
        ("rural per capita income", "农民年人均纯收入", 9.0)]


@pytest.mark.parametrize("name", ["利用内外资", "公路客货运周转量", "农民人均务工纯收入", "工业园区总产值"])
def test_a_name_that_adds_a_sum_or_a_part_to_a_table_form_is_not_that_indicator(name):
    # names found by syntax in local_gov_reports: 内外资 is domestic and foreign, 务工 a part of income
    assert load_table().closest(name) is None


def test_a_name_the_table_does_not_write_in_any_words_keeps_its_own():
    assert load_table().closest("甘蔗") is None


def test_a_change_after_a_sentence_that_compares_with_a_base_year_spans_the_years_from_it():
    # national-2008: the sentence compares 2007 with 2002; 财政收入 增长1.71倍 is over the same years
    text = ("2007年，国内生产总值达到24.66万亿元，比2002年增长65.5%，年均增长10.6%，从世界第六位上升到第四位；"
            "全国财政收入达到5.13万亿元，增长1.71倍；外汇储备超过1.52万亿美元。")
    rows = extract_text(text, meta={"year": 2008})
    assert [(r["indicator"], r["period_start"], r["period_end"]) for r in rows if r["indicator"] == "fiscal revenue"] == [
        ("fiscal revenue", 2003, 2007)]


def test_a_cumulative_total_after_a_written_span_of_years_spans_them():
    # national-2008
    text = "2003年到2007年，中央财政对地方的转移支付累计4.25万亿元，87%用于支持中西部地区。"
    assert _one(text, 2008, value_low=0, period_start=0, period_end=0) == [(4.25e12, 2003, 2007)]


def test_a_number_describing_the_noun_after_it_is_not_a_statement():
    # national-2023: 832个贫困县 is not the rural poor population
    text = "经过八年持续努力，近1亿农村贫困人口实现脱贫，全国832个贫困县全部摘帽。"
    assert all(r["value_low"] != 832.0 for r in extract_text(text, meta={"year": 2023}))


def test_a_completion_ratio_is_not_a_statement():
    # local-0002
    text = "1-6月，全镇实现财政总收入25.76亿元，完成年度目标的56.00%。"
    assert _one(text, 2022, indicator=0, value_low=0, change_low=0) == [("fiscal revenue", 2576000000.0, None)]


def test_numbers_written_with_spaces_keep_their_magnitude():
    # local-0039
    text = "预计 2022 年全镇实现工农业总值 31.88 亿元,增长 7%,其中农业总产值 17.2 亿元,增长 5.5%。"
    assert _one(text, 2023, value_low=0, change_low=0) == [(3188000000.0, 7.0), (1720000000.0, 5.5)]


def test_the_held_out_lexicon_drops_only_held_out_forms():
    full, dev = load_table(), load_table("dev")
    assert full.lookup("商业机构零售总额") == ("retail sales", "alias")
    assert dev.lookup("商业机构零售总额") is None and dev.lookup("国内生产总值") == ("GDP", "alias")


def test_series_names_resolve_to_an_indicator_and_a_field():
    table = load_table()
    assert [table.resolve(n) for n in ("GDP growth", "GDP", "CPI", "经济增长", "粮食产量")] == [
        ("GDP", "change"), ("GDP", "value"), ("CPI", "value"), ("GDP", "change"), ("grain output", "value")]


def test_an_unknown_series_name_says_what_to_use():
    with pytest.raises(KeyError, match="unknown indicator 'GDP groth'"):
        load_table().resolve("GDP groth")


def test_frames_keep_their_columns_when_empty():
    assert list(to_frame([]).columns) == COLUMNS
    assert series([], "GDP growth").empty and compare([]).empty


def test_compare_treats_ceilings_as_met_when_below():
    rows = [
        {"place": "中国", "indicator": "urban surveyed unemployment rate", "period_start": 2024, "period_end": 2024,
         "status": "target", "value_low": 5.5, "value_high": 5.5, "unit": "%", "approx": "about", "doc_id": "a"},
        {"place": "中国", "indicator": "urban surveyed unemployment rate", "period_start": 2024, "period_end": 2024,
         "status": "actual", "value_low": 5.1, "value_high": 5.1, "unit": "%", "doc_id": "b"},
    ]
    assert compare(rows, "urban surveyed unemployment rate")["met"].tolist() == [True]


# The national GDP-growth targets, read from the reports (the gold's target lists): every report
# year that states an annual target, with its bounds and qualifier.
GDP_TARGETS = [
    (1992, 6.0, 6.0, None), (1993, 8.0, 8.0, None), (1994, 9.0, 9.0, None), (1995, 8.0, 9.0, None),
    (1997, 8.0, 8.0, None), (1998, 8.0, 8.0, None), (1999, 7.0, 7.0, "about"), (2003, 7.0, 7.0, "about"),
    (2004, 7.0, 7.0, "about"), (2005, 8.0, 8.0, "about"), (2006, 8.0, 8.0, "about"), (2007, 8.0, 8.0, "about"),
    (2008, 8.0, 8.0, "about"), (2009, 8.0, 8.0, "about"), (2010, 8.0, 8.0, "about"), (2011, 8.0, 8.0, "about"),
    (2012, 7.5, 7.5, None), (2013, 7.5, 7.5, "about"), (2014, 7.5, 7.5, "about"), (2015, 7.0, 7.0, "about"),
    (2016, 6.5, 7.0, None), (2017, 6.5, 6.5, "about"), (2018, 6.5, 6.5, "about"), (2019, 6.0, 6.5, None),
    (2021, 6.0, 6.0, "over"), (2022, 5.5, 5.5, "about"), (2023, 5.0, 5.0, "about"), (2024, 5.0, 5.0, "about"),
    (2025, 5.0, 5.0, "about"),
]


@pytest.fixture(scope="module")
def national_table():
    from conftest import shared_file

    rows = []
    for line in shared_file("national_reports.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        rows += extract_text(rec["text"], meta={"id": rec["id"], "year": rec["year"], "place": "中国"})
    return to_frame(rows)


def test_the_national_gdp_growth_target_series_is_complete_and_right(national_table):
    got = series(national_table, "GDP growth", status="target")
    assert [(r.year, r.low, r.high, r.approx) for r in got.itertuples()] == GDP_TARGETS


def test_each_gdp_target_comes_from_its_own_year_s_report(national_table):
    got = series(national_table, "GDP growth", status="target")
    assert got["doc"].tolist() == [f"national-{y}" for y, *_ in GDP_TARGETS]


def test_compare_lines_national_targets_up_with_the_next_reports_actuals(national_table):
    view = compare(national_table, "GDP growth").set_index("year")
    assert (view.loc[2023, "target_low"], view.loc[2023, "actual"], view.loc[2023, "met"]) == (5.0, 5.2, True)
    assert (view.loc[2022, "target_low"], view.loc[2022, "actual"], view.loc[2022, "met"]) == (5.5, 3.0, False)
    assert (view.loc[2023, "target_doc"], view.loc[2023, "actual_doc"]) == ("national-2023", "national-2024")


def test_compare_counts_an_about_target_as_met_within_the_tolerance():
    # national-2015 target 7%左右, national-2016: 6.9 achieved
    rows = [
        {"indicator": "GDP", "period_start": 2015, "period_end": 2015, "status": "target", "change_low": 7.0,
         "change_high": 7.0, "change_unit": "%", "approx": "about", "doc_id": "national-2015"},
        {"indicator": "GDP", "period_start": 2015, "period_end": 2015, "status": "actual", "change_low": 6.9,
         "change_high": 6.9, "change_unit": "%", "doc_id": "national-2016"},
    ]
    strict, lenient = compare(rows, "GDP growth"), compare(rows, "GDP growth", tolerance=0.1)
    assert (strict.loc[0, "gap"], bool(strict.loc[0, "met"]), bool(lenient.loc[0, "met"])) == (-0.1, False, True)
