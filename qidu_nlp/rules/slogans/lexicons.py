"""qidu_nlp.rules.slogans.lexicons: the slogan rules' word lists (``qidu_nlp/data/slogans``).

``formulas.txt`` (the closed list of unquoted national formulas, with their kinds),
``frames.txt`` (head nouns that follow a slogan: 工作体系, 发展蓝图 …), ``cues.txt`` (context words
by category) and ``blocked.txt`` (words an unquoted candidate must not cut). :func:`read_lexicons`
reads them from any folder: the packaged data, a saved pipeline, or the bytes of one.

Examples
--------
>>> lex = load_lexicons()
>>> lex.formulas["两个确立"], lex.formulas["新发展理念"], "工作体系" in lex.frames
('numeric', 'formula', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterable

from ...resources import Folder, data_folder, read_lines
from ...schema import SLOGAN_KINDS
from ...text.chars import CN_DIGITS, CN_PAIR, CN_TEN_POWERS, CN_TWO
from ...text.terms import longest_first

__all__ = ["Lexicons", "load_lexicons", "read_lexicons", "parse_formulas", "DATA_FILES", "NUMERALS"]

DATA_FILES = ("formulas.txt", "frames.txt", "cues.txt", "blocked.txt")
# the numerals of a set name: 一 … 九, 两, 十, 百, 千 and 双 (双招双引)
NUMERALS = CN_DIGITS[:2] + CN_TWO + CN_DIGITS[2:] + CN_TEN_POWERS + CN_PAIR


@dataclass(frozen=True)
class Lexicons:
    """The slogan component's word lists.

    Attributes
    ----------
    formulas : dict
        The closed list: term → kind (``numeric`` or ``formula``).
    frames : tuple
        Frame nouns, longest first.
    cues : dict
        Category → context words (honour, product, adopt, emphasis, campaign_head …).
    blocked : frozenset
        Two-character words an unquoted candidate may not start inside (创|新发展理念).
    """

    formulas: dict = field(default_factory=dict)
    frames: tuple = ()
    cues: dict = field(default_factory=dict)
    blocked: frozenset = frozenset()

    @cached_property
    def frame_set(self) -> frozenset:
        return frozenset(self.frames)


def parse_formulas(lines: Iterable[str]) -> dict[str, str]:
    """The closed formula list from its lines (``TERM`` or ``TERM<TAB>KIND``): term → kind.

    A line without a (valid) kind is ``numeric`` when the term holds a numeral, else ``formula``.
    This is the one reader of ``formulas.txt``; the slogan rules, the pkuseg user dictionary and
    the baselines all take the list from :func:`load_lexicons`.

    Examples
    --------
    >>> parse_formulas(["新发展理念", "两个确立\\tnumeric", "六稳"])
    {'新发展理念': 'formula', '两个确立': 'numeric', '六稳': 'numeric'}
    """
    formulas = {}
    for line in lines:
        term, _, kind = line.partition("\t")
        kind = kind.strip()
        if kind not in SLOGAN_KINDS:
            kind = "numeric" if any(c in NUMERALS for c in term) else "formula"
        formulas[term.strip()] = kind
    return formulas


def read_lexicons(folder: Folder) -> Lexicons:
    """Read the lexicons from ``folder`` (a folder holding :data:`DATA_FILES`)."""
    cues: dict[str, list[str]] = {}
    for line in read_lines(folder, "cues.txt"):
        cat, _, word = line.partition("\t")
        cues.setdefault(cat.strip(), []).append(word.strip())
    return Lexicons(
        formulas=parse_formulas(read_lines(folder, "formulas.txt")),
        frames=tuple(longest_first(read_lines(folder, "frames.txt"))),
        cues={k: tuple(v) for k, v in cues.items()},
        blocked=frozenset(read_lines(folder, "blocked.txt")),
    )


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """The packaged lexicons (read once per process)."""
    return read_lexicons(data_folder("slogans"))
