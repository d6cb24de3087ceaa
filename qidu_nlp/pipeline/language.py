"""qidu_nlp.pipeline.language: the spaCy language class of the pipeline.

Examples
--------
>>> nlp = QiduChinese.from_config({"nlp": {"tokenizer": {"segmenter": "char"}}})
>>> nlp("齐都镇").user_data["qidu_text"]
'齐都镇'
"""

from __future__ import annotations

from spacy.lang.zh import Chinese
from spacy.tokens import Doc

from .docs import remember_text

__all__ = ["QiduChinese"]


class QiduChinese(Chinese):
    """spaCy's Chinese language class that remembers each Doc's input text.

    ``Doc.text`` rebuilds the text from a new Token object per token at each access, which
    cost 8 % of the pipeline's time on the national reports; the components read the copy kept
    in ``doc.user_data`` (:func:`qidu_nlp.pipeline.docs.doc_text`). Saved pipelines load as plain
    ``Chinese`` and work the same, a little slower.
    """

    def make_doc(self, text: str) -> Doc:
        doc = super().make_doc(text)
        remember_text(doc, text)
        return doc
