"""qidu_nlp.graph.nodes: which mentions are graph nodes, and the windows they share.

A node is a type and a norm (``theme`` + 乡村振兴, ``village`` + 龙贯); QUANTITY mentions are no
nodes. Two nodes co-occur when they are in the same window (sentence, paragraph or section of
one document); a mention's ``parts`` (a village inside a project name) count as mentions too.
"""

from __future__ import annotations

import json
import logging

import pandas as pd

__all__ = ["NODE_TYPES", "TYPE_ORDER", "WINDOWS", "CHILD_SCOPES", "MAX_EXAMPLES", "SEP", "check_window",
           "window_key", "node_rows"]

logger = logging.getLogger("qidu_nlp")

NODE_TYPES = {
    "THEME": "theme",
    "SLOGAN": "slogan",
    "VILLAGE": "village",
    "PLACE": "place",
    "ORG": "org",
    "PROJECT": "project",
    "PERSON": "person",
    "EVENT": "event",
    "DOC": "doc",
}
TYPE_ORDER = {t: i for i, t in enumerate(NODE_TYPES.values())}
WINDOWS = ("sentence", "paragraph", "section")
CHILD_SCOPES = {("slogan", "theme"): "paragraph"}
MAX_EXAMPLES = 5
SEP = "\x1f"  # between type and name in a node key


def check_window(window: str) -> str:
    """``window`` if it names a window kind, else a ValueError that lists them."""
    if window not in WINDOWS:
        raise ValueError(f"window={window!r} is not one of {WINDOWS}; choose 'sentence', 'paragraph' or 'section'.")
    return window


def window_key(df: pd.DataFrame, window: str) -> pd.Series:
    """``doc_id`` + window index of every row (the section path for ``"section"``)."""
    check_window(window)
    # a section path read back from CSV may be NaN where it was empty
    col = df[window].fillna("").astype(str) if window == "section" else df[window].astype("int64").astype(str)
    return df["doc_id"].astype(str) + SEP + col


def node_rows(df: pd.DataFrame, *, use_parts: bool) -> pd.DataFrame:
    """Rows that are graph nodes, with ``type``, ``name`` (the norm), ``via_part`` and ``key``.

    Parts are expanded: a mention whose ``parts`` lists ``[{"label", "norm"}]`` also counts as a
    mention of each part, with the parent's document, sentence and paragraph.
    """
    rows = df[df["label"].isin(NODE_TYPES.keys())].copy()
    norm = rows["norm"].where(rows["norm"].notna() & (rows["norm"].astype(str) != ""), rows["text"])
    rows["type"] = rows["label"].map(NODE_TYPES)
    rows["name"] = norm.astype(str)
    rows["via_part"] = False
    if use_parts and "parts" in rows and rows["parts"].astype(bool).any():
        where, typs, names, labels = [], [], [], []
        has = rows["parts"].fillna("").astype(str).str.len().to_numpy() > 0
        with_parts = rows[has]  # few rows have parts; read only those, as plain lists
        own = dict(zip(with_parts.index, zip(with_parts["type"].tolist(), with_parts["name"].tolist())))
        for idx, raw in zip(with_parts.index, with_parts["parts"].tolist()):
            if not isinstance(raw, str) or not raw:
                continue
            try:
                parts = json.loads(raw)
            except ValueError:
                logger.warning("unreadable parts %r in mention row %s; ignored", raw, idx)
                continue
            for part in parts or ():
                typ = NODE_TYPES.get(str(part.get("label", "")).upper())
                name = part.get("norm") or part.get("text")
                if typ and name and (typ, name) != own[idx]:
                    where.append(idx)
                    typs.append(typ)
                    names.append(str(name))
                    labels.append(part["label"])
        if where:  # the part rows: copies of their parent's row (document, sentence, paragraph)
            extra = rows.loc[where].assign(type=typs, name=names, label=labels, via_part=True)
            rows = pd.concat([rows, extra], ignore_index=True)
    rows["key"] = rows["type"] + SEP + rows["name"]
    return rows
