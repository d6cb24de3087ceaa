"""qidu_nlp.training.glossary: learn the official English renderings of slogans from aligned text.

``qidu glossary build PARALLEL.jsonl -o glossary.tsv`` reads aligned Chinese–English segment
pairs (``{"id", "year", "zh", "en"}`` per line, as in the national reports' official
translations), finds the slogans of the Chinese side with the library's own detector
(:func:`qidu_nlp.rules.slogans.detect`), and for each slogan picks, among the English phrases of
its segments, the one most strongly associated with it over the whole corpus:

1. **slogans**: each report (the segments of one year, joined) is run through the detector; the
   norms found anywhere (and those of ``slogans_from`` corpora, when given) are then marked
   wherever they occur, quoted or not (the detector's ``known`` repetitions, and any plain
   substring of three characters or more, quotes and list commas left out), so a slogan quoted
   once and written bare later counts in both segments;
2. **English candidates**: every word n-gram of 1–14 tokens inside a clause of the English
   segment (a comma may sit inside, other punctuation ends the phrase), compared by their words'
   stems (lower case, plural and verb forms merged: *pursue* and *pursuing*), neither starting
   nor ending with a function word (``english_function_words.txt``);
3. **association**: for slogan *s* in ``n_s`` pairs and phrase *e* in ``n_e`` pairs, both in
   ``c`` pairs, the Dice coefficient ``2c / (n_s + n_e)`` (Smadja, McKeown & Hatzivassiloglou
   1996) picks the rendering; ties go to the longer phrase (the whole term, not a piece of it).
   Dunning's G² of the same 2×2 table is reported with it. A slogan gets no rendering (the
   builder abstains) when the best phrase is shared by fewer than ``min_pairs`` pairs or its
   Dice is under ``min_dice``;
4. **edges**: the phrase is grown while most of its pairs continue it the same way; if it is
   still a piece of a longer expression whose rest varies (:mod:`.english_phrases`), the most
   frequent closed phrase that grows it is taken instead, else the builder abstains; the words
   around a term are left out (a verb before an article, *create a* | new pattern of development;
   a frame noun the slogan does not hold, *strategy of* | competing on quality, unless the frame
   never comes off); a phrase that renders the Chinese next to the slogan is passed over
   (``Beijing-Tianjin-Hebei``, 京津冀, before 协同发展); it abstains too when a lower-case phrase has fewer than ``min_pairs_phrase``
   pairs and its edges cannot be seen (the same word before or after it every time, or one year
   only), or renders a piece of the slogan only (``home appliances``, 家电, for 家电下乡). A slogan
   inside a longer one (稳中求进 in 稳中求进工作总基调) takes only phrases also found where it stands
   alone;
5. **variants and years**: the pairs the rendering covers are set aside and the best phrase of
   the remaining pairs is taken as a variant (at most ``max_variants``), each with the years it
   was used in.

The result is a table (one row per slogan) written as TSV; the shipped one is
``qidu_nlp/data/slogans/glossary.tsv``, read by :mod:`qidu_nlp.rules.slogans.glossary`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from ..errors import InputError
from ..files import atomic_write, json_lines
from ..rules.slogans import detect
from ..rules.slogans.glossary import COLUMNS, format_years
from ..rules.slogans.lexicons import NUMERALS
from ..text.chars import is_cjk
from ..text.normalize import normalize
from .english_phrases import (CAPITALISED, FUNCTION_WORDS, MAX_TOKENS, is_capitalised, next_unit, occurrences,
                              open_share, phrases, stem, trim_edges)

__all__ = ["read_pairs", "find_slogans", "phrases", "build", "write", "FUNCTION_WORDS"]

def read_pairs(path: str | Path) -> list[dict]:
    """Read aligned segment pairs from a JSONL file.

    Parameters
    ----------
    path : str or Path
        One JSON object a line with string fields ``zh`` and ``en``, and ``id`` and ``year``
        (an integer, or None when unknown).

    Returns
    -------
    list of dict
        ``{"id", "year", "zh", "en"}`` per line, in file order.

    Raises
    ------
    InputError
        Naming the file and line of a malformed line or a missing field.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.jsonl"
    >>> _ = p.write_text('{"id": "a", "year": 2016, "zh": "“一带一路”", "en": "the Belt and Road"}\\n', encoding="utf-8")
    >>> read_pairs(p)[0]["en"]
    'the Belt and Road'
    >>> _ = p.write_text('{"id": "a", "zh": "一带一路"}\\n', encoding="utf-8")
    >>> read_pairs(p)
    Traceback (most recent call last):
    ...
    qidu_nlp.errors.InputError: ...p.jsonl:1: no string field 'en'
    """
    out = []
    for where, rec in json_lines(path):
        if not isinstance(rec, dict):
            raise InputError(where, "not a JSON object")
        for name in ("zh", "en"):
            if not isinstance(rec.get(name), str):
                raise InputError(where, f"no string field {name!r}")
        year = rec.get("year")
        if year is not None and not (isinstance(year, int) or (isinstance(year, str) and year.isdigit())):
            raise InputError(where, f"year {year!r} is not an integer")
        out.append({"id": str(rec.get("id", where.rsplit(":", 1)[1])), "year": int(year) if year is not None else None,
                    "zh": rec["zh"], "en": rec["en"]})
    return out


def _corpus_norms(paths: Iterable[str | Path], min_docs: int) -> dict[str, str]:
    """Slogan norms (→ kind) the detector finds in at least ``min_docs`` documents of other corpora."""
    docs: Counter = Counter()
    kinds: dict[str, str] = {}
    for path in paths:
        for where, rec in json_lines(path):
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise InputError(where, "not a JSON object with a string field 'text'")
            found = {it["norm"]: it["kind"] for it in detect(rec["text"])}
            docs.update(found.keys())
            for norm, kind in found.items():
                kinds.setdefault(norm, kind)
    return {norm: kinds[norm] for norm, n in docs.items() if n >= min_docs}


def find_slogans(pairs: Sequence[dict], *, slogans_from: Iterable[str | Path] = (), min_docs: int = 2) -> dict[str, set[int]]:
    """The slogans of the Chinese side: norm → indices of the pairs that hold it.

    Parameters
    ----------
    pairs : sequence of dict
        As :func:`read_pairs` returns them.
    slogans_from : iterable of path
        JSONL corpora (``{"text": ...}`` per line) whose slogans, found in at least
        ``min_docs`` documents, are looked for too (national formulas that the parallel text
        never quotes are often quoted in local reports).
    min_docs : int
        See ``slogans_from``.

    Examples
    --------
    >>> pairs = [{"id": "a", "year": 2016, "zh": "推进“一带一路”建设。", "en": ""},
    ...          {"id": "b", "year": 2017, "zh": "一带一路建设成效显著。", "en": ""}]
    >>> find_slogans(pairs)
    {'一带一路': {0, 1}}
    """
    by_year: dict = defaultdict(list)
    for i, p in enumerate(pairs):
        by_year[p["year"]].append(i)
    known: dict[str, str] = {}
    for idx in by_year.values():  # pass 1: what the detector finds in each report
        for it in detect("\n".join(pairs[i]["zh"] for i in idx)):
            known.setdefault(it["norm"], it["kind"])
    for norm, kind in _corpus_norms(slogans_from, min_docs).items():
        known.setdefault(norm, kind)
    # not “110” or “100%”, nor bare numerals (十一, 十五: as often a count as a plan)
    known = {k: v for k, v in known.items() if any(is_cjk(ch) and ch not in NUMERALS for ch in k)}
    out: dict[str, set[int]] = defaultdict(set)
    for idx in by_year.values():  # pass 2: every occurrence of a known slogan, quoted or not
        text = "\n".join(pairs[i]["zh"] for i in idx)
        ends = list(_cumulative_ends(pairs[i]["zh"] for i in idx))
        for it in detect(text, known={k: v for k, v in known.items() if k in normalize(text)}):
            s = it["start"]
            if s > 0 and text[s] in NUMERALS and text[s - 1] in NUMERALS:
                continue  # 九大 inside 十九大: the tail of a longer numeral
            out[it["norm"]].add(idx[_segment_of(ends, s)])
    _mark_bare(pairs, known, out)
    return dict(out)


_BARE_DROP = re.compile(r"[“”‘’「」『』\"'、，,\s]")


def _mark_bare(pairs: Sequence[dict], known: Iterable[str], out: dict[str, set[int]], min_chars: int = 3) -> None:
    """Pass 3: mark every pair whose Chinese holds a known slogan of ``min_chars`` characters or
    more as a plain substring, quotes and list commas left out on both sides (“三权”分置 is 三权分置,
    大众创业万众创新 is 大众创业、万众创新; 稳中求进 inside 稳中求进工作总基调 counts too). The
    detector's own marks leave out uses it reads as parts of longer expressions, and the glossary
    wants every pair where the slogan stands. Not after a numeral (九大 in 十九大)."""
    keys = {norm: _BARE_DROP.sub("", norm) for norm in known}
    keys = {norm: key for norm, key in keys.items() if len(key) >= min_chars}
    for i, p in enumerate(pairs):
        text = _BARE_DROP.sub("", normalize(p["zh"]))
        for norm, key in keys.items():
            at = text.find(key)
            while at >= 0 and at > 0 and key[0] in NUMERALS and text[at - 1] in NUMERALS:
                at = text.find(key, at + 1)
            if at >= 0:
                out[norm].add(i)


def _cumulative_ends(texts: Iterable[str]):
    end = -1
    for t in texts:
        end += len(t) + 1
        yield end


def _segment_of(ends: list[int], offset: int) -> int:
    lo, hi = 0, len(ends) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if ends[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _dice(c: int, n_s: int, n_e: int) -> float:
    return 2 * c / (n_s + n_e)


def _g2(c: int, n_s: int, n_e: int, n: int) -> float:
    """Dunning's G² of the 2×2 table of pairs (slogan, phrase)."""
    cells = (c, n_s - c, n_e - c, n - n_s - n_e + c)
    rows, cols = (n_s, n - n_s), (n_e, n - n_e)
    expected = (rows[0] * cols[0] / n, rows[0] * cols[1] / n, rows[1] * cols[0] / n, rows[1] * cols[1] / n)
    return max(2 * sum(k * math.log(k / e) for k, e in zip(cells, expected) if k > 0 and e > 0), 0.0)


