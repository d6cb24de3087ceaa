"""qidu_nlp.rules.indicators.table: the canonical indicators, their Chinese names and the words around them.

One table (``data/indicators/indicators.json``) names every indicator the library knows by a
short English id (``GDP``, ``CPI``, ``fixed-asset investment`` …) with

* ``aliases``: how reports write it (国内生产总值 = 地区生产总值 = 国民生产总值 (before 1994) = GDP);
* ``growth``: words that already mean its growth (经济增长, 经济增速: a percentage after them is a
  change of GDP);
* ``tight``: short product names (钢, 原煤, 棉花) that name the indicator only when a number follows;
* ``heldout_aliases``: forms seen only in the held-out documents of the indicator gold; the
  shipped table uses them, the held-out benchmark runs without them (``lexicon="dev"``);
* ``kind``: ``rate`` when the indicator itself is a percentage (失业率, 城镇化率, shares), so that a
  percentage is its level, else ``level``;
* ``lower_is_better``: ceilings (prices, unemployment, energy intensity) for :func:`compare`.

It also holds the words that name several indicators at once (``lists``: 城乡居民人均可支配收入
分别…) and the shares of a whole (``shares``: 服务业增加值在国内生产总值中的比重 is the service share of
GDP, never GDP). ``data/indicators/cues.json`` holds the cue words of the rules.

Examples
--------
>>> table = load_table()
>>> table.lookup("国民生产总值"), table.lookup("经济增长"), table.lookup("钢")
(('GDP', 'alias'), ('GDP', 'growth'), ('steel output', 'tight'))
>>> table.resolve("GDP growth"), table.resolve("居民消费价格")
(('GDP', 'change'), ('CPI', 'value'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...errors import InputError
from ...resources import Folder, data_folder, read_json
from ...text.normalize import normalize
from ...text.terms import longest_first

__all__ = ["Indicator", "IndicatorTable", "load_table", "load_cues", "TABLE_FILE", "CUES_FILE"]

TABLE_FILE = "indicators.json"
CUES_FILE = "cues.json"
FORMS = ("alias", "growth", "tight")
KINDS = ("level", "rate")


@dataclass(frozen=True)
class Indicator:
    """One canonical indicator: its id, main Chinese name, kind and written forms."""

    id: str
    zh: str
    kind: str = "level"
    lower_is_better: bool = False
    aliases: tuple[str, ...] = ()
    growth: tuple[str, ...] = ()
    tight: tuple[str, ...] = ()
    heldout_aliases: tuple[str, ...] = ()
    note: str = ""


@dataclass
class IndicatorTable:
    """The canonical indicators with a lookup from every written form to ``(id, form)``.

    Parameters
    ----------
    indicators : list of Indicator
    lists : dict
        Written form → ``{"parts": [ids], "single": id}`` (words naming several indicators).
    shares : list of dict
        ``{"parts": [words], "whole": id, "id": share id}``.
    lexicon : {"all", "dev"}
        ``"dev"`` leaves out the ``heldout_aliases``.
    """

    indicators: list[Indicator]
    lists: dict = field(default_factory=dict)
    shares: list = field(default_factory=list)
    lexicon: str = "all"

    def __post_init__(self) -> None:
        self.by_id = {ind.id: ind for ind in self.indicators}
        self.forms: dict[str, tuple[str, str]] = {}
        for ind in self.indicators:
            held = ind.heldout_aliases if self.lexicon == "all" else ()
            for form, words in (("alias", ind.aliases + held), ("growth", ind.growth), ("tight", ind.tight)):
                for word in map(normalize, words):  # texts are read normalised: 农业（包括农村副业） → 农业(包括农村副业)
                    old = self.forms.get(word)
                    if old is not None and old[0] != ind.id:
                        raise InputError(TABLE_FILE, f"{word!r} names both {old[0]!r} and {ind.id!r}")
                    self.forms.setdefault(word, (ind.id, form))
        self.lists = {normalize(word): spec for word, spec in self.lists.items()}
        for word, spec in self.lists.items():
            for ident in [*spec.get("parts", []), *([spec["single"]] if spec.get("single") else [])]:
                if ident not in self.by_id:
                    raise InputError(TABLE_FILE, f"list {word!r} names the unknown indicator {ident!r}")
        for entry in self.shares:
            for ident in (entry["whole"], entry["id"]):
                if ident not in self.by_id:
                    raise InputError(TABLE_FILE, f"a share names the unknown indicator {ident!r}")
        words = longest_first({*self.forms, *self.lists})
        self.pattern = re.compile("|".join(re.escape(w) for w in words))
        self.share_parts = {normalize(p): e for e in self.shares for p in e["parts"]}

    def lookup(self, word: str) -> tuple[str, str] | None:
        """``(id, form)`` of a written form (form: alias, growth or tight), or None."""
        return self.forms.get(word)

    def closest(self, name: str) -> str | None:
        """The indicator a name found by syntax writes in other words, or None.

        The name with its scope words cut and its fillers dropped (``cues.json``, key
        ``other_words``: 全市, 家庭, 年人均, 的) is looked up; else the longest written form whose
        characters run through the name in order, ending with the name's last two characters and
        covering most of it (农村居民家庭人均纯收入 holds 农民人均纯收入 in order).

        Examples
        --------
        >>> table = load_table()
        >>> table.closest("全国城镇居民家庭人均可支配收入"), table.closest("农村居民家庭人均纯收入"), table.closest("甘蔗")
        ('urban per capita disposable income', 'rural per capita income', None)
        """
        spec = load_cues()["other_words"]
        words = normalize(name)
        if words in self.forms:
            return self.forms[words][0]
        for scope in spec["scope"]:
            if words.startswith(scope) and len(words) > len(scope) + 1:
                words = words[len(scope):]
                break
        for old, new in spec["fillers"]:
            words = words.replace(old, new)
        found = self.forms.get(words)
        if found is not None:
            return found[0]
        best = None
        for form, (ident, _) in self.forms.items():
            if len(form) < spec["min_form"] or form[-2:] != words[-2:] or len(form) < spec["min_cover"] * len(words):
                continue
            if _runs_through(form, words) and (best is None or len(form) > len(best[0])) \
                    and not any(w in _inserted(form, words) for w in spec["not_inserted"]):
                best = (form, ident)
        return best[1] if best else None

    def resolve(self, name: str) -> tuple[str, str]:
        """The indicator and the field a series name asks for: ``"GDP growth"`` → ``("GDP", "change")``.

        A name is an id, an id followed by `` growth``/`` change`` (the change), or a Chinese form
        (a growth word such as 经济增长 asks for the change).

        Raises
        ------
        KeyError
            When the name is none of these.
        """
        name = name.strip()
        if name in self.by_id:
            return name, "value"
        for suffix in (" growth", " change"):
            if name.endswith(suffix) and name[: -len(suffix)] in self.by_id:
                return name[: -len(suffix)], "change"
        found = self.forms.get(normalize(name))
        if found is not None:
            return found[0], "change" if found[1] == "growth" else "value"
        lowered = {ident.lower(): ident for ident in self.by_id}
        if name.lower() in lowered:
            return lowered[name.lower()], "value"
        raise KeyError(f"unknown indicator {name!r}: use an id of {TABLE_FILE} (e.g. 'GDP', 'GDP growth', 'CPI') "
                       "or one of its Chinese names")


def _runs_through(form: str, words: str) -> bool:
    """The characters of ``form`` occur in ``words`` in order (not necessarily together)."""
    it = iter(words)
    return all(ch in it for ch in form)


def _inserted(form: str, words: str) -> str:
    """The characters of ``words`` that ``form`` does not take, matched in order from the left, with
    "|" where the form's characters resume (农民人均务工纯收入 minus 农民人均纯收入 → 务工|)."""
    out, i = [], 0
    for ch in words:
        if i < len(form) and ch == form[i]:
            i += 1
            if out and out[-1] != "|":
                out.append("|")
        else:
            out.append(ch)
    return "".join(out)


