"""The indexes that keep the rules linear in document length give what the scans they replaced
gave: occurrences and counts from one Aho–Corasick pass (``str.find``, ``str.count``), the parts
of a name by bisection (a scan of every candidate), companies looked up by where they end."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qidu_nlp.rules.entities import candidates
from qidu_nlp.rules.entities.context import Context
from qidu_nlp.rules.entities.names import companies_by_end, org_ending_at
from qidu_nlp.rules.entities.select import add_parts, select
from qidu_nlp.pipeline.docs import doc_text, sentence_offsets, token_ends, token_starts
from qidu_nlp.text.normalize import normalize
from qidu_nlp.text.terms import count_terms, find_terms

_text = st.text(alphabet="ab新发展", max_size=40)
_terms = st.lists(st.text(alphabet="ab新发展", min_size=1, max_size=4), max_size=6, unique=True)


def _find_loop(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + len(word))
    return out


@settings(max_examples=300, deadline=None)
@given(_text, _terms)
def test_indexes_find_terms_is_a_find_loop_per_term(text, terms):
    assert find_terms(text, terms) == {t: _find_loop(text, t) for t in terms}
    assert count_terms(text, terms) == {t: text.count(t) for t in terms}


def _parts_by_scan(chosen: list[dict], cands: list[dict]) -> list:
    """add_parts as it was: every candidate looked at for every name."""
    out = []
    for c in chosen:
        parts = []
        if c["label"] in ("ORG", "PROJECT", "EVENT", "DOC"):
            for o in select([o for o in cands if o["label"] in ("VILLAGE", "PLACE")
                             and c["start"] <= o["start"] and o["end"] <= c["end"]
                             and (o["start"], o["end"]) != (c["start"], c["end"])]):
                part = {"label": o["label"], "norm": o["norm"]}
                if part not in parts:
                    parts.append(part)
        out.append(parts)
    return out


def test_indexes_parts_by_bisection_equal_the_scan(qidu_doc):
    ctx = Context.make(normalize(doc_text(qidu_doc)), sentence_offsets(qidu_doc), token_starts(qidu_doc),
                       token_ends(qidu_doc))
    cands = candidates(ctx)
    chosen = [dict(c) for c in select(cands)]
    expected = _parts_by_scan(chosen, cands)
    add_parts(chosen, cands)
    assert [c.get("parts", []) for c in chosen] == expected
    assert any(expected)  # the report has names with places inside


def test_indexes_company_ending_at_a_position():
    orgs = [{"start": 3, "end": 9}, {"start": 1, "end": 9}, {"start": 0, "end": 9, "generic": True},
            {"start": 2, "end": 5}]
    companies = companies_by_end(orgs)
    assert org_ending_at(companies, 9) == 1 and org_ending_at(companies, 5) == 2
    assert org_ending_at(companies, 4) is None