class _Slogan:
    """One slogan's pairs and its candidate phrases (key → the pairs holding both)."""

    def __init__(self, norm: str, segs: set[int], cands: dict[tuple, set[int]], alone: set[int] | None = None):
        self.norm, self.segs, self.cands, self.alone = norm, segs, cands, alone


def build(pairs: Sequence[dict], slogans: dict[str, set[int]] | None = None, *, min_pairs: int = 2,
          min_dice: float = 0.5, extend: float = 0.8, open_edge: float = 0.5, min_pairs_phrase: int = 4,
          min_pairs_seen: int = 2, min_dice_seen: float = 0.65, max_variants: int = 3,
          max_tokens: int = MAX_TOKENS) -> pd.DataFrame:
    """Learn the English rendering of each slogan from aligned pairs.

    Parameters
    ----------
    pairs : sequence of dict
        ``{"id", "year", "zh", "en"}`` (:func:`read_pairs`).
    slogans : dict, optional
        Norm → indices of the pairs holding it; default :func:`find_slogans` of ``pairs``.
    min_pairs : int
        A rendering (and a variant) must be shared by at least this many pairs.
    min_dice : float
        Abstain when the best phrase's Dice coefficient is lower.
    extend : float
        A rendering is extended by the next words (function words and one more word, on
        either side) while at least this share of its pairs continue it that way (the whole
        term, not its most frequent piece).
    min_pairs_phrase, min_pairs_seen, min_dice_seen : int, int, float
        A rendering that is no capitalised name needs ``min_pairs_phrase`` pairs (in two or three
        the words around it are often the same), or ``min_pairs_seen`` with a Dice of
        ``min_dice_seen`` and edges that can be seen: used in two years or more, with other words
        before and after it (``single window``, 3 pairs).
    open_edge : float
        A rendering is *open* when at least this share of its occurrences continue it on one
        side (:func:`qidu_nlp.training.english_phrases.open_share`: ``eight-point decision on
        improving`` | ``Party and government conduct``, ``work conduct``): it is then replaced by
        the phrase that grows it on that side, is closed on both, and is found in the most pairs
        (at least ``min_pairs_phrase``), or the builder abstains. Whole capitalised names are
        exempt (``Internet Plus`` model).
    max_variants : int
        At most this many further renderings per slogan.
    max_tokens : int
        Longest phrase considered, in words.

    Returns
    -------
    pandas.DataFrame
        One row per slogan found in at least ``min_pairs`` pairs, columns
        :data:`qidu_nlp.rules.slogans.glossary.COLUMNS`: ``norm``, ``english`` (empty when the
        builder abstains), ``english_years``, ``variants`` (``rendering (years)`` joined by
        `` | ``), ``pairs`` (pairs holding the slogan), ``support`` (pairs holding it and the
        rendering), ``dice``, ``g2``, ``form`` (``term`` when the rendering is quoted,
        capitalised or opens with a numeral, else ``phrase``: terms are the surer kind).

    Examples
    --------
    >>> pairs = [{"id": str(i), "year": 2015 + i, "zh": "推进“一带一路”建设。" if i < 3 else "扩大开放。",
    ...           "en": ["We will advance the Belt and Road Initiative.", "Belt and Road Initiative projects grew.",
    ...                  "The Belt and Road Initiative made progress.", "We will open wider."][i]} for i in range(4)]
    >>> row = build(pairs).iloc[0]
    >>> row["norm"], row["english"], row["english_years"], int(row["support"]), float(row["dice"])
    ('一带一路', 'Belt and Road Initiative', '2015-2017', 3, 1.0)
    """
    slogans = find_slogans(pairs) if slogans is None else slogans
    slogans = {s: segs for s, segs in slogans.items() if len(segs) >= min_pairs}
    cache = {i: phrases(pairs[i]["en"], max_tokens) for segs in slogans.values() for i in segs}
    items = []
    for s, segs in slogans.items():
        counts = Counter(key for i in segs for key in cache[i])
        keep = {key for key, c in counts.items() if c >= min_pairs}
        alone = segs - {i for t, held in slogans.items() if s in t and s != t for i in held}
        if len(alone) >= min_pairs and alone != segs:  # 稳中求进 alone, not in 稳中求进工作总基调 (general principle …)
            keep = {key for key in keep if any(key in cache[i] for i in alone)}
        else:
            alone = None
        items.append(_Slogan(s, segs, {key: {i for i in segs if key in cache[i]} for key in keep}, alone))
    df = _document_frequency(pairs, {k for it in items for k in it.cands}, max_tokens)
    owner = _owners(items, df)
    params = {"min_pairs": min_pairs, "min_dice": min_dice, "extend": extend, "max_variants": max_variants,
              "open": open_edge, "min_pairs_phrase": min_pairs_phrase, "min_pairs_seen": min_pairs_seen,
              "min_dice_seen": min_dice_seen}
    stemmed: dict[int, str] = {}  # pair index -> its English word keys, filled as needed
    rows = [_row(it, df, owner, pairs, cache, params, stemmed)
            for it in sorted(items, key=lambda it: (-len(it.segs), it.norm))]
    return pd.DataFrame(rows, columns=COLUMNS)


