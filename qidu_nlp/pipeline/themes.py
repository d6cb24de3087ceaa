"""qidu_nlp.pipeline.themes: the ``qidu_themes`` component, policy themes of paragraphs and sentences.

Writes ``doc.spans["themes"]`` (one span per sentence per theme; label = theme name,
``span._.qidu.score`` = confidence) and the paragraph themes as plain data in
``doc._.qidu.paragraph_themes`` (``[[theme, score], ...]`` per paragraph of
``doc._.qidu.paragraphs``). Scores come from the trained classifier and the keyword lexicon of
:mod:`qidu_nlp.rules.themes`; its data (taxonomy and model) are saved with the pipeline.
"""

from __future__ import annotations

import bisect
import logging
from pathlib import Path
from typing import Callable, Iterable, Literal, Optional

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ..resources import data_folder
from ..rules.themes.model import MODEL_FILE, ThemeModel
from ..rules.themes.scores import scores
from ..rules.themes.taxonomy import TAXONOMY_FILE, Theme, parse_taxonomy
from ..schema import THEMES_KEY
from ..text.normalize import normalize, trim_span
from ..text.structure import section_paths, split_paragraphs, split_sentences
from .datafiles import DataFiles, SavedAsDataFiles
from .docs import doc_text, sentence_offsets
from .extensions import set_span_attrs
from .spans import write_spans

__all__ = ["ThemeTagger", "make_themes"]

logger = logging.getLogger("qidu_nlp")

FILES = (TAXONOMY_FILE, MODEL_FILE)


def _write(doc: Doc, key: str, items: list[dict]) -> None:
    """Write sentence spans; sentence boundaries are token boundaries already (qidu_structure),
    so spans are made directly, and :func:`qidu_nlp.pipeline.spans.write_spans` (which may
    retokenise) is used only when some boundary is not."""
    spans = []
    for it in items:
        span = doc.char_span(it["start"], it["end"], label=it["label"])
        if span is None:
            write_spans(doc, key, items)
            return
        spans.append(span)
    for it in items:
        set_span_attrs(doc, it["label"], it["start"], it["end"], score=it["score"])
    doc.spans[key] = spans


