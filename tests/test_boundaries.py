"""Token cuts made once at the end of the pipeline (deferred boundaries) give the Doc the
components would give one by one, in time proportional to the document."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from qidu_nlp.pipeline.docs import pending, sentence_offsets, token_starts
from qidu_nlp.pipeline.spans import defer, ensure_boundaries, finalize, write_spans


def _state(doc: Doc) -> tuple:
    """Everything the tables read of a Doc: tokens, sentences, span layers and their attributes."""
    return (
        [(t.idx, t.text, t.whitespace_, t.is_sent_start) for t in doc],
        [(s.start_char, s.end_char) for s in doc.sents],
        {key: [(s.start_char, s.end_char, s.label_, s._.qidu.to_dict()) for s in group] for key, group in doc.spans.items()},
        [(e.start_char, e.end_char, e.label_, e._.qidu.to_dict()) for e in doc.ents],
        doc._.qidu.paragraph_themes,
    )


def _one_by_one(nlp, text: str) -> Doc:
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def test_boundaries_deferred_doc_equals_components_one_by_one(nlp, qidu_text):
    assert _state(nlp(qidu_text)) == _state(_one_by_one(nlp, qidu_text))


def test_boundaries_pipe_finalizes_every_doc(nlp):
    texts = ["坚持以“1221”工作体系为统领。", "全年完成一般公共预算收入1.43亿元，同比增长34%。"]
    docs = list(nlp.pipe(texts))
    assert [pending(d) for d in docs] == [None, None]
    assert [[s.text for s in d.spans["slogans"]] for d in docs] == [["1221"], []]
    assert [[q.text for q in d.spans["quantities"]] for d in docs] == [[], ["1.43亿元", "34%"]]


def test_boundaries_deferred_readers_see_the_cuts():
    vocab = spacy.blank("zh").vocab
    doc = defer(Doc(vocab, words=["坚持", "三区两园一线发展", "蓝图"], spaces=[False] * 3))
    ensure_boundaries(doc, [8])
    assert len(doc) == 3
    assert token_starts(doc) == [0, 2, 8, 10]


def test_boundaries_split_piece_never_starts_a_sentence():
    # spaCy's split copies the sentence start of the token that followed the split one into
    # the new piece; the pieces of 三区两园一线发展 must not start a sentence
    vocab = spacy.blank("zh").vocab
    words = ["三区两园一线发展", "蓝图", "。", "深化", "美丽", "乡村", "建设", "。"]
    doc = Doc(vocab, words=words, spaces=[False] * len(words),
              sent_starts=[True, False, False, True, False, False, False, False])
    ensure_boundaries(doc, [2, 4, 6])
    assert sentence_offsets(doc) == [(0, 11), (11, 20)]


def test_boundaries_foreign_component_sees_entities_at_once(qidu_text):
    import qidu_nlp

    nlp = qidu_nlp.load(segmenter="char", components=["qidu_structure", "qidu_entities"])
    seen = []

    @spacy.Language.component("test_count_ents")
    def count_ents(doc):
        seen.append(len(doc.ents))
        return doc

    nlp.add_pipe("test_count_ents")
    doc = nlp("镇长 刘菁华在齐都镇南马坊村调研")
    assert seen == [len(doc.ents)] == [3]


def test_boundaries_write_spans_deferred_keeps_attributes():
    vocab = spacy.blank("zh").vocab
    doc = defer(Doc(vocab, words=["聚焦", "“", "强富美优", "”", "城市愿景"], spaces=[False] * 5))
    write_spans(doc, "slogans", [{"start": 3, "end": 7, "label": "SLOGAN", "kind": "motto"}])
    doc = finalize(doc)
    assert [(s.text, s._.qidu.kind) for s in doc.spans["slogans"]] == [("强富美优", "motto")]


def test_boundaries_words_aligned_as_spacy_aligns_them(nlp, qidu_text):
    from spacy.util import get_words_and_spaces

    from qidu_nlp.pipeline.language import words_and_spaces

    text = qidu_text[:2000] + "  镇长  刘菁华 \u3000 "
    words = nlp.tokenizer.pkuseg_seg.cut(text)
    assert words_and_spaces(words, text) == get_words_and_spaces(words, text)
