"""qidu_nlp.graph.draw: pictures of the co-occurrence graph.

* :func:`draw_png` — a static PNG (matplotlib, Agg) whose Chinese labels use a real CJK font:
  Noto Sans CJK SC shipped by the ``mplfonts`` package (``pip install mplfonts``), else any CJK
  font matplotlib already knows; without one the labels would be empty boxes, so a warning
  names the install command.
* :func:`html_fragment` — a self-contained interactive view for ``report.html``: inline SVG
  with hover titles and a few lines of inline JavaScript (hover a node to highlight its
  neighbours, click the legend to hide a type). No CDN, no network, no external file.
"""

from __future__ import annotations

import html
import logging
import math
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path

import networkx as nx

logger = logging.getLogger("qidu_nlp")

__all__ = ["TYPE_COLORS", "cjk_font", "layout", "top_subgraph", "label_order", "draw_png", "html_fragment"]

TYPE_COLORS = {
    "theme": "#d62728",
    "slogan": "#ff7f0e",
    "village": "#2ca02c",
    "place": "#17becf",
    "org": "#1f77b4",
    "project": "#9467bd",
    "person": "#8c564b",
    "event": "#e377c2",
    "doc": "#7f7f7f",
}
TYPE_NAMES_ZH = {
    "theme": "主题", "slogan": "提法", "village": "村居", "place": "地名", "org": "机构",
    "project": "项目", "person": "人物", "event": "会议", "doc": "文件",
}
_CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Path of a font file that renders Chinese (``mplfonts``' Noto Sans CJK SC first), or None."""
    try:
        ref = resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
        if ref.is_file():
            return str(ref)
    except (ModuleNotFoundError, TypeError):
        pass
    from matplotlib import font_manager  # start-up: matplotlib is imported only when a picture is drawn

    for entry in font_manager.fontManager.ttflist:
        if entry.name in _CJK_FAMILIES:
            return entry.fname
    return None


def top_subgraph(G: nx.Graph, max_nodes: int = 60, *, weight: str = "count") -> nx.Graph:
    """A readable subgraph of at most ``max_nodes`` nodes, with their edges.

    Themes are always kept; then each theme's strongest neighbours (so every theme shows what
    it reaches), then the rest by weighted degree.
    """
    if G.number_of_nodes() <= max_nodes:
        return G
    strength = dict(G.degree(weight=weight))
    themes = sorted((n for n, d in G.nodes(data=True) if d.get("type") == "theme"), key=lambda n: (-strength[n], n))
    keep = dict.fromkeys(themes)
    per_theme = max(1, (max_nodes - len(themes)) // (2 * max(len(themes), 1)))
    for t in themes:
        nbrs = sorted(G[t], key=lambda n: (-G[t][n].get(weight, 1), -strength[n], n))
        for n in [n for n in nbrs if n not in keep][:per_theme]:
            keep[n] = None
    for n in sorted(G, key=lambda n: (-strength[n], n)):
        if len(keep) >= max_nodes:
            break
        keep.setdefault(n)
    return G.subgraph(list(keep)[:max_nodes]).copy()


def layout(G: nx.Graph, *, seed: int = 0, weight: str = "count") -> dict:
    """Node positions in [0, 1]² (spring layout, fixed seed)."""
    if G.number_of_nodes() == 0:
        return {}
    if G.number_of_nodes() == 1:
        return {next(iter(G)): (0.5, 0.5)}
    k = 1.6 / math.sqrt(G.number_of_nodes())
    pos = nx.spring_layout(G, seed=seed, weight=weight, k=k, iterations=200)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx, sy = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    return {n: ((p[0] - x0) / sx, (p[1] - y0) / sy) for n, p in pos.items()}


def _size(count: int, top: int = 100) -> float:
    """Marker size (points) for a node of ``count`` mentions when the largest has ``top``: 4 to
    34 points, by the square root of the share, so a corpus of a million mentions draws as a
    report does."""
    return 4 + 30 * math.sqrt(max(count, 1) / max(top, 1))


def _top(H: nx.Graph) -> int:
    return max((d.get("count", 1) for _, d in H.nodes(data=True)), default=1)


def draw_png(
    G: nx.Graph,
    path: str | Path,
    *,
    max_nodes: int = 60,
    max_labels: int = 45,
    title: str | None = None,
    seed: int = 0,
    dpi: int = 150,
) -> Path:
    """Draw the graph to a PNG with Chinese labels.

    Node colour = type, node size = mentions, edge width = shared windows. The ``max_nodes``
    strongest nodes are drawn; labels go to themes first, then to the nodes with most links
    (:func:`label_order`), and a label that would overlap one already placed is left out, so
    no two labels cover each other (at most ``max_labels``).

    Returns
    -------
    Path
        The file written.
    """
    import matplotlib  # start-up: matplotlib.pyplot takes 0.7 s to import; only pictures need it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # start-up: as above; after use("Agg")
    from matplotlib.font_manager import FontProperties  # start-up: as above

    H = top_subgraph(G, max_nodes)
    font_path = cjk_font()
    if font_path is None:
        warnings.warn("no CJK font found: Chinese labels will not render; run `pip install mplfonts`", stacklevel=2)
    font = FontProperties(fname=font_path, size=8) if font_path else FontProperties(size=8)
    big = FontProperties(fname=font_path, size=11) if font_path else FontProperties(size=11)
    pos = layout(H, seed=seed)
    top = _top(H)
    fig, ax = plt.subplots(figsize=(11, 8.5))
    ax.set_axis_off()
    max_c = max((d.get("count", 1) for *_, d in H.edges(data=True)), default=1)
    for u, v, d in H.edges(data=True):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        ax.plot([x0, x1], [y0, y1], color="#999999", alpha=0.35 + 0.4 * d.get("count", 1) / max_c,
                linewidth=0.5 + 2.5 * d.get("count", 1) / max_c, zorder=1)
    for n, d in H.nodes(data=True):
        x, y = pos[n]
        ax.scatter([x], [y], s=_size(d.get("count", 1), top) ** 2, color=TYPE_COLORS.get(d.get("type"), "#333333"),
                   edgecolors="white", linewidths=0.8, zorder=2)
    types = sorted({d.get("type") for _, d in H.nodes(data=True)}, key=list(TYPE_COLORS).index)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=TYPE_COLORS[t], label=f"{TYPE_NAMES_ZH[t]} {t}") for t in types]
    if handles:
        ax.legend(handles=handles, prop=font, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    window = G.graph.get("window", "")
    ax.set_title(title or f"共现网络 co-occurrence graph ({window}; {H.number_of_nodes()} nodes, {H.number_of_edges()} edges)",
                 fontproperties=big)
    fig.tight_layout()
    _place_labels(fig, ax, H, pos, max_labels, font, big)  # after the layout: boxes as saved
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return Path(path)


def label_order(H: nx.Graph) -> list:
    """The nodes in the order their labels are placed: themes, then by degree (links), then by
    mentions.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("t", "c")])
    >>> nx.set_node_attributes(G, {"t": "theme"}, "type")
    >>> label_order(G)
    ['t', 'a', 'c', 'b']
    """
    return sorted(H, key=lambda n: (H.nodes[n].get("type") != "theme", -H.degree(n), -H.nodes[n].get("count", 0), str(n)))


def _place_labels(fig, ax, H: nx.Graph, pos: dict, max_labels: int, font, big) -> int:
    """Label the nodes of :func:`label_order`, skipping a label that would overlap one already
    placed (its box measured by the renderer), until ``max_labels`` are placed."""
    renderer = fig.canvas.get_renderer()
    placed, boxes, top = 0, [], _top(H)
    for n in label_order(H):
        if placed >= max_labels:
            break
        d = H.nodes[n]
        x, y = pos[n]
        text = ax.annotate(d.get("name", n), (x, y), xytext=(0, _size(d.get("count", 1), top) / 2 + 3),
                           textcoords="offset points", ha="center",
                           fontproperties=big if d.get("type") == "theme" else font, zorder=3)
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(b) for b in boxes):
            text.remove()
            continue
        boxes.append(box)
        placed += 1
    return placed


