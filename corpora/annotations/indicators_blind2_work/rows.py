"""The blind2 indicator gold as typed by the annotator, and the script that writes
corpora/annotations/indicators_national_blind2.jsonl from it (offsets found in the texts).

Run from the repository root: python corpora/annotations/indicators_blind2_work/rows.py
It reads ../shared/corpora/national_reports.jsonl only; it never imports qidu_nlp.
Rows: (paragraph index, mention, nth occurrence of the mention in the paragraph, indicator,
value_low, value_high, unit, change_low, change_high, change_unit, direction, approx, status,
period_start, period_end, sentence excerpt, note).
"""
import hashlib
import json
import sys
from pathlib import Path

Y = 100_000_000  # 亿
W = 10_000       # 万

# the paragraphs annotated (indices of the lines of the text), chosen by position before reading
# them for statements: the review paragraphs with figures of the review section
REGIONS = {
    "national-1958": [9, 10, 12, 15],
    "national-1964": [10, 11, 12],
    "national-1984": [4],
    "national-1988": [5, 6, 7, 20],
    "national-2000": [4, 6, 7],
    "national-2002": [4, 6, 7],
}

A = "actual"
PA = "plan_average"

ROWS = {
    "national-1958": [
        (9, "基本建设总投资额", 1, "capital construction investment", 123.7 * Y, 123.7 * Y, "元", None, None, None, None, None, A, 1957, 1957,
         "一九五七年国民经济各部门基本建设总投资额完成了一百二十三亿七千万元", "预计 (estimate), actual"),
        (9, "基本建设总投资额", 2, "capital construction investment", 487.77 * Y, 487.77 * Y, "元", None, None, None, None, None, A, 1953, 1957,
         "一九五三年到一九五七年五年基本建设总投资额累计完成四百八十七亿七千七百万元", "five-year cumulative; 超过…百分之十四点一 is a completion ratio, not annotated"),
        (10, "工业投资额", 1, "industrial investment", 65.5 * Y, 65.5 * Y, "元", None, None, None, None, None, A, 1957, 1957,
         "一九五七年工业投资额完成六十五亿五千万元", "超过原定的年度计划百分之四点一: completion ratio, not annotated"),
        (12, "工业总产值", 1, "industrial output", 628.1 * Y, 628.1 * Y, "元", 6.9, 6.9, "%", "up", None, A, 1957, 1957,
         "一九五七年的工业总产值（不包括手工业产值，下同），包括原有企业和新建企业的在内，预计达到六百二十八亿一千万元（按一九五二年不变价格计算），超过年度计划百分之四点一，比上一年增长百分之六点九",
         "excludes handicrafts; completion ratios not annotated"),
        (12, "原煤", 1, "coal output", None, None, None, 1826 * W, 1826 * W, "吨", "up", None, A, 1957, 1957, "原煤增产了一千八百二十六万吨", None),
        (12, "电力", 1, "power generation", None, None, None, 24 * Y, 24 * Y, "度", "up", None, A, 1957, 1957, "电力增产了二十四亿度", None),
        (12, "生铁", 1, "pig iron output", None, None, None, 108 * W, 108 * W, "吨", "up", None, A, 1957, 1957, "生铁增产了一百零八万吨", None),
        (12, "钢", 1, "steel output", None, None, None, 78 * W, 78 * W, "吨", "up", "about", A, 1957, 1957, "钢增产了约七十八万吨", None),
        (12, "机床", 1, "machine tool output", None, None, None, 3100, 3100, "台", "up", "over", A, 1957, 1957, "机床增产了三千一百多台", None),
        (12, "化学肥料", 1, "chemical fertilizer output", None, None, None, 14 * W, 14 * W, "吨", "up", None, A, 1957, 1957, "化学肥料增产了十四万吨", None),
        (12, "水泥", 1, "cement output", None, None, None, 30 * W, 30 * W, "吨", "up", "about", A, 1957, 1957, "水泥增产了将近三十万吨", None),
        (12, "木材", 1, "timber output", None, None, None, 520 * W, 520 * W, "立方米", "up", "about", A, 1957, 1957, "木材增产了约五百二十万立方公尺", "立方公尺 = 立方米"),
        (15, "粮食", 1, "grain output", 3700 * Y, 3700 * Y, "斤", 50 * Y, 50 * Y, "斤", "up", None, A, 1957, 1957,
         "粮食增加了五十亿斤，达到三千七百亿斤", "预计"),
        (15, "棉花", 1, "cotton output", 3280 * W, 3280 * W, "担", 390 * W, 390 * W, "担", "up", "about", A, 1957, 1957,
         "棉花增加了约三百九十万担，达到三千二百八十万担", "约 qualifies the change"),
        (15, "甘蔗", 1, "甘蔗", None, None, None, 3092 * W, 3092 * W, "担", "up", None, A, 1957, 1957, "甘蔗增加了三千零九十二万担", "not in the table: id is the name"),
        (15, "甜菜", 1, "甜菜", None, None, None, 390 * W, 390 * W, "担", "up", "about", A, 1957, 1957, "甜菜增加了约三百九十万担", "not in the table: id is the name"),
        (15, "黄麻、洋麻", 1, "黄麻、洋麻", None, None, None, 100 * W, 100 * W, "担", "up", "about", A, 1957, 1957, "黄麻、洋麻增加了约一百万担", "one item (jute and kenaf together); not in the table"),
        (15, "猪的饲养头数", 1, "猪的饲养头数", None, None, None, 3000 * W, 3000 * W, "头", "up", "about", A, 1957, 1957, "猪的饲养头数增加了约三千万头", "hog stock; not in the table"),
        (15, "农业和农副业总产值", 1, "agricultural output", 603.5 * Y, 603.5 * Y, "元", 3.5, 3.5, "%", "up", None, A, 1957, 1957,
         "农业和农副业总产值达到六百零三亿五千万元（按一九五二年不变价格计算），比一九五六年增长百分之三点五", "completion ratios (98.7%, 1.2%) not annotated"),
    ],
    "national-1964": [
        (10, "农业用拖拉机台数", 1, "农业用拖拉机台数", None, None, None, 4, 4, "倍", "up", None, A, 1958, 1964,
         "一九六四年，全国拥有的农业用拖拉机台数比一九五七年增长四倍", "tractor stock (not output); late-year report reviews its own year"),
        (10, "排灌设备的马力", 1, "排灌设备的马力", None, None, None, 12, 12, "倍", "up", None, A, 1958, 1964, "排灌设备的马力增长十二倍", "not in the table"),
        (10, "农村用电量", 1, "农村用电量", None, None, None, 22, 22, "倍", "up", None, A, 1958, 1964, "农村用电量增长二十二倍", "not in the table"),
        (10, "国家供应的化学肥料", 1, "国家供应的化学肥料", None, None, None, 2, 2, "倍", "up", "over", A, 1958, 1964, "国家供应的化学肥料增长两倍以上", "supply, not output"),
        (11, "工业总产值", 1, "industrial output", None, None, None, 15, 15, "%", "up", "over", A, 1964, 1964,
         "一九六四年全国工业总产值，预计比一九六三年增长百分之十五以上", "预计 → actual"),
    ] + [
        (11, w, 1, ind, None, None, None, 20, 20, "%", "up", "over", A, 1964, 1964,
         "钢、石油、化学肥料、水泥、汽车、棉纱、食糖、卷烟等主要工业产品，一九六四年的产量都比一九六三年增长百分之二十以上", "都 list: one statement per item")
        for w, ind in (("钢", "steel output"), ("石油", "crude oil output"), ("化学肥料", "chemical fertilizer output"), ("水泥", "cement output"),
                       ("汽车", "automobile output"), ("棉纱", "cotton yarn output"), ("食糖", "sugar output"), ("卷烟", "卷烟"))
    ] + [
        (12, w, 1, w + "供应", None, None, None, 30, 30, "%", "up", "over", A, 1958, 1964,
         "同一九五七年比较，一九六四年供应的猪肉、羊肉、蔬菜等副食品，都增长百分之三十以上", "supply of the item, not in the table: id is the name + 供应")
        for w in ("猪肉", "羊肉", "蔬菜")
    ] + [
        (12, w, 1, w + "供应", None, None, None, 50, 50, "%", "up", "over", A, 1958, 1964,
         "机制纸、铝制品、搪瓷制品、自行车、收音机等主要日用品，增长百分之五十以上", "supply (供应) of the item, compared with 1957; id is the name + 供应")
        for w in ("机制纸", "铝制品", "搪瓷制品", "自行车", "收音机")
    ],
    "national-1984": [
        (4, "职工家庭按人口平均的生活费收入", 1, "urban per capita disposable income", 526, 526, "元", 6.4, 6.4, "%", "up", None, A, 1983, 1983,
         "一九八三年，职工家庭按人口平均的生活费收入达到５２６元，比上年增长６．４％", "predecessor series"),
        (4, "农民按人口平均的纯收入", 1, "rural per capita income", 309.8, 309.8, "元", 14.7, 14.7, "%", "up", None, A, 1983, 1983,
         "农民按人口平均的纯收入达到３０９．８元，比上年增长１４．７％", None),
        (4, "工业总产值", 1, "industrial output", None, None, None, 10.5, 10.5, "%", "up", None, A, 1983, 1983, "一九八三年，全国工业总产值增长１０．５％", None),
        (4, "农业总产值", 1, "agricultural output", None, None, None, 9.5, 9.5, "%", "up", None, A, 1983, 1983, "农业总产值增长９．５％", None),
        (4, "工业生产", 1, "industrial output", None, None, None, 12, 12, "%", "up", None, A, 1984, 1984,
         "今年第一季度，工业生产又比去年同期增长１２％", "first quarter of 1984"),
    ],
    "national-1988": [
        (5, "国民生产总值", 1, "GDP", 10920 * Y, 10920 * Y, "元", None, None, None, None, None, A, 1987, 1987, "国民生产总值１９８７年达到１０９２０亿元", None),
        (5, "国民生产总值", 1, "GDP", None, None, None, 11.1, 11.1, "%", "up", None, PA, 1983, 1987,
         "国民生产总值１９８７年达到１０９２０亿元，按可比价格计算平均每年增长１１．１％", "five years of the sixth NPC"),
        (5, "国民收入", 1, "national income", 9153 * Y, 9153 * Y, "元", None, None, None, None, None, A, 1987, 1987, "国民收入１９８７年达到９１５３亿元", None),
        (5, "国民收入", 1, "national income", None, None, None, 10.7, 10.7, "%", "up", None, PA, 1983, 1987,
         "国民收入１９８７年达到９１５３亿元，按可比价格计算平均每年增长１０．７％", None),
        (5, "国内财政收入", 1, "fiscal revenue", 2243.6 * Y, 2243.6 * Y, "元", None, None, None, None, None, A, 1987, 1987, "国内财政收入１９８７年达到２２４３．６亿元", None),
        (5, "国内财政收入", 1, "fiscal revenue", None, None, None, 12.9, 12.9, "%", "up", None, PA, 1983, 1987,
         "国内财政收入１９８７年达到２２４３．６亿元，平均每年增长１２．９％", None),
        (5, "预算外资金", 1, "extra-budgetary funds", 1930 * Y, 1930 * Y, "元", None, None, None, None, None, A, 1987, 1987, "预算外资金１９８７年达到１９３０亿元", None),
        (5, "预算外资金", 1, "extra-budgetary funds", None, None, None, 19.2, 19.2, "%", "up", None, PA, 1983, 1987,
         "预算外资金１９８７年达到１９３０亿元，平均每年增长１９．２％", None),
        (5, "全民所有制企业新增加的固定资产", 1, "newly added fixed assets", 5854 * Y, 5854 * Y, "元", None, None, None, None, None, A, 1983, 1987,
         "全民所有制企业新增加的固定资产达到５８５４亿元", "five-year total"),
        (6, "工业企业的全员劳动生产率", 1, "industrial labour productivity", None, None, None, 6.5, 6.5, "%", "up", None, PA, 1983, 1987,
         "工业企业的全员劳动生产率平均每年增长６．５％", None),
        (7, "农民人均纯收入", 1, "rural per capita income", 463, 463, "元", None, None, None, "up", None, A, 1987, 1987,
         "农民人均纯收入，１９８２年为２７０元，１９８７年提高到４６３元", "base 1982: 270 元"),
        (7, "农民人均纯收入", 1, "rural per capita income", None, None, None, 8.6, 8.6, "%", "up", None, PA, 1983, 1987,
         "农民人均纯收入，１９８２年为２７０元，１９８７年提高到４６３元，扣除物价上涨因素，平均每年增长８．６％", "real"),
        (7, "城镇居民人均生活费收入", 1, "urban per capita disposable income", 9.6, 9.6, "元", None, None, None, "up", None, A, 1987, 1987,
         "城镇居民人均生活费收入，１９８２年为４９４．５元，１９８７年提高到９．６元", "as written (the source text has lost digits: 916 元 in the original); base 494.5 元"),
        (7, "城镇居民人均生活费收入", 1, "urban per capita disposable income", None, None, None, 6.3, 6.3, "%", "up", None, PA, 1983, 1987,
         "城镇居民人均生活费收入，１９８２年为４９４．５元，１９８７年提高到９．６元，扣除物价上涨因素，平均每年增长６．３％", "real"),
        (7, "城市新建职工住宅", 1, "urban housing completed", 8.5 * Y, 8.5 * Y, "平方米", None, None, None, None, None, A, 1983, 1987,
         "城市新建职工住宅８．５亿平方米", "five-year total"),
        (7, "农村新建住房", 1, "rural housing built", 39 * Y, 39 * Y, "平方米", None, None, None, None, None, A, 1983, 1987, "农村新建住房３９亿平方米", "five-year total"),
        (7, "全国城镇共安排", 1, "new urban jobs", 3700 * W, 3700 * W, "人", None, None, None, None, "over", A, 1983, 1987,
         "全国城镇共安排３７００多万人就业", "five-year total"),
        (20, "进出口总额", 1, "foreign trade", 827 * Y, 827 * Y, "美元", None, None, None, None, None, A, 1987, 1987, "１９８７年全国进出口总额达到８２７亿美元", None),
        (20, "进出口总额", 1, "foreign trade", None, None, None, 14.7, 14.7, "%", "up", None, PA, 1983, 1987,
         "１９８７年全国进出口总额达到８２７亿美元，平均每年增长１４．７％", None),
    ],
    "national-2000": [
        (4, "工业企业实现利润", 1, "工业企业实现利润", 2202 * Y, 2202 * Y, "元", 52, 52, "%", "up", None, A, 1999, 1999,
         "全年工业企业实现利润2202亿元，比上年增长52％", "not in the table: id is the name"),
        (4, "国有和国有控股工业企业实现利润", 1, "SOE profits", 967 * Y, 967 * Y, "元", 77.7, 77.7, "%", "up", None, A, 1999, 1999,
         "其中国有和国有控股工业企业实现利润967亿元，增长77．7％", None),
        (4, "国家财政收入", 1, "fiscal revenue", 11377 * Y, 11377 * Y, "元", 1501 * Y, 1501 * Y, "元", "up", None, A, 1999, 1999,
         "国家财政收入比上年增加1501亿元，总额首次突破万亿元，达到11377亿元", "突破万亿元 describes the level"),
        (4, "外贸出口", 1, "exports", 1949 * Y, 1949 * Y, "美元", 6.1, 6.1, "%", "up", None, A, 1999, 1999,
         "外贸出口从7月份开始大幅度回升，全年达到1949亿美元，比上年增长6．1％", None),
        (4, "国家外汇储备", 1, "foreign exchange reserves", 1547 * Y, 1547 * Y, "美元", None, None, None, None, None, A, 1999, 1999,
         "国家外汇储备年底达到1547亿美元", None),
        (6, "普通高等学校招生规模", 1, "higher education enrollment", None, None, None, 47.4, 47.4, "%", "up", None, A, 1999, 1999,
         "普通高等学校招生规模比上年扩大47．4％", None),
        (7, "城镇居民人均可支配收入", 1, "urban per capita disposable income", None, None, None, 9.3, 9.3, "%", "up", None, A, 1999, 1999,
         "城镇居民人均可支配收入，考虑价格下降因素比上年实际增长9．3％", None),
        (7, "农村居民人均纯收入", 1, "rural per capita income", None, None, None, 3.8, 3.8, "%", "up", None, A, 1999, 1999,
         "农村居民人均纯收入实际增长3．8％", None),
        (7, "贫困人口", 1, "rural poor population", None, None, None, -800 * W, -800 * W, "人", "down", None, A, 1999, 1999, "贫困人口减少800万人", None),
    ],
    "national-2002": [
        (4, "国内生产总值", 1, "GDP", 95933 * Y, 95933 * Y, "元", 7.3, 7.3, "%", "up", None, A, 2001, 2001,
         "２００１年国内生产总值达到９５９３３亿元，比上年增长７．３％", None),
        (4, "规模以上工业企业实现利润", 1, "规模以上工业企业实现利润", 4657 * Y, 4657 * Y, "元", 8.1, 8.1, "%", "up", None, A, 2001, 2001,
         "全年规模以上工业企业实现利润４６５７亿元，增长８．１％", "not in the table: id is the name"),
        (4, "全国财政收入", 1, "fiscal revenue", 16371 * Y, 16371 * Y, "元", 2400 * Y, 2400 * Y, "元", "up", None, A, 2001, 2001,
         "全国财政收入达到１６３７１亿元，按可比口径增加２４００亿元", None),
        (4, "居民消费价格总水平", 1, "CPI", None, None, None, 0.7, 0.7, "%", "up", None, A, 2001, 2001, "居民消费价格总水平上升０．７％", None),
        (4, "外贸进出口总额", 1, "foreign trade", 5000 * Y, 5000 * Y, "美元", None, None, None, None, "over", A, 2001, 2001,
         "外贸进出口总额突破５０００亿美元", None),
        (4, "出口", 2, "exports", 2662 * Y, 2662 * Y, "美元", 6.8, 6.8, "%", "up", None, A, 2001, 2001, "其中出口２６６２亿美元，增长６．８％", None),
        (4, "外商直接投资", 1, "foreign direct investment", 468 * Y, 468 * Y, "美元", 14.9, 14.9, "%", "up", None, A, 2001, 2001,
         "外商直接投资４６８亿美元，增长１４．９％", None),
        (4, "国家外汇储备", 1, "foreign exchange reserves", 2122 * Y, 2122 * Y, "美元", 466 * Y, 466 * Y, "美元", "up", None, A, 2001, 2001,
         "年末国家外汇储备达到２１２２亿美元，比上年末增加４６６亿美元", None),
        (6, "普通高校招生", 1, "higher education enrollment", 268 * W, 268 * W, "人", 48 * W, 48 * W, "人", "up", None, A, 2001, 2001,
         "全国普通高校招生２６８万人，比上年增加４８万人", None),
        (7, "城镇居民人均可支配收入", 1, "urban per capita disposable income", None, None, None, 8.5, 8.5, "%", "up", None, A, 2001, 2001,
         "城镇居民人均可支配收入实际增长８．５％", None),
        (7, "城市居民最低生活保障的覆盖人数", 1, "城市居民最低生活保障的覆盖人数", 1120 * W, 1120 * W, "人", None, None, None, "up", "over", A, 2001, 2001,
         "城市居民最低生活保障的覆盖人数，由年初的４００多万人扩大到年末的１１２０多万人", "base: 400多万 at the start of the year; not in the table"),
        (7, "农民人均纯收入", 1, "rural per capita income", None, None, None, 4.2, 4.2, "%", "up", None, A, 2001, 2001, "农民人均纯收入实际增长４．２％", None),
    ],
}


