"""qidu_nlp.graph: the co-occurrence graph of themes, slogans and entities.

From the mention table to a weighted networkx graph, in stages: :mod:`.nodes` (which mentions
are nodes, the windows), :mod:`.counting` and :mod:`.counts` (counts that add up across
batches), :mod:`.association` (PMI, NPMI, G²), :mod:`.build` (the graph and its views),
:mod:`.export` (GraphML, GEXF, JSON, CSV) and :mod:`.draw` (pictures).

Examples
--------
>>> import pandas as pd
>>> rows = [dict(doc_id="d", year=2024, paragraph=0, sentence=0, section="", label=l, norm=n, text=n)
...         for l, n in [("THEME", "乡村振兴"), ("VILLAGE", "龙贯村")]]
>>> sorted(build(pd.DataFrame(rows)).nodes)
['theme:乡村振兴', 'village:龙贯村']
"""

from .association import association
from .build import (bipartite_view, build, by_year, centralities, communities, ego, filter_graph, theme_project,
                    theme_village)
from .counting import Accumulator, count
from .counts import Counts
from .export import export, to_csv, to_gexf, to_graphml, to_node_link
from .nodes import CHILD_SCOPES, MAX_EXAMPLES, NODE_TYPES, WINDOWS

__all__ = ["build", "filter_graph", "bipartite_view", "theme_project", "theme_village", "by_year", "communities",
           "centralities", "ego", "export", "to_graphml", "to_gexf", "to_node_link", "to_csv", "count", "Counts",
           "Accumulator", "association", "NODE_TYPES", "WINDOWS", "CHILD_SCOPES", "MAX_EXAMPLES"]
