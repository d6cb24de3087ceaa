"""qidu_nlp.text.terms: how often each of many strings occurs in a text, in one pass.

``text.count(term)`` for every distinct term scans the whole text once per term, which grows
with the square of a document whose number of distinct terms grows with its length (the
candidate surfaces of a long report, the villages of the towns it names). :func:`find_terms`
and :func:`count_terms` give the same occurrences and counts from one Aho–Corasick pass.
"""

from __future__ import annotations

import ahocorasick

__all__ = ["count_terms", "find_terms", "automaton", "longest_first"]


def longest_first(terms) -> list[str]:
    """The distinct ``terms``, longest first and, among those of one length, in character order:
    the order in which alternatives are tried (a suffix, a frame, a name) must not be a set's own
    order, which changes with the process's hash seed.

    Examples
    --------
    >>> longest_first({"项目", "小镇", "建设项目"})
    ['建设项目', '小镇', '项目']
    """
    return sorted(set(terms), key=lambda t: (-len(t), t))


def automaton(terms) -> ahocorasick.Automaton:
    """An Aho–Corasick automaton whose value for each of ``terms`` is the term itself."""
    auto = ahocorasick.Automaton()
    for term in terms:
        auto.add_word(term, term)
    auto.make_automaton()
    return auto


def find_terms(text: str, terms) -> dict[str, list[int]]:
    """Where each of ``terms`` (non-empty strings) occurs in ``text``: the starts of its
    non-overlapping occurrences left to right (what a ``text.find`` loop from the end of each
    one gives), all in one Aho–Corasick pass over the text.

    Examples
    --------
    >>> find_terms("aaaa 新发展 新发展", ["aa", "新发展", "无"])
    {'aa': [0, 2], '新发展': [5, 9], '无': []}
    """
    found: dict[str, list[int]] = {term: [] for term in terms}
    if not found:
        return found
    free_from: dict[str, int] = {}  # term → where its next occurrence may start
    for end, term in automaton(found).iter(text):  # by end, so by start for each term
        start = end + 1 - len(term)
        if start >= free_from.get(term, 0):
            found[term].append(start)
            free_from[term] = end + 1
    return found


def count_terms(text: str, terms) -> dict[str, int]:
    """How often each of ``terms`` (non-empty strings) occurs in ``text``, non-overlapping
    occurrences of a term counted left to right (what ``text.count(term)`` gives), all in one
    Aho–Corasick pass over the text (:func:`find_terms`).

    Examples
    --------
    >>> count_terms("aaaa 新发展 新发展", ["aa", "新发展", "无"])
    {'aa': 2, '新发展': 2, '无': 0}
    """
    return {term: len(starts) for term, starts in find_terms(text, terms).items()}
