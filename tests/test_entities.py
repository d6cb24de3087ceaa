"""Tests of qidu_nlp.entities: the rules, the gazetteer, propagation and the component's output."""

from __future__ import annotations

import json

import pytest

from qidu_nlp.rules import entities as E
from qidu_nlp.rules.entities.context import extend_left
from conftest import QIDU_GOLD

LABELS = set(E.LABELS)


@pytest.fixture(scope="module")
def ner():
    """Structure + entities on pkuseg tokens, the rules alone (each test below is of one rule;
    the trained judge that decides among the rules' candidates is tested in test_entity_judge.py)."""
    import qidu_nlp

    return qidu_nlp.load(components=["qidu_structure", "qidu_entities"], config={"qidu_entities": {"use_model": False}})


@pytest.fixture(scope="module")
def judged():
    """Structure + entities as shipped: the rules propose, the trained judge decides."""
    import qidu_nlp

    return qidu_nlp.load(components=["qidu_structure", "qidu_entities"])


def ents(ner, text):
    return [(e.text, e.label_) for e in ner(text).ents]


# --- each grammar rule on its own real sentence -------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # VILLAGE by suffix (qidu 2024)
        ("忆当年设施蔬菜高标准产业园落户龙贯村，规划建设", ("龙贯村", "VILLAGE")),
        # PLACE from the gazetteer, full name and suffix-less prefecture
        ("提升城区功能品质。紧抓临淄区“北进东拓”战略机遇", ("临淄区", "PLACE")),
        # ORG by suffix, with its place inside
        ("尹家村、葛家村被淄博市诗词学会命名为诗词村居。", ("淄博市诗词学会", "ORG")),
        # ORG abbreviation with a lone level character
        ("齐都粮仓农业综合体项目与省农科院达成合作框架", ("省农科院", "ORG")),
        # ORG company with a bracketed province
        ("拓展遨博（山东）智能机器人国字号战略合作", ("遨博（山东）智能机器人", "ORG")),
        # ORG company by an industry suffix after a verb
        ("持续抓好正华助剂、冠宏化工等3个重点企业技改项目。", ("冠宏化工", "ORG")),
        # PROJECT by a one-character head that is its own token
        ("对广辛路等8条破损严重的连村路中修罩面", ("广辛路", "PROJECT")),
        # PROJECT with a proper element before a site head
        ("打造棠悦西门、西寺广场等绿地游园43.2公顷；", ("西寺广场", "PROJECT")),
        # PROJECT items of a list closed by a count of projects (local_dev 02)
        ("垃圾焚烧发电、柏润高端制袜等99个项目开工", ("柏润高端制袜", "PROJECT")),
        # PERSON after a title, spaces kept (local_dev 03)
        ("泾县人民政府县长  张 平", ("张 平", "PERSON")),
        # PERSON before 总书记 (local_dev 06)
        ("认真贯彻落实习近平总书记在参加十三届全国人大二次会议福建代表团审议时的重要讲话",
         ("习近平", "PERSON")),
        # EVENT: congress session with its place
        ("——2019年1月20日在平阴县第十八届人民代表大会第三次会议上", ("平阴县第十八届人民代表大会第三次会议", "EVENT")),
        # EVENT: short session name with a level character
        ("较好完成了县十七届人大二次会议确定的各项目标任务", ("县十七届人大二次会议", "EVENT")),
        # EVENT: coordinated plenums are one span (local_dev 06)
        ("学习贯彻党的十九大、十九届二中、三中、四中全会精神", ("十九届二中、三中、四中全会", "EVENT")),
        # EVENT: party congress
        ("学习贯彻党的十九大、十九届二中、三中、四中全会精神", ("党的十九大", "EVENT")),
        # DOC in 《》 with the brackets
        ("制定《齐都镇耕地保护常态监管九条措施》，坚守耕地保护红线。", ("《齐都镇耕地保护常态监管九条措施》", "DOC")),
    ],
)
def test_rule_finds_entity(ner, text, expected):
    assert expected in ents(ner, text)


