"""qidu_nlp.rules.entities.select: from candidates to the flat entity layer.

:func:`select` keeps the longest non-overlapping candidates; :func:`propagate` finds again,
anywhere in the document, the names learned from them; :func:`add_parts` records the villages
and places inside an ORG, PROJECT, EVENT or DOC name.
"""

from __future__ import annotations

import bisect
import re

import ahocorasick

from ...text.chars import is_cjk
from .context import Context, boundary_after, boundary_before

__all__ = ["select", "propagate", "add_parts", "PRIORITY"]

# ties between candidates of equal length
PRIORITY = {"DOC": 7, "EVENT": 6, "PERSON": 5, "ORG": 4, "PROJECT": 3, "VILLAGE": 3, "PLACE": 2}


def select(cands: list[dict]) -> list[dict]:
    """Keep the longest non-overlapping candidates (ties: DOC > EVENT > PERSON > ORG > … > PLACE).

    Examples
    --------
    >>> c = [{"start": 0, "end": 3, "label": "PLACE"}, {"start": 0, "end": 7, "label": "ORG"}]
    >>> [x["label"] for x in select(c)]
    ['ORG']
    """
    if not cands:
        return []
    # positions from the first candidate's start: add_parts selects inside one name at a time,
    # and an array from position 0 would make each of those calls as long as the document
    lo = min(c["start"] for c in cands)
    taken = bytearray(max(c["end"] for c in cands) - lo + 1)
    out = []
    for c in sorted(cands, key=lambda c: (-(c["end"] - c["start"]), -PRIORITY[c["label"]], c["start"])):
        s, e = c["start"] - lo, c["end"] - lo
        if any(taken[s:e]):
            continue
        taken[s:e] = b"\x01" * (e - s)
        out.append(c)
    return sorted(out, key=lambda c: c["start"])


# the judge's probability a chosen name needs before it is found again elsewhere in the document
LEARN_FROM_SCORE = 0.5


def propagate(ctx: Context, chosen: list[dict], cands: list[dict]) -> list[dict]:
    """Find again, anywhere in the document, the names learned from the chosen entities.

    A town's bare name (齐都) is learned from any mention of its full name (齐都镇), also one
    inside a longer name (齐都镇人民政府); a district's short form that is also an ordinary word
    (武昌, 上城) once the full name (武昌区) occurred. A name learned from an entity must pass the
    proper-name test: neither it nor its norm is an ordinary word (健全社区 teaches no 健全). All
    names are found in one Aho–Corasick pass over the text.
    """
    text, lex = ctx.text, ctx.lex
    learned: dict[str, tuple[str, str]] = {}
    aliases: set[str] = set()
    for c in cands:
        if c["label"] == "PLACE" and c.get("level") == "town" and c["norm"] in lex.town_alias \
                and not lex.is_common(c["norm"], 9.5):
            learned.setdefault(c["norm"], ("PLACE", c["norm"]))
        if c["label"] == "PLACE" and c.get("level") == "county" and len(c["norm"]) >= 2 \
                and c["norm"] not in lex.divisions and text[c["start"]:c["end"]][-1] in "区县市旗":
            learned.setdefault(c["norm"], ("PLACE", c["norm"]))
            aliases.add(c["norm"])
    for c in chosen:
        surface = text[c["start"]:c["end"]]
        if c.get("generic") or c["label"] in ("EVENT", "DOC", "PLACE"):
            continue
        if lex.is_common(surface) or lex.is_common(c["norm"]):
            continue  # the proper-name test
        if c.get("score", 1.0) < LEARN_FROM_SCORE:
            continue  # a name the judge only half believes is not taught to the whole document
        if c["label"] == "VILLAGE" and len(c["norm"]) >= 2 and c["norm"] not in lex.regions \
                and c["norm"] not in lex.divisions:
            learned.setdefault(c["norm"], ("VILLAGE", c["norm"]))
        if len(re.sub(r"\s", "", surface)) >= 2:
            learned.setdefault(surface, (c["label"], c["norm"]))
    if not learned:
        return chosen
    auto = ahocorasick.Automaton()
    for surface in learned:
        auto.add_word(surface, surface)
    auto.make_automaton()
    extra = []
    for last, surface in auto.iter(text):
        label, norm = learned[surface]
        s, e = last + 1 - len(surface), last + 1
        if len(surface) <= 2 and not (s in ctx.token_starts and e in ctx.token_ends):
            continue
        if s > 0 and is_cjk(text[s - 1]) and s not in ctx.token_starts and not boundary_before(text, s, lex):
            continue
        if surface in aliases and e < len(text) and is_cjk(text[e]) and text[e] not in "的和与、" \
                and s > 0 and is_cjk(text[s - 1]):
            continue  # 武昌 stands alone (落户武昌。); 解放 in 解放军 is no district
        if label == "VILLAGE" and surface == norm and e < len(text) and is_cjk(text[e]) \
                and text[e] not in "村和与、" and not boundary_after(text, e, lex):
            continue  # a village named again bare stands alone: not 珠江口, 黄河旅游带, 儿童友好城市
        if ctx.ok_span(s, e):
            extra.append({"start": s, "end": e, "label": label, "norm": norm})
    taken = bytearray(len(text) + 1)
    for c in chosen:
        taken[c["start"]:c["end"]] = b"\x01" * (c["end"] - c["start"])
    for c in sorted(extra, key=lambda c: (-(c["end"] - c["start"]), c["start"])):
        if not any(taken[c["start"]:c["end"]]):
            taken[c["start"]:c["end"]] = b"\x01" * (c["end"] - c["start"])
            chosen.append(c)
    return sorted(chosen, key=lambda c: c["start"])


def add_parts(chosen: list[dict], cands: list[dict]) -> None:
    """Give every ORG, PROJECT, EVENT or DOC name the villages and places inside it, as
    ``parts`` (``[{"label", "norm"}]``).

    The villages and places are sorted by start once and those inside a name found by
    bisection (a scan of all candidates per name grew with the square of the document).

    Examples
    --------
    >>> chosen = [{"start": 0, "end": 7, "label": "ORG"}]
    >>> cands = [{"start": 0, "end": 3, "label": "PLACE", "norm": "齐都"}, {"start": 5, "end": 9, "label": "PLACE", "norm": "x"}]
    >>> add_parts(chosen, cands); chosen[0]["parts"]
    [{'label': 'PLACE', 'norm': '齐都'}]
    """
    inner = sorted((o["start"], i) for i, o in enumerate(cands) if o["label"] in ("VILLAGE", "PLACE"))
    starts = [s for s, _ in inner]
    for c in chosen:
        if c["label"] not in ("ORG", "PROJECT", "EVENT", "DOC"):
            continue
        lo, hi = bisect.bisect_left(starts, c["start"]), bisect.bisect_left(starts, c["end"])
        # in the candidates' own order, as select() breaks ties by it
        within = [cands[i] for i in sorted(i for _, i in inner[lo:hi])]
        parts = []
        for o in select([o for o in within if o["end"] <= c["end"]
                         and (o["start"], o["end"]) != (c["start"], c["end"])]):
            part = {"label": o["label"], "norm": o["norm"]}
            if part not in parts:
                parts.append(part)
        if parts:
            c["parts"] = parts
