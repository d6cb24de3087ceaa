"""qidu_nlp.rules.slogans.features: what the slogan judge and the kind model see, and the
decisions the guide fixes by form.

- :func:`candidate_features` and :func:`kind_features`: feature dicts for the two classifiers;
- :func:`quoted_reject`: the guide's "not slogans" (honours, emphasis, contrast, titles) by form;
- :func:`rule_scores`: accept or reject the unquoted candidates as the guide says;
- :func:`rule_kind`: the kinds the guide fixes by form (formula, numeric).
"""

from __future__ import annotations

import re
from typing import Optional

from .candidates import (BOUNDARY_AFTER, CLOSERS, CONTEXT_CUES, COUNT_NUMERALS, LOCATIVES, MEASURE_AFTER, OPENERS,
                         PUNCT, N, find_frame)
from .candidates import numeral_candidates, quoted_candidates  # noqa: F401  (the examples)
from .lexicons import NUMERALS, Lexicons, load_lexicons
from ...text.chars import DIGITS, is_cjk

__all__ = ["candidate_features", "kind_features", "quoted_reject", "rule_scores", "rule_kind"]


def _shape(body: str) -> str:
    out = []
    for ch in body:
        if ch in DIGITS:
            out.append("d")
        elif ch in NUMERALS:
            out.append("n")
        elif is_cjk(ch):
            out.append("c")
        elif ch.isalpha():
            out.append("a")
        elif ch.isspace():
            out.append("_")
        else:
            out.append(ch)
    return re.sub(r"(.)\1+", r"\1+", "".join(out))


def _parallel(body: str) -> bool:
    parts = [p for p in re.split(r"[、，,\s+·—/]+", body) if p]
    if len(parts) >= 2 and len({len(p) for p in parts}) == 1:
        return True
    if len(body) == 4 and (body[0] == body[2] or body[1] == body[3]):
        return True
    return False


def _len_bucket(n: int) -> str:
    return str(n) if n <= 6 else ("7-9" if n <= 9 else ("10-15" if n <= 15 else "16+"))


def _cue_hits(text: str, words: tuple) -> list[str]:
    return [w for w in words if w in text]


def _groups(body: str) -> list[int]:
    """Lengths of the word groups of a parallel numeral run (三区两园一线 → [1, 1, 1])."""
    return [len(g) for g in re.findall(f"{N}([^{N[1:-1]}]+)", body)]


def quoted_reject(norm: str, cand: dict, lexicons: Lexicons, prev: Optional[dict] = None, nxt: Optional[dict] = None) -> bool:
    """True when the guide's "not slogans" list rules a quoted candidate out by its form.

    One character (“零”); an event date code (“12·16”); a 《》 title; a quote completed into a
    name by the noun after it (工控“进未来”标准厂房); a figure of speech (这种“绣花”功夫); two
    quotes joined by a contrast verb (“旧貌”换“新颜”); an honorary title: an honour word in
    the same clause before it (入选, 获评, 通过 …) or 复评/称号 after it, and a title ending
    (…强县, …名城, “十佳”县).

    Examples
    --------
    >>> t = "实现“零”的突破，“旧貌”换“新颜”，工控“进未来”标准厂房，开展“春风行动”"
    >>> cands = quoted_candidates(t)
    >>> [quoted_reject(t, c, load_lexicons(), p, n) for c, p, n in zip(cands, [None] + cands[:-1], cands[1:] + [None])]
    [True, True, True, True, False]
    """
    s, e = cand["start"], cand["end"]
    body = norm[s:e]
    cues = lexicons.cues
    if len(body) == 1 or re.fullmatch(r"\d{1,2}\s?[·.]\s?\d{1,2}", body):
        return True
    left = norm[max(0, s - 4) : s - 1]
    right = norm[e + 1 : e + 8]
    if left.endswith("《") or "《" in body:
        return True
    if right.startswith(cues.get("name_completer", ())) or left.endswith(cues.get("emphasis_before", ())):
        return True
    clause = re.split(r"[，。；、,;：:]", norm[max(0, s - 13) : s - 1])[-1]
    honour_after = ("复评", "称号", "荣誉")
    if any(w in clause for w in cues.get("honour", ())) or right.startswith(honour_after):
        if body.endswith(cues.get("title_end", ())) or right[:1] in ("县", "市", "镇", "乡"):
            return True
    contrast = cues.get("contrast", ())
    if nxt is not None and norm[e + 1 : nxt["start"] - 1] in contrast:
        return True
    if prev is not None and norm[prev["end"] + 1 : s - 1] in contrast:
        return True
    return False


