"""qidu_nlp.evaluation.scorer: predictions against gold, per label, strict and by overlap.

Scores per label:

- strict: a predicted span counts when a gold span has the same label and the same offsets;
- overlap: the two spans share at least one character and have the same label, matched one to
  one, greedily by largest overlap;
- kind accuracy (SLOGAN) and value and unit accuracy (QUANTITY) among the strict matches.

Examples
--------
>>> gold = [{"id": "a", "text": "聚焦“强富美优”城市愿景", "spans": [
...     {"start": 3, "end": 7, "label": "SLOGAN", "kind": "motto"}]}]
>>> pred = [{"id": "a", "text": "聚焦“强富美优”城市愿景", "spans": [
...     {"start": 2, "end": 8, "label": "SLOGAN", "kind": "motto"}]}]
>>> s = score(gold, pred)
>>> s["labels"]["SLOGAN"]["strict"]["f1"], s["labels"]["SLOGAN"]["overlap"]["f1"]
(0.0, 1.0)
"""

from __future__ import annotations

import logging
from typing import Iterable, Mapping, Optional, Sequence

from ..schema import LABELS
from ..text.structure import split_sentences
from .gold import _is_number

__all__ = ["score", "values_equal", "match_strict", "match_overlap", "sort_key"]

logger = logging.getLogger("qidu_nlp")

VALUE_RTOL = 1e-6
CONTEXT = 12  # characters either side of an error in its ``context`` string


def sort_key(span: Mapping):
    """Spans in offset order, then in the order of :data:`qidu_nlp.schema.LABELS`."""
    label = span["label"]
    return (span["start"], span["end"], LABELS.index(label) if label in LABELS else len(LABELS), label)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "precision": p, "recall": r, "f1": f}


def values_equal(a, b, rtol: float = VALUE_RTOL) -> bool:
    """Equal within ``rtol`` relative tolerance (exactly equal for zero).

    Examples
    --------
    >>> values_equal(143000000, 143000000.00001), values_equal(34, 3.4)
    (True, False)
    """
    if not _is_number(a) or not _is_number(b):
        return False
    return abs(a - b) <= rtol * max(abs(a), abs(b))


def match_strict(gold: Sequence[Mapping], pred: Sequence[Mapping]) -> list[tuple[int, int]]:
    """Pairs ``(gold index, pred index)`` with the same label and offsets, one to one."""
    free: dict[tuple, list[int]] = {}
    for gi, g in enumerate(gold):
        free.setdefault((g["start"], g["end"], g["label"]), []).append(gi)
    pairs = []
    for pi, p in enumerate(pred):
        slot = free.get((p["start"], p["end"], p["label"]))
        if slot:
            pairs.append((slot.pop(0), pi))
    return pairs


def match_overlap(gold: Sequence[Mapping], pred: Sequence[Mapping]) -> list[tuple[int, int]]:
    """Pairs ``(gold index, pred index)`` of same-label spans sharing a character, one to one.

    Candidate pairs are taken greedily by largest overlap (ties: the closer boundaries, then
    the earlier span).

    Examples
    --------
    >>> g = [{"start": 0, "end": 4, "label": "X"}, {"start": 4, "end": 6, "label": "X"}]
    >>> p = [{"start": 0, "end": 6, "label": "X"}]
    >>> match_overlap(g, p)
    [(0, 0)]
    """
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g["label"] != p["label"]:
                continue
            ov = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if ov > 0:
                dist = abs(g["start"] - p["start"]) + abs(g["end"] - p["end"])
                cands.append((-ov, dist, gi, pi))
    cands.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def _sentence_of(sents: list[tuple[int, int]], text: str, start: int, end: int) -> str:
    first = next((i for i, (s, e) in enumerate(sents) if s <= start < e), None)
    if first is None:
        lo = text.rfind("\n", 0, start) + 1
        hi = text.find("\n", end)
        return text[lo : hi if hi != -1 else len(text)].strip()
    last = first
    while last + 1 < len(sents) and sents[last][1] < end:
        last += 1
    return text[sents[first][0] : sents[last][1]]