def _document_frequency(pairs: Sequence[dict], wanted: set[tuple], max_tokens: int) -> Counter:
    df: Counter = Counter()
    for p in pairs:
        df.update(key for key in phrases(p["en"], max_tokens) if key in wanted)
    return df


def _owners(items: list[_Slogan], df: Counter) -> dict[tuple, tuple[float, str]]:
    """Competitive linking (Melamed 2000): each phrase → the slogan it is most associated with."""
    owner: dict[tuple, tuple[float, str]] = {}
    for it in items:
        for key, segs in it.cands.items():
            d = _dice(len(segs), len(it.segs), df[key])
            if key not in owner or d > owner[key][0]:
                owner[key] = (d, it.norm)
    return owner


def _best(it: _Slogan, pool: set[int], df: Counter, owner: dict, cache: dict, min_pairs: int, skip=(),
          pairs: Sequence[dict] = ()):
    """The phrase of highest Dice on the pairs ``pool`` (the slogan's pairs not yet covered by a
    rendering) that no other slogan holds more strongly. Among phrases of equal Dice, those that
    stand where the slogan stands (relative position in the English and the Chinese segment,
    within 0.1 of the closest) are kept: 三个代表 after 邓小平理论 is *Three Represents* after *Deng
    Xiaoping Theory*; then the term-like, then the longer phrase."""
    ranked = []
    for key, segs in it.cands.items():
        c = len(segs & pool)
        if c < min_pairs or any(_nested(key, k) for k in skip):
            continue
        d = _dice(len(segs), len(it.segs), df[key])
        other = owner[key][1]
        if other != it.norm and owner[key][0] > d and other not in it.norm and it.norm not in other:
            continue
        ranked.append((round(_dice(c, len(pool), df[key] - len(segs - pool)), 9), key, c))
    if not ranked:
        return None
    top = max(r[0] for r in ranked)
    tied = [(key, c) for d, key, c in ranked if d == top]
    if len(tied) > 1 and pairs:
        dist = {key: _distance(it, key, pool, pairs, cache) for key, _ in tied}
        near = min(dist.values())
        tied = [(key, c) for key, c in tied if dist[key] <= near + 0.1]
    segs_of = it.cands
    # then term-like, longer, more pairs; the key last: the same choice in every run
    return max(tied, key=lambda kc: (2 * sum(cache[i][kc[0]][1] for i in segs_of[kc[0]]) >= len(segs_of[kc[0]]),
                                     len(kc[0]), kc[1], kc[0]))[0]


