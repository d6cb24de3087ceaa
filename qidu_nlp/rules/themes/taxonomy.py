"""qidu_nlp.rules.themes.taxonomy: the policy themes (a small, user-replaceable taxonomy).

``qidu_nlp/data/themes.toml`` holds ``[[theme]]`` tables with ``name``, ``description``,
``keywords`` and optional ``strong`` (keywords decisive in a heading): 产业发展, 乡村振兴,
城乡建设, 生态环保, 文化旅游, 民生保障, 安全生产, 社会治理, 政府建设.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ...resources import data_folder, read_text
from ...text.terms import longest_first

__all__ = ["Theme", "load_taxonomy", "parse_taxonomy", "TAXONOMY_FILE"]

TAXONOMY_FILE = "themes.toml"


@dataclass(frozen=True)
class Theme:
    """One policy theme: its node name, a description and its seed keywords."""

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    strong: tuple[str, ...] = ()
    _pattern: re.Pattern | None = field(default=None, compare=False, repr=False)
    _strong_pattern: re.Pattern | None = field(default=None, compare=False, repr=False)

    @staticmethod
    def _compile(words: Iterable[str]) -> re.Pattern | None:
        words = longest_first(w for w in words if w)
        return re.compile("|".join(map(re.escape, words))) if words else None

    @classmethod
    def make(cls, name: str, description: str = "", keywords=(), strong=()) -> "Theme":
        keywords = tuple(keywords)
        strong = tuple(strong) or keywords
        return cls(name, description, keywords, strong, cls._compile(keywords), cls._compile(strong))




def load_taxonomy(path: str | Path | None = None) -> list[Theme]:
    """Read a theme taxonomy from TOML (default: the packaged ``data/themes.toml``).

    Parameters
    ----------
    path : path, optional
        A TOML file of the same form.

    Returns
    -------
    list of Theme
        In file order.

    Raises
    ------
    ValueError
        When the file has no theme, a theme has no name, or a name repeats.

    Examples
    --------
    >>> [t.name for t in load_taxonomy()][:3]
    ['产业发展', '乡村振兴', '城乡建设']
    """
    if path is None:
        return parse_taxonomy(read_text(data_folder(), TAXONOMY_FILE), f"qidu_nlp/data/{TAXONOMY_FILE}")
    return parse_taxonomy(Path(path).read_text(encoding="utf-8"), str(path))


def parse_taxonomy(raw: str, source: str = "taxonomy") -> list[Theme]:
    """The themes of a taxonomy's TOML text (``source`` names it in error messages)."""
    data = tomllib.loads(raw)
    themes = []
    for i, entry in enumerate(data.get("theme", [])):
        if not entry.get("name"):
            raise ValueError(f"{source}: theme #{i + 1} has no `name`; every [[theme]] needs one.")
        themes.append(
            Theme.make(entry["name"], entry.get("description", ""), entry.get("keywords", ()), entry.get("strong", ()))
        )
    if not themes:
        raise ValueError(f"{source}: no [[theme]] table found; see qidu_nlp/data/{TAXONOMY_FILE} for the form.")
    names = [t.name for t in themes]
    if len(set(names)) != len(names):
        raise ValueError(f"{source}: theme names repeat ({names}); names must be unique.")
    return themes
