"""qidu_nlp.pipeline.structure: the ``qidu_structure`` component, sentences, paragraphs and sections.

Sets sentence starts from :func:`qidu_nlp.text.structure.split_sentences` (so ``doc.sents``
follows Chinese sentence ends and keeps quotations whole), and ``doc._.qidu.paragraphs``
(``[start, end]`` per non-blank line) and ``doc._.qidu.sections`` (``[start, end, path]`` per
paragraph, the path of headings above it).

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("zh")
>>> _ = nlp.add_pipe("qidu_structure")
>>> doc = nlp("一、突出产业赋能\\n持续壮大产业园区。加快项目建设。")
>>> [s.text for s in doc.sents], doc._.qidu.sections[1][2]
(['一、突出产业赋能\\n', '持续壮大产业园区。', '加快项目建设。'], '一、突出产业赋能')
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..text.structure import MAX_QUOTE, section_paths, split_paragraphs, split_sentences
from .docs import doc_text, pending, token_bounds
from .extensions import DocAttrs
from .spans import ensure_boundaries

__all__ = ["DocumentStructure", "make_structure", "set_sentence_starts"]


def set_sentence_starts(doc: Doc, sentences: list[tuple[int, int]]) -> None:
    """Make ``doc.sents`` follow ``sentences`` (character offsets), splitting tokens if needed."""
    starts = {s for s, _ in sentences}
    ensure_boundaries(doc, starts)
    if not len(doc):
        return
    wanted = numpy.fromiter(starts, dtype="int64", count=len(starts))
    p = pending(doc)
    if p is not None:  # the cuts wait for finalize: keep the starts by offset
        t_starts, _ = token_bounds(doc)
        begins = numpy.isin(t_starts, wanted)
        begins[0] = True
        p.sent_starts = t_starts[begins]
    # one array write: setting token.is_sent_start one by one rescans the doc each time
    # (and a vectorised membership test: a Python list of lists cost 4 % of the pipeline)
    begins = numpy.isin(doc.to_array(IDX).astype("int64"), wanted)
    begins[0] = True
    flags = numpy.where(begins, 1, -1).astype("int64").astype("uint64").reshape(-1, 1)
    doc.from_array([SENT_START], flags)


def annotate(doc: Doc, *, max_quote: int = MAX_QUOTE) -> Doc:
    """Put sentences, paragraphs and sections on ``doc`` (what the component does)."""
    text = doc_text(doc)
    paragraphs = split_paragraphs(text)
    set_sentence_starts(doc, split_sentences(text, paragraphs, max_quote=max_quote))
    attrs: DocAttrs = doc._.qidu
    attrs.paragraphs = [[s, e] for s, e in paragraphs]
    attrs.sections = [[s, e, p] for (s, e), p in zip(paragraphs, section_paths(text, paragraphs))]
    return doc


class DocumentStructure:
    """The ``qidu_structure`` component.

    Parameters
    ----------
    nlp : Language
        The pipeline.
    name : str
        The component name.
    max_quote : int
        A quotation longer than this is taken as unbalanced and not kept in one sentence.
    """

    def __init__(self, nlp: Language, name: str = "qidu_structure", *, max_quote: int = MAX_QUOTE):
        self.name = name
        self.max_quote = max_quote

    def __call__(self, doc: Doc) -> Doc:
        return annotate(doc, max_quote=self.max_quote)


@Language.factory("qidu_structure", assigns=["token.is_sent_start"], default_config={"max_quote": MAX_QUOTE})
def make_structure(nlp: Language, name: str, max_quote: int) -> DocumentStructure:
    """Build the ``qidu_structure`` component."""
    return DocumentStructure(nlp, name, max_quote=max_quote)