def rule_scores(norm: str, cands: list[dict], lexicons: Optional[Lexicons] = None) -> list:
    """The decision the guide fixes for unquoted candidates: 1.0 accept, 0.0 reject, None open.

    - a closed-list formula (found unquoted) is a slogan;
    - a five-year plan code (十四五) is a slogan;
    - a parallel numeral run (三区两园一线, 三重一大, 双招双引) is a slogan when its groups have
      equal length (of the alternative ends, 三重一大 wins over 三重一大集);
    - numeral + 大/项 + noun (三大攻坚战, 三项制度) is a slogan when it ends where a word ends
      (punctuation or a function word or verb follows: the shortest such end) and does not
      close a list (…等四大主导产业 counts items named before it) nor end in a generic
      container noun (两大抓手, 5大园区: ``count_head`` in cues.txt);
    - numeral + 个 + noun is a plain count unless the closed list names it (两个确立).

    Quoted candidates are left to the judge (None), except those :func:`quoted_reject` rules out.

    Examples
    --------
    >>> t = "坚持三重一大集体决策，打好三大攻坚战，宣纸宣笔等四大主导产业"
    >>> cands = numeral_candidates(t)
    >>> sorted(t[c["start"]:c["end"]] for c, r in zip(cands, rule_scores(t, cands)) if r)
    ['三大攻坚战', '三重一大']
    """
    lexicons = lexicons or load_lexicons()
    quoted = [c for c in cands if c["source"] == "quoted"]
    rejected = {
        (c["start"], c["end"])
        for i, c in enumerate(quoted)
        if quoted_reject(norm, c, lexicons, quoted[i - 1] if i else None, quoted[i + 1] if i + 1 < len(quoted) else None)
    }
    out: list = []
    da_best: dict[int, int] = {}
    for c in cands:
        if c["source"] == "numeral" and c.get("pattern") == "da":
            r1 = norm[c["end"] : c["end"] + 1]
            if (not r1 or r1 in BOUNDARY_AFTER or r1 in PUNCT) and c["end"] < da_best.get(c["start"], 10**9):
                da_best[c["start"]] = c["end"]
    for c in cands:
        src = c["source"]
        if src == "formula":
            out.append(1.0)
        elif src == "numeral":
            s, e = c["start"], c["end"]
            l1 = norm[s - 1 : s]
            pattern = c.get("pattern")
            if pattern == "plan":
                ok = True
            elif pattern == "parallel":
                ok = len(set(_groups(norm[s:e]))) == 1 and l1 != "等"
            elif pattern == "da":
                ok = (
                    da_best.get(s) == e
                    and l1 != "等"
                    and not norm[s:e].endswith(lexicons.cues.get("count_head", ()))
                    and norm[e - 1] not in LOCATIVES
                )
            else:
                ok = False
            out.append(1.0 if ok else 0.0)
        else:
            out.append(0.0 if (c["start"], c["end"]) in rejected else None)
    return out


