"""report.html: the numbers on the page are those of the tables, and the page needs nothing outside itself."""

from __future__ import annotations

import re

import pytest

from qidu_nlp.corpus import Corpus, Result
from qidu_nlp.corpus.report import norm_counts, render
from qidu_nlp.schema import ENTITY_LABELS


@pytest.fixture(scope="module")
def result(nlp_char, qidu_text):
    return Corpus.from_records([{"id": "qidu-2024", "text": qidu_text, "year": 2024}]).analyze(nlp_char)


@pytest.fixture(scope="module")
def page(result):
    return render(result)


def card(page: str, name: str) -> int:
    m = re.search(rf"<div class='card'><b>([\d,]+)</b>{name}</div>", page)
    assert m, name
    return int(m.group(1).replace(",", ""))


def test_report_cards_count_the_mention_table(result, page):
    m = result.mentions
    assert card(page, "slogan mentions") == (m["label"] == "SLOGAN").sum() > 0
    assert card(page, "distinct slogans") == m.loc[m["label"] == "SLOGAN", "norm"].nunique()
    assert card(page, "entity mentions") == m["label"].isin(ENTITY_LABELS).sum() > 0
    assert card(page, "quantities") == (m["label"] == "QUANTITY").sum() > 0
    assert card(page, "characters") == int(result.documents["chars"].sum()) == 6108


def test_report_entity_counts_read_in_chunks_equal_a_group_by(result):
    by_label, norms = norm_counts(result)
    m = result.mentions
    ents = m[m["label"].isin(ENTITY_LABELS)]
    expected = ents.groupby(["label", "norm"]).agg(mentions=("norm", "size"), documents=("doc_id", "nunique"))
    got = norms[norms["label"].isin(ENTITY_LABELS)].set_index(["label", "norm"]).sort_index()
    assert got.equals(expected.sort_index().astype("int64"))
    assert by_label.to_dict() == m["label"].value_counts().to_dict()


def test_report_same_page_from_memory_and_from_the_run(result, page):
    memory = Result(documents=result.documents, mentions=result.mentions, indicators=result.indicators,
                    errors=result.errors)
    strip = lambda html: re.sub(r"generated [\d\- :]+", "", html)  # noqa: E731 - the time stamp differs
    assert strip(render(memory)) == strip(page)


def test_report_is_self_contained(page):
    assert "<img alt='co-occurrence graph' src='data:image/png;base64," in page
    assert not re.search(r"(src|href)=['\"]https?://", page)