def paragraphs(text):
    off = 0
    for i, p in enumerate(text.split("\n")):
        yield i, off, p
        off += len(p) + 1


def main(corpus="../shared/corpora/national_reports.jsonl", out="corpora/annotations/indicators_national_blind2.jsonl"):
    texts = {}
    for line in open(corpus, encoding="utf-8"):
        r = json.loads(line)
        if r["id"] in REGIONS:
            texts[r["id"]] = r
    lines = []
    for doc, paras in REGIONS.items():
        rec = texts[doc]
        text = rec["text"]
        lines.append({"type": "document", "doc_id": doc, "corpus": "national_reports.jsonl", "year": rec["year"], "chars": len(text),
                      "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "split": "blind2"})
        where = {i: (off, p) for i, off, p in paragraphs(text)}
        for i in paras:
            off, p = where[i]
            lines.append({"type": "region", "doc_id": doc, "start": off, "end": off + len(p), "part": "review", "paragraph": p[:20]})
        for (i, mention, nth, ind, vlo, vhi, unit, clo, chi, cunit, direction, approx, status, ps, pe, sentence, note) in ROWS[doc]:
            off, p = where[i]
            s = p.find(sentence)
            assert s >= 0, (doc, sentence)
            m = -1
            for _ in range(nth):
                m = p.find(mention, m + 1)
            assert m >= 0, (doc, mention)
            def num(x):
                return None if x is None else (int(x) if float(x).is_integer() else round(x, 6))
            row = {"type": "statement", "doc_id": doc, "start": off + m, "end": off + m + len(mention), "mention": mention,
                   "indicator": ind, "value_low": num(vlo), "value_high": num(vhi), "unit": unit,
                   "change_low": num(clo), "change_high": num(chi), "change_unit": cunit, "direction": direction, "approx": approx,
                   "status": status, "period_start": ps, "period_end": pe, "part": "review",
                   "sentence_start": off + s, "sentence_end": off + s + len(sentence), "sentence": sentence}
            if note:
                row["note"] = note
            lines.append(row)
    Path(out).write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    print(out, sum(x["type"] == "statement" for x in lines), "statements")


if __name__ == "__main__":
    main(*sys.argv[1:])