def candidate_features(norm: str, cands: list[dict], lexicons: Lexicons, *, doc_counts: dict | None = None) -> list[dict]:
    """One feature dict per candidate, for the slogan/no-slogan judge.

    Features: the source and quote type; the candidate's edge characters (first and last
    character, last bigram: inner character n-grams overfit the few hundred training spans); its shape (numerals, digits, separators 、 + space, parallelism,
    length); the frame noun after it; the characters and cue words around it (honour, product,
    adoption verbs, emphasis); 《》 around it; whether it stands in a run of quoted items; its
    frequency in the document; closed-list membership.

    Examples
    --------
    >>> t = "聚焦“强富美优”城市愿景"
    >>> f = candidate_features(t, quoted_candidates(t), load_lexicons())[0]
    >>> f["src=quoted"], f["frame=城市愿景"], f["l2=聚焦"]
    (1, 1, 1)
    """
    doc_counts = doc_counts if doc_counts is not None else {}
    feats = []
    n = len(norm)
    for c in cands:
        f, right, l1, r1, frame = _context_features(norm, c, lexicons, n)
        body = norm[c["start"]:c["end"]]
        f.update(_body_features(body, lexicons))
        cues = lexicons.cues
        f["title_end"] = int(body.endswith(cues.get("title_end", ())) or r1 in ("县", "市", "镇", "乡", "村", "奖"))
        f["name_after"] = int(right.startswith(cues.get("name_after", ())))
        anchored = frame is not None or "adopt_adjacent" in f
        f["anchored"] = int(anchored)
        if not f["has_num"]:
            f["plain_anchored" if anchored else "plain_unanchored"] = 1
        if c["source"] != "quoted":
            f["unq_r1_boundary"] = int(not r1 or r1 in BOUNDARY_AFTER)
            f["unq_l1_boundary"] = int(not l1 or l1 in BOUNDARY_AFTER or l1 in PUNCT)
        count = doc_counts.get(body, 1)
        f["freq>1"] = int(count > 1)
        feats.append(f)
    return feats


def _context_features(norm: str, c: dict, lexicons: Lexicons, n: int) -> tuple[dict, str, str, str, str | None]:
    """What surrounds a candidate: its source and quotes, the characters and cue words around it,
    the frame after it. Returns the features, the 8 characters after it, the characters right
    before and after, and the frame."""
    s, e = c["start"], c["end"]
    f: dict = {"src=" + c["source"]: 1}
    if c.get("pattern"):
        f["pat=" + c["pattern"]] = 1
    if c["quote"]:
        f["q=" + c["quote"]] = 1
    # outside the quote marks
    qs = s - 1 if c["quote"] else s
    qe = e + 1 if c["quote"] else e
    left = norm[max(0, qs - 8) : qs]
    right = norm[qe : min(n, qe + 8)]
    l1, l2 = left[-1:], left[-2:]
    r1, r2 = right[:1], right[:2]
    f["l1=" + (l1 or "^")] = 1
    f["l2=" + (l2 or "^")] = 1
    f["r1=" + (r1 or "$")] = 1
    f["r2=" + (r2 or "$")] = 1
    f["l1p"] = int(not l1 or l1 in PUNCT)
    f["r1p"] = int(not r1 or r1 in PUNCT)
    f["run"] = int(l1 in CLOSERS or r1 in OPENERS)
    f["book"] = int("《" in left and "》" not in left[left.rfind("《") :]) or int(l1 == "《")
    frame = find_frame(norm, e, lexicons)
    f["frame=" + (frame or "-")] = 1
    f["has_frame"] = int(frame is not None)
    for cat in CONTEXT_CUES:
        words = lexicons.cues.get(cat, ())
        hits_l = _cue_hits(left[-6:], words)
        hits_r = _cue_hits(right[:6], words)
        if hits_l:
            f["cueL=" + cat] = 1
        if hits_r:
            f["cueR=" + cat] = 1
        if cat == "adopt" and hits_l and left.endswith(tuple(hits_l)):
            f["adopt_adjacent"] = 1
    return f, right, l1, r1, frame


