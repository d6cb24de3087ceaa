"""qidu_nlp.rules.entities.lexicons: the gazetteer and word lists the entity rules read.

Every list is a file of ``qidu_nlp/data/entities`` (its README says where each came from);
:func:`load_lexicons` reads them from any folder (the packaged data, a saved pipeline, or the
bytes of one), so a saved pipeline carries the data it was built with.

Examples
--------
>>> lex = load_lexicons()
>>> lex.divisions["临淄区"], lex.divisions["淄博"]
(('county', '临淄'), ('prefecture', '淄博'))
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import ahocorasick
import numpy as np

from ...resources import Folder, data_folder, read_bytes, read_lines
from ...text.terms import longest_first

__all__ = ["Lexicons", "load_lexicons", "DATA_FILES"]

DATA_FILES = ("divisions.tsv.gz", "regions.txt", "boundary_words.txt", "boundary_extra.txt", "titles.txt",
              "org_lexicon.txt", "org_suffixes.txt", "project_suffixes.txt", "generic_words.txt", "surnames.txt",
              "common_words.tsv.gz", "villages.tsv.gz", "leaders.txt", "list_heads.tsv")
_RANK = {"province": 0, "prefecture": 1, "county": 2, "country": 3, "continent": 3, "town": 4}


@dataclass
class Lexicons:
    """The data the entity rules use.

    Attributes
    ----------
    divisions : dict
        Surface → ``(level, norm)`` of China's divisions, countries and continents.
    town_alias : dict
        A town's bare form → its norm (齐都 for 齐都镇).
    regions : set
        Regions and nicknames that are places but no division (珠三角, 大湾区).
    boundary : set
        Words that end a name on its left (verbs, prepositions, particles …).
    titles_pre, titles_post : list
        Role titles before (县长) and after (总书记) a person's name, longest first.
    org_lexicon : set
        Bodies without a productive suffix (国务院, 新华社).
    org_suffixes, project_suffixes : list
        Heads that end an ORG or PROJECT name, longest first.
    generic : set
        Words that are no proper-name element (文化, 便民, 服务).
    surnames : set
        Single and double surnames.
    common : dict
        Ordinary words (2–4 characters) → their idf: a core that is one (城镇, 健全, 中心) is no
        proper name.
    towns : dict
        A town's full name → ``(county, villages)``, its villages and communities joined by ``|``
        (:meth:`villages_of` splits them).
    leaders : set
        National leaders, a PERSON wherever they stand.
    list_heads : dict
        The head noun after 等 in an enumeration → the label of its bare items (村 → VILLAGE).
    """

    divisions: dict[str, tuple[str, str]] = field(default_factory=dict)
    town_alias: dict[str, str] = field(default_factory=dict)
    regions: set[str] = field(default_factory=set)
    boundary: set[str] = field(default_factory=set)
    titles_pre: list[str] = field(default_factory=list)
    titles_post: list[str] = field(default_factory=list)
    org_lexicon: set[str] = field(default_factory=set)
    org_suffixes: list[str] = field(default_factory=list)
    project_suffixes: list[str] = field(default_factory=list)
    generic: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    common: dict[str, float] = field(default_factory=dict)
    towns: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    leaders: set[str] = field(default_factory=set)
    list_heads: dict[str, str] = field(default_factory=dict)

    def villages_of(self, town: str) -> set[str]:
        """The villages and communities of every town named ``town`` (full name: 齐都镇).

        Examples
        --------
        >>> "南马坊村" in load_lexicons().villages_of("齐都镇")
        True
        """
        return {v for _county, names in self.towns.get(town, ()) for v in names.split("|")}

    def is_common(self, word: str, max_idf: float = 12.0) -> bool:
        """Whether ``word`` is an ordinary word (idf below ``max_idf``), no proper name.

        Examples
        --------
        >>> lex = load_lexicons()
        >>> lex.is_common("健全"), lex.is_common("马坊")
        (True, False)
        """
        idf = self.common.get(word)
        return idf is not None and idf < max_idf

    @cached_property
    def place_names(self) -> frozenset[str]:
        """Division and region names of two characters or more."""
        return frozenset(w for w in (*self.divisions, *self.regions) if len(w) >= 2)

    @cached_property
    def place_pairs(self) -> np.ndarray:
        """The first two characters of every place name, as sorted integers (a vectorised
        first test at all token starts at once)."""
        return np.unique(np.array([(ord(w[0]) << 21) | ord(w[1]) for w in self.place_names], dtype=np.int64))

    @cached_property
    def place_prefixes(self) -> frozenset[str]:
        """Every prefix (two characters or more) of a place name: a lookup at a token start
        stops at the first string no name begins with, so most starts cost one lookup."""
        return frozenset(w[:k] for w in self.place_names for k in range(2, len(w) + 1))

    # the sets a rule walks through, in a fixed order: a set's own order follows the process's
    # string hashing, and a rule that takes the first match must not depend on it
    @cached_property
    def org_names(self) -> list[str]:
        """The organisations of ``org_lexicon.txt``, longest first."""
        return longest_first(self.org_lexicon)

    @cached_property
    def leader_names(self) -> list[str]:
        """The national leaders of ``leaders.txt``, longest first."""
        return longest_first(self.leaders)

    @cached_property
    def generic_tails(self) -> list[str]:
        """The generic words of two characters or more, longest first: the generic tail of a name
        is the longest one it ends with."""
        return longest_first(g for g in self.generic if len(g) >= 2)

    @cached_property
    def titles_post_set(self) -> frozenset[str]:
        return frozenset(self.titles_post)

    @cached_property
    def max_place(self) -> int:
        # computed once: a max over 63k names on every call cost 1.5 s per report
        return max(map(len, self.divisions)) if self.divisions else 0

    @cached_property
    def town_automaton(self):
        """An Aho–Corasick automaton of every town's full name (the towns a text names)."""
        auto = ahocorasick.Automaton()
        for town in self.towns:
            if len(town) >= 3:
                auto.add_word(town, town)
        auto.make_automaton()
        return auto

    def prepare(self) -> "Lexicons":
        """Build the look-up sets now (once per process) rather than in the first document."""
        self.place_names, self.place_pairs, self.place_prefixes, self.max_place  # noqa: B018
        self.org_names, self.leader_names, self.generic_tails  # noqa: B018
        return self


