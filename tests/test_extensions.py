"""The span and doc attributes: one namespace (``._.qidu``), plain data that survives DocBin."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span

from qidu_nlp.pipeline.extensions import set_span_attrs


@pytest.mark.parametrize("name", ["kind", "norm", "frame", "score", "value", "unit", "meta", "paragraphs", "sections"])
def test_extensions_bare_names_are_not_registered(name):
    assert not Span.has_extension(name) and not Doc.has_extension(name)


def test_extensions_one_namespace():
    assert Span.has_extension("qidu") and Doc.has_extension("qidu")


def test_extensions_same_offsets_different_labels_do_not_collide():
    doc = spacy.blank("zh")("坚持三农工作")
    set_span_attrs(doc, "SLOGAN", 2, 4, kind="numeric")
    set_span_attrs(doc, "ORG", 2, 4, norm="三农")
    assert doc.char_span(2, 4, label="SLOGAN")._.qidu.to_dict() == {"kind": "numeric"}
    assert doc.char_span(2, 4, label="ORG")._.qidu.kind is None


def test_extensions_unknown_attribute_names_the_known_ones():
    doc = spacy.blank("zh")("齐都镇")
    with pytest.raises(AttributeError, match="kind, norm"):
        doc[:1]._.qidu.colour
    with pytest.raises(AttributeError, match="meta, paragraphs"):
        doc._.qidu.colour = 1


def test_extensions_survive_docbin(nlp_char):
    doc = nlp_char("全年完成一般公共预算收入1.43亿元，同比增长34%。")
    doc._.qidu.meta = {"id": "d"}
    docbin = DocBin(store_user_data=True, docs=[doc])
    back = list(DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp_char.vocab))[0]
    assert back._.qidu.meta == {"id": "d"}
    assert [(q.text, q._.qidu.value, q._.qidu.unit) for q in back.spans["quantities"]] == [
        ("1.43亿元", 143000000.0, "元"), ("34%", 34.0, "%")]
