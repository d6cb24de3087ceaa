"""qidu_nlp.slogan_features: pure candidate finders and features for the slogan judge.

Everything here works on plain strings (the normalised view of a document, see
:func:`qidu_nlp.text.normalize`) and returns plain data, so it is testable without a pipeline:

- :func:`quoted_candidates`: the text inside every outermost pair of quotation marks, in all
  quote styles (“” ‘’ 「」 『』, and ASCII ``"`` / ``'`` where they balance on the line);
- :func:`numeral_candidates`: unquoted numeral abbreviations by a small grammar over Chinese
  numerals and digits (三区两园一线, 三提三争, 四清一落实, 两个确立, 十四五, 三大攻坚战, 三项制度);
- :func:`formula_candidates`: the closed list of national formulas, matched on characters;
- :func:`repeat_candidates`: unquoted repetitions of slogans quoted elsewhere;
- :func:`candidate_features` and :func:`kind_features`: feature dicts for the classifiers;
- :func:`rule_kind`: the kinds the guide fixes by form (formula, numeric);
- :func:`slogan_norm`: the canonical form shared by spelling variants.

A candidate is a dict ``{"start", "end", "source", "quote"}`` with ``source`` one of
``"quoted"``, ``"numeral"``, ``"formula"``, ``"repeat"`` and ``quote`` the opening mark (or "").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional
from functools import cached_property, lru_cache
from importlib import resources

from .text import normalize, trim_span

__all__ = [
    "Lexicons",
    "load_lexicons",
    "quoted_candidates",
    "numeral_candidates",
    "formula_candidates",
    "repeat_candidates",
    "find_candidates",
    "candidate_features",
    "kind_features",
    "rule_kind",
    "rule_scores",
    "quoted_reject",
    "slogan_norm",
    "find_frame",
]

OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
CLOSERS = {v: k for k, v in OPENERS.items()}
ASCII_QUOTES = ('"', "'")
MAX_QUOTED = 40
SENT_FINAL = set("。！？!?\n")
# every character the quote scanner acts on; all others are skipped without a look
_QUOTE_CHARS = re.compile("[" + re.escape("".join(OPENERS) + "".join(OPENERS.values()) + "".join(ASCII_QUOTES)) + "]")
NUMERALS = "一二两三四五六七八九十百千双"
COUNT_NUMERALS = set("二两三四五六七八九十双") | set("0123456789")
DIGITS = set("0123456789")
CONTEXT_CUES = ("honour", "product", "adopt", "emphasis")
LOCATIVES = set("中上下内外里间前后")
BOUNDARY_AFTER = set("等的和与及为是、，。；：在有取实建成加持全将已均")
PUNCT = set("，。、；：？！,.;:?!（）()《》【】“”‘’「」『』\"' \n")
# a numeral followed by one of these is a measure, a date or an ordinal, not a set count
MEASURE_AFTER = set("号级万亿千百年月日周次人元%岁期届")
# unquoted numeral grammar
_N = "[一二两三四五六七八九十双]"
_ND = r"(?:[二两三四五六七八九十]|\d{1,2})"
_C = "[\u4e00-\u9fff]"
_NOT_N = "[^一二两三四五六七八九十双个年月日次位名家项件元人户届期号级万亿千百第多余几批种些道起系\\W\\d_a-zA-Z]"
_N_SET = set("一二两三四五六七八九十双")
NUMERAL_PATTERNS = (
    ("plan", re.compile(r"(?<!第)十[一二三四五六七八九]五")),
    ("parallel", re.compile(rf"(?<![一二两三四五六七八九十双第\d]){_N}{_NOT_N}{{1,2}}(?:{_N}{_NOT_N}{{1,2}}){{1,3}}")),
    ("ge", re.compile(rf"(?<![一二两三四五六七八九十\d第]){_ND}个{_NOT_N}{{2}}")),
    ("da", re.compile(rf"(?<![一二两三四五六七八九十\d第]){_ND}[大项]{_NOT_N}{{2,4}}")),
)


@dataclass(frozen=True)
class Lexicons:
    """The slogan component's word lists (``qidu_nlp/data/slogans/*.txt``)."""

    formulas: dict = field(default_factory=dict)
    frames: tuple = ()
    cues: dict = field(default_factory=dict)
    blocked: frozenset = frozenset()

    @cached_property
    def frame_set(self) -> frozenset:
        return frozenset(self.frames)

    def to_dict(self) -> dict:
        return {
            "formulas": dict(self.formulas),
            "frames": list(self.frames),
            "cues": {k: list(v) for k, v in self.cues.items()},
            "blocked": sorted(self.blocked),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Lexicons":
        return cls(
            formulas=dict(data["formulas"]),
            frames=tuple(sorted(data["frames"], key=len, reverse=True)),
            cues={k: tuple(v) for k, v in data["cues"].items()},
            blocked=frozenset(data["blocked"]),
        )


def _lines(name: str) -> list[str]:
    entry = resources.files("qidu_nlp") / "data" / "slogans" / name
    out = []
    for line in entry.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """Read the packaged lexicons (closed formula list, frame nouns, context cues, blocked words).

    Examples
    --------
    >>> lex = load_lexicons()
    >>> lex.formulas["两个确立"], "工作体系" in lex.frames
    ('numeric', True)
    """
    formulas = {}
    for line in _lines("formulas.txt"):
        term, _, kind = line.partition("\t")
        kind = kind.strip() or ("numeric" if any(c in NUMERALS for c in term) else "formula")
        formulas[term.strip()] = kind
    frames = tuple(sorted(set(_lines("frames.txt")), key=len, reverse=True))
    cues: dict[str, list[str]] = {}
    for line in _lines("cues.txt"):
        cat, _, word = line.partition("\t")
        cues.setdefault(cat.strip(), []).append(word.strip())
    return Lexicons(
        formulas=formulas,
        frames=frames,
        cues={k: tuple(v) for k, v in cues.items()},
        blocked=frozenset(_lines("blocked.txt")),
    )


# --- candidate finders ---------------------------------------------------------------------


def quoted_candidates(norm: str) -> list[dict]:
    """Return the text inside every outermost pair of quotation marks.

    Quotes pair within one line. A second “ while a “ is open replaces the stray first one
    (Chinese nests ‘’ inside “”, never “ inside “); an unclosed quote yields nothing; with
    nested quotes only the outer text is a candidate; ASCII quotes count only where they
    balance on their line. Quoted text longer than 40 characters or holding a sentence end is
    no candidate.

    Examples
    --------
    >>> t = "聚焦“闲地”“闲产”，“旧貌”换‘新颜’，“全国‘文明’村”，“无“零容忍”"
    >>> [t[c["start"]:c["end"]] for c in quoted_candidates(t)]
    ['闲地', '闲产', '旧貌', '新颜', '全国‘文明’村', '零容忍']
    """
    out = []
    pos = 0
    for line in norm.split("\n"):
        ascii_ok = {q: line.count(q) % 2 == 0 for q in ASCII_QUOTES}
        stack: list[tuple[str, int]] = []
        for m in _QUOTE_CHARS.finditer(line):
            i, ch = m.start(), m.group()
            if stack and (ch == OPENERS.get(stack[-1][0]) or (ch in ASCII_QUOTES and ch == stack[-1][0])):
                opener, start = stack.pop()
                if not stack:
                    s, e = trim_span(line, start + 1, i)
                    body = line[s:e]
                    if 0 < e - s <= MAX_QUOTED and not (set(body) & SENT_FINAL):
                        out.append({"start": pos + s, "end": pos + e, "source": "quoted", "quote": opener})
                continue
            if ch in OPENERS:
                if stack and stack[-1][0] == ch:
                    stack = [(ch, i)] if len(stack) == 1 else stack[:-1] + [(ch, i)]
                else:
                    stack.append((ch, i))
            elif ch in ASCII_QUOTES and ascii_ok[ch]:
                stack.append((ch, i))
        pos += len(line) + 1
    return out


def _quoted_mask(norm: str, quoted: list[dict]) -> bytearray:
    mask = bytearray(len(norm))
    for c in quoted:
        mask[c["start"] - 1 : c["end"] + 1] = b"\x01" * (c["end"] - c["start"] + 2)
    return mask


_ND_HEAD = re.compile(_ND + "[大项]")


def numeral_candidates(norm: str) -> list[dict]:
    """Unquoted numeral-built phrases that may name a set (the judge decides which do).

    The grammar: five-year plans (十四五), parallel numeral + word runs (三区两园一线, 三重一大,
    四清一落实, 双招双引), numeral + 个 + two characters (两个确立) and numeral + 大/项 + two to four
    characters (三大攻坚战, 三项制度; each length is a candidate). Ordinals (第…) and numbers
    that continue a longer numeral are excluded.

    Examples
    --------
    >>> t = "坚持三重一大集体决策，打好三大攻坚战，落实十四五规划"
    >>> sorted({t[c["start"]:c["end"]] for c in numeral_candidates(t)})
    ['三大攻坚', '三大攻坚战', '三重一大', '三重一大集', '十四五']
    """
    out = []
    seen = set()
    for name, pattern in NUMERAL_PATTERNS:
        for m in pattern.finditer(norm):
            s, e = m.span()
            ends = [e]
            if name == "parallel" and e - s > 4 and norm[e - 2] not in _N_SET:
                ends = [e - 1, e]  # the last item has one character or two: 三重一大 | 四清一落实
            if name == "da":
                head = _ND_HEAD.match(norm, s).end()
                ends = list(range(head + 2, e + 1))
            for end in ends:
                if (s, end) not in seen:
                    seen.add((s, end))
                    out.append({"start": s, "end": end, "source": "numeral", "quote": "", "pattern": name})
    return out


def _automaton(terms: tuple):
    try:
        import ahocorasick
    except ImportError:  # pragma: no cover - the regex fallback gives the same matches
        return None
    auto = ahocorasick.Automaton()
    for term in terms:
        auto.add_word(term, term)
    auto.make_automaton()
    return auto


@lru_cache(maxsize=8)
def _formula_matcher(terms: tuple):
    auto = _automaton(terms) if terms else None
    regex = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))) if terms else None
    return auto, regex