def test_generic_bodies_in_a_row(ner):
    got = ents(ner, "在市委市政府和县委坚强领导下,全县上下团结一心")
    assert got == [("市委", "ORG"), ("市政府", "ORG"), ("县委", "ORG")]


def test_role_compound_is_no_org(ner):
    assert ents(ner, "请予审议,并请各位县政协委员和列席会议的同志提出意见。") == []


def test_org_inside_role_title_is_not_marked(ner):
    assert ents(ner, "省委车俊书记在会上肯定了拱墅的做法。") == [("车俊", "PERSON"), ("拱墅", "PLACE")]


def test_place_inside_org_is_not_separate(ner):
    doc = ner("拓展遨博（山东）智能机器人国字号战略合作。")
    assert [(e.text, e.label_) for e in doc.ents] == [("遨博（山东）智能机器人", "ORG")]
    assert doc.ents[0]._.qidu.parts == [{"label": "PLACE", "norm": "山东"}]


def test_suffixless_villages_in_enumeration(ner):
    got = ents(ner, "并带动周边大夫、赵王等9个村设施蔬菜种植。")
    assert got == [("大夫", "VILLAGE"), ("赵王", "VILLAGE")]


def test_suffixless_village_before_a_shared_suffix(ner):
    got = ents(ner, "整治西古东和田家村交界处“垃圾湾”。")
    assert got == [("西古东", "VILLAGE"), ("田家村", "VILLAGE")]


def test_village_norm_drops_the_suffix(ner):
    doc = ner("南马坊村村规民约获评山东省优秀村规民约。")
    assert [(e.text, e._.qidu.norm) for e in doc.ents if e.label_ == "VILLAGE"] == [("南马坊村", "南马坊")]


def test_project_named_after_its_village_records_the_village(ner):
    doc = ner("串联南马坊村新时代文明实践综合体等阵地。")
    proj = [e for e in doc.ents if e.label_ == "PROJECT"]
    assert [e.text for e in proj] == ["南马坊村新时代文明实践综合体"]
    assert proj[0]._.qidu.parts == [{"label": "VILLAGE", "norm": "南马坊"}]


def test_generic_facility_is_no_project(ner):
    assert ents(ner, "加快推进全域公园建设，持续做好便民服务中心提升。") == []


def test_event_split_by_a_line_break_gives_two_spans(ner):
    got = ents(ner, "——2024年1月12日在齐都镇第二十届\n人民代表大会第三次会议上\n")
    assert got == [("齐都镇第二十届", "EVENT"), ("人民代表大会第三次会议", "EVENT")]


def test_nested_doc_brackets_give_one_span(ner):
    text = "印发《关于贯彻落实〈条例〉和《土地管理法》的实施意见》。"
    assert ents(ner, text) == [("《关于贯彻落实〈条例〉和《土地管理法》的实施意见》", "DOC")]


def test_town_bare_name_propagates_from_full_name(ner):
    doc = ner("我代表齐都镇人民政府作报告。感谢所有关心支持齐都发展的各界人士。")
    assert [(e.text, e.label_, e._.qidu.norm) for e in doc.ents] == [
        ("齐都镇人民政府", "ORG", "齐都镇人民政府"),
        ("齐都", "PLACE", "齐都"),
    ]


def test_village_name_propagates_without_suffix(ner):
    # the first sentence is the bundled report's; the second names the village again without 村
    doc = ner("南马坊村村规民约获评山东省优秀村规民约。南马坊获评省级文明村。")
    assert [(e.text, e._.qidu.norm) for e in doc.ents if e.label_ == "VILLAGE"] == [("南马坊村", "南马坊"), ("南马坊", "南马坊")]


def test_village_name_inside_a_longer_word_is_not_found_again(ner):
    # a bare village name found again must stand alone: 珠江口, 黄河旅游带 are no villages
    doc = ner("南马坊村村规民约获评山东省优秀村规民约。继续推进南马坊网格化建设。")
    assert [e.text for e in doc.ents if e.label_ == "VILLAGE"] == ["南马坊村"]