def _describe(span: Mapping, text: str, sents) -> dict:
    out = {k: span[k] for k in ("start", "end", "label")}
    for k in ("kind", "value", "unit"):
        if k in span:
            out[k] = span[k]
    start, end = span["start"], span["end"]
    out["text"] = text[start:end]
    out["sentence"] = _sentence_of(sents, text, start, end)
    lo = max(text.rfind("\n", 0, start) + 1, start - CONTEXT)
    hi = text.find("\n", end)
    hi = min(hi if hi != -1 else len(text), end + CONTEXT)
    out["context"] = f"{text[lo:start]}[{text[start:end]}]{text[end:hi]}"
    return out


def score(
    gold_records: Iterable[Mapping],
    pred_records: Iterable[Mapping],
    *,
    labels: Optional[Iterable[str]] = None,
) -> dict:
    """Score predictions against gold, per label and in total.

    Documents are paired by ``id``; a gold document without predictions counts all its spans
    as missed; a predicted document not in the gold is ignored (logged).

    Parameters
    ----------
    gold_records, pred_records : iterable of mapping
        Gold-schema records (``id``, ``text``, ``spans``).
    labels : iterable of str, optional
        Score only these labels (default: every label in the gold or the predictions).

    Returns
    -------
    dict
        ``labels``: per label ``gold``, ``pred`` counts and ``strict``/``overlap`` dicts of
        ``tp``, ``precision``, ``recall``, ``f1``; ``micro``: the same over all labels;
        ``slogan_kind``: ``n``, ``correct``, ``accuracy`` over strict SLOGAN matches (and
        ``by_kind``: strict recall per gold kind); ``quantity_value`` and ``quantity_unit``: the
        same over strict QUANTITY matches; ``documents``: per document ``id``,
        ``false_positives``, ``false_negatives`` (strict, each with ``text``, ``sentence`` and
        ``overlaps``: True when an overlap match exists) and ``attribute_errors`` (strict
        matches with a wrong kind, value or unit); ``n_docs``, ``chars``.

    Raises
    ------
    ValueError
        When a predicted document has the same id as a gold one but a different text.

    Examples
    --------
    >>> g = [{"id": "a", "text": "打好三大攻坚战", "spans": [{"start": 2, "end": 7, "label": "SLOGAN", "kind": "numeric"}]}]
    >>> s = score(g, g)
    >>> s["micro"]["strict"]["f1"], s["slogan_kind"]["accuracy"]
    (1.0, 1.0)
    """
    gold_records = list(gold_records)
    preds = {str(r["id"]): r for r in pred_records}
    gold_ids = {str(r["id"]) for r in gold_records}
    extra = sorted(set(preds) - gold_ids)
    if extra:
        logger.warning("%d predicted documents have no gold and are ignored: %s", len(extra), extra[:5])
    if labels:
        label_list = list(dict.fromkeys(labels))
    else:
        seen = {sp["label"] for r in gold_records for sp in r.get("spans", [])}
        seen |= {sp["label"] for rid in gold_ids if rid in preds for sp in preds[rid].get("spans", [])}
        label_list = [lab for lab in LABELS if lab in seen] + sorted(seen - set(LABELS))
    tally = _Tally(label_list)
    for grec in gold_records:
        rid, text = str(grec["id"]), grec["text"]
        prec = preds.get(rid)
        if prec is not None and prec.get("text", text) != text:
            raise ValueError(f"document {rid!r}: the predicted text differs from the gold text")
        tally.document(rid, text, grec.get("spans", []), (prec or {}).get("spans", []))
    return tally.summary()


