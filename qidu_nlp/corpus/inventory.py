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


def _mode(values) -> Optional[str]:
    vals = [v for v in values if isinstance(v, str) and v]
    return Counter(vals).most_common(1)[0][0] if vals else None


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
    table["_key"] = [slogan_norm(str(x)) for x in base]
    rows = []
    for key, grp in table.groupby("_key", sort=False):
        years = pd.to_numeric(grp["year"], errors="coerce").dropna()
        frames = sorted({f for f in grp.get("frame", pd.Series(dtype=object)) if isinstance(f, str) and f})
        entry = glossary.get(key)
        first = grp.iloc[0]
        rows.append(
            {
                "norm": key,
                "kind": _mode(grp["kind"]),
                "frames": ";".join(frames),
                "variants": ";".join(sorted({str(t) for t in grp["text"]})),
                "english": entry.english if entry else None,
                "english_years": (entry.years or None) if entry else None,
                "mentions": int(len(grp)),
                "documents": int(grp["doc_id"].nunique()),
                "first_year": int(years.min()) if len(years) else None,
                "last_year": int(years.max()) if len(years) else None,
                "example": example(first.get("sentence_text"), str(first["text"]), width),
                "example_doc": first["doc_id"],
            }
        )
    out = pd.DataFrame(rows, columns=cols)
    out["first_year"] = out["first_year"].astype("Int64")
    out["last_year"] = out["last_year"].astype("Int64")
    return out.sort_values(["mentions", "documents", "norm"], ascending=[False, False, True]).reset_index(drop=True)