def test_person_norm_removes_spaces(ner):
    doc = ner("泾县人民政府县长  张 平")
    assert [(e.text, e._.qidu.norm) for e in doc.ents if e.label_ == "PERSON"] == [("张 平", "张平")]


# --- PROJECT and PLACE rules of the second pass (one real sentence each, exact spans) ------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # a quoted coined site name is a PROJECT without its quotes (local_dev 13, 16; qidu 2024)
        ("“双生谷”1000亩建设用地完成交付。", ("双生谷", "PROJECT")),
        ("“平江九巷”作为“紫金奖·建筑及环境设计大赛”城市合作赛道,亮相具有全球影响力的品牌赛事。",
         ("平江九巷", "PROJECT")),
        ("牢牢守住粮食安全底线，引导“齐都粮仓”做好粮食精深加工", ("齐都粮仓", "PROJECT")),
        ("“淄博鲜食玉米新品种新技术示范推广基地”落户园区，已种植鲜食玉米",
         ("淄博鲜食玉米新品种新技术示范推广基地", "PROJECT")),
        # a head after the closing quote completes the name: the span keeps the quotes (local_dev 16)
        ("“拙政问雅”夜游项目获全球世界遗产教育创新案例奖。", ("“拙政问雅”夜游项目", "PROJECT")),
        # a company's capacity project (qidu 2024)
        ("全资子公司博远化工年产3.6万吨有机过氧化物项目正式投产达效。",
         ("博远化工年产3.6万吨有机过氧化物项目", "PROJECT")),
        # places chained by hyphens (local_dev 22)
        ("马鞍山-南京-镇江城际铁路线获国家批复;", ("马鞍山-南京-镇江城际铁路线", "PROJECT")),
        # a company before its product facility (qidu 2024)
        ("加快推进电科北方半导体科技（山东）有限公司集成电路材料产业基地开工建设。",
         ("电科北方半导体科技（山东）有限公司集成电路材料产业基地", "PROJECT")),
        # list items: a numeral inside a brand, a company with its product, a Latin code
        ("洪韵科技、三一发达等14个项目建成投产。", ("三一发达", "PROJECT")),
        ("奥克斯空调、华旺新材料等一批重大项目加速建设,", ("华旺新材料", "PROJECT")),
        ("计划投资额近900亿元,华瀛LNG等多个百亿级项目落地建设。", ("华瀛LNG", "PROJECT")),
        ("五星颐家、青蓝府等一期楼盘陆续交付", ("五星颐家", "PROJECT")),
        # a Latin code next to the head (local_dev 13)
        ("55.4亿元北部新城eod和11.9亿元凤凰河eod项目进入全省首批试点", ("凤凰河eod项目", "PROJECT")),
        ("55.4亿元北部新城eod和11.9亿元凤凰河eod项目进入全省首批试点", ("北部新城eod", "PROJECT")),
        # names joined by a middle dot, a section named by a place (local_dev 18, 22)
        ("引进省级以上金融机构18家,华中金融城·资本中心启动运营,", ("华中金融城·资本中心", "PROJECT")),
        ("商合杭高铁含山段、郑蒲港铁路加快建设;", ("商合杭高铁含山段", "PROJECT")),
        ("以重点区块开发、产业平台建设、美丽拱墅、大运河文化带建设、招商引智", ("大运河文化带", "PROJECT")),
        # PLACE: a river or lake written as one token (qidu 2024, local_dev 13)
        ("深挖淄河沿线资源禀赋，引导传统种植农业向观光旅游转型", ("淄河", "PLACE")),
        ("大龙山风景名胜区优化调整纳入国土空间规划,石塘湖备用水源地调整加快实施。", ("石塘湖", "PLACE")),
        # PLACE: a scenic or city area named after a hill, an old town, a policy region
        ("大龙山风景名胜区优化调整纳入国土空间规划,石塘湖备用水源地调整加快实施。",
         ("大龙山风景名胜区", "PLACE")),
        ("开发区和龙珠山片区清理处置闲置低效用地3600亩。", ("龙珠山片区", "PLACE")),
        ("百余个历史文化名城代表首次齐聚一堂,姑苏古城保护经验向全国推广。", ("姑苏古城", "PLACE")),
        ("在皖江示范区和省级开发区两项考核中均排名第一;", ("皖江示范区", "PLACE")),
        # VILLAGE: a community name before a quality modifier, and the name listed before it
        ("继续推进正齐、棠悦智慧社区建设，围绕提升基础设施标准化", ("棠悦", "VILLAGE")),
        ("继续推进正齐、棠悦智慧社区建设，围绕提升基础设施标准化", ("正齐", "VILLAGE")),
    ],
)
def test_second_pass_rule_finds_entity(ner, text, expected):
    assert expected in ents(ner, text)