class _Tally:
    """The counts of :func:`score`, document by document."""

    def __init__(self, labels: list[str]):
        self.keep = set(labels)
        self.counts = {lab: {"gold": 0, "pred": 0, "strict": 0, "overlap": 0} for lab in labels}
        self.kind = {"n": 0, "correct": 0}
        self.by_kind: dict[str, dict] = {}
        self.value = {"n": 0, "correct": 0}
        self.unit = {"n": 0, "correct": 0}
        self.documents: list[dict] = []
        self.chars = 0

    def document(self, rid: str, text: str, gold_spans: list, pred_spans: list) -> None:
        """Match one document's spans and count them."""
        self.chars += len(text)
        gold = sorted((sp for sp in gold_spans if sp["label"] in self.keep), key=sort_key)
        pred = sorted((sp for sp in pred_spans if sp["label"] in self.keep), key=sort_key)
        strict = match_strict(gold, pred)
        overlap = match_overlap(gold, pred)
        for sp in gold:
            self.counts[sp["label"]]["gold"] += 1
            if sp["label"] == "SLOGAN":
                self.by_kind.setdefault(str(sp.get("kind")), {"gold": 0, "found": 0})["gold"] += 1
        for sp in pred:
            self.counts[sp["label"]]["pred"] += 1
        for gi, _ in overlap:
            self.counts[gold[gi]["label"]]["overlap"] += 1
        sents = split_sentences(text)
        attr_errors = []
        for gi, pi in strict:
            g, p = gold[gi], pred[pi]
            self.counts[g["label"]]["strict"] += 1
            wrong = self._attributes(g, p)
            if wrong:
                attr_errors.append({**_describe(g, text, sents), "error": "; ".join(wrong)})
        g_strict, p_strict = {gi for gi, _ in strict}, {pi for _, pi in strict}
        g_over, p_over = {gi for gi, _ in overlap}, {pi for _, pi in overlap}
        fps = [{**_describe(sp, text, sents), "overlaps": pi in p_over}
               for pi, sp in enumerate(pred) if pi not in p_strict]
        fns = [{**_describe(sp, text, sents), "overlaps": gi in g_over}
               for gi, sp in enumerate(gold) if gi not in g_strict]
        self.documents.append({"id": rid, "false_positives": fps, "false_negatives": fns,
                               "attribute_errors": attr_errors})

    def _attributes(self, g: Mapping, p: Mapping) -> list[str]:
        """Count the kind (SLOGAN) or value and unit (QUANTITY) of a strict match; its errors."""
        wrong = []
        if g["label"] == "SLOGAN":
            self.by_kind.setdefault(str(g.get("kind")), {"gold": 0, "found": 0})["found"] += 1
            self.kind["n"] += 1
            if p.get("kind") == g.get("kind"):
                self.kind["correct"] += 1
            else:
                wrong.append(f"kind {p.get('kind')!r} ≠ {g.get('kind')!r}")
        elif g["label"] == "QUANTITY":
            self.value["n"] += 1
            self.unit["n"] += 1
            if values_equal(p.get("value"), g.get("value")):
                self.value["correct"] += 1
            else:
                wrong.append(f"value {p.get('value')!r} ≠ {g.get('value')!r}")
            if (p.get("unit") or "") == (g.get("unit") or ""):
                self.unit["correct"] += 1
            else:
                wrong.append(f"unit {p.get('unit')!r} ≠ {g.get('unit')!r}")
        return wrong

    def summary(self) -> dict:
        """The result dict of :func:`score`."""
        def acc(d):
            return {**d, "accuracy": d["correct"] / d["n"] if d["n"] else None}

        counts = self.counts
        per_label = {
            lab: {"gold": c["gold"], "pred": c["pred"], "strict": _prf(c["strict"], c["pred"], c["gold"]),
                  "overlap": _prf(c["overlap"], c["pred"], c["gold"])}
            for lab, c in counts.items()
        }
        tot = {k: sum(c[k] for c in counts.values()) for k in ("gold", "pred", "strict", "overlap")}
        return {
            "labels": per_label,
            "micro": {"gold": tot["gold"], "pred": tot["pred"], "strict": _prf(tot["strict"], tot["pred"], tot["gold"]),
                      "overlap": _prf(tot["overlap"], tot["pred"], tot["gold"])},
            "slogan_kind": {
                **acc(self.kind),
                "by_kind": {k: {**v, "recall": v["found"] / v["gold"] if v["gold"] else None}
                            for k, v in sorted(self.by_kind.items())},
            },
            "quantity_value": acc(self.value),
            "quantity_unit": acc(self.unit),
            "documents": self.documents,
            "n_docs": len(self.documents),
            "chars": self.chars,
        }
