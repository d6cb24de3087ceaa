"""QUANTITY spans: boundaries, values, units and approximators on real report sentences."""

from __future__ import annotations

import json

import pytest

from qidu_nlp.rules.quantities import find_quantities, load_units, unit_info


def _q(text: str) -> list[tuple]:
    return [(text[q["start"]:q["end"]], q["value"], q["unit"]) for q in find_quantities(text)]


def _one(text: str) -> dict:
    found = find_quantities(text)
    assert len(found) == 1, [text[q["start"]:q["end"]] for q in found]
    return found[0]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("全年完成一般公共预算收入1.43亿元，同比增长34%", [("1.43亿元", 143000000.0, "元"), ("34%", 34.0, "%")]),
        ("打造棠悦西门、西寺广场等绿地游园43.2公顷", [("43.2公顷", 43.2, "公顷")]),
        ("地均生产总值5.4亿元/平方公里", [("5.4亿元/平方公里", 540000000.0, "元/平方公里")]),
        ("PM2.5平均浓度下降到35微克/立方米", [("35微克/立方米", 35.0, "微克/立方米")]),
        ("东贝压缩机产销超过3000万台、单个品牌全球第一", [("3000万台", 30000000.0, "台")]),
        ("实际使用外资1263亿美元", [("1263亿美元", 126300000000.0, "美元")]),
        ("每户补助20至50万元", [("20至50万元", 200000.0, "元")]),
        ("国内生产总值增长6%－6.5%", [("6%－6.5%", 6.0, "%")]),
        ("新建一百零五套住房", [("一百零五套", 105.0, "套")]),
        ("连续23个月未出现输入和本土确诊病例", [("23个月", 23.0, "月")]),
        ("高于年初人代会12%的目标14.4个百分点", [("12%", 12.0, "%"), ("14.4个百分点", 14.4, "百分点")]),
        ("17个村集体收入实现翻番", [("17个", 17.0, "个"), ("翻番", 2.0, "倍")]),
        ("国内生产总值比2010年翻一番", [("翻一番", 2.0, "倍")]),
        ("收入增长三成以上", [("三成以上", 30.0, "%")]),
        ("新增4万多亿元", [("4万多亿元", 4000000000000.0, "元")]),
        ("由1千多户增加到1万6千多户", [("1千多户", 1000.0, "户"), ("1万6千多户", 16000.0, "户")]),
        ("出境旅游人次由8300万增加到1亿3千多万", [("8300万", 83000000.0, ""), ("1亿3千多万", 130000000.0, "")]),
        ("国民生产总值达到一万一千一百七十亿元", [("一万一千一百七十亿元", 1117000000000.0, "元")]),
        ("贫困人口从两亿五千多万减少到", [("两亿五千多万", 250000000.0, "")]),
        ("两千三百万台湾同胞", [("两千三百万", 23000000.0, "")]),
        ("带动近万人就业，惠及近千万家庭", [("万人", 10000.0, "人"), ("千万", 10000000.0, "")]),
        ("控制在3000字以内，连续5秒以上", [("3000字以内", 3000.0, "字"), ("5秒以上", 5.0, "秒")]),
    ],
)
def test_numeral_forms_and_units(sentence, expected):
    assert _q(sentence) == expected


@pytest.mark.parametrize(
    "sentence, surface, unit, si_value, si_unit, dimension",
    [
        ("重点打造晏婴路约1.1万平方的绿化项目", "1.1万平方", "平方米", 11000.0, "m²", "area"),
        ("建筑面积3.5万平米", "3.5万平米", "平方米", 35000.0, "m²", "area"),
        ("清运“三堆”等垃圾2万余立方", "2万余立方", "立方米", 20000.0, "m³", "volume"),
        ("村庄道路中修罩面27.6公里", "27.6公里", "公里", 27600.0, "m", "length"),
        ("盘活土地7.5亩", "7.5亩", "亩", 5000.0, "m²", "area"),
        ("博远化工年产3.6万吨有机过氧化物项目", "3.6万吨", "吨", 36000000.0, "kg", "mass"),
    ],
)
def test_units_are_canonical_with_si_conversion(sentence, surface, unit, si_value, si_unit, dimension):
    q = _one(sentence)
    assert sentence[q["start"]:q["end"]] == surface
    assert (q["unit"], q["si_unit"], q["dimension"]) == (unit, si_unit, dimension)
    assert q["si_value"] == pytest.approx(si_value)


