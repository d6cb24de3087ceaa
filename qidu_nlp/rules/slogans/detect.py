"""qidu_nlp.rules.slogans.detect: find, delimit and classify the slogans of a text.

1. candidates (:mod:`.candidates`): quoted text in every quote style, unquoted numeral
   abbreviations by a grammar over numerals and digits, the closed list of national formulas;
2. a judge: the trained logistic regression (:mod:`.judge`) over the features of
   :mod:`.features` decides which quoted candidates are slogans, the guide's rules decide the
   unquoted ones (:func:`qidu_nlp.rules.slogans.features.rule_scores`); overlaps are resolved by
   score;
3. kinds: the forms the guide fixes (formula, numeral-built set names) by rule, a cue word
   where one decides, the rest (motto vs campaign) by the judge's second model;
4. unquoted repetitions of slogans the same document quoted (or that a corpus-level set passed
   as ``known`` holds) are marked too.

:func:`detect` is the whole of it, on a plain string; the ``qidu_slogans`` component calls it.
"""

from __future__ import annotations

import bisect
from typing import Optional

from ...schema import SLOGAN as LABEL
from ...text.normalize import normalize
from .candidates import count_terms, find_candidates, find_frame, quoted_candidates, quoted_mask, repeat_candidates, slogan_norm
from .features import candidate_features, kind_features, rule_kind, rule_scores
from .judge import SloganModel, load_model
from .lexicons import Lexicons, load_lexicons

__all__ = ["detect", "decode", "judge", "cue_kind", "doc_counts", "DEFAULT_THRESHOLD"]

DEFAULT_THRESHOLD = 0.5


def _rule_scores(norm: str, cands: list[dict], feats: list[dict]) -> list[float]:
    """Scores without a model: quoted text unless a rejection cue is near, formulas, numeral runs."""
    out = []
    for c, f in zip(cands, feats):
        if c["source"] == "formula":
            out.append(1.0)
        elif c["source"] == "quoted":
            reject = any(k in f for k in ("cueL=honour", "cueR=honour", "cueL=emphasis", "cueR=emphasis", "cueR=product"))
            out.append(0.0 if reject or f.get("book") else 1.0)
        else:
            out.append(1.0 if c.get("pattern") in ("plan", "parallel") and c["end"] - c["start"] == 4 else 0.0)
    return out


def judge(norm: str, cands: list[dict], probs, lexicons: Optional[Lexicons] = None) -> list[float]:
    """Final scores: the guide's rules for unquoted candidates, the judge's probability for quoted ones."""
    fixed = rule_scores(norm, cands, lexicons)
    return [float(p) if r is None else r for p, r in zip(probs, fixed)]


class _Taken:
    """Non-overlapping spans, kept sorted: whether a new span overlaps one of them is a binary
    search (a scan of all of them per candidate was quadratic in document length).

    Examples
    --------
    >>> taken = _Taken()
    >>> taken.add(2, 5)
    >>> taken.overlaps(4, 6), taken.overlaps(5, 7), taken.overlaps(0, 2)
    (True, False, False)
    """

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # the span starting last before ``end`` also ends last (the spans do not overlap)
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _resolve(cands: list[dict], scores, threshold: float) -> list[tuple[dict, float]]:
    """Keep candidates at or above the threshold; among overlapping ones the best score wins."""
    chosen: list[tuple[dict, float]] = []
    taken = _Taken()
    order = sorted(
        (i for i in range(len(cands)) if scores[i] >= threshold),
        key=lambda i: (-scores[i], -(cands[i]["end"] - cands[i]["start"]), cands[i]["start"]),
    )
    for i in order:
        c = cands[i]
        if taken.overlaps(c["start"], c["end"]):
            continue
        taken.add(c["start"], c["end"])
        chosen.append((c, float(scores[i])))
    chosen.sort(key=lambda x: x[0]["start"])
    return chosen


def _kinds(norm: str, chosen: list[tuple[dict, float]], model: Optional[SloganModel], lexicons: Lexicons) -> list[str]:
    kinds: list[Optional[str]] = []
    for c, _ in chosen:
        body = norm[c["start"] : c["end"]]
        kinds.append(rule_kind(body, c, lexicons) or cue_kind(norm, c, lexicons))
    open_idx = [i for i, k in enumerate(kinds) if k is None]
    if open_idx:
        if model is not None:
            feats = [kind_features(norm, chosen[i][0], lexicons) for i in open_idx]
            guesses = model.predict_kind(feats)
        else:
            guesses = [_campaign_rule(norm, chosen[i][0], lexicons) for i in open_idx]
        for i, g in zip(open_idx, guesses):
            kinds[i] = g
    return [k or "motto" for k in kinds]


def cue_kind(norm: str, cand: dict, lexicons: Lexicons) -> Optional[str]:
    """Campaign or motto when a lexicon cue decides it, else None (the kind model decides).

    ``campaign`` when the slogan ends with a campaign head (行动, 计划, 工程 …), its frame is one
    (“敲门”行动) or a campaign verb runs it (开展“以购代捐”); ``motto`` when its frame is a
    vision, requirement or strategy (目标, 要求, 战略 …) or it is a parallel line with separators.

    Examples
    --------
    >>> t = "开展“敲门”行动，实施“强省会”战略"
    >>> from qidu_nlp.rules.slogans.candidates import quoted_candidates
    >>> [cue_kind(t, c, load_lexicons()) for c in quoted_candidates(t)]
    ['campaign', 'motto']
    """
    body = norm[cand["start"] : cand["end"]]
    cues = lexicons.cues
    heads = cues.get("campaign_head", ())
    frame = find_frame(norm, cand["end"], lexicons) or ""
    qs = cand["start"] - 1 if cand["quote"] else cand["start"]
    if body.endswith(heads) or (frame and frame.endswith(heads)):
        return "campaign"
    if norm[max(0, qs - 2) : qs] in cues.get("campaign_verb", ()):
        return "campaign"
    if frame in cues.get("motto_frame", ()) or any(ch in "、，, +·" for ch in body):
        return "motto"
    return None



