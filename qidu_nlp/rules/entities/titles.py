"""qidu_nlp.rules.entities.titles: DOC, a title in 《》, brackets included, nesting allowed.

Examples
--------
>>> from qidu_nlp.rules.entities.context import Context
>>> t = "印发《齐都镇耕地保护常态监管九条措施》"
>>> [t[c["start"]:c["end"]] for c in find_titles(Context.make(t))]
['《齐都镇耕地保护常态监管九条措施》']
"""

from __future__ import annotations

from .context import Context

__all__ = ["find_titles"]


def find_titles(ctx: Context) -> list[dict]:
    """DOC candidates: every 《…》 closed on its line (an inner title is inside the outer one,
    and the flat layer keeps the outer)."""
    text, out = ctx.text, []
    start = text.find("《")
    while start >= 0:
        depth, j = 0, start
        while j < len(text) and text[j] != "\n":
            if text[j] == "《":
                depth += 1
            elif text[j] == "》":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j < len(text) and text[j] == "》" and j - start > 1:
            item = ctx.candidate(start, j + 1, "DOC", norm=text[start:j + 1])
            if item:
                out.append(item)
        start = text.find("《", start + 1)
    return out