def test_quoted_site_name_hides_the_place_inside(ner):
    got = ents(ner, "“平江九巷”作为“紫金奖·建筑及环境设计大赛”城市合作赛道,亮相具有全球影响力的品牌赛事。")
    assert ("平江", "PLACE") not in got


def test_quoted_counts_and_honours_are_no_project(ner):
    # a numeral-built quoted name before 项目 (local_dev 10), an honour after 获评 (local_dev 14)
    assert ents(ner, "深化“四个一批”项目管理,158个重点项目完成投资") == []
    got = ents(ner, "获评全市首个“国际消费中心城市数字化示范区”。")
    assert [x for x in got if x[1] == "PROJECT"] == []


def test_company_alone_in_a_project_list_stays_org(ner):
    assert ("洪韵科技", "ORG") in ents(ner, "洪韵科技、三一发达等14个项目建成投产。")


def test_district_short_form_after_its_full_name(ner):
    text = "2018年是武昌区跨入千亿城区行列后继续埋头苦干的一年。盒马鲜生华中首店落户武昌。"
    assert ("武昌", "PLACE") in ents(ner, text)


def test_district_short_form_alone_is_not_a_place(ner):
    assert ("武昌", "PLACE") not in ents(ner, "盒马鲜生华中首店落户武昌。")


def test_bare_name_listed_before_a_site(ner):
    # qidu 2024: 棠悦西门 is listed before the square 西寺广场
    got = ents(ner, "打造棠悦西门、西寺广场等绿地游园43.2公顷；")
    assert ("棠悦西门", "PROJECT") in got and ("西寺广场", "PROJECT") in got


def test_list_walks_over_a_quoted_item(ner):
    # local_dev 02: the quoted item does not stop the walk to 雄宇索道
    got = ents(ner, "雄宇索道、工控“进未来”标准厂房等16个项目开工建设,")
    assert got == [("雄宇索道", "PROJECT"), ("工控“进未来”标准厂房", "PROJECT")]


def test_district_short_form_inside_a_word_is_not_a_place(ner):
    got = ents(ner, "我代表解放区人民政府作报告。人民解放军驻区部队支持地方建设。")
    assert ("解放", "PLACE") not in got


def test_nature_word_list_is_no_lake(ner):
    assert ents(ner, "统筹山水林田湖草沙一体化保护和系统治理。") == []


def test_ordinary_words_ending_in_river_are_no_place(ner):
    assert ents(ner, "加强沿河生态治理,推进运河沿线整治。") == []


# --- data ---------------------------------------------------------------------------------------


def test_gazetteer_has_levels_and_short_forms():
    lex = E.load_lexicons()
    assert lex.divisions["山东省"] == ("province", "山东")
    assert lex.divisions["淄博"] == ("prefecture", "淄博")
    assert lex.divisions["临淄区"] == ("county", "临淄")
    assert lex.divisions["齐都镇"] == ("town", "齐都")
    assert "和平" not in lex.divisions  # 和平区's alias is an ordinary word


def test_boundary_words_end_names_on_the_left():
    lex = E.load_lexicons()
    t = "持续抓好正华助剂"
    assert t[extend_left(t, 6, lex, 8):6] == "正华"


# --- whole documents: structure of the layer and scores --------------------------------------