def _body_features(body: str, lexicons: Lexicons) -> dict:
    """The candidate itself: length, shape, edge characters, numerals, separators, list membership."""
    f: dict = {}
    f["len=" + _len_bucket(len(body))] = 1
    f["shape=" + _shape(body)[:10]] = 1
    f["first=" + body[0]] = 1
    f["last=" + body[-1]] = 1
    f["last2=" + body[-2:]] = 1
    n_num = sum(ch in COUNT_NUMERALS for ch in body)
    f["has_num"] = int(n_num > 0)
    f["num_start"] = int(body[0] in COUNT_NUMERALS or body[0] == "一")
    f["num_ratio"] = n_num / len(body)
    f["digits_only"] = int(all(ch in DIGITS or ch in "+-" for ch in body))
    f["measure"] = int(any(ch in COUNT_NUMERALS | {"一"} and nxt in MEASURE_AFTER for ch, nxt in zip(body, body[1:])))
    f["sep"] = int(any(ch in "、，, " for ch in body))
    f["plus"] = int("+" in body)
    f["space"] = int(" " in body)
    f["parallel"] = int(_parallel(body))
    f["closed_list"] = int(body in lexicons.formulas)
    f["cjk_only"] = int(all(is_cjk(ch) for ch in body))
    cues = lexicons.cues
    f["scope_start"] = int(body.startswith(cues.get("scope", ())))
    f["name_end"] = int(body.endswith(cues.get("name_end", ())))
    f["date_code"] = int(bool(re.fullmatch(r"\d{1,2}\s?[·.]\s?\d{1,2}", body)))
    return f


def kind_features(norm: str, cand: dict, lexicons: Lexicons) -> dict:
    """Features for the kind classifier (motto vs campaign vs numeric) of an accepted slogan.

    Examples
    --------
    >>> t = "组织“春风行动”"
    >>> kind_features(t, quoted_candidates(t)[0], load_lexicons())["tail=行动"]
    1
    """
    s, e = cand["start"], cand["end"]
    body = norm[s:e]
    qs = s - 1 if cand["quote"] else s
    left = norm[max(0, qs - 4) : qs]
    frame = find_frame(norm, e, lexicons)
    f = {"src=" + cand["source"]: 1, "frame=" + (frame or "-"): 1, "l2=" + left[-2:]: 1}
    if frame:
        f["frame_last=" + frame[-1]] = 1
    f["tail=" + body[-2:]] = 1
    f["last=" + body[-1]] = 1
    f["len=" + _len_bucket(len(body))] = 1
    f["parallel"] = int(_parallel(body))
    f["sep"] = int(any(ch in "、，, +·" for ch in body))
    f["has_num"] = int(any(ch in COUNT_NUMERALS for ch in body))
    f["has_yi"] = int("一" in body)
    for ch in set(body):
        f["c=" + ch] = 1
    return f


def rule_kind(body: str, cand: dict, lexicons: Lexicons) -> str | None:
    """The kind the guide fixes by form, or None when the form leaves it open.

    ``formula`` for an unquoted closed-list item that is not numeral-built; ``numeric`` for a
    numeral-built set name: a counting numeral or digit code (一 alone is "one", not a count:
    一村一品 and 一号工程 are no sets), not a measure (六级, 两万亿), not a festival date
    (五五购物节), and not a long word line with one numeral part (红色引擎+五线推进).

    Examples
    --------
    >>> lex = load_lexicons()
    >>> [rule_kind(b, {"source": "quoted"}, lex) for b in ["三提三争", "一村一品", "六级走访", "4+N", "强富美优"]]
    ['numeric', None, None, 'numeric', None]
    """
    if cand["source"] == "formula" and body in lexicons.formulas:
        return lexicons.formulas[body]
    if body in lexicons.formulas and lexicons.formulas[body] == "numeric":
        return "numeric"
    counts = [i for i, ch in enumerate(body) if ch in COUNT_NUMERALS]
    if not counts:
        return None
    if body.endswith("节"):
        return None
    for i in counts:
        if i > 0 and body[i - 1] in "前第首":
            return None  # a rank or an ordinal (拼争前十强), not a set
        nxt = body[i + 1] if i + 1 < len(body) else ""
        if nxt in MEASURE_AFTER and not (nxt == "年" and i > 0 and body[i - 1] in "个"):
            return None
    parts = [p for p in re.split(r"[+＋]", body) if p]
    if len(parts) > 1 and any(len(p) >= 3 and not any(ch in COUNT_NUMERALS for ch in p) for p in parts):
        return None
    return "numeric"
