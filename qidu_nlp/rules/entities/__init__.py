"""qidu_nlp.rules.entities: named entities of local policy text, found by rules.

Seven labels, one flat layer (the longest name wins, nothing is marked inside it), as in the
annotation guide: VILLAGE, PLACE, ORG, PROJECT, PERSON, EVENT, DOC. Names are found on the
characters of the normalised text; the segmenter's tokens are only consulted to check where a
short name may start and end. One module per label family, in the order they run:

- :mod:`.titles` (DOC), :mod:`.events` (EVENT), :mod:`.persons` (PERSON), :mod:`.orgs` (ORG),
  :mod:`.projects` (PROJECT; ORG and PROJECT share :mod:`.names`), :mod:`.villages` (VILLAGE),
  :mod:`.places` (PLACE);
- :mod:`.select`: the flat layer, names learned in the document found again, parts;
- :mod:`.context`: the document as the finders see it and the character tests they share;
  :mod:`.lexicons`: the data they read.

A name extends to the left over Chinese characters until a boundary word (a verb, preposition,
conjunction or particle: ``boundary_words.txt``, derived from jionlp's word list tagged by jiojio,
and ``boundary_extra.txt``). Each entity carries ``norm`` (the suffix-less name for villages and
places, spaces removed for people) and, for ORG/PROJECT/EVENT/DOC names that contain a village or
place, ``parts`` (``[{"label", "norm"}]``).
"""

from __future__ import annotations

from typing import Iterable

from ...schema import ENTITY_LABELS as LABELS
from ...text.normalize import normalize
from .context import Context
from .events import find_events
from .lexicons import Lexicons, load_lexicons, read_lexicons
from .orgs import find_orgs
from .persons import find_persons
from .places import find_places
from .projects import find_projects
from .select import add_parts, propagate, select
from .titles import find_titles
from .villages import find_villages

__all__ = ["find_entities", "candidates", "select", "Lexicons", "load_lexicons", "read_lexicons", "LABELS"]


def candidates(ctx: Context) -> list[dict]:
    """Every candidate of every finder, in the order the finders run (ties in :func:`select`
    keep this order)."""
    orgs = find_orgs(ctx)
    projects, orgs = find_projects(ctx, orgs)
    return (find_titles(ctx) + find_events(ctx) + find_persons(ctx) + orgs + projects
            + find_villages(ctx) + find_places(ctx))


def find_entities(text: str, sentences: Iterable[tuple[int, int]] | None = None,
                  token_starts: Iterable[int] | None = None,
                  token_ends: Iterable[int] | None = None,
                  lex: Lexicons | None = None) -> list[dict]:
    """Find the entities of ``text`` (character offsets, one flat non-overlapping layer).

    Parameters
    ----------
    text : str
        The document text (it is normalised internally; offsets refer to ``text``).
    sentences : iterable of (start, end), optional
        Sentence offsets; no entity crosses one. Line breaks always separate.
    token_starts, token_ends : iterable of int, optional
        Token boundaries from the segmenter, used to check where short names start and end;
        every character boundary counts when they are not given.
    lex : Lexicons, optional
        The data (default: :func:`load_lexicons`).

    Returns
    -------
    list of dict
        ``{"start", "end", "label", "norm"}`` and, where a name contains a village or place,
        ``"parts": [{"label", "norm"}]``.

    Examples
    --------
    >>> t = "镇长 刘菁华在齐都镇南马坊村调研"
    >>> [(e["label"], t[e["start"]:e["end"]], e["norm"]) for e in find_entities(t)]
    [('PERSON', '刘菁华', '刘菁华'), ('PLACE', '齐都镇', '齐都'), ('VILLAGE', '南马坊村', '南马坊')]
    """
    ctx = Context.make(normalize(text), sentences, token_starts, token_ends, lex)
    cands = candidates(ctx)
    chosen = propagate(ctx, select(cands), cands)
    add_parts(chosen, cands)
    for c in chosen:
        c.pop("generic", None)
        c.pop("level", None)
    return chosen
