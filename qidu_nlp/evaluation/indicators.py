"""qidu_nlp.evaluation.indicators: the indicator gold, its scorer, a cue-word baseline and the benchmark.

The gold (``corpora/annotations/indicators_*.jsonl``, schema in the annotations README) holds
document, region and statement records that refer to texts by id and hash; :func:`read_corpus`
reads the texts from the corpus files, :func:`load_indicator_gold` reads and checks the gold
against them. :func:`score_statements` matches predicted statements to gold ones, one to one,
inside the gold regions: a pair shares its document and either overlapping mention words, or the
gold sentence and a number. It reports statement precision, recall and F1, and over the
matched pairs the accuracy of the indicator name, status, period, numbers (value and change
exact), ranges, units, direction and approx, with the errors listed. :func:`bench_indicators`
runs the rules and :func:`cue_word_baseline` on the same gold, by split (dev, held-out).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..errors import InputError
from ..files import json_lines, write_json
from ..resources import SAMPLE_ID, sample_path
from ..rules.indicators import extract_text, load_cues, load_table
from ..rules.indicators.table import IndicatorTable
from ..rules.quantities import find_quantities
from ..schema import INDICATOR_STATUSES
from ..text.header import document_year
from ..text.terms import longest_first
from ..text.normalize import normalize
from .gold import PathLike

__all__ = ["IndicatorGold", "load_indicator_gold", "read_corpus", "score_statements", "cue_word_baseline",
           "bench_indicators", "IndicatorBench", "FIELDS", "SEALED_SPLITS"]

FIELDS = ("indicator", "value_low", "value_high", "unit", "change_low", "change_high", "change_unit", "direction",
          "approx", "status", "period_start", "period_end")
NUMBERS = ("value_low", "value_high", "change_low", "change_high")
# splits scored as aggregates only: their per-statement errors are neither printed nor stored
# (blind2, frozen before the follow-up's rules changed: read once, at the end)
SEALED_SPLITS = frozenset({"blind2"})
_APPROX = (None, "about", "over", "under", "strive")
_DIRECTIONS = (None, "up", "down")
_UNIT_ALIASES = {"％": "%", "千克": "公斤", "平方千米": "平方公里", "个百分点": "百分点"}


@dataclass
class IndicatorGold:
    """Gold documents (id → record with ``text`` and ``meta``), regions (id → [(start, end, part)])
    and statements (dicts with the gold fields and ``doc_id``, ``start``, ``end``, ``sentence_start``,
    ``sentence_end``, ``split``)."""

    documents: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)
    statements: list = field(default_factory=list)

    def subset(self, split: str | None) -> "IndicatorGold":
        """The documents of one split (``dev``, ``heldout``; None: all)."""
        if split is None:
            return self
        keep = {d for d, rec in self.documents.items() if rec["split"] == split}
        return IndicatorGold({d: self.documents[d] for d in keep}, {d: r for d, r in self.regions.items() if d in keep},
                             [s for s in self.statements if s["doc_id"] in keep])


def read_corpus(paths: Iterable[PathLike]) -> dict[str, dict]:
    """Texts by id from corpus files: JSONL with ``id`` and ``text`` (and ``meta`` or top-level fields),
    or plain ``.txt`` (id: the file name without suffix; the bundled sample is always there as
    ``qidu-2024``).

    Returns
    -------
    dict
        id → ``{"text": str, "meta": dict, "source": str}``.
    """
    out = {SAMPLE_ID: {"text": sample_path().read_text(encoding="utf-8"),
                       "meta": json.loads(sample_path().with_suffix(".meta.json").read_text(encoding="utf-8")),
                       "source": str(sample_path())}}
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(str(path), "no such corpus file")
        if path.suffix == ".txt":
            out.setdefault(path.stem, {"text": path.read_text(encoding="utf-8"), "meta": {}, "source": str(path)})
            continue
        for where, rec in json_lines(path):
            if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or not isinstance(rec.get("text"), str):
                raise InputError(where, "a corpus record needs string fields 'id' and 'text'")
            meta = {k: v for k, v in rec.items() if k not in ("text", "spans", "meta")}
            meta.update(rec.get("meta") or {})
            out[rec["id"]] = {"text": rec["text"], "meta": meta, "source": where}
    return out


def _check_statement(rec: dict, text: str, where: str) -> None:
    if not (0 <= rec["start"] < rec["end"] <= len(text)) or text[rec["start"]:rec["end"]] != rec["mention"]:
        raise InputError(where, f"mention {rec.get('mention')!r} is not at ({rec['start']}, {rec['end']}) of "
                                f"{rec['doc_id']}")
    if text[rec["sentence_start"]:rec["sentence_end"]] != rec["sentence"]:
        raise InputError(where, f"sentence {rec['sentence'][:20]!r}… is not at its offsets in {rec['doc_id']}")
    if rec.get("indicator") is None or not isinstance(rec["indicator"], str):
        raise InputError(where, "a statement needs a string 'indicator'")
    if rec.get("status") not in INDICATOR_STATUSES:
        raise InputError(where, f"status {rec.get('status')!r} is not one of {', '.join(INDICATOR_STATUSES)}")
    if rec.get("approx") not in _APPROX or rec.get("direction") not in _DIRECTIONS:
        raise InputError(where, f"approx {rec.get('approx')!r} or direction {rec.get('direction')!r} is not allowed")
    for lo, hi in (("value_low", "value_high"), ("change_low", "change_high")):
        a, b = rec.get(lo), rec.get(hi)
        if (a is None) != (b is None) or (a is not None and (not _finite(a) or not _finite(b) or a > b)):
            raise InputError(where, f"{lo}/{hi} must both be numbers with {lo} <= {hi}, or both null")
    if rec.get("value_low") is None and rec.get("change_low") is None:
        raise InputError(where, "a statement needs a value or a change")


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def load_indicator_gold(paths: Iterable[PathLike], corpus: dict[str, dict]) -> IndicatorGold:
    """Read and check indicator gold files against their texts.

    Parameters
    ----------
    paths : iterable of path
        ``indicators_*.jsonl`` files.
    corpus : dict
        Texts by id (:func:`read_corpus`).

    Raises
    ------
    InputError
        Naming the file and line: malformed JSON, an unknown record type, a document missing
        from ``corpus`` or whose text's hash differs, offsets that do not hold the mention or the
        sentence, a statement outside every region, a field value out of its schema.
    """
    gold = IndicatorGold()
    for path in map(Path, paths):
        for where, rec in json_lines(path):
            kind, doc = rec.get("type"), rec.get("doc_id")
            if kind == "document":
                if doc not in corpus:
                    raise InputError(where, f"document {doc!r} is in none of the corpus files given (pass its "
                                            f"{rec.get('corpus')} with --texts)")
                text = corpus[doc]["text"]
                if hashlib.sha256(text.encode("utf-8")).hexdigest() != rec["sha256"]:
                    raise InputError(where, f"the text of {doc!r} ({corpus[doc]['source']}) is not the annotated one "
                                            "(its sha256 differs)")
                gold.documents[doc] = {**rec, "text": text, "meta": corpus[doc]["meta"]}
                gold.regions.setdefault(doc, [])
            elif kind in ("region", "statement"):
                if doc not in gold.documents:
                    raise InputError(where, f"{kind} of {doc!r} before its document record")
                text = gold.documents[doc]["text"]
                if kind == "region":
                    if not 0 <= rec["start"] < rec["end"] <= len(text):
                        raise InputError(where, f"region ({rec['start']}, {rec['end']}) is outside {doc}")
                    gold.regions[doc].append((rec["start"], rec["end"], rec.get("part")))
                else:
                    _check_statement(rec, text, where)
                    if not any(s <= rec["start"] < e for s, e, _ in gold.regions[doc]):
                        raise InputError(where, f"statement {rec['mention']!r} lies outside every region of {doc}")
                    gold.statements.append({**rec, "split": gold.documents[doc]["split"], "_where": where})
            else:
                raise InputError(where, f"record type {kind!r} is not document, region or statement")
    return gold


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))


def _unit(u) -> str | None:
    return None if u in (None, "") else _UNIT_ALIASES.get(u, u)


def _numbers_exact(g: dict, p: dict) -> bool:
    return all(_same(g.get(k), p.get(k)) for k in NUMBERS)


def _shares_a_number(g: dict, p: dict) -> bool:
    gn = [g[k] for k in NUMBERS if g.get(k) is not None]
    return any(_same(x, p[k]) for k in NUMBERS if p.get(k) is not None for x in gn)


def _pair_weight(g: dict, p: dict) -> float:
    overlap = g["start"] < p["end"] and p["start"] < g["end"]
    if not overlap and not (g["sentence_start"] <= p["start"] < g["sentence_end"] and _shares_a_number(g, p)):
        return 0.0
    w = 1.0 + 4.0 * overlap + 2.0 * _numbers_exact(g, p) + 1.0 * _shares_a_number(g, p)
    w += 0.5 * (g["status"] == p.get("status")) + 0.5 * (g["indicator"] == p.get("indicator"))
    w += 0.5 * (g["period_start"] == p.get("period_start"))
    return w


def _in_region(p: dict, regions: list) -> bool:
    return p.get("start") is not None and any(s <= p["start"] < e for s, e, _ in regions)


def _context(text: str, start: int, end: int) -> str:
    return (text[max(0, start - 8):start] + "【" + text[start:end] + "】" + text[end:end + 22]).replace("\n", "⏎")


def _attribute_errors(g: dict, p: dict) -> list[str]:
    out = []
    if g["indicator"] != p.get("indicator"):
        out.append(f"indicator {p.get('indicator')} (gold {g['indicator']})")
    if not _numbers_exact(g, p):
        out.append(f"numbers {[p.get(k) for k in NUMBERS]} (gold {[g.get(k) for k in NUMBERS]})")
    if g["status"] != p.get("status"):
        out.append(f"status {p.get('status')} (gold {g['status']})")
    if (g["period_start"], g["period_end"]) != (p.get("period_start"), p.get("period_end")):
        out.append(f"period {p.get('period_start')}-{p.get('period_end')} (gold {g['period_start']}-{g['period_end']})")
    return out


def score_statements(gold: IndicatorGold, predictions: dict[str, list[dict]]) -> dict:
    """Score predicted statements against the gold (see the module doc).

    Parameters
    ----------
    gold : IndicatorGold
    predictions : dict
        doc id → rows with the indicator columns (``start``/``end`` of the mention, the fields of
        :data:`FIELDS`).

    Returns
    -------
    dict
        ``statements`` (gold, pred, tp, precision, recall, f1), ``accuracy`` (name → value over
        the matched pairs, with ``n``), ``ranges`` (gold ranges, exact), ``errors`` (missed,
        spurious, wrong attributes, each with its context).
    """
    tp = n_pred = 0
    pairs = []
    errors = {"missed": [], "spurious": [], "attributes": []}
    for doc, rec in gold.documents.items():
        text = rec["text"]
        gs = [g for g in gold.statements if g["doc_id"] == doc]
        ps = [p for p in predictions.get(doc, []) if _in_region(p, gold.regions[doc])]
        n_pred += len(ps)
        weights = np.array([[_pair_weight(g, p) for p in ps] for g in gs]) if gs and ps else np.zeros((len(gs), len(ps)))
        matched_g, matched_p = set(), set()
        if weights.size:
            for i, j in zip(*linear_sum_assignment(-weights)):
                if weights[i, j] > 0:
                    pairs.append((gs[i], ps[j], text))
                    matched_g.add(i)
                    matched_p.add(j)
        tp += len(matched_g)
        errors["missed"] += [f"{doc} {g['indicator']}: {_context(text, g['start'], g['end'])}"
                             for i, g in enumerate(gs) if i not in matched_g]
        errors["spurious"] += [f"{doc} {p.get('indicator')}: {_context(text, p['start'], p['end'])}"
                               for j, p in enumerate(ps) if j not in matched_p]
    n_gold = len(gold.statements)
    prec = tp / n_pred if n_pred else 0.0
    rec_ = tp / n_gold if n_gold else 0.0
    acc = _accuracies(pairs)
    errors["attributes"] = [f"{g['doc_id']} {_context(text, g['start'], g['end'])}: " + "; ".join(errs)
                            for g, p, text in pairs if (errs := _attribute_errors(g, p))]
    return {
        "statements": {"gold": n_gold, "pred": n_pred, "tp": tp, "precision": prec, "recall": rec_,
                       "f1": 2 * prec * rec_ / (prec + rec_) if prec + rec_ else 0.0},
        "accuracy": acc,
        "errors": errors,
    }


def _accuracies(pairs: list) -> dict:
    def rate(items):
        items = list(items)
        return {"accuracy": sum(items) / len(items) if items else None, "n": len(items)}

    ranged = [(g, p) for g, p, _ in pairs
              if any(g.get(lo) is not None and g[lo] != g[hi] for lo, hi in (("value_low", "value_high"),
                                                                            ("change_low", "change_high")))]
    return {
        "indicator": rate(g["indicator"] == p.get("indicator") for g, p, _ in pairs),
        "status": rate(g["status"] == p.get("status") for g, p, _ in pairs),
        "period": rate((g["period_start"], g["period_end"]) == (p.get("period_start"), p.get("period_end"))
                       for g, p, _ in pairs),
        "value": rate(_numbers_exact(g, p) for g, p, _ in pairs),
        "range": rate(_numbers_exact(g, p) for g, p in ranged),
        "unit": rate(_unit(g.get("unit")) == _unit(p.get("unit")) and _unit(g.get("change_unit")) == _unit(p.get("change_unit"))
                     for g, p, _ in pairs),
        "direction": rate(g.get("direction") == p.get("direction") for g, p, _ in pairs),
        "approx": rate(g.get("approx") == p.get("approx") for g, p, _ in pairs),
    }


def cue_word_baseline(text: str, *, meta: dict | None = None, table: IndicatorTable | None = None) -> list[dict]:
    """The reference the rules are measured against: cue words and the first number after a name.

    Every written form of the table followed, in its clause, by a number is a statement: a
    percentage after 增长/提高/下降 … (or a 百分点/倍) is its change, any other number its level;
    the status is target when the sentence holds 目标/预期/计划/力争/争取/确保, else actual; the period
    is the report's year for targets, the year before for actuals; approx is the number's own.

    Examples
    --------
    >>> rows = cue_word_baseline("今年主要预期目标是：国内生产总值增长6%－6.5%。", meta={"year": 2019})
    >>> [(r["indicator"], r["change_low"], r["change_high"], r["status"], r["period_start"]) for r in rows]
    [('GDP', 6.0, 6.0, 'target', 2019)]
    """
    table = table or load_table()
    cues = load_cues()
    norm = normalize(text)
    year = document_year(meta or {}, text)
    quantities = sorted(find_quantities(text, norm=norm), key=lambda q: q["start"])
    words = re.compile("|".join(re.escape(w) for w in longest_first(
        {w for ind in table.indicators for w in (*ind.aliases, *ind.growth)} - {""})))
    rows = []
    for m in words.finditer(norm):
        ident = table.lookup(m.group(0))[0]
        q = next((q for q in quantities if q["start"] >= m.end()), None)
        if q is None or any(ch in "，；。！？\n" for ch in norm[m.end():q["start"]]):
            continue
        lead = norm[m.end():q["start"]]
        down = any(w in lead for w in cues["down"])
        relative = q["unit"] in ("%", "百分点", "倍") and (down or any(w in lead for w in cues["up"]))
        sentence_start = max(norm.rfind(c, 0, m.start()) for c in "。！？\n") + 1
        target = re.search("目标|预期|计划|力争|争取|确保", norm[sentence_start:q["end"] + 10]) is not None
        value = -q["value"] if down else q["value"]
        rows.append({"indicator": ident, "start": m.start(), "end": m.end(),
                     "value_low": None if relative else q["value"], "value_high": None if relative else q["value"],
                     "unit": None if relative else q["unit"],
                     "change_low": value if relative else None, "change_high": value if relative else None,
                     "change_unit": q["unit"] if relative else None, "direction": ("down" if down else "up") if relative else None,
                     "approx": q.get("approx"), "status": "target" if target else "actual",
                     "period_start": None if year is None else year - (0 if target else 1),
                     "period_end": None if year is None else year - (0 if target else 1)})
    return rows


@dataclass
class IndicatorBench:
    """Results of :func:`bench_indicators`: ``results[system][split]`` → :func:`score_statements` dict
    (with ``seconds``)."""

    results: dict = field(default_factory=dict)

    def markdown(self, *, max_errors: int = 15, errors: bool = True) -> str:
        """A table per split (system × statement P/R/F1 and the accuracies), then the first system's errors."""
        lines = []
        names = ("indicator", "status", "period", "value", "range", "unit", "direction", "approx")
        for split in next(iter(self.results.values()), {}):
            first = next(iter(self.results.values()))[split]
            lines += [f"### Indicator statements, {split} ({first['statements']['gold']} gold statements)", "",
                      "| system | pred | P | R | F1 | " + " | ".join(names) + " | seconds |",
                      "|---|--:|--:|--:|--:|" + "--:|" * len(names) + "--:|"]
            for system, by_split in self.results.items():
                sc = by_split[split]
                st = sc["statements"]
                accs = " | ".join(_fmt(sc["accuracy"][k]) for k in names)
                lines.append(f"| {system} | {st['pred']} | {st['precision']:.3f} | {st['recall']:.3f} | "
                             f"{st['f1']:.3f} | {accs} | {sc['seconds']:.1f} |")
            lines.append("")
            if errors and split not in SEALED_SPLITS:
                for kind, items in first["errors"].items():
                    if items:
                        more = f" … and {len(items) - max_errors} more" if len(items) > max_errors else ""
                        lines.append(f"- {kind} ({len(items)}): " + "; ".join(items[:max_errors]) + more)
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_json(self, path: PathLike) -> None:
        """Write :attr:`results` as indented UTF-8 JSON (atomically)."""
        write_json(path, self.results)


