"""qidu_nlp.evaluation.judgements: mentions of a corpus judged by hand, read and checked.

A judgement file (``corpora/annotations/corpus_judgements.jsonl``) holds mentions the pipeline
found in whole reports of a corpus, each judged by reading its context: ``ok`` (a name of that
label with exactly these edges), ``boundary`` (a name of that label, wrong edges) or ``wrong``.
They say nothing of the names the pipeline missed, so they are no gold; they tell the entity
judge which of its proposals in long city and county reports were names. The reports
themselves stay in the corpus (``../shared/corpora/local_gov_reports.jsonl``); a line keeps the
document id, the offsets and a short context::

    {"sample": "seed20261209", "doc": "lg-00773", "province": "湖南省", "start": 5120,
     "end": 5123, "label": "VILLAGE", "text": "美湘村", "judgement": "wrong",
     "context": "…江永潇贺古道4条“和[美湘村]”市级示范带…", "note": "fragment of slogan “和美湘村”"}
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ..files import json_lines
from ..schema import ENTITY_LABELS

__all__ = ["JUDGEMENTS", "load_judgements", "judged_documents"]

JUDGEMENTS = ("ok", "boundary", "wrong")
_FIELDS = ("doc", "start", "end", "label", "text", "judgement")


def load_judgements(path: str | Path) -> list[dict]:
    """Read and check a judgement file.

    Parameters
    ----------
    path : str or Path
        The JSONL file.

    Returns
    -------
    list of dict
        The lines, each with ``where`` (``"file:line"``) added.

    Raises
    ------
    InputError
        On the first line without one of the fields, with a label outside the entity labels,
        a judgement outside ``ok``/``boundary``/``wrong`` or offsets that disagree with ``text``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "j.jsonl"
    >>> _ = p.write_text('{"doc": "d", "start": 0, "end": 3, "label": "VILLAGE", '
    ...                  '"text": "建制村", "judgement": "maybe"}\\n', encoding="utf-8")
    >>> load_judgements(p)
    Traceback (most recent call last):
    ...
    qidu_nlp.errors.InputError: ...j.jsonl:1: judgement 'maybe' is not one of ok, boundary, wrong
    """
    out = []
    for where, row in json_lines(path):
        if not isinstance(row, dict) or any(k not in row for k in _FIELDS):
            raise InputError(where, f"a judgement needs the fields {', '.join(_FIELDS)}")
        if row["label"] not in ENTITY_LABELS:
            raise InputError(where, f"label {row['label']!r} is not an entity label")
        if row["judgement"] not in JUDGEMENTS:
            raise InputError(where, f"judgement {row['judgement']!r} is not one of {', '.join(JUDGEMENTS)}")
        start, end = row["start"], row["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end and end - start == len(row["text"])):
            raise InputError(where, f"offsets ({start}, {end}) do not fit the text {row['text']!r}")
        out.append({**row, "where": where})
    return out


def judged_documents(judgements: Iterable[dict], corpus: str | Path) -> list[dict]:
    """The documents of the judged mentions, read from the corpus, each with its mentions.

    Parameters
    ----------
    judgements : iterable of dict
        Lines of :func:`load_judgements`.
    corpus : str or Path
        The JSONL corpus the mentions were found in (records with ``id`` and ``text``).

    Returns
    -------
    list of dict
        One record per judged document, in the corpus's order: ``id``, ``text``, ``meta``
        (``province``, the cross-validation group) and ``judged`` (its mentions).

    Raises
    ------
    InputError
        Naming the judgement line whose document is not in the corpus or whose offsets do not
        cut its ``text`` from the document.
    """
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in judgements:
        by_doc[row["doc"]].append(row)
    out = []
    for _, rec in json_lines(corpus):
        rows = by_doc.pop(str(rec.get("id")), None)
        if rows is None:
            continue
        text = rec.get("text") or ""
        for row in rows:
            if text[row["start"]:row["end"]] != row["text"]:
                raise InputError(row["where"], f"{row['text']!r} is not at ({row['start']}, {row['end']}) "
                                               f"of document {row['doc']} in {corpus}")
        province = rec.get("province") or rows[0].get("province")
        out.append({"id": rec["id"], "text": text, "meta": {"province": province}, "judged": rows})
    if by_doc:
        row = next(iter(by_doc.values()))[0]
        raise InputError(row["where"], f"document {row['doc']} is not in {corpus}")
    return out
