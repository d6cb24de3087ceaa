"""qidu_nlp.pipeline.language: the spaCy language class of the pipeline.

Examples
--------
>>> nlp = QiduChinese.from_config({"nlp": {"tokenizer": {"segmenter": "char"}}})
>>> nlp("齐都镇").user_data["qidu_text"]
'齐都镇'
"""

from __future__ import annotations

from typing import Iterator

from spacy.lang.zh import Chinese
from spacy.tokens import Doc
from spacy.util import SimpleFrozenList

from .docs import remember_text
from .spans import defer, finalize

__all__ = ["QiduChinese", "DEFERRING_FACTORIES", "words_and_spaces"]

# the components that write through qidu_nlp.pipeline.spans and read through qidu_nlp.pipeline.docs
DEFERRING_FACTORIES = frozenset({"qidu_structure", "qidu_slogans", "qidu_entities", "qidu_quantities", "qidu_themes"})


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """The words and trailing spaces of a Doc for ``text`` segmented into ``words``.

    What :func:`spacy.util.get_words_and_spaces` returns, in time proportional to the text:
    spaCy's version looks each word up in a copy of the rest of the text (``text[pos:]``),
    which made the segmentation of a long document quadratic.

    Examples
    --------
    >>> words_and_spaces(["镇长", "刘菁华"], "镇长  刘菁华\\n")
    (['镇长', ' ', '刘菁华', '\\n'], [True, False, False, False])
    """
    if "".join("".join(words).split()) != "".join(text.split()):
        raise ValueError(f"the words do not make the text {text[:50]!r}…")
    out_words: list[str] = []
    out_spaces: list[bool] = []
    pos, n = 0, len(text)
    for word in words:
        if word.isspace():
            continue
        start = text.find(word, pos)
        if start < 0:
            raise ValueError(f"the word {word!r} is not in the text after offset {pos}")
        if start > pos:
            out_words.append(text[pos:start])
            out_spaces.append(False)
        out_words.append(word)
        out_spaces.append(False)
        pos = start + len(word)
        if pos < n and text[pos] == " ":
            out_spaces[-1] = True
            pos += 1
    if pos < n:
        out_words.append(text[pos:])
        out_spaces.append(False)
    return out_words, out_spaces


class QiduChinese(Chinese):
    """spaCy's Chinese language class that remembers each Doc's input text and makes the
    components' token cuts once, at the end.

    ``Doc.text`` rebuilds the text from a new Token object per token at each access, which
    cost 8 % of the pipeline's time on the national reports; the components read the copy kept
    in ``doc.user_data`` (:func:`qidu_nlp.pipeline.docs.doc_text`).

    When every component of the pipeline is a qidu component, ``nlp(text)`` and ``nlp.pipe(texts)``
    defer the token cuts the components ask for and make them in one pass at the end
    (:func:`qidu_nlp.pipeline.spans.finalize`): spaCy's retokenizer takes time proportional
    to the Doc for each token it splits, which made long documents quadratic. The Docs are the
    same either way. Saved pipelines load as plain ``Chinese`` and work the same, more slowly
    on long documents.
    """

    def make_doc(self, text: str) -> Doc:
        tokenizer = self.tokenizer
        if getattr(tokenizer, "segmenter", None) == "pkuseg" and tokenizer.pkuseg_seg is not None \
                and len(text) <= self.max_length:
            # spaCy's own pkuseg tokenizer, with the words aligned to the text in linear time
            words, spaces = words_and_spaces(tokenizer.pkuseg_seg.cut(text), text)
            doc = Doc(self.vocab, words=words, spaces=spaces)
        else:
            doc = super().make_doc(text)
        remember_text(doc, text)
        return doc

    def _defers(self) -> bool:
        return all(self.get_pipe_meta(name).factory in DEFERRING_FACTORIES for name in self.pipe_names)

    def __call__(self, text, *, disable=SimpleFrozenList(), component_cfg=None) -> Doc:
        if not isinstance(text, str) or not self._defers():
            return super().__call__(text, disable=disable, component_cfg=component_cfg)
        doc = defer(self._ensure_doc(text))
        return finalize(super().__call__(doc, disable=disable, component_cfg=component_cfg))

    def pipe(self, texts, *, as_tuples=False, batch_size=None, disable=SimpleFrozenList(), component_cfg=None,
             n_process=1) -> Iterator:
        kwargs = {"batch_size": batch_size, "disable": disable, "component_cfg": component_cfg, "n_process": n_process}
        if as_tuples or n_process != 1 or not self._defers():
            yield from super().pipe(texts, as_tuples=as_tuples, **kwargs)
            return
        docs = (defer(self._ensure_doc(text)) if isinstance(text, str) else text for text in texts)
        for doc in super().pipe(docs, **kwargs):
            yield finalize(doc)