def html_fragment(
    G: nx.Graph,
    *,
    max_nodes: int = 80,
    width: int = 900,
    height: int = 640,
    seed: int = 0,
    element_id: str = "qidu-graph",
) -> str:
    """A self-contained HTML fragment (inline SVG + inline script) for ``report.html``.

    Hover a node or an edge for its counts and example sentence ids; hovering a node dims
    everything not linked to it; clicking a legend entry hides or shows that node type.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("theme:乡村振兴", type="theme", name="乡村振兴", count=3)
    >>> frag = html_fragment(G)
    >>> "乡村振兴" in frag and "http" not in frag.replace("http://www.w3.org/2000/svg", "")
    True
    """
    H = top_subgraph(G, max_nodes)
    pos = layout(H, seed=seed)
    pad = 40
    legend_h = 28
    def xy(n):
        x, y = pos[n]
        return pad + x * (width - 2 * pad), legend_h + pad + (1 - y) * (height - legend_h - 2 * pad)

    ids = {n: f"n{i}" for i, n in enumerate(H.nodes())}
    parts = [
        f'<div class="qidu-graph" id="{html.escape(element_id)}">',
        _style(element_id),
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="co-occurrence graph, {H.number_of_nodes()} nodes, {H.number_of_edges()} edges">',
        *_legend(H),
        *_edge_lines(H, xy, ids),
        *_node_marks(H, xy, ids),
        "</svg>",
        _script(element_id),
        "</div>",
    ]
    return "\n".join(parts)


