"""Tests of qidu_nlp.cooccurrence: counts of separate batches add up to the counts of the whole."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from qidu_nlp import graph as co
from qidu_nlp import graph as g
from qidu_nlp.pipeline import rows as mentions

RVI = "乡村振兴"


def row(doc, paragraph, sentence, label, norm, *, text=None, year=2024, section="S", parts=""):
    return dict(
        doc_id=doc, year=year, paragraph=paragraph, sentence=sentence, section=section, label=label,
        kind=None, text=text or norm, norm=norm, start=0, end=len(norm), value=None, unit=None, frame=None,
        score=None, parts=parts, sentence_text="",
    )


@pytest.fixture(scope="module")
def table():
    """Three short documents with shared themes, villages, a project with a village part and a slogan."""
    part = json.dumps([{"label": "VILLAGE", "norm": "南马坊"}], ensure_ascii=False)
    rows = [
        row("a", 0, 0, "THEME", RVI), row("a", 0, 0, "VILLAGE", "龙贯", text="龙贯村"),
        row("a", 0, 1, "SLOGAN", "一村多策"), row("a", 1, 2, "THEME", "文化旅游"),
        row("a", 1, 2, "PROJECT", "南马坊村新时代文明实践综合体", parts=part),
        row("b", 0, 0, "THEME", RVI, year=2023), row("b", 0, 0, "VILLAGE", "龙贯", text="龙贯村", year=2023),
        row("b", 0, 1, "VILLAGE", "南马坊", text="南马坊村", year=2023),
        row("b", 1, 2, "QUANTITY", "3个", year=2023),
        row("c", 0, 0, "SLOGAN", "一村多策", year=2022), row("c", 0, 1, "THEME", RVI, year=2022),
        row("c", 0, 1, "VILLAGE", "龙贯", year=2022),
    ]
    return mentions.to_frame(rows)


def as_lists(G):
    return list(G.nodes(data=True)), list(G.edges(data=True)), dict(G.graph)


@pytest.mark.parametrize("window", ["sentence", "paragraph", "section"])
def test_cooccurrence_batches_add_up_to_the_whole(table, window):
    seq = {"a": 0, "b": 1, "c": 2}
    whole = co.count(table, window=window).to_graph()
    parts = [co.count(table[table["doc_id"] == d], window=window, doc_seq=seq) for d in ("c", "a", "b")]
    merged = co.Counts.combine(parts).to_graph()
    assert as_lists(merged) == as_lists(whole)
    assert as_lists(whole) == as_lists(g.build(table, window=window))


def test_cooccurrence_merge_keeps_corpus_order_of_examples(table):
    seq = {"a": 0, "b": 1, "c": 2}
    late, early = (co.count(table[table["doc_id"] == d], doc_seq=seq) for d in ("b", "a"))
    G = late.merge(early).to_graph()
    assert G.edges[f"theme:{RVI}", "village:龙贯村"]["examples"] == ["a#0", "b#0"]


def test_cooccurrence_accumulator_equals_one_count(many_docs):
    acc = co.Accumulator(window="paragraph", min_pending=1)
    seq = {d: i for i, d in enumerate(pd.unique(many_docs["doc_id"]))}
    for doc, part in many_docs.groupby("doc_id", sort=False):
        acc.add_rows(part, doc_seq=seq)
    assert as_lists(acc.result().to_graph()) == as_lists(g.build(many_docs, window="paragraph"))


@pytest.fixture(scope="module")
def many_docs(table):
    """The small table copied under many document ids: enough rows for several compactions."""
    frames = [table.assign(doc_id=table["doc_id"] + f"-{i}") for i in range(12)]
    return pd.concat(frames, ignore_index=True)


def test_cooccurrence_refuses_repeated_documents(table):
    a = co.count(table[table["doc_id"] == "a"])
    with pytest.raises(ValueError, match="repeat"):
        a.merge(a)


def test_cooccurrence_refuses_different_settings(table):
    with pytest.raises(ValueError, match="different settings"):
        co.count(table, window="sentence").merge(co.count(table.assign(doc_id="x"), window="paragraph"))


def test_cooccurrence_a_name_taken_by_another_norm_falls_back_to_the_norm():
    # 龙贯 is written 龙贯村, but 龙贯村 is itself the norm of another village group
    rows = [row("d", 0, 0, "VILLAGE", "龙贯", text="龙贯村"), row("d", 0, 1, "VILLAGE", "龙贯村")]
    G = co.count(mentions.to_frame(rows)).to_graph()
    assert sorted(G.nodes()) == ["village:龙贯", "village:龙贯村"]


def test_cooccurrence_section_read_back_as_nan(table):
    G = co.count(table.assign(section=np.nan), window="section").to_graph()
    assert G.graph["n_windows"] == 3


def test_cooccurrence_empty_table():
    counts = co.Accumulator().result()
    assert counts.to_graph().number_of_nodes() == 0 and counts.n_windows == {"sentence": 0, "paragraph": 0}