def read_lexicons(folder: Folder) -> Lexicons:
    """Read the entity data from ``folder`` (a folder holding :data:`DATA_FILES`)."""
    lex = Lexicons()
    raw = read_bytes(folder, "divisions.tsv.gz")
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        surface, level, norm = line.split("\t")
        if level == "town_alias":
            lex.town_alias[surface] = norm
            continue
        old = lex.divisions.get(surface)
        if old is None or _RANK[level] < _RANK[old[0]]:
            lex.divisions[surface] = (level, norm)
    lex.regions = set(read_lines(folder, "regions.txt"))
    lex.boundary = set(read_lines(folder, "boundary_words.txt")) | set(read_lines(folder, "boundary_extra.txt"))
    for line in read_lines(folder, "titles.txt"):
        kind, title = line.split("\t")
        (lex.titles_pre if kind == "pre" else lex.titles_post).append(title)
    lex.titles_pre.sort(key=len, reverse=True)
    lex.titles_post.sort(key=len, reverse=True)
    lex.org_lexicon = set(read_lines(folder, "org_lexicon.txt"))
    # in a fixed order: which of two suffixes of one length (小镇, 项目) finds a name must not
    # change from process to process
    lex.org_suffixes = longest_first(read_lines(folder, "org_suffixes.txt"))
    lex.project_suffixes = longest_first(read_lines(folder, "project_suffixes.txt"))
    lex.generic = set(read_lines(folder, "generic_words.txt"))
    lex.surnames = {s for line in read_lines(folder, "surnames.txt") for s in line.split()}
    for line in gzip.decompress(read_bytes(folder, "common_words.tsv.gz")).decode("utf-8").splitlines()[1:]:
        word, _, idf = line.partition("\t")
        lex.common[word] = float(idf)
    for line in gzip.decompress(read_bytes(folder, "villages.tsv.gz")).decode("utf-8").splitlines()[1:]:
        town, county, names = line.split("\t")
        lex.towns.setdefault(town, []).append((county, names))
    lex.leaders = set(read_lines(folder, "leaders.txt"))
    for line in read_lines(folder, "list_heads.tsv"):
        head, label = line.split("\t")
        lex.list_heads[head] = label
    return lex


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """The packaged entity data (read once per process).

    Examples
    --------
    >>> "区委书记" in load_lexicons().titles_pre or "书记" in load_lexicons().titles_pre
    True
    """
    return read_lexicons(data_folder("entities"))
