"""qidu_nlp.corpus.report: ``report.html``, the single self-contained page a researcher opens first.

Corpus summary, the slogans found (most frequent first), the top entities per label, the
indicator table, a picture of the co-occurrence graph and an interactive view of it, and the
inputs that failed. No external resources: styles, the picture (PNG as a data URI) and the
interactive view are inlined, so the file can be mailed or archived as it is.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import tempfile
from pathlib import Path

import pandas as pd

from ..about import __version__
from ..graph import draw
from ..schema import ENTITY_LABELS

__all__ = ["render", "norm_counts"]
_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2em auto;max-width:1200px;color:#222;line-height:1.45;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:2px solid #b22;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0} th,td{border:1px solid #ddd;padding:3px 7px;
text-align:left;vertical-align:top} th{background:#f3f3f3} .num{text-align:right}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;
min-width:8em}.card b{display:block;font-size:1.5em}.muted{color:#777;font-size:.85em}
.ents{display:flex;flex-wrap:wrap;gap:1.5em}.ents>div{min-width:14em}img{max-width:100%}
"""


def _shorten(frame: pd.DataFrame, width: int = 90) -> pd.DataFrame:
    """Long text cells cut for the page (the CSV files keep them whole)."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(
                lambda v: (v.strip()[:width] + "…" if len(v.strip()) > width else v.strip()) if isinstance(v, str) else v)
    return frame


def _table(frame: pd.DataFrame, *, max_rows: int = 50) -> str:
    if frame is None or frame.empty:
        return "<p class='muted'>none</p>"
    shown = _shorten(frame.head(max_rows))
    more = f"<p class='muted'>{len(frame) - max_rows} more rows in the CSV file</p>" if len(frame) > max_rows else ""
    return shown.to_html(index=False, escape=True, na_rep="", border=0) + more


def norm_counts(result) -> tuple[pd.Series, pd.DataFrame]:
    """Mentions per label, and per (label, norm) of slogans and entities its mentions and
    documents, read chunk by chunk (a large run's mention table is never read whole)."""
    labels, per_norm, triples = [], [], []
    for chunk in result.mention_chunks(["label", "norm", "doc_id"]):
        labels.append(chunk["label"].value_counts())
        named = chunk[chunk["label"].isin(["SLOGAN", *ENTITY_LABELS])]
        per_norm.append(named.groupby(["label", "norm"], dropna=False).size())
        triples.append(named.drop_duplicates())
    if not labels:
        return pd.Series(dtype="int64"), pd.DataFrame(columns=["label", "norm", "mentions", "documents"])
    by_label = pd.concat(labels).groupby(level=0).sum()
    mentions = pd.concat(per_norm).groupby(level=[0, 1], dropna=False).sum().rename("mentions")
    documents = pd.concat(triples).drop_duplicates().groupby(["label", "norm"], dropna=False).size().rename("documents")
    table = pd.concat([mentions, documents], axis=1).fillna(0).astype("int64").reset_index()
    return by_label, table


def _cards(result, by_label: pd.Series, norms: pd.DataFrame) -> str:
    docs = result.documents
    items = [
        ("documents", int((docs["status"] == "ok").sum()) if not docs.empty else 0),
        ("characters", int(docs["chars"].fillna(0).sum()) if not docs.empty else 0),
        ("slogan mentions", int(by_label.get("SLOGAN", 0))),
        ("distinct slogans", int(((norms["label"] == "SLOGAN") & norms["norm"].notna()).sum())),
        ("entity mentions", int(sum(by_label.get(label, 0) for label in ENTITY_LABELS))),
        ("quantities", int(by_label.get("QUANTITY", 0))),
        ("indicator statements", len(result.indicators)),
        ("failed inputs", len(result.errors)),
    ]
    return "<div class='cards'>" + "".join(
        f"<div class='card'><b>{value:,}</b>{html.escape(name)}</div>" for name, value in items
    ) + "</div>"


def _entities(norms: pd.DataFrame, top: int = 15) -> str:
    norms = norms[norms["label"].isin(ENTITY_LABELS) & norms["norm"].notna()]
    if norms.empty:
        return "<p class='muted'>none</p>"
    blocks = []
    for label in ENTITY_LABELS:
        sub = norms[norms["label"] == label]
        if sub.empty:
            continue
        counts = sub[["norm", "mentions", "documents"]].sort_values(
            ["mentions", "documents", "norm"], ascending=[False, False, True], kind="stable").head(top)
        blocks.append(f"<div><h3>{label}</h3>{_table(counts, max_rows=top)}</div>")
    return "<div class='ents'>" + "".join(blocks) + "</div>"


def _graph(result) -> str:
    G = result.graph
    if G.number_of_nodes() == 0:
        return "<p class='muted'>The graph is empty (no co-occurring mentions).</p>"
    with tempfile.TemporaryDirectory() as tmp:
        png = draw.draw_png(G, Path(tmp) / "graph.png", title="co-occurrence graph").read_bytes()
    img = f"<img alt='co-occurrence graph' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
    caption = (f"<p class='muted'>{G.number_of_nodes()} nodes, {G.number_of_edges()} edges; "
               f"window: {html.escape(result.window)}. Full graph in graph.graphml / graph.json.</p>")
    return img + caption + "<h3>Interactive view</h3>" + draw.html_fragment(G)


def render(result) -> str:
    """Return the HTML text of the report for a :class:`~qidu_nlp.corpus.result.Result`."""
    slogans = result.slogans
    by_label, norms = norm_counts(result)
    parts = [
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>",
        "<title>qidu_nlp report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>qidu_nlp report</h1>",
        f"<p class='muted'>qidu_nlp {__version__}, generated {_dt.datetime.now():%Y-%m-%d %H:%M}. "
        "Offsets in mentions.csv index the original text of each document.</p>",
        "<h2>Corpus</h2>", _cards(result, by_label, norms), _table(result.documents),
        "<h2>Slogans</h2><p class='muted'>Most frequent first; variants merged by norm.</p>",
        _table(slogans, max_rows=100),
        "<h2>Top entities</h2>", _entities(norms),
        "<h2>Indicators</h2><p class='muted'>Targets and achievements stated in the text.</p>",
        _table(result.indicators, max_rows=100),
        "<h2>Co-occurrence graph</h2>", _graph(result),
    ]
    if not result.errors.empty:
        parts += ["<h2>Inputs that failed</h2>", _table(result.errors)]
    parts.append("</body></html>")
    return "\n".join(parts)