@pytest.mark.parametrize(
    "sentence, surface, approx",
    [
        ("重点打造晏婴路约1.1万平方的绿化项目", "1.1万平方", "about"),
        ("地区生产总值增长3.5%左右", "3.5%左右", "about"),
        ("清理移动广告牌200余块", "200余块", "over"),
        ("投入资金8000余万元", "8000余万元", "over"),
        ("为全镇60岁以上老人", "60岁以上", "over"),
        ("20万元以下村全面清零", "20万元以下", "under"),
        ("城镇登记失业率控制在3.2%以内", "3.2%以内", "under"),
        ("东贝压缩机产销超过3000万台", "3000万台", "over"),
        ("村集体收入增长超10万元", "10万元", "over"),
        ("特困供养近600万人", "600万人", "under"),
        ("年增长逾200家", "200家", "over"),
        ("接待游客1200人次", "1200人次", None),
    ],
)
def test_approximators(sentence, surface, approx):
    q = _one(sentence)
    assert (sentence[q["start"]:q["end"]], q["approx"]) == (surface, approx)


@pytest.mark.parametrize(
    "sentence, surface, unit, dimension",
    [
        ("比去年预算高0.2个百分点", "0.2个百分点", "百分点", "percentage_point"),
        ("提高2百分点", "2百分点", "百分点", "percentage_point"),
        ("同比增长6.47%", "6.47%", "%", "percent"),
    ],
)
def test_percentage_points_are_not_percent(sentence, surface, unit, dimension):
    q = _one(sentence)
    assert (sentence[q["start"]:q["end"]], q["unit"], q["dimension"]) == (surface, unit, dimension)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("成为全市第8个地区生产总值突破千亿大关的区县", [("千亿", 1e11, "")]),
        ("华瀛LNG等多个百亿级项目落地建设", [("百亿级", 1e10, "")]),
        ("工业总产值迈上千亿台阶", [("千亿", 1e11, "")]),
        ("全年引进税收千万级以上项目156个", [("千万级以上", 1e7, ""), ("156个", 156.0, "个")]),
        ("签约亿元以上项目27个", [("亿元以上", 1e8, "元"), ("27个", 27.0, "个")]),
        ("2024年完成万亩特色粮食种植", [("万亩", 10000.0, "亩")]),
        ("共同推动了杭州经济总量“冲刺两万亿”的跨越进程", [("两万亿", 2e12, "")]),
        ("为全镇1.2万60岁以上的老人缴纳银龄安康保险", [("1.2万", 12000.0, ""), ("60岁以上", 60.0, "岁")]),
    ],
)
def test_bare_numbers_and_magnitudes_as_thresholds(sentence, expected):
    assert _q(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("在全市重点项目督查评议中连续三年取得较好成绩", [("三年", 3.0, "年")]),
        ("助力我区设施蔬菜产业振兴三年攻坚行动", [("三年", 3.0, "年")]),
        ("力争三至五年内完成", [("三至五年", 3.0, "年")]),
        ("按照“蓄水收集池—户内外污水管网—污水处理公司”三级处理模式", [("三级", 3.0, "级")]),
        ("受到5.7级地震影响", [("5.7级", 5.7, "级")]),
        ("坚决贯彻落实三个“一号工程”", [("三个", 3.0, "个")]),
        ("制定《齐都镇耕地保护常态监管九条措施》", [("九条", 9.0, "条")]),
        ("县、乡、村三级联动，两镇4村", [("三级", 3.0, "级"), ("两镇", 2.0, "镇"), ("4村", 4.0, "村")]),
        ("2万余立方，3000多万元，百余个，十个村", [
            ("2万余立方", 20000.0, "立方米"), ("3000多万元", 30000000.0, "元"), ("百余个", 100.0, "个"), ("十个", 10.0, "个"),
        ]),
    ],
)
def test_counts_durations_and_levels(sentence, expected):
    assert _q(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "2019年是新中国成立70周年",  # year, anniversary
        "——2024年1月12日在齐都镇第二十届",  # date, ordinal
        "成为全市第8个",  # ordinal
        "新加坡丰益国际等世界500强企业入驻",  # rank
        "入选全国百强县",  # rank
        "三次产业结构调整为8:42:50",  # ratio and its parts
        "师生比不低于1∶4000比例配备",  # ratio with the ratio sign
        "万元GDP水耗下降",  # per-unit base
        "每万人发明专利",  # per-unit base
        "数万名党员干部、医护人员连续奋战",  # vague amount
        "谋划实施一批重大项目",  # vague amount
        "围绕“1221”工作体系",  # code
        "进入工业4.0时代，欢度五一",  # codes
        "这一年，一张蓝图绘到底",  # idioms
        "一年来，五年来，过去六年",  # time-frame idioms
        "发布国内唯一一个日用陶瓷价格成本指数",  # idiom
        "打好三大攻坚战，壮大五大产业",  # numeral + 大
        "深刻领悟两个确立的决定性意义，做到两个维护",  # numeric slogans
        "推进“三个年”活动",  # numeral inside a quoted slogan
        "如图9所示，由中央网信办等4部门印发",  # not counters
        "关键零部件进口",  # 零 in a word
        "千方百计，千家万户",  # idioms of magnitudes
        "三次产业协调发展",  # 三次产业 is no count of times
        "城乡二元经济结构",  # 二元 is no money
        "坚持四项基本原则",  # a numeric slogan
    ],
)
def test_numbers_that_are_not_quantities(sentence):
    assert _q(sentence) == []