def _style(element_id: str) -> str:
    return ("<style>"
            f"#{element_id} svg{{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Zen Hei',sans-serif;background:#fff;border:1px solid #ddd}}"
            f"#{element_id} line{{stroke:#999;stroke-opacity:.5}}"
            f"#{element_id} .dim{{opacity:.12}}"
            f"#{element_id} .hidden{{display:none}}"
            f"#{element_id} .legend text{{cursor:pointer;font-size:12px}}"
            f"#{element_id} .node text{{font-size:11px;pointer-events:none;paint-order:stroke;stroke:#fff;stroke-width:3px}}"
            f"#{element_id} .node text.hl{{display:none}}"
            f"#{element_id} .node:hover text.hl{{display:inline}}"
            "</style>")


def _legend(H: nx.Graph) -> list[str]:
    esc = html.escape
    types = sorted({d.get("type") for _, d in H.nodes(data=True)},
                   key=lambda t: list(TYPE_COLORS).index(t) if t in TYPE_COLORS else 99)
    parts, x = ['<g class="legend">'], 10
    for t in types:
        parts.append(f'<g data-type="{esc(str(t))}"><circle cx="{x + 6}" cy="16" r="6" fill="{TYPE_COLORS.get(t, "#333")}"/>'
                     f'<text x="{x + 16}" y="20">{esc(TYPE_NAMES_ZH.get(t, str(t)))} {esc(str(t))}</text></g>')
        x += 100
    parts.append("</g>")
    return parts


def _edge_lines(H: nx.Graph, xy, ids: dict) -> list[str]:
    esc = html.escape
    max_c = max((d.get("count", 1) for *_, d in H.edges(data=True)), default=1)
    parts = ['<g class="edges">']
    for u, v, d in H.edges(data=True):
        (x0, y0), (x1, y1) = xy(u), xy(v)
        tip = (f"{H.nodes[u].get('name', u)} — {H.nodes[v].get('name', v)}\ncount {d.get('count')}, "
               f"npmi {d.get('npmi', float('nan')):.2f}, G² {d.get('llr', float('nan')):.1f} ({d.get('window', '')})\n"
               + " ".join(d.get("examples", []) or []))
        parts.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke-width="{0.6 + 3 * d.get("count", 1) / max_c:.2f}" '
                     f'data-a="{ids[u]}" data-b="{ids[v]}"><title>{esc(tip)}</title></line>')
    parts.append("</g>")
    return parts