def _fmt(acc: dict) -> str:
    return "–" if acc["accuracy"] is None else f"{acc['accuracy']:.3f} ({acc['n']})"


def bench_indicators(gold_paths: Iterable[PathLike], text_paths: Iterable[PathLike] = (), *,
                     systems: dict[str, Callable] | None = None, splits: Iterable[str | None] = ("heldout", "dev"),
                     baseline: bool = True) -> IndicatorBench:
    """Score the rules and the cue-word baseline on indicator gold files, per split.

    Parameters
    ----------
    gold_paths : iterable of path
        ``indicators_*.jsonl`` files.
    text_paths : iterable of path
        Corpus files holding their documents (the bundled report needs none).
    systems : dict, optional
        name → ``f(text, meta=…) -> rows``; default: ``qidu`` (:func:`extract_text` with the
        shipped table), ``qidu (dev lexicon)`` (without the held-out aliases: the honest figure
        on held-out documents) and, with ``baseline``, ``cue words`` (:func:`cue_word_baseline`).
    splits : iterable
        ``heldout``, ``dev``, ``blind2`` and/or None (all documents). The errors of a split of
        :data:`SEALED_SPLITS` (``blind2``) are replaced by their counts.
    baseline : bool
        Run the cue-word baseline too (when ``systems`` is not given).

    Returns
    -------
    IndicatorBench
    """
    gold = load_indicator_gold(gold_paths, read_corpus(text_paths))
    dev_table = load_table("dev")
    if systems is None:
        systems = {"qidu": extract_text,
                   "qidu (dev lexicon)": lambda text, meta: extract_text(text, meta=meta, table=dev_table)}
        if baseline:
            systems["cue words"] = cue_word_baseline
    bench = IndicatorBench()
    for name, system in systems.items():
        t0 = time.perf_counter()
        preds = {doc: system(rec["text"], meta={**rec["meta"], "id": doc}) for doc, rec in gold.documents.items()}
        seconds = time.perf_counter() - t0
        bench.results[name] = {}
        for split in splits:
            sub = gold.subset(split)
            score = score_statements(sub, {d: preds[d] for d in sub.documents})
            if split in SEALED_SPLITS:  # counts only: the errors of a first read stay unread
                score["errors"] = {kind: len(items) for kind, items in score["errors"].items()}
            bench.results[name][split or "all"] = {**score, "seconds": seconds}
    return bench
