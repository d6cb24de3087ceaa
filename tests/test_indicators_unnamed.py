"""Indicators the table does not name, found by syntax (qidu_nlp.rules.indicators.unnamed), on real
sentences of the dev documents of the indicator gold; and the years of a report delivered late in its year."""

from __future__ import annotations

from qidu_nlp.rules.indicators import extract_text
from qidu_nlp.rules.indicators.unnamed import is_rate_name, unnamed_mentions
from qidu_nlp.text.normalize import normalize

_KEYS = ("indicator", "value_low", "unit", "change_low", "change_unit", "direction", "status", "period_start", "period_end")


def _rows(text: str, year: int) -> list[tuple]:
    return [tuple(r[k] for k in _KEYS) for r in extract_text(text, meta={"year": year})]


def _names(text: str) -> list[str]:
    return [m.id for m in unnamed_mentions(text, 0, len(text), [])]


def test_a_subject_before_a_change_verb_and_a_number_is_an_indicator():
    # national-1955 (its table names the freight turnovers, not 旅客周转量)
    text = "一九五四年比一九五二年，铁路的货物周转量增长百分之五十五，旅客周转量增长百分之四十五。"
    rows = _rows(text, 1955)
    assert rows[-1] == ("旅客周转量", None, None, 45.0, "%", "up", "actual", 1953, 1954)


def test_a_movement_from_a_number_names_its_subject():
    # national-1979
    text = "化学纤维由十四万六千吨增加到二十八万五千吨，增长百分之九十五。"
    assert _names(text) == ["化学纤维"]


def test_a_level_needs_the_head_noun_of_a_measure():
    # national-2003: 在校生 is a head, 本专科毕业生 too; a subject without one takes no bare number
    assert _names("2002年高等学校在校生1600万人，是1997年的2.3倍") == ["高等学校在校生"]
    assert _names("全国普通高校招生268万人") == []


def test_programmes_parameters_other_countries_and_pronouns_are_left_alone():
    assert _names("个人所得税起征点从2000元提高到3500元") == []          # national-2012, a policy parameter
    assert _names("到一九○七年，英国的煤产量才增加到二亿七千万吨") == []  # national-1959, another country
    assert _names("多年累计改造棚户区住房4200多万套") == []              # national-2023, a programme
    assert _names("全年完成投入资金149万元") == []                        # local-0035


def test_a_head_noun_alone_refers_back_and_is_left_alone():
    # national-2008: 产量 is the grain named before
    assert _names("全国粮食连续四年增产，2007年产量达到50150万吨") == []


def test_a_clause_that_names_a_table_indicator_is_the_table_s():
    # national-2008
    rows = _rows("2007年，国内生产总值达到24.66万亿元，比2002年增长65.5%", 2008)
    assert [r[0] for r in rows] == ["GDP"]


def test_rate_names_take_a_percentage_as_their_level():
    assert (is_rate_name("高等教育毛入学率"), is_rate_name("劳动生产率"), is_rate_name("化学纤维")) == (True, False, False)
    # localdev-11 (a 2021 review)
    rows = _rows("产业结构进一步优化，规模以上工业企业内销比重达51%。", 2022)
    assert rows == [("规模以上工业企业内销比重", 51.0, "%", None, None, None, "actual", 2021, 2021)]


def test_a_report_delivered_late_in_the_year_reviews_its_own_year_and_plans_the_next():
    # national-1981 (December 1981): sentences of the report, in its order
    late = ("明年和今后的经济发展，肯定会比今年更好。"
            "明年经济发展的主要任务是：巩固稳定经济的成果，使国民经济的发展速度比今年高一点。"
            "为了实现明年的计划，都必须狠抓经济效益。\n")
    review = "一月至九月，全国刑事犯罪案件的发案数比去年同期下降了百分之十五点七。"  # national-1982
    rows = [(r["indicator"], r["change_low"], r["period_start"]) for r in extract_text(late + review, meta={"year": 1981})]
    assert rows == [("criminal cases filed", -15.7, 1981)]
    rows = [(r["indicator"], r["change_low"], r["period_start"]) for r in extract_text(review, meta={"year": 1981})]
    assert rows == [("criminal cases filed", -15.7, 1980)]


def test_a_share_of_a_part_the_table_does_not_list_is_named_by_its_words():
    from qidu_nlp.rules.indicators.mentions import _share_name

    assert _share_name("其中工业制成品在出口总额中的比重") == "工业制成品在出口总额中的比重"
    assert _share_name("它的产值在工业农业总产值中所占的比重") is None   # national-1955: a pronoun names nothing
    # national-1955: a pronoun's share takes its number and makes no statement
    text = "它的产值在工业农业总产值中所占的比重，已由一九四九年的百分之十七上升到一九五二年的百分之二十六点七。"
    assert extract_text(text, meta={"year": 1955}) == []


def test_series_takes_a_name_found_by_syntax():
    from qidu_nlp.indicators import series

    rows = extract_text("产业结构进一步优化，规模以上工业企业内销比重达51%。", meta={"id": "localdev-11", "year": 2022})
    out = series(rows, "规模以上工业企业内销比重", status="actual")
    assert out[["year", "low", "unit", "doc"]].values.tolist() == [[2021, 51.0, "%", "localdev-11"]]