def _text_width(text: str, size: float = 11) -> float:
    """Estimated width in pixels of a label (a CJK character is square, others about half)."""
    return sum(size if ord(ch) > 0x2E7F else 0.55 * size for ch in text)


def _shown_labels(H: nx.Graph, xy) -> set:
    """The nodes whose label is shown at first: :func:`label_order`, skipping a label whose box
    would overlap one already shown (the others appear when the node is hovered)."""
    boxes, shown, top = [], set(), _top(H)
    for n in label_order(H):
        d = H.nodes[n]
        cx, cy = xy(n)
        r = _size(d.get("count", 1), top) / 1.6
        w = _text_width(str(d.get("name", n)))
        box = (cx - w / 2 - 1, cy - r - 14, cx + w / 2 + 1, cy - r)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        boxes.append(box)
        shown.add(n)
    return shown


def _node_marks(H: nx.Graph, xy, ids: dict) -> list[str]:
    esc = html.escape
    parts = ['<g class="nodes">']
    shown, top = _shown_labels(H, xy), _top(H)
    for n, d in H.nodes(data=True):
        hidden = "" if n in shown else ' class="hl"'
        cx, cy = xy(n)
        r = _size(d.get("count", 1), top) / 1.6
        tip = (f"{n}\n{d.get('count', 0)} mentions in {d.get('doc_count', 0)} docs"
               + (f", {d['first_year']}–{d['last_year']}" if "first_year" in d else "") + f"\n{H.degree(n)} links")
        parts.append(f'<g class="node" id="{ids[n]}" data-type="{esc(str(d.get("type")))}">'
                     f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{TYPE_COLORS.get(d.get("type"), "#333")}" stroke="#fff">'
                     f"<title>{esc(tip)}</title></circle>"
                     f'<text x="{cx:.1f}" y="{cy - r - 2:.1f}" text-anchor="middle"{hidden}>'
                     f'{esc(str(d.get("name", n)))}</text></g>')
    parts.append("</g>")
    return parts


def _script(element_id: str) -> str:
    # hover a node: dim what is not linked to it; click a legend entry: hide that type
    return ("<script>(function(){"
            f"var root=document.getElementById({element_id!r});if(!root)return;"
            "var lines=root.querySelectorAll('line'),nodes=root.querySelectorAll('.node');"
            "var adj={};lines.forEach(function(l){var a=l.dataset.a,b=l.dataset.b;(adj[a]=adj[a]||{})[b]=1;(adj[b]=adj[b]||{})[a]=1;});"
            "nodes.forEach(function(g){g.addEventListener('mouseenter',function(){var id=g.id,nb=adj[id]||{};"
            "nodes.forEach(function(o){if(o.id!==id&&!nb[o.id])o.classList.add('dim');});"
            "lines.forEach(function(l){if(l.dataset.a!==id&&l.dataset.b!==id)l.classList.add('dim');});});"
            "g.addEventListener('mouseleave',function(){root.querySelectorAll('.dim').forEach(function(e){e.classList.remove('dim');});});});"
            "root.querySelectorAll('.legend g').forEach(function(lg){lg.addEventListener('click',function(){var t=lg.dataset.type;"
            "lg.classList.toggle('dim');var hide=lg.classList.contains('dim'),gone={};"
            "nodes.forEach(function(g){if(g.dataset.type===t){g.classList.toggle('hidden',hide);}if(g.classList.contains('hidden'))gone[g.id]=1;});"
            "lines.forEach(function(l){l.classList.toggle('hidden',!!(gone[l.dataset.a]||gone[l.dataset.b]));});});});"
            "})();</script>")