def _match_terms(norm: str, terms: tuple) -> list[tuple[int, int]]:
    auto, regex = _formula_matcher(terms)
    if auto is not None:
        hits = sorted(((end + 1 - len(term), end + 1) for end, term in auto.iter(norm)), key=lambda x: (x[0], -x[1]))
        out, last = [], -1
        for s, e in hits:  # leftmost-longest, no overlaps
            if s >= last:
                out.append((s, e))
                last = e
        return out
    return [m.span() for m in regex.finditer(norm)] if regex else []


def formula_candidates(norm: str, lexicons: Lexicons) -> list[dict]:
    """Every occurrence of a closed-list formula (leftmost longest, on characters).

    Examples
    --------
    >>> t = "坚持稳中求进工作总基调，贯彻新发展理念"
    >>> [t[c["start"]:c["end"]] for c in formula_candidates(t, load_lexicons())]
    ['稳中求进工作总基调', '新发展理念']
    """
    terms = tuple(sorted(lexicons.formulas))
    return [
        {"start": s, "end": e, "source": "formula", "quote": ""}
        for s, e in _match_terms(norm, terms)
    ]


def repeat_candidates(norm: str, norms: dict, *, min_len: int = 3) -> list[dict]:
    """Unquoted occurrences of known slogans (``norms``: surface → kind).

    Two-character slogans count only when numeric (四风, 三公): shorter words recur by chance.

    Examples
    --------
    >>> t = "围绕“强富美优”城市愿景，建设强富美优新城区"
    >>> [(c["start"], c["end"]) for c in repeat_candidates(t, {"强富美优": "motto"})]
    [(15, 19)]
    """
    terms = tuple(
        sorted(t for t, k in norms.items() if len(t) >= min_len or (len(t) == 2 and k == "numeric"))
    )
    if not terms:
        return []
    out = []
    for s, e in _match_terms(norm, terms):
        before = norm[s - 1] if s > 0 else ""
        after = norm[e] if e < len(norm) else ""
        if before in OPENERS or before in ASCII_QUOTES or after in CLOSERS or after in ASCII_QUOTES:
            continue
        out.append({"start": s, "end": e, "source": "repeat", "quote": ""})
    return out


