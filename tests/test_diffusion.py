"""Diffusion of national slogans into local reports: hand-checked facts on the shared corpora."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import shared_file
from qidu_nlp.cli import app
from qidu_nlp.diffusion import diffusion, draw_timeline, level_of, template


@pytest.fixture(scope="module")
def provinces():
    """The national reports and congress reports against the provincial reports of
    local_gov_reports.jsonl (59) and the town openings of local_reports.jsonl (39)."""
    national = [shared_file("national_reports.jsonl"), shared_file("cpc_congress_reports.jsonl")]
    with open(shared_file("local_gov_reports.jsonl"), encoding="utf-8") as f:
        local = [rec for rec in map(json.loads, f) if rec["level"] == "province"]
    with open(shared_file("local_reports.jsonl"), encoding="utf-8") as f:
        local += [json.loads(line) for line in f]
    return diffusion(national, local)


@pytest.mark.parametrize("norm, frame", [("三去一降一补", "N去N降N补"), ("两个确立", "N个确立"), ("五位一体", "N位N体"),
                                         ("1221", None), ("三严", None), ("新发展理念", None)])
def test_diffusion_template_replaces_numerals(norm, frame):
    assert template(norm) == frame


@pytest.mark.parametrize("level, tier", [("province", "province"), ("city", "city"), ("district", "county"),
                                         ("county", "county"), ("township", "town"), ("subdistrict", "town"),
                                         ("national", None), (None, None)])
def test_diffusion_levels(level, tier):
    assert level_of({"level": level}) == tier


def test_diffusion_first_national_year_of_the_belt_and_road(provinces):
    # checked by hand: “一带一路” first in the 2015 government work report (把“一带一路”建设与区域开发开放结合起来),
    # in a congress report first in the 19th (2017)
    row = provinces.table.set_index("norm").loc["一带一路"]
    assert (row["first_national"], row["first_government"], row["first_congress"]) == (2015, 2015, 2017)


def test_diffusion_provincial_lag_of_the_belt_and_road(provinces):
    # checked by hand: the 2015 report of 河北省 (lg-00035) already writes "一带一路"倡议: lag 0
    row = provinces.table.set_index("norm").loc["一带一路"]
    assert row["first_province"] == 2015
    assert row["lag_province"] == 0
    assert row["lag_lower_bound"] == ""


def test_diffusion_fang_guan_fu_reaches_the_provinces_in_its_first_year(provinces):
    # checked by hand: “放管服” first in the 2017 government work report; 河北省 2017 (lg-00036) has it
    row = provinces.table.set_index("norm").loc["放管服"]
    assert (row["first_national"], row["first_province"], row["lag_province"]) == (2017, 2017, 0)


def test_diffusion_flags_a_lag_that_is_only_a_lower_bound(provinces):
    # 三个代表 is national from 2001; the town openings start in 2005, so the town lag is bounded
    row = provinces.table.set_index("norm").loc["三个代表"]
    assert row["first_national"] == 2001
    assert "town" in row["lag_lower_bound"].split(";")


def test_diffusion_states_the_local_sample(provinces):
    per = provinces.local_documents.groupby("tier")["documents"].sum().to_dict()
    assert per == {"province": 59, "town": 39}


def test_diffusion_finds_a_local_imitation_of_a_national_frame():
    national = [{"id": "gr-2012", "year": 2012, "level": "national", "text": "推进经济、政治、文化、社会、生态文明建设“五位一体”总体布局。"}]
    local = [{"id": "c-2014", "year": 2014, "level": "city", "text": "构建“三位一体”工作格局。"}]
    d = diffusion(national, local)
    assert d.imitations[["norm", "imitates", "first_national", "first_local"]].values.tolist() == [
        ["三位一体", "五位一体", 2012, 2014]]
    assert d.table.set_index("norm").loc["五位一体", "adapted_by"] == "三位一体 (1)"


def test_diffusion_counts_a_known_slogan_unquoted_but_not_inside_a_blocked_word():
    # sentences of the 2016 government work report and of the 17th congress report (2007)
    national = [{"id": "gr-2016", "year": 2016, "level": "national", "text": "坚持以新发展理念引领发展。"}]
    local = [{"id": "a", "year": 2017, "level": "county", "text": "各级政府要深入贯彻落实新发展理念。"},
             {"id": "b", "year": 2010, "level": "county", "text": "着力把握发展规律、创新发展理念、转变发展方式。"}]
    row = diffusion(national, local).table.set_index("norm").loc["新发展理念"]
    assert (row["local_documents"], row["first_county"], row["lag_county"]) == (1, 2017, 1)


def test_diffusion_cli_writes_the_tables(tmp_path):
    national = tmp_path / "national.jsonl"
    national.write_text(json.dumps({"id": "gr-2015", "year": 2015, "level": "national",
                                    "text": "把“一带一路”建设与区域开发开放结合起来。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    local = tmp_path / "local.jsonl"
    local.write_text(json.dumps({"id": "hb-2015", "year": 2015, "level": "province",
                                 "text": "积极融入国家\"一带一路\"倡议。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["diffusion", str(national), "--local", str(local), "-o", str(out), "--no-picture"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["diffusion.csv", "imitations.csv", "local_documents.csv",
                                                    "local_uses.csv", "national_uses.csv"]


def test_diffusion_without_national_slogans_draws_an_empty_picture(tmp_path):
    d = diffusion([{"id": "gr", "year": 2015, "level": "national", "text": "各位代表：现在，我代表国务院向大会报告工作。"}],
                  [{"id": "c", "year": 2016, "level": "city", "text": "各位代表：现在，我代表市人民政府向大会报告工作。"}])
    assert d.table.empty
    assert draw_timeline(d, tmp_path / "d.png").stat().st_size > 0
