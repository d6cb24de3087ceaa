"""qidu_nlp.rules.slogans.glossary: the official English renderings of slogans.

The glossary is a table, one row per slogan norm, learned from the aligned Chinese–English
segments of the national government work reports by :mod:`qidu_nlp.training.glossary`
(``qidu glossary build``) and shipped as ``qidu_nlp/data/slogans/glossary.tsv``. The slogan
component gives each slogan its rendering (``span._.qidu.english``), and the slogan inventory
of a corpus its ``english`` and ``english_years``.

Examples
--------
>>> g = load_glossary()
>>> g.english("一带一路")
'Belt and Road Initiative'
>>> g.english("“一带一路”") == g.english("一带一路"), g.english("没有的提法")
(True, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from ...resources import Folder, data_folder, read_text
from .candidates import slogan_norm

__all__ = ["Glossary", "Entry", "load_glossary", "read_glossary", "parse_glossary", "format_years", "COLUMNS",
           "GLOSSARY_FILE"]

GLOSSARY_FILE = "glossary.tsv"
COLUMNS = ["norm", "english", "english_years", "variants", "pairs", "support", "dice", "g2", "form"]


def format_years(years: Iterable) -> str:
    """Years as runs: ``2008-2013, 2015``.

    Examples
    --------
    >>> format_years([2016, 2014, 2015, 2018, None, 2018])
    '2014-2016, 2018'
    >>> format_years([])
    ''
    """
    ys = sorted({int(y) for y in years if y is not None})
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


@dataclass(frozen=True)
class Entry:
    """One slogan's renderings: the main one, the years it was used, the variants (with years)."""

    norm: str
    english: str
    years: str = ""
    variants: str = ""


class Glossary:
    """Slogan norm → its official English rendering.

    Parameters
    ----------
    entries : iterable of Entry
        The rows; looked up by :func:`qidu_nlp.rules.slogans.slogan_norm` of their norm.
    """

    def __init__(self, entries: Iterable[Entry] = ()):
        self.entries = {slogan_norm(e.norm): e for e in entries if e.english}

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, norm: str) -> bool:
        return slogan_norm(norm) in self.entries

    def get(self, norm: Optional[str]) -> Optional[Entry]:
        """The entry of a slogan (any surface or norm of it), or None."""
        return self.entries.get(slogan_norm(norm)) if norm else None

    def english(self, norm: Optional[str]) -> Optional[str]:
        """The main English rendering of a slogan, or None."""
        entry = self.get(norm)
        return entry.english if entry else None

    def years(self, norm: Optional[str]) -> Optional[str]:
        """The years the main rendering was used in (``2016-2022``), or None."""
        entry = self.get(norm)
        return entry.years if entry else None


def parse_glossary(text: str, source: str = GLOSSARY_FILE) -> Glossary:
    """A glossary from the text of its TSV file (header with ``norm`` and ``english``).

    Raises
    ------
    ValueError
        Naming ``source`` and the line when the header lacks a column or a line has too few
        fields.

    Examples
    --------
    >>> g = parse_glossary("norm\\tenglish\\tenglish_years\\n三农\\tagriculture, rural areas, and farmers\\t2008-2017\\n")
    >>> g.english("三农"), g.years("三农"), len(g)
    ('agriculture, rural areas, and farmers', '2008-2017', 1)
    """
    lines = text.splitlines()
    if not lines:
        return Glossary()
    header = lines[0].split("\t")
    for name in ("norm", "english"):
        if name not in header:
            raise ValueError(f"{source}, line 1: the header has no column {name!r} (it has {header})")
    col = {name: i for i, name in enumerate(header)}
    entries = []
    for lineno, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) <= max(col["norm"], col["english"]):
            raise ValueError(f"{source}, line {lineno}: {len(fields)} fields, the header has {len(header)}")
        get = lambda name: fields[col[name]].strip() if name in col and col[name] < len(fields) else ""  # noqa: E731
        entries.append(Entry(get("norm"), get("english"), get("english_years"), get("variants")))
    return Glossary(entries)


def read_glossary(folder: Folder, name: str = GLOSSARY_FILE) -> Glossary:
    """The glossary file ``name`` of ``folder`` (an empty glossary when there is none)."""
    if not folder.joinpath(name).is_file():
        return Glossary()
    return parse_glossary(read_text(folder, name), source=name)


@lru_cache(maxsize=1)
def load_glossary() -> Glossary:
    """The shipped glossary (``qidu_nlp/data/slogans/glossary.tsv``), read once per process."""
    return read_glossary(data_folder("slogans"))