def read_table(folder: Folder, *, lexicon: str = "all") -> IndicatorTable:
    """The table of ``folder/indicators.json`` (``lexicon="dev"``: without the held-out aliases)."""
    data = read_json(folder, TABLE_FILE)
    indicators = []
    for n, rec in enumerate(data["indicators"]):
        if rec.get("kind", "level") not in KINDS:
            raise InputError(TABLE_FILE, f"indicator {n} ({rec.get('id')!r}) has kind {rec.get('kind')!r}, "
                             f"not one of {', '.join(KINDS)}")
        indicators.append(Indicator(
            id=rec["id"], zh=rec.get("zh", ""), kind=rec.get("kind", "level"),
            lower_is_better=bool(rec.get("lower_is_better")),
            **{k: tuple(rec.get(k, ())) for k in ("aliases", "growth", "tight", "heldout_aliases")},
            note=rec.get("note", ""),
        ))
    lists = {k: v for k, v in data.get("lists", {}).items() if not k.startswith("_")}
    return IndicatorTable(indicators, lists, data.get("shares", {}).get("entries", []), lexicon=lexicon)


@lru_cache(maxsize=2)
def load_table(lexicon: str = "all") -> IndicatorTable:
    """The packaged table (cached); ``lexicon="dev"`` leaves out the held-out aliases.

    Examples
    --------
    >>> len(load_table("dev").by_id) == len(load_table().by_id)
    True
    >>> load_table().by_id["urban registered unemployment rate"].kind
    'rate'
    """
    return read_table(data_folder("indicators"), lexicon=lexicon)


@lru_cache(maxsize=1)
def load_cues() -> dict:
    """The cue words of the rules (``data/indicators/cues.json``)."""
    return read_json(data_folder("indicators"), CUES_FILE)
