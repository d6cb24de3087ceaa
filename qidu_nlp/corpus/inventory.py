"""qidu_nlp.corpus.inventory: the slogan inventory of a corpus, one row per slogan.

Examples
--------
>>> rows = pd.DataFrame([{"doc_id": "a", "year": 2024, "label": "SLOGAN", "kind": "numeric", "norm": "1221",
...                       "frame": "工作体系", "text": "1221", "sentence_text": "围绕“1221”工作体系。"}])
>>> inventory(rows)[["norm", "kind", "frames", "mentions"]].values.tolist()
[['1221', 'numeric', '工作体系', 1]]
"""

from __future__ import annotations

from collections import Counter
from typing import Optional

import pandas as pd

from ..pipeline.rows import from_docs
from ..rules.slogans import slogan_norm
from ..rules.slogans.glossary import Glossary, load_glossary
from ..schema import SLOGAN as LABEL
from ..text.display import kwic

__all__ = ["inventory", "example", "COLUMNS"]

COLUMNS = ["norm", "kind", "frames", "variants", "english", "english_years", "mentions", "documents", "first_year",
           "last_year", "example", "example_doc"]


def example(sentence: str, text: str, width: int = 30) -> str:
    """A keyword-in-context window of the mention ``text`` in its ``sentence`` (the slogan is
    always inside; the sentence's start when the mention is not found in it).

    Examples
    --------
    >>> example("全镇上下" + "认真学习贯彻" * 8 + "，聚焦“强富美优”城市愿景。", "强富美优", width=6)
    '…贯彻，聚焦“强富美优”城市愿景。'
    """
    sentence = sentence if isinstance(sentence, str) else ""
    at = sentence.find(text) if text else -1
    if at < 0:
        return sentence[: 2 * width] + ("…" if len(sentence) > 2 * width else "")
    return "".join(kwic(sentence, at, at + len(text), width))


def inventory(docs_or_mentions, *, glossary: Optional[Glossary] = None, width: int = 30) -> pd.DataFrame:
    """One row per slogan (variants merged by norm), most frequent first.

    Parameters
    ----------
    docs_or_mentions : iterable of Doc, or pandas.DataFrame
        Processed Docs, or a mention table with columns ``doc_id``, ``year``, ``label``,
        ``kind``, ``norm``, ``frame``, ``text``, ``sentence_text`` (as :mod:`qidu_nlp.pipeline.rows`
        writes it); only ``label == "SLOGAN"`` rows are used.

    glossary : Glossary, optional
        Official English renderings; default the shipped one
        (:func:`qidu_nlp.rules.slogans.glossary.load_glossary`).
    width : int
        Characters on each side of the slogan in ``example``.

    Returns
    -------
    pandas.DataFrame
        Columns ``norm``, ``kind`` (most common), ``frames`` (seen, ``;``-joined),
        ``variants`` (surfaces, ``;``-joined), ``english`` and ``english_years`` (the official
        rendering and the years it was used, from the glossary, or None), ``mentions``,
        ``documents``, ``first_year``, ``last_year``, ``example`` (a keyword-in-context window
        of the first mention, the slogan inside it) and ``example_doc`` (its document).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame([
    ...     {"doc_id": "a", "year": 2023, "label": "SLOGAN", "kind": "motto", "norm": "文化齐都 品质小城",
    ...      "frame": "目标", "text": "文化齐都 品质小城", "sentence_text": "瞄定“文化齐都 品质小城”目标。"},
    ...     {"doc_id": "b", "year": 2024, "label": "SLOGAN", "kind": "motto", "norm": "文化齐都　品质小城",
    ...      "frame": None, "text": "文化齐都　品质小城", "sentence_text": "推进“文化齐都　品质小城”建设。"}])
    >>> inv = inventory(rows)
    >>> inv[["norm", "mentions", "documents", "first_year", "last_year"]].values.tolist()
    [['文化齐都 品质小城', 2, 2, 2023, 2024]]
    """
    cols = COLUMNS
    glossary = load_glossary() if glossary is None else glossary
    table = docs_or_mentions if isinstance(docs_or_mentions, pd.DataFrame) else from_docs(list(docs_or_mentions))
    if table is None or len(table) == 0:
        return pd.DataFrame(columns=cols)
    table = table[table["label"] == LABEL].copy()
    if table.empty:
        return pd.DataFrame(columns=cols)
    base = table["norm"].where(table["norm"].notna() & (table["norm"] != ""), table["text"])
    groups = _groups(table, [slogan_norm(str(x)) for x in base])
    rows = [_row(key, g, glossary, width) for key, g in groups.items()]
    out = pd.DataFrame(rows, columns=cols)
    out["first_year"] = out["first_year"].astype("Int64")
    out["last_year"] = out["last_year"].astype("Int64")
    return out.sort_values(["mentions", "documents", "norm"], ascending=[False, False, True]).reset_index(drop=True)


def _groups(table: pd.DataFrame, keys: list[str]) -> dict[str, dict]:
    """Per slogan key, in order of first mention: kinds counted, frames, surfaces, mentions,
    documents, years and the first mention. One pass over the rows (a pandas loop per slogan took
    most of a corpus run's time after its last document)."""
    n = len(table)
    years = pd.to_numeric(table["year"], errors="coerce").astype("float64").tolist()  # NA -> NaN
    frames = table["frame"].tolist() if "frame" in table else [None] * n
    sentences = table["sentence_text"].tolist() if "sentence_text" in table else [None] * n
    groups: dict[str, dict] = {}
    for key, kind, frame, text, doc, year, sentence in zip(keys, table["kind"].tolist(), frames, table["text"].tolist(),
                                                             table["doc_id"].tolist(), years, sentences):
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"kinds": Counter(), "frames": set(), "variants": set(), "mentions": 0, "docs": set(),
                               "years": [], "first": (sentence, text, doc)}
        if isinstance(kind, str) and kind:
            g["kinds"][kind] += 1
        if isinstance(frame, str) and frame:
            g["frames"].add(frame)
        g["variants"].add(str(text))
        g["mentions"] += 1
        g["docs"].add(doc)
        if year == year:  # not NaN
            g["years"].append(year)
    return groups


def _row(key: str, g: dict, glossary: Glossary, width: int) -> dict:
    """The inventory row of one slogan from its :func:`_groups` entry."""
    entry = glossary.get(key)
    sentence, text, doc = g["first"]
    return {
        "norm": key,
        "kind": g["kinds"].most_common(1)[0][0] if g["kinds"] else None,
        "frames": ";".join(sorted(g["frames"])),
        "variants": ";".join(sorted(g["variants"])),
        "english": entry.english if entry else None,
        "english_years": (entry.years or None) if entry else None,
        "mentions": g["mentions"],
        "documents": len(g["docs"]),
        "first_year": int(min(g["years"])) if g["years"] else None,
        "last_year": int(max(g["years"])) if g["years"] else None,
        "example": example(sentence, str(text), width),
        "example_doc": doc,
    }