def find_candidates(norm: str, lexicons: Lexicons, *, known: dict | None = None) -> list[dict]:
    """All candidates of a text, each (start, end) once; quoted ones take precedence.

    Unquoted candidates are not sought inside quoted text. An unquoted candidate whose first
    character completes a blocked word with the character before it (创|新发展理念) is dropped.
    Candidates crossing a line break or starting/ending on whitespace never occur.

    Examples
    --------
    >>> t = "坚定“两个确立”，坚持三重一大，贯彻新发展理念"
    >>> [(t[c["start"]:c["end"]], c["source"]) for c in find_candidates(t, load_lexicons())]
    [('两个确立', 'quoted'), ('三重一大', 'numeral'), ('新发展理念', 'formula')]
    """
    quoted = quoted_candidates(norm)
    mask = _quoted_mask(norm, quoted)
    out = list(quoted)
    seen = {(c["start"], c["end"]) for c in quoted}
    unquoted = formula_candidates(norm, lexicons) + numeral_candidates(norm)
    if known:
        unquoted += repeat_candidates(norm, known)
    for c in unquoted:
        s, e = c["start"], c["end"]
        if (s, e) in seen or any(mask[s:e]):
            continue
        if s > 0 and norm[s - 1 : s + 1] in lexicons.blocked:
            continue
        if "\n" in norm[s:e] or norm[s].isspace() or norm[e - 1].isspace():
            continue
        seen.add((s, e))
        out.append(c)
    out.sort(key=lambda c: (c["start"], c["end"]))
    return out


