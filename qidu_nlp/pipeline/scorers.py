"""qidu_nlp.pipeline.scorers: how ``nlp.evaluate`` and ``spacy evaluate`` score the components.

Registered in spaCy's ``scorers`` registry (and as ``spacy_scorers`` entry points, so a saved
pipeline resolves them without an import):

- ``qidu.spans_scorer.v1``: precision, recall and F of a span group (spaCy's span scorer),
  keys ``spans_<key>_p``, ``_r``, ``_f`` and ``_per_type``;
- ``qidu.slogans_scorer.v1``: the same, plus ``spans_<key>_kind_acc``, the slogan kind accuracy
  over the spans found with exactly the gold offsets;
- ``qidu.quantities_scorer.v1``: the same, plus ``spans_<key>_value_acc``, the value accuracy
  over the quantities found with exactly the gold offsets.

The entities use spaCy's own ``spacy.ner_scorer.v1`` on ``doc.ents``. Gold Docs carry their
kinds and values as ``span._.qidu`` attributes (:func:`qidu_nlp.evaluation.gold.to_docbin`).
"""

from __future__ import annotations

from typing import Callable, Iterable

from spacy.pipeline.spancat import spancat_score
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from ..schema import QUANTITIES_KEY, SLOGANS_KEY
from .extensions import get_span_attrs

__all__ = ["score_spans", "score_slogans", "score_quantities"]


def score_spans(examples: Iterable[Example], *, spans_key: str, **kwargs) -> dict:
    """P/R/F of the span group ``spans_key`` (overlapping spans allowed)."""
    return spancat_score(examples, spans_key=spans_key, **kwargs)


def _attribute_accuracy(examples: Iterable[Example], spans_key: str, attr: str, same: Callable) -> float | None:
    n = correct = 0
    for eg in examples:
        gold_doc: Doc = eg.reference
        gold = {(s.start_char, s.end_char): get_span_attrs(gold_doc, s.label_, s.start_char, s.end_char).get(attr)
                for s in gold_doc.spans.get(spans_key, [])}
        for span in eg.predicted.spans.get(spans_key, []):
            key = (span.start_char, span.end_char)
            if key in gold:
                n += 1
                predicted = get_span_attrs(eg.predicted, span.label_, *key).get(attr)
                correct += bool(same(predicted, gold[key]))
    return correct / n if n else None


def score_slogans(examples: Iterable[Example], *, spans_key: str = SLOGANS_KEY, **kwargs) -> dict:
    """Span P/R/F of the slogans and their kind accuracy."""
    examples = list(examples)
    out = score_spans(examples, spans_key=spans_key, **kwargs)
    out[f"spans_{spans_key}_kind_acc"] = _attribute_accuracy(examples, spans_key, "kind", lambda a, b: a == b)
    return out


def _same_value(a, b) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(abs(a), abs(b))


def score_quantities(examples: Iterable[Example], *, spans_key: str = QUANTITIES_KEY, **kwargs) -> dict:
    """Span P/R/F of the quantities and their value accuracy."""
    examples = list(examples)
    out = score_spans(examples, spans_key=spans_key, **kwargs)
    out[f"spans_{spans_key}_value_acc"] = _attribute_accuracy(examples, spans_key, "value", _same_value)
    return out


@registry.scorers("qidu.spans_scorer.v1")
def make_spans_scorer() -> Callable:
    """The scorer of a span group (see :func:`score_spans`)."""
    return score_spans


@registry.scorers("qidu.slogans_scorer.v1")
def make_slogans_scorer() -> Callable:
    """The scorer of the slogans (see :func:`score_slogans`)."""
    return score_slogans


@registry.scorers("qidu.quantities_scorer.v1")
def make_quantities_scorer() -> Callable:
    """The scorer of the quantities (see :func:`score_quantities`)."""
    return score_quantities