def _distance(it: _Slogan, key: tuple, pool: set[int], pairs: Sequence[dict], cache: dict) -> float:
    """Mean distance between the relative positions of the slogan (Chinese) and the phrase (English)."""
    out = []
    for i in it.cands[key] & pool:
        zh = pairs[i]["zh"]
        at = zh.find(it.norm)
        out.append(abs((at / max(len(zh), 1) if at >= 0 else 0.5) - cache[i][key][2]))
    return sum(out) / len(out) if out else 1.0


def _extend(key: tuple, segs: set[int], pairs: Sequence[dict], share: float,
            min_pairs: int, alone: set[int] | None = None) -> tuple[tuple, str, set[int], float]:
    """Grow ``key`` word by word (function words carried along) while ``share`` of its pairs
    (and at least ``min_pairs``) continue it the same way, and (when ``alone`` is given) one of
    the pairs where the slogan stands outside a longer slogan does too; return the key, its most
    frequent surface, its pairs and its open share (:func:`open_share`). A capitalised name
    grows only by capitalised words (``Xi Jinping Thought …``, not ``guidance of Xi Jinping
    Thought …``)."""
    occ = occurrences(key, segs, pairs)
    need = max(min_pairs, share * len(segs))
    for side in (1, -1):
        while occ:
            nxt: dict[tuple, set[int]] = defaultdict(set)
            for i, words, a, b in occ:
                unit = next_unit(words, a, b, side)
                text = pairs[i]["en"]
                if unit and (not is_capitalised(text, words[a:b]) or is_capitalised(
                        text, words[b:b + len(unit)] if side > 0 else words[a - len(unit):a])):
                    nxt[unit].add(i)
            if not nxt:
                break
            unit, held = max(nxt.items(), key=lambda kv: (len(kv[1]), kv[0]))
            if len(held) < need or (alone and not held & alone):
                break
            occ = [(i, w, a - (len(unit) if side < 0 else 0), b + (len(unit) if side > 0 else 0))
                   for i, w, a, b in occ if next_unit(w, a, b, side) == unit]
    if not occ:
        return key, "", set(), 1.0
    _, words, a, b = occ[0]
    new_key = tuple(w[0] for w in words[a:b])
    forms = Counter(pairs[i]["en"][w[a][1]:w[b - 1][2]] for i, w, a, b in occ)
    surface = max(forms.items(), key=lambda kv: (kv[1], kv[0][:1].islower()))[0]
    return new_key, surface, {o[0] for o in occ}, max(open_share(occ, pairs))


