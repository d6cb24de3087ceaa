"""Validation of the gold annotation of the bundled report (corpora/annotations/qidu_2024.jsonl)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

ANNOTATIONS = Path(__file__).resolve().parents[1] / "corpora" / "annotations"
GOLD = ANNOTATIONS / "qidu_2024.jsonl"
README = ANNOTATIONS / "README.md"

ENTITY_LABELS = {"VILLAGE", "PLACE", "ORG", "PROJECT", "PERSON", "EVENT", "DOC"}
LABELS = ENTITY_LABELS | {"SLOGAN", "QUANTITY"}
SLOGAN_KINDS = {"numeric", "motto", "campaign", "formula"}


@pytest.fixture(scope="module")
def gold() -> dict:
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == 1, "the gold file holds exactly one record"
    return json.loads(lines[0])


@pytest.fixture(scope="module")
def spans(gold) -> list[dict]:
    return gold["spans"]


def _layer(label: str) -> str:
    return "ENTITY" if label in ENTITY_LABELS else label


def _surface(gold: dict, span: dict) -> str:
    return gold["text"][span["start"] : span["end"]]


def test_text_is_the_bundled_report_byte_exact(gold, qidu_text):
    assert gold["text"] == qidu_text


def test_record_id_and_meta(gold):
    assert gold["id"] == "qidu-2024"
    assert gold["meta"] == {
        "level": "town",
        "year": 2024,
        "place": "齐都镇",
        "source": "corpora/qidu_2024.txt",
    }


def test_every_label_is_known(spans):
    assert {s["label"] for s in spans} <= LABELS


def test_offsets_are_in_range_and_non_empty(gold, spans):
    bad = [s for s in spans if not (0 <= s["start"] < s["end"] <= len(gold["text"]))]
    assert bad == []


def test_no_span_contains_a_line_break(gold, spans):
    bad = [_surface(gold, s) for s in spans if "\n" in _surface(gold, s)]
    assert bad == []


def test_no_span_starts_or_ends_on_whitespace(gold, spans):
    bad = [_surface(gold, s) for s in spans if _surface(gold, s) != _surface(gold, s).strip()]
    assert bad == []


def test_spans_of_one_layer_never_overlap(gold, spans):
    clashes = []
    for layer in ("SLOGAN", "QUANTITY", "ENTITY"):
        same = sorted((s for s in spans if _layer(s["label"]) == layer), key=lambda s: s["start"])
        for left, right in zip(same, same[1:]):
            if right["start"] < left["end"]:
                clashes.append((layer, _surface(gold, left), _surface(gold, right)))
    assert clashes == []


def test_every_slogan_has_a_valid_kind(spans):
    bad = [s for s in spans if s["label"] == "SLOGAN" and s.get("kind") not in SLOGAN_KINDS]
    assert bad == []


def test_every_quantity_has_a_float_value_and_a_unit_string(spans):
    bad = [
        s
        for s in spans
        if s["label"] == "QUANTITY"
        and not (isinstance(s.get("value"), float) and isinstance(s.get("unit"), str))
    ]
    assert bad == []


def test_attributes_belong_to_their_label(spans):
    """kind only on SLOGAN, value/unit only on QUANTITY."""
    bad = [
        s
        for s in spans
        if ("kind" in s) != (s["label"] == "SLOGAN")
        or ("value" in s or "unit" in s) != (s["label"] == "QUANTITY")
    ]
    assert bad == []


@pytest.mark.parametrize(
    "context, surface, value, unit",
    [
        ("一般公共预算收入1.43亿元", "1.43亿元", 143000000.0, "元"),
        ("同比增长34%", "34%", 34.0, "%"),
        ("规上工业总产值80.71亿元", "80.71亿元", 8071000000.0, "元"),
        ("同比增长3.45%", "3.45%", 3.45, "%"),
        ("固定资产投资5.3亿元", "5.3亿元", 530000000.0, "元"),
        ("同比增长6.47%", "6.47%", 6.47, "%"),
        ("地区生产总值增长3.5%左右", "3.5%左右", 3.5, "%"),
        ("一般公共预算收入增长10%左右", "10%左右", 10.0, "%"),
        ("固定资产投资增长5%左右", "5%左右", 5.0, "%"),
        ("居民人均可支配收入增长7.5%左右", "7.5%左右", 7.5, "%"),
    ],
)
def test_headline_indicator_quantities(gold, spans, context, surface, value, unit):
    text = gold["text"]
    assert text.count(context) == 1
    start = text.index(context) + len(context) - len(surface)
    where = (start, start + len(surface))
    found = [s for s in spans if s["label"] == "QUANTITY" and (s["start"], s["end"]) == where]
    assert len(found) == 1
    assert (found[0]["value"], found[0]["unit"]) == (value, unit)


def test_split_header_meeting_name_is_two_event_parts(gold, spans):
    """The session name runs over a line break; the byte-exact text gets one EVENT per line."""
    events = [_surface(gold, s) for s in spans if s["label"] == "EVENT"]
    assert events[:2] == ["齐都镇第二十届", "人民代表大会第三次会议"]


def _readme_table(header: str) -> dict[str, int]:
    """Rows `| name | count |` of the README table whose header row starts with `header`."""
    rows: dict[str, int] = {}
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    for line in lines[start + 2 :]:
        match = re.fullmatch(r"\|\s*(\S+)\s*\|\s*(\d+)\s*\|", line.strip())
        if not match:
            break
        rows[match.group(1)] = int(match.group(2))
    return rows


def test_readme_label_counts_match_the_file(spans):
    assert _readme_table("label") == dict(Counter(s["label"] for s in spans))


def test_readme_slogan_kind_counts_match_the_file(spans):
    kinds = Counter(s["kind"] for s in spans if s["label"] == "SLOGAN")
    assert _readme_table("SLOGAN kind") == dict(kinds)


def test_readme_total_matches_the_file(spans):
    readme = README.read_text(encoding="utf-8")
    assert f"{len(spans)} spans" in readme