def _campaign_rule(norm: str, cand: dict, lexicons: Lexicons) -> str:
    body = norm[cand["start"] : cand["end"]]
    frame = find_frame(norm, cand["end"], lexicons) or ""
    heads = ("行动", "活动", "工程", "计划", "经验", "工作法", "月", "节")
    return "campaign" if body.endswith(heads) or frame.endswith(("行动", "活动", "工程", "品牌")) else "motto"


def decode(
    norm: str,
    cands: list[dict],
    scores,
    *,
    threshold: float,
    model: Optional[SloganModel],
    lexicons: Lexicons,
    known: Optional[dict] = None,
) -> list[dict]:
    """Turn judged candidates into slogan span dicts (overlaps, kinds, frames, repetitions).

    Parameters
    ----------
    norm : str
        The normalised text.
    cands : list of dict
        Candidates from :func:`qidu_nlp.slogan_features.find_candidates`.
    scores : sequence of float
        The judge's probability per candidate.
    threshold : float
        Decision threshold.
    model : SloganModel or None
        Gives the motto/campaign kinds (rules when None).
    lexicons : Lexicons
        Formula list, frames, cues.
    known : dict, optional
        Corpus-level slogans (norm → kind) whose unquoted repetitions are marked too.

    Returns
    -------
    list of dict
        ``{"start", "end", "label", "kind", "norm", "frame", "score"}`` in document order.
    """
    chosen = _resolve(cands, scores, threshold)
    kinds = _kinds(norm, chosen, model, lexicons)
    items = []
    for (c, score), kind in zip(chosen, kinds):
        body = norm[c["start"] : c["end"]]
        items.append(
            {
                "start": c["start"],
                "end": c["end"],
                "label": LABEL,
                "kind": kind,
                "norm": slogan_norm(body),
                "frame": find_frame(norm, c["end"], lexicons),
                "score": round(score, 4),
            }
        )
    # second pass: unquoted repetitions of slogans quoted here (or known to the corpus)
    seen: dict[str, tuple[str, float]] = {}
    for it, (c, score) in zip(items, chosen):
        if c["source"] == "quoted":
            seen.setdefault(norm[c["start"] : c["end"]], (it["kind"], it["score"]))
    for text, kind in (known or {}).items():
        seen.setdefault(text, (kind, 1.0))
    if seen:
        mask = quoted_mask(norm, quoted_candidates(norm))
        taken = _Taken()
        for it in items:
            taken.add(it["start"], it["end"])
        for c in repeat_candidates(norm, {t: k for t, (k, _) in seen.items()}):
            s, e = c["start"], c["end"]
            if any(mask[s:e]) or taken.overlaps(s, e):
                continue
            if s > 0 and norm[s - 1 : s + 1] in lexicons.blocked:
                continue
            body = norm[s:e]
            kind, score = seen[body]
            items.append(
                {"start": s, "end": e, "label": LABEL, "kind": kind, "norm": slogan_norm(body),
                 "frame": find_frame(norm, e, lexicons), "score": score}
            )
            taken.add(s, e)
        items.sort(key=lambda it: it["start"])
    return items


def doc_counts(norm: str, cands: list[dict]) -> dict:
    """How often the text of each candidate occurs in ``norm`` (non-overlapping, as
    ``str.count`` counts), all counted in one pass over the text.

    Examples
    --------
    >>> t = "强富美优，强富美优"
    >>> doc_counts(t, [{"start": 0, "end": 4}])
    {'强富美优': 2}
    """
    return count_terms(norm, {norm[c["start"] : c["end"]] for c in cands})


def detect(
    text: str,
    *,
    model: Optional[SloganModel] = None,
    lexicons: Optional[Lexicons] = None,
    threshold: Optional[float] = None,
    use_model: bool = True,
    known: Optional[dict] = None,
) -> list[dict]:
    """Find the slogans of a text (no spaCy needed); the pure core of the component.

    Parameters
    ----------
    text : str
        Any text.
    model : SloganModel, optional
        Default: the packaged model.
    lexicons : Lexicons, optional
        Default: the packaged lexicons.
    threshold : float, optional
        Default: the model's threshold chosen on held-out folds.
    use_model : bool
        False judges by simple rules instead of the classifier.
    known : dict, optional
        Corpus-level slogans (surface → kind) to find unquoted too.

    Returns
    -------
    list of dict
        Gold-schema span dicts with ``kind``, ``norm``, ``frame``, ``score``.

    Examples
    --------
    >>> t = "围绕“1221”工作体系，聚焦“强富美优”城市愿景，实现人居环境“旧貌”换“新颜”。"
    >>> [(t[s["start"]:s["end"]], s["kind"], s["frame"]) for s in detect(t)]
    [('1221', 'numeric', '工作体系'), ('强富美优', 'motto', '城市愿景')]
    """
    lexicons = lexicons or load_lexicons()
    if use_model and model is None:
        model = load_model()
    norm = normalize(text)
    cands = find_candidates(norm, lexicons)
    feats = candidate_features(norm, cands, lexicons, doc_counts=doc_counts(norm, cands))
    if use_model and model is not None:
        scores = judge(norm, cands, model.predict_proba(feats))
        thr = model.threshold if threshold is None else threshold
    else:
        scores = judge(norm, cands, _rule_scores(norm, cands, feats))
        thr = 0.5 if threshold is None else threshold
        model = None
    return decode(norm, cands, scores, threshold=thr, model=model, lexicons=lexicons, known=known)