def _closed_superstring(core: tuple, it: _Slogan, pool: set[int], pairs: Sequence[dict], share: float,
                        min_pairs: int) -> tuple | None:
    """The phrase that grows ``core`` on its open side(s), is closed on both sides
    (:func:`open_share` under ``share``) and is found in the most pairs of ``pool`` (at least
    ``min_pairs``; then the longer): ``eight-point decision on improving Party and government
    conduct`` when ``eight-point decision on improving`` runs on into words that vary over the years."""
    left, right = open_share(occurrences(core, pool, pairs), pairs)
    n = len(core)
    found = []
    for key, segs in it.cands.items():
        c = len(segs & pool)
        if c < min_pairs or len(key) <= n:
            continue
        at = [i for i in range(len(key) - n + 1) if key[i:i + n] == core]
        if at and (left >= share or at[0] == 0) and (right >= share or at[0] + n == len(key)):
            found.append((c, len(key), key))
    for _, _, key in sorted(found, reverse=True):
        if max(open_share(occurrences(key, it.cands[key] & pool, pairs), pairs)) < share:
            return key
    return None


def _row(it: _Slogan, df, owner, pairs, cache, params, stemmed: dict[int, str]) -> dict:
    n = len(pairs)
    row = {"norm": it.norm, "english": "", "english_years": "", "variants": "", "pairs": len(it.segs),
           "support": 0, "dice": 0.0, "g2": 0.0, "form": ""}
    used: set[int] = set()
    chosen: list[tuple] = []
    skipped: list[tuple] = []
    variants = []
    for _ in range(1 + params["max_variants"]):
        key = _best(it, it.segs - used, df, owner, cache, params["min_pairs"], skip=chosen + skipped, pairs=pairs)
        while key is not None and not used and _renders_a_neighbour(it, key, pairs, cache, stemmed):
            skipped.append(key)  # Beijing-Tianjin-Hebei renders 京津冀 before 协同发展, not the slogan
            key = _best(it, it.segs, df, owner, cache, params["min_pairs"], skip=chosen + skipped, pairs=pairs)
        if key is None:
            break
        pool = it.segs - used
        d = _dice(len(it.cands[key] & pool), len(pool), df[key] - len(it.cands[key] - pool))
        if d < params["min_dice"]:
            break
        full, surface, occ, open_share = _extend(key, it.cands[key] & pool, pairs, params["extend"],
                                                 params["min_pairs"], it.alone)
        name = _name(surface, full, occ, pairs, params["open"])
        if not name and open_share >= params["open"]:
            longer = _closed_superstring(full, it, pool, pairs, params["open"], params["min_pairs_phrase"])
            if longer is not None:  # the whole expression, not the piece every variant shares
                key = full = longer
                _, surface, occ, open_share = _extend(key, it.cands[key] & pool, pairs, 2.0, params["min_pairs"])
                name = _name(surface, full, occ, pairs, params["open"])  # Belt and Road Initiative
        if not name:
            trimmed = trim_edges(full, it.norm, lambda core, whole: _detached(core, whole, it.segs, pairs))
            if trimmed != full and trimmed in it.cands:  # the frame or the verb around the term left out
                cut = _extend(trimmed, it.cands[trimmed] & pool, pairs, 2.0, params["min_pairs"])
                if cut[3] < params["open"]:  # not when the rest is then open: the frame belongs to it
                    key = full = trimmed
                    _, surface, occ, open_share = cut
        if not name and (open_share >= params["open"] or len(occ) < params["min_pairs_phrase"]
                         and not (len(occ) >= params["min_pairs_seen"] and d >= params["min_dice_seen"]
                                  and _edges_seen(full, occ, pairs))):
            break  # a piece of a longer expression, or too few pairs to see its edges: no rendering
        years = format_years(pairs[i]["year"] for i in occ)
        if not chosen and _renders_a_piece(it, surface, pairs):
            break
        if not chosen:
            c = len(it.cands[key])
            term = 2 * sum(cache[i][key][1] for i in it.cands[key]) >= c
            row.update(english=surface, english_years=years, support=len(occ), dice=round(d, 4),
                       g2=round(_g2(c, len(it.segs), df[key], n), 2), form="term" if term else "phrase")
        else:
            variants.append(f"{surface} ({years})")
        chosen += [key, full]
        used |= it.cands[key]
    row["variants"] = " | ".join(variants)
    return row