def _check_layer(doc):
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    last_end = -1
    for e in doc.ents:
        assert e.label_ in LABELS
        assert e.start_char >= last_end, f"overlap at {e.text}"
        last_end = e.end_char
        assert "\n" not in e.text and e.text == e.text.strip()
        assert any(s <= e.start_char and e.end_char <= t for s, t in sents), f"{e.text} crosses a sentence"
        assert isinstance(e._.qidu.norm, str) and e._.qidu.norm


def test_bundled_report_layer_is_flat_and_inside_sentences(ner, qidu_text):
    _check_layer(ner(qidu_text))


def test_local_dev_layers_are_flat_and_inside_sentences(ner, local_dev_gold):
    for rec in local_dev_gold:
        _check_layer(ner(rec["text"]))


def _scores(ner, records):
    tp, fp, fn = {}, {}, {}
    for rec in records:
        gold = {(s["start"], s["end"], s["label"]) for s in rec["spans"] if s["label"] in LABELS}
        pred = {(e.start_char, e.end_char, e.label_) for e in ner(rec["text"]).ents}
        for lab in LABELS:
            g = {x for x in gold if x[2] == lab}
            p = {x for x in pred if x[2] == lab}
            tp[lab] = tp.get(lab, 0) + len(g & p)
            fp[lab] = fp.get(lab, 0) + len(p - g)
            fn[lab] = fn.get(lab, 0) + len(g - p)
    f1 = {}
    for lab in LABELS:
        denom = 2 * tp[lab] + fp[lab] + fn[lab]
        f1[lab] = 2 * tp[lab] / denom if denom else 1.0
    return f1


# floors a little under the measured scores, so a regression shows (targets: issue 3). These are
# in-sample figures (the rules were written on these files and the judge is trained on them):
# regression guards, not accuracy; held-out figures are in benchmarks/README.md.
# measured 2026-11-28 (after the second pass): dev VILLAGE 1.00 PLACE .951 ORG .978 PROJECT .958;
# qidu VILLAGE 1.00 PLACE .914 ORG .967 PROJECT .915
DEV_FLOORS = {"VILLAGE": 0.95, "PLACE": 0.92, "ORG": 0.95, "PROJECT": 0.92, "PERSON": 0.95,
              "EVENT": 0.95, "DOC": 0.9}
QIDU_FLOORS = {"VILLAGE": 0.95, "PLACE": 0.88, "ORG": 0.93, "PROJECT": 0.88, "PERSON": 0.95,
               "EVENT": 0.95, "DOC": 0.95}


@pytest.fixture(scope="module", params=["rules", "judged"])
def pipeline(request, ner, judged):
    return ner if request.param == "rules" else judged


@pytest.fixture(scope="module")
def dev_f1(pipeline, local_dev_gold):
    return _scores(pipeline, local_dev_gold)


@pytest.fixture(scope="module")
def qidu_f1(pipeline):
    if not QIDU_GOLD.exists():
        pytest.skip(f"{QIDU_GOLD} not present")
    lines = QIDU_GOLD.read_text(encoding="utf-8").splitlines()
    return _scores(pipeline, [json.loads(line) for line in lines if line.strip()])


@pytest.mark.parametrize("label", sorted(DEV_FLOORS))
def test_local_dev_f1_floor(dev_f1, label):  # noqa: D103
    assert dev_f1[label] >= DEV_FLOORS[label], dev_f1


@pytest.mark.parametrize("label", sorted(QIDU_FLOORS))
def test_bundled_report_f1_floor(qidu_f1, label):
    assert qidu_f1[label] >= QIDU_FLOORS[label], qidu_f1


# --- a name that ends inside a longer word is no name -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # national report 1956: 财政部门 (finance departments) is not the ministry 财政部
        "为了完成国家预算的收入计划，或者是为了实现国家预算的支出计划，财政部门都负有最大的责任。",
        # national report 1985: 重工业 (heavy industry) holds no company head 重工
        "我们从加强农业入手，以发展农业促进轻工业的发展，进而促进了重工业的发展。",
    ],
)
def test_name_ending_inside_a_longer_word_is_no_org(ner, text):
    assert [e for e in ents(ner, text) if e[1] == "ORG"] == []