def test_every_item_of_a_list_before_dou_is_a_statement_named_or_not():
    # national-1959: 烤烟 is named by the table only as a tight form, which needs a number after it
    text = "一九五八年，粮食、棉花、烤烟等产品的产量，也都比一九五七年增长一倍以上。"
    rows = [(r["indicator"], r["change_low"], r["change_unit"], r["period_start"]) for r in extract_text(text, meta={"year": 1959})]
    assert rows == [("grain output", 1.0, "倍", 1958), ("cotton output", 1.0, "倍", 1958), ("flue-cured tobacco output", 1.0, "倍", 1958)]
    assert _names("粮食、棉花、烤烟等产品的产量，也都比一九五七年增长一倍以上") == ["粮食", "棉花", "烤烟"]


def test_a_clause_that_is_a_bare_name_is_the_subject_of_the_next():
    # national-2003 (the table names it; without the table its words do)
    assert _names("全国研究与试验开发经费，从1997年的509亿元增加到2002年的1288亿元") == ["研究与试验开发经费"]


def test_a_change_against_n_years_ago_spans_those_years():
    # national-2023 (a review of 2018-2022); 贷款平均利率 is not in the table
    rows = _rows("普惠小微贷款余额年均增长24%，贷款平均利率较五年前下降1.5个百分点。", 2023)
    assert rows[-1] == ("贷款平均利率", None, None, -1.5, "百分点", "down", "actual", 2018, 2022)


def test_lists_joined_by_he_before_jun_and_lists_before_fenbie():
    # national-2023
    text = "草原综合植被盖度和湿地保护率均达50%以上，水土流失、荒漠化、沙化土地面积分别净减少10.6万、3.8万、3.3万平方公里。"
    assert _names(text) == ["草原综合植被盖度", "湿地保护率", "水土流失", "荒漠化", "沙化土地面积"]


def test_hypotheses_counts_of_people_and_adverbs_make_no_name():
    # national-1959 and national-2014 (dev documents, outside the annotated paragraphs)
    assert _names("即使每年增长百分之十") == []
    assert _names("能源消耗强度要下降3.9%") == ["能源消耗强度"]
    assert _names("扣除物价因素，农业增加值增长3.5%") == ["农业增加值"]


def test_table_names_with_full_width_brackets_match_the_normalised_text():
    # national-2023 and national-1955: the table writes （）, the rules read the normalised ()
    assert _rows("地级及以上城市细颗粒物（PM2.5）平均浓度下降27.5%。", 2023)[0][:4] == ("PM2.5 concentration", None, None, -27.5)
    assert _rows("其中：农业（包括农村副业）增长了百分之四十八点五。", 1955)[0][0] == "agricultural output"


def test_a_parenthesis_between_a_name_and_its_verb_is_part_of_the_name():
    # national-1979, without the table's name: the words name it
    rows = _rows("化肥（按有效成份计算）由五百二十四万吨增加到八百六十九万吨。", 1979)
    assert [r[0] for r in rows] == ["chemical fertilizer output"]  # the table names 化肥
    assert _names("化肥(按有效成份计算)由五百二十四万吨增加到八百六十九万吨") == ["化肥(按有效成份计算)"]


def test_a_name_with_a_movement_but_no_number_is_the_subject_of_the_next_clause():
    # national-1993: 原油产量继续增长，达到１．４２亿吨
    text = normalize("原油产量继续增长，达到１．４２亿吨。")  # the rules read the normalised text
    assert [(m.id, text[m.start:m.end]) for m in unnamed_mentions(text, 0, len(text), [])] == [("原油产量", "原油产量")]


def test_respectively_alone_is_no_name():
    # national-2023 wording: the items are named before 分别, never 分别 itself
    text = "分别增长10.6%、7.9%。"
    assert unnamed_mentions(text, 0, len(text), []) == []


def test_a_report_dated_in_december_reviews_its_own_year():
    # local-0010 (its dateline; the figures' own 2021年1-11月 cut, so that only the date tells the year)
    text = ("政 府 工 作 报 告\n──2021年12月29日在杨庄镇第十七届人民代表大会\n第一次会议上\n各位代表:\n"
            "全镇实现生产总值38.7亿元,同比增长49.2%;完成社会固定资产投资14.3亿元。")
    assert [(r["indicator"], r["period_start"]) for r in extract_text(text, meta={"year": 2021})] == [
        ("GDP", 2021), ("fixed-asset investment", 2021)]


def test_a_measure_whose_words_hold_a_programme_word_is_still_found():
    # national-2003 and national-2023: 建设投资 and 投入强度 are measures, not a programme's outlay
    assert _names("五年全国公路建设投资12343亿元，扣除价格变动因素。") == ["公路建设投资"]
    assert _names("全社会研发经费投入强度从2.1%提高到2.5%以上。") == ["全社会研发经费投入强度"]


def test_a_name_holding_a_latin_abbreviation_in_brackets_is_found():
    # national-2023
    assert _names(normalize("地级及以上城市细颗粒物（PM2.5）平均浓度下降27.5%。")) == ["细颗粒物(PM2.5)平均浓度"]


def test_a_level_after_a_name_and_its_bracketed_note_takes_the_name_s_head():
    # localdev-03: 财政收入(不含基金) ends with its note; 收入 is the head
    assert _names("财政收入(不含基金)2.01亿元,较上年增长26.4%") == ["财政收入(不含基金)"]