def _edges_seen(key: tuple, segs: set[int], pairs: Sequence[dict]) -> bool:
    """Whether the phrase's edges can be seen in few pairs: it is used in two years or more, and
    the word before it and the word after it (or the clause's edge) are not the same every time."""
    occ = occurrences(key, segs, pairs)
    years = {pairs[i]["year"] for i, _, _, _ in occ}
    left = {words[a - 1][0] if a > 0 else "" for _, words, a, _ in occ}
    right = {words[b][0] if b < len(words) else "" for _, words, _, b in occ}
    return len(years) >= 2 and len(left) >= 2 and len(right) >= 2


def _detached(core: tuple, whole: tuple, segs: set[int], pairs: Sequence[dict]) -> bool:
    """Whether ``core`` stands in some pair of ``segs`` without the words around it in ``whole``
    (``employment-first`` without ``policy``): the frame comes off, so it is no part of the term."""
    spans = {(i, a, b) for i, _, a, b in occurrences(whole, segs, pairs)}
    at = next(k for k in range(len(whole) - len(core) + 1) if whole[k:k + len(core)] == core)
    return any((i, a - at, a - at + len(whole)) not in spans for i, _, a, _ in occurrences(core, segs, pairs))


def _name(surface: str, key: tuple, segs: set[int], pairs: Sequence[dict], share: float) -> bool:
    """Whether the phrase is a whole capitalised name: every word capitalised but the function
    words, no comma, and not running on into one more capitalised word in ``share`` of its uses
    (``Eighteenth National`` | ``Congress``). A name's edges need no more checks: ``Internet
    Plus`` model, initiative, action plan."""
    if not CAPITALISED.match(surface):
        return False
    occ = occurrences(key, segs, pairs)
    more = sum(1 for i, words, a, b in occ if b < len(words) and pairs[i]["en"][words[b][1]].isupper()
               and not pairs[i]["en"][words[b - 1][2]:words[b][1]].strip())
    return more < share * len(occ)


