"""qidu_nlp.graph.association: how strongly two nodes are associated, from window counts.

``pmi = log2(N·c_ab / (c_a·c_b))``; ``npmi = pmi / -log2(c_ab / N)`` (1 when the two always occur
together); ``llr`` is Dunning's G² of the 2×2 window table, ``p`` its χ²(1) p-value.
"""

from __future__ import annotations

import numpy as np
from scipy.special import chdtrc  # chi2.sf(x, df) is chdtrc(df, x); scipy.stats takes 1.3 s to import

__all__ = ["association"]


def association(c_ab: np.ndarray, c_a: np.ndarray, c_b: np.ndarray, n: np.ndarray | float) -> dict[str, np.ndarray]:
    """PMI (base 2), NPMI, G² and its p-value for window counts (vectorised).

    Parameters
    ----------
    c_ab, c_a, c_b : array
        Windows with both, with a, with b.
    n : array or float
        Number of windows.

    Examples
    --------
    >>> r = association(np.array([2]), np.array([2]), np.array([2]), 4.0)
    >>> float(r["pmi"][0]), float(r["npmi"][0]), round(float(r["llr"][0]), 4)
    (1.0, 1.0, 5.5452)
    """
    c_ab, c_a, c_b = (np.asarray(v, dtype=np.float64) for v in (c_ab, c_a, c_b))
    n = np.broadcast_to(np.asarray(n, dtype=np.float64), c_ab.shape)
    pmi = np.log2(c_ab * n / (c_a * c_b))
    denom = -np.log2(c_ab / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(denom > 0, pmi / np.where(denom > 0, denom, 1), 1.0)
    k = np.stack([c_ab, c_a - c_ab, c_b - c_ab, n - c_a - c_b + c_ab])
    e = np.stack([c_a * c_b, c_a * (n - c_b), (n - c_a) * c_b, (n - c_a) * (n - c_b)]) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(k > 0, k * np.log(np.where(k > 0, k, 1) / np.where(e > 0, e, 1)), 0.0)
    llr = np.maximum(2 * terms.sum(axis=0), 0.0)
    return {"pmi": pmi, "npmi": npmi, "llr": llr, "p": chdtrc(1, llr)}