class ThemeTagger(SavedAsDataFiles):
    """The ``qidu_themes`` component: themes of every paragraph and sentence.

    Paragraph score = ``(1 - heading_weight) * p(paragraph) + heading_weight * p(heading)``
    where the heading is the paragraph's deepest section heading (none: the paragraph itself).
    Sentence score = ``(1 - context_weight) * p(sentence) + context_weight * paragraph score``:
    short sentences borrow their paragraph's theme. A theme is kept at ``score >= threshold``.
    """

    data_files = FILES  # what to_disk writes and from_disk reads back

    def __init__(
        self,
        nlp: Language,
        name: str = "qidu_themes",
        *,
        threshold: float = 0.5,
        context_weight: float = 0.5,
        heading_weight: float = 0.2,
        mode: Literal["model+keywords", "model", "keywords"] = "model+keywords",
        model_path: str | None = None,
        taxonomy_path: str | None = None,
        spans_key: str = THEMES_KEY,
        scorer: Optional[Callable] = None,
    ):
        self.name = name
        self.threshold = threshold
        self.context_weight = context_weight
        self.heading_weight = heading_weight
        self.mode = mode
        self.model_path = model_path
        self.taxonomy_path = taxonomy_path
        self.spans_key = spans_key
        self.scorer = scorer
        self.files: DataFiles | None = None
        self.taxonomy: list[Theme] = []
        self.model: ThemeModel | None = None

    # -- data
    def initialize(self, get_examples: Callable[[], Iterable] | None = None, *, nlp: Language | None = None) -> None:
        """Read the packaged taxonomy and model (or those at ``taxonomy_path``, ``model_path``)."""
        files = DataFiles.read(data_folder(), FILES)
        if self.taxonomy_path:
            files.files[TAXONOMY_FILE] = Path(self.taxonomy_path).read_bytes()
        if self.model_path:
            files.files[MODEL_FILE] = Path(self.model_path).read_bytes()
        self._load(files)

    def _load(self, files: DataFiles) -> None:
        self.files = files
        self.taxonomy = parse_taxonomy(files.files[TAXONOMY_FILE].decode("utf-8"), self.taxonomy_path or TAXONOMY_FILE)
        model = ThemeModel.from_bytes(files.files[MODEL_FILE]) if MODEL_FILE in files.files else None
        if model is not None and not {t.name for t in self.taxonomy} <= set(model.themes):
            logger.warning(
                "theme model covers %s but the taxonomy names %s; using keywords (retrain: qidu train themes)",
                model.themes, [t.name for t in self.taxonomy],
            )
            model = None
        self.model = model

    @property
    def labels(self) -> tuple[str, ...]:
        if self.files is None:
            self.initialize()
        return tuple(t.name for t in self.taxonomy)

    def __len__(self) -> int:
        return len(self.taxonomy)

    def score_doc(self, doc: Doc) -> tuple[list[tuple[int, int]], np.ndarray, list[tuple[int, int]], np.ndarray, list[int]]:
        """Paragraph offsets and scores, sentence offsets and scores, and each sentence's paragraph."""
        if self.files is None:
            self.initialize()
        model = self.model if self.mode != "keywords" else None
        text = doc_text(doc)
        norm = normalize(text)
        paragraphs = [tuple(p) for p in (doc._.qidu.paragraphs or split_paragraphs(text))]
        if doc.has_annotation("SENT_START"):
            sents = [trim_span(norm, s, e) for s, e in sentence_offsets(doc)]
        else:
            sents = split_sentences(text, paragraphs)
        sents = [(s, e) for s, e in sents if e > s]
        sections = doc._.qidu.sections
        paths = [p for *_, p in sections] if sections else section_paths(text, paragraphs)
        headings = [p.rsplit(" > ", 1)[-1] if p else "" for p in paths]
        para_texts = [norm[s:e] for s, e in paragraphs]
        uniq_heads = sorted({h for h in headings if h})
        S_para = scores(para_texts, model, self.taxonomy, keywords=self.mode != "model", normalized=True)
        if uniq_heads and self.heading_weight:
            S_head = scores(uniq_heads, model, self.taxonomy, keywords=self.mode != "model")
            hidx = {h: i for i, h in enumerate(uniq_heads)}
            for i, h in enumerate(headings):
                if h and h != para_texts[i]:
                    S_para[i] = (1 - self.heading_weight) * S_para[i] + self.heading_weight * S_head[hidx[h]]
        S_sent = scores([norm[s:e] for s, e in sents], model, self.taxonomy, keywords=self.mode != "model",
                         normalized=True)
        p_starts = [s for s, _ in paragraphs]
        sent_para = [bisect.bisect_right(p_starts, s) - 1 for s, _ in sents]
        for i, pi in enumerate(sent_para):
            if pi >= 0 and self.context_weight:
                S_sent[i] = (1 - self.context_weight) * S_sent[i] + self.context_weight * S_para[pi]
        return paragraphs, S_para, sents, S_sent, sent_para

    def __call__(self, doc: Doc) -> Doc:
        paragraphs, S_para, sents, S_sent, _ = self.score_doc(doc)
        names = self.labels
        doc._.qidu.paragraph_themes = [
            [[names[j], round(float(row[j]), 3)] for j in np.argsort(-row, kind="stable") if row[j] >= self.threshold]
            for row in S_para
        ]
        items = []
        for i, j in zip(*np.nonzero(S_sent >= self.threshold)):  # row-major: sentence order kept
            s, e = sents[i]
            items.append({"start": s, "end": e, "label": names[j], "score": round(float(S_sent[i, j]), 3)})
        _write(doc, self.spans_key, items)
        return doc

    def score(self, examples: Iterable, **kwargs) -> dict:
        """Span P/R/F of the ``themes`` group (sentence spans labelled by theme)."""
        return self.scorer(examples, spans_key=self.spans_key, **kwargs)


@Language.factory(
    "qidu_themes",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={
        "threshold": 0.5,
        "context_weight": 0.5,
        "heading_weight": 0.2,
        "mode": "model+keywords",
        "model_path": None,
        "taxonomy_path": None,
        "spans_key": THEMES_KEY,
        "scorer": {"@scorers": "qidu.spans_scorer.v1"},
    },
    default_score_weights={f"spans_{THEMES_KEY}_f": 1.0, f"spans_{THEMES_KEY}_p": 0.0, f"spans_{THEMES_KEY}_r": 0.0},
)
def make_themes(nlp: Language, name: str, threshold: float, context_weight: float, heading_weight: float, mode: str,
                model_path: Optional[str], taxonomy_path: Optional[str], spans_key: str, scorer: Callable) -> ThemeTagger:
    """Build the ``qidu_themes`` component (settings: see :class:`ThemeTagger`)."""
    return ThemeTagger(
        nlp, name, threshold=threshold, context_weight=context_weight, heading_weight=heading_weight,
        mode=mode, model_path=model_path, taxonomy_path=taxonomy_path, spans_key=spans_key, scorer=scorer,
    )