def _renders_a_neighbour(it: _Slogan, key: tuple, pairs: Sequence[dict], cache: dict, memo: dict[int, str]) -> bool:
    """Whether the phrase renders the Chinese next to the slogan rather than the slogan: two
    characters standing before (or after) it in 80 % of its pairs with the phrase, which
    the phrase follows outside the slogan's pairs too, at least twice, in at least half of its
    uses there and five times as often as those characters occur at all (``Beijing-Tianjin-Hebei``
    for 协同发展, always after 京津冀; 发展 after 高质量 is everywhere and does not count)."""
    held = [i for i in it.segs if key in cache[i]]
    sides: Counter = Counter()
    for i in held:
        text = _BARE_DROP.sub("", normalize(pairs[i]["zh"]))
        at = text.find(_BARE_DROP.sub("", it.norm))
        if at >= 0:
            end = at + len(_BARE_DROP.sub("", it.norm))
            sides.update({text[max(at - 2, 0):at], text[end:end + 2]} - {""})
    near = [n for n, c in sides.items() if len(n) == 2 and c >= 0.8 * len(held)]
    if not near:
        return False
    words = f" {' '.join(key)} "
    outside = [p for i, p in enumerate(pairs) if i not in it.segs and words in _stemmed(pairs, i, memo)]
    for n in near:
        with_near = sum(n in p["zh"] for p in outside)
        if with_near >= 2 and 2 * with_near >= len(outside) and \
                with_near >= 5 * len(outside) * sum(n in p["zh"] for p in pairs) / len(pairs):
            return True
    return False


def _stemmed(pairs: Sequence[dict], i: int, memo: dict[int, str]) -> str:
    """Pair ``i``'s English as its word keys (:func:`stem`) between spaces, computed once a pair."""
    if i not in memo:
        memo[i] = f" {' '.join(stem(w) for w in _WORDS.findall(pairs[i]['en']))} "
    return memo[i]


_WORDS = re.compile(r"[A-Za-z0-9]+(?:[-'’.][A-Za-z0-9]+)*")


def _renders_a_piece(it: _Slogan, surface: str, pairs: Sequence[dict]) -> bool:
    """Whether the phrase renders a piece of the slogan rather than the whole: the pairs that hold
    it without the slogan but with two characters of it (家电 for 家电下乡: ``home appliances``)
    are at least half as many as the slogan's pairs."""
    pieces = {it.norm[k:k + 2] for k in range(len(it.norm) - 1)}
    low = surface.lower()
    n = sum(1 for i, p in enumerate(pairs) if i not in it.segs and low in p["en"].lower()
            and any(piece in p["zh"] for piece in pieces))
    return n >= len(it.segs) / 2


def _nested(a: tuple, b: tuple) -> bool:
    """Whether one phrase lies inside the other."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return any(long_[i:i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def write(glossary: pd.DataFrame, path: str | Path, *, forms: tuple[str, ...] | None = None) -> Path:
    """Write a glossary table as TSV (atomically): the slogans with a rendering (of ``forms`` only,
    when given: ``("term",)`` keeps the quoted, capitalised and numeral renderings, the surer kind)."""
    path = Path(path)
    kept = glossary[glossary["english"].astype(bool)]
    if forms is not None:
        kept = kept[kept["form"].isin(forms)]
    atomic_write(path, lambda f: kept.to_csv(f, sep="\t", index=False), text=True)
    return path