def test_spans_never_overlap_and_never_hold_whitespace(qidu_text):
    found = find_quantities(qidu_text)
    ends = [(q["start"], q["end"]) for q in found]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))
    for q in found:
        surface = qidu_text[q["start"]:q["end"]]
        assert surface == surface.strip() and "\n" not in surface


def test_full_width_digits_are_read(qidu_text):
    assert _q("增长３４％，投资１．２万元") == [("３４％", 34.0, "%"), ("１．２万元", 12000.0, "元")]


def test_unit_table_maps_aliases_to_canonical_units():
    units = load_units()
    assert "平方" in units["平方米"]["aliases"] and "平米" in units["平方米"]["aliases"]
    assert unit_info("公里") == {"dimension": "length", "si_unit": "m", "si_factor": 1000.0}
    assert unit_info("元/平方公里")["dimension"] == "money"


def test_component_writes_spans_with_attributes(qidu_doc):
    spans = {s.text: s for s in qidu_doc.spans["quantities"]}
    s = spans["1.43亿元"]
    assert (s.label_, s._.qidu.value, s._.qidu.unit, s._.qidu.dimension, s._.qidu.approx) == ("QUANTITY", 143000000.0, "元", "money", None)
    s = spans["43.2公顷"]
    assert (s._.qidu.si_value, s._.qidu.si_unit) == (432000.0, "m²")
    assert spans["1.1万平方"]._.qidu.approx == "about"


def test_component_spans_stay_inside_sentences(qidu_doc):
    starts = {s.start_char for s in qidu_doc.sents}
    for span in qidu_doc.spans["quantities"]:
        assert not any(span.start_char < b < span.end_char for b in starts)


def test_component_matches_the_bundled_gold_exactly(qidu_doc):
    from conftest import QIDU_GOLD

    if not QIDU_GOLD.exists():
        pytest.skip(f"{QIDU_GOLD} not present")
    gold = json.loads(QIDU_GOLD.read_text(encoding="utf-8").splitlines()[0])
    expected = {(s["start"], s["end"], s["value"], s["unit"]) for s in gold["spans"] if s["label"] == "QUANTITY"}
    got = {(s.start_char, s.end_char, s._.qidu.value, s._.qidu.unit) for s in qidu_doc.spans["quantities"]}
    assert got == expected


def test_local_dev_strict_f1_and_value_accuracy(local_dev_gold):
    tp = n_pred = n_gold = values_ok = 0
    for rec in local_dev_gold:
        gold = {(s["start"], s["end"]): s["value"] for s in rec["spans"] if s["label"] == "QUANTITY"}
        pred = {(q["start"], q["end"]): q["value"] for q in find_quantities(rec["text"])}
        n_pred += len(pred)
        n_gold += len(gold)
        for key, value in pred.items():
            if key in gold:
                tp += 1
                values_ok += value == pytest.approx(gold[key], rel=1e-6)
    precision, recall = tp / n_pred, tp / n_gold
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.95
    assert values_ok / tp >= 0.98


def test_component_works_on_the_character_segmenter(nlp_char):
    doc = nlp_char("全年完成一般公共预算收入1.43亿元，同比增长34%。")
    assert [(s.text, s._.qidu.value, s._.qidu.unit) for s in doc.spans["quantities"]] == [
        ("1.43亿元", 143000000.0, "元"), ("34%", 34.0, "%"),
    ]


def test_component_config_survives_to_disk(tmp_path):
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe("qidu_quantities", config={"spans_key": "numbers"})
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    doc = loaded("新建200平方米高标准市级卫生室")
    assert [(s.text, s._.qidu.unit) for s in doc.spans["numbers"]] == [("200平方米", "平方米")]
