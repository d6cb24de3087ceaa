"""qidu_nlp.rules.entities: named entities of local policy text, found by rules.

Seven labels, one flat layer (the longest name wins, nothing is marked inside it), as in the
annotation guide: VILLAGE, PLACE, ORG, PROJECT, PERSON, EVENT, DOC. Names are found on the
characters of the normalised text; the segmenter's tokens are only consulted to check where a
short name may start and end. One module per label family, in the order they run:

- :mod:`.titles` (DOC), :mod:`.events` (EVENT), :mod:`.persons` (PERSON), :mod:`.orgs` (ORG),
  :mod:`.projects` (PROJECT; ORG and PROJECT share :mod:`.names`), :mod:`.villages` (VILLAGE,
  also from the village lists of the towns a text names), :mod:`.places` (PLACE), :mod:`.lists`
  (the bare items of an enumeration, labelled by its head noun);
- :mod:`.judge` and :mod:`.features`: the trained judge that decides which candidates are names
  (the rules propose, the judge decides); without it, :mod:`.select` keeps the longest;
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
from .judge import EntityJudge, merge_candidates
from .lexicons import Lexicons, load_lexicons, read_lexicons
from .lists import find_list_items
from .orgs import find_orgs
from .persons import find_persons
from .places import find_places
from .projects import find_projects
from .select import add_parts, propagate, select
from .titles import find_titles
from .villages import find_gazetteer_villages, find_villages

__all__ = ["find_entities", "candidates", "decide", "select", "Lexicons", "load_lexicons", "read_lexicons", "EntityJudge",
           "LABELS"]


def _tagged(cands: list[dict], source: str) -> list[dict]:
    for c in cands:
        c.setdefault("source", source)
    return cands


def candidates(ctx: Context) -> list[dict]:
    """Every candidate of every finder, each naming its finder as ``source``, in the order the
    finders run (ties in :func:`select` keep this order)."""
    orgs = find_orgs(ctx)
    projects, orgs = find_projects(ctx, orgs)
    return (_tagged(find_titles(ctx), "titles") + _tagged(find_events(ctx), "events")
            + _tagged(find_persons(ctx), "persons") + _tagged(orgs, "orgs") + _tagged(projects, "projects")
            + _tagged(find_villages(ctx), "villages") + _tagged(find_places(ctx), "places")
            + find_list_items(ctx) + find_gazetteer_villages(ctx))


def find_entities(text: str, sentences: Iterable[tuple[int, int]] | None = None,
                  token_starts: Iterable[int] | None = None,
                  token_ends: Iterable[int] | None = None,
                  lex: Lexicons | None = None, judge: EntityJudge | None = None) -> list[dict]:
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
    judge : EntityJudge, optional
        The trained judge that decides which candidates are names; without it the longest
        candidates are kept (the rules alone).

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
    return decide(ctx, candidates(ctx), judge)


def decide(ctx: Context, cands: list[dict], judge: EntityJudge | None = None, *,
           probs=None, threshold: float | None = None) -> list[dict]:
    """The flat entity layer from the candidates of :func:`candidates`: the judge's (or, without
    one, the longest), then the names learned in the document found again, then the parts.
    ``probs`` (the judge's scores of the merged candidates) and ``threshold`` may be given by a
    trainer that scores many thresholds."""
    if judge is None:
        chosen = propagate(ctx, select(cands), cands)
    else:
        merged = merge_candidates(cands)
        probs = judge.score(ctx, merged) if probs is None else probs
        thr = judge.threshold if threshold is None else threshold
        chosen = propagate(ctx, judge.decode(merged, probs, thr), cands)
    # the villages and places inside a chosen name are those the rules found there (a name
    # inside a name is no entity of the flat layer, so the judge never learned to keep it)
    add_parts(chosen, cands)
    return [{k: v for k, v in c.items() if k in _KEEP} for c in chosen]


_KEEP = ("start", "end", "label", "norm", "parts")