# --- features -------------------------------------------------------------------------------


def find_frame(norm: str, end: int, lexicons: Lexicons) -> str | None:
    """The frame noun right after a slogan ending at ``end`` (closing quotes skipped).

    Examples
    --------
    >>> t = "围绕“1221”工作体系"
    >>> find_frame(t, 7, load_lexicons())
    '工作体系'
    """
    i = end
    while i < len(norm) and (norm[i] in CLOSERS or norm[i] in ASCII_QUOTES):
        i += 1
    if norm[i : i + 1] == "等":
        i += 1
    window = norm[i : i + 8]
    # the longest frame that starts the window (lexicons.frames is sorted longest first): a
    # set lookup per prefix length instead of a startswith per frame
    frames = lexicons.frame_set
    for k in range(len(window), 0, -1):
        if window[:k] in frames:
            return window[:k]
    return None


def _shape(body: str) -> str:
    out = []
    for ch in body:
        if ch in DIGITS:
            out.append("d")
        elif ch in NUMERALS:
            out.append("n")
        elif "\u4e00" <= ch <= "\u9fff":
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
    return [len(g) for g in re.findall(f"{_N}([^{_N[1:-1]}]+)", body)]


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
        s, e = c["start"], c["end"]
        body = norm[s:e]
        f: dict = {}
        f["src=" + c["source"]] = 1
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
        # the candidate itself
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
        f["cjk_only"] = int(all("\u4e00" <= ch <= "\u9fff" for ch in body))
        cues = lexicons.cues
        f["scope_start"] = int(body.startswith(cues.get("scope", ())))
        f["title_end"] = int(body.endswith(cues.get("title_end", ())) or r1 in ("县", "市", "镇", "乡", "村", "奖"))
        f["name_end"] = int(body.endswith(cues.get("name_end", ())))
        f["name_after"] = int(right.startswith(cues.get("name_after", ())))
        f["date_code"] = int(bool(re.fullmatch(r"\d{1,2}\s?[·.]\s?\d{1,2}", body)))
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


_PUNCT_FOLD = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）", "－": "-", "–": "-", "—": "—"}


def slogan_norm(surface: str) -> str:
    """The canonical form of a slogan: quotes stripped, widths folded, spacing unified.

    Examples
    --------
    >>> slogan_norm("“文化齐都　品质小城”") == slogan_norm("文化齐都 品质小城") == "文化齐都 品质小城"
    True
    >>> slogan_norm("４＋Ｎ"), slogan_norm("全覆盖,无死角")
    ('4+N', '全覆盖，无死角')
    """
    text = normalize(unicodedata.normalize("NFC", surface)).strip()
    text = text.strip("“”‘’「」『』\"' ")
    text = "".join(_PUNCT_FOLD.get(ch, ch) for ch in text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ?([、，；：+·—\-/]) ?", r"\1", text)
    return text.upper() if re.fullmatch(r"[0-9a-zA-Z+\-]+", text) else text
