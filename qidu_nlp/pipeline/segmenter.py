"""qidu_nlp.pipeline.segmenter: pkuseg's segmentation with its features looked up by array.

spacy-pkuseg segments a text with a CRF: for every character it builds about 90 feature
strings (the character and its neighbours, the dictionary words that end or start there, and
their pairs) and looks each up in a Python dict of 2.6 million feature strings, then decodes
the best tags (Viterbi). Two costs dominate qidu_nlp: reading that dict (3.5–4 s and about
half a gigabyte per process, the bulk of ``qidu_nlp.load()``), and the look-ups themselves
(20 µs per character, nine tenths of pkuseg's time; the Viterbi decoding is 2 µs).

:class:`FastPkuseg` gives exactly pkuseg's segmentation without that dict. The feature
strings are never built: each is named by two 64-bit polynomial fingerprints of its
characters (and its length), computed for all characters of a text at once from prefix
fingerprints, and found in an open-addressing table of the model's features
(:class:`FeatureIndex`, numpy arrays memory-mapped from the model folder, so worker
processes share them). The node scores are summed feature by feature in pkuseg's order (the
same floating-point sums), and pkuseg's own Viterbi decoder, pre-processor (the user
dictionary) and post-processor run unchanged. Two fingerprints and the length must all agree
for a match, so a false match needs a double 64-bit collision; the segmentation is checked
word for word against spacy-pkuseg on every shared corpus (``benchmarks/segmenter_check.py``).

The index is built once from the model's ``features.msgpack`` (``qidu download``, or the
first :func:`qidu_nlp.load`) into ``<model>/qidu-index``.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np
import spacy_pkuseg
import srsly
from spacy_pkuseg import Postprocesser, Preprocesser
from spacy_pkuseg.feature_extractor import FeatureExtractor
from spacy_pkuseg.inference import run_viterbi
from spacy_pkuseg.model import Model

from ..files import atomic_write

__all__ = ["FastPkuseg", "FeatureIndex", "build_index", "index_ready", "INDEX_DIR"]

logger = logging.getLogger("qidu_nlp")

INDEX_DIR = "qidu-index"
_INDEX_VERSION = 2
_B1 = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit bases of the two fingerprints
_B2 = np.uint64(0xC2B2AE3D27D4EB4F)
_MAX_LEN = 512  # longest string fingerprinted by composition (a feature is at most ~110)
_POW1 = np.cumprod(np.r_[np.uint64(1), np.full(_MAX_LEN, _B1, dtype=np.uint64)], dtype=np.uint64)
_POW2 = np.cumprod(np.r_[np.uint64(1), np.full(_MAX_LEN, _B2, dtype=np.uint64)], dtype=np.uint64)
_WORD_MAX, _WORD_MIN = 6, 2  # pkuseg's word feature lengths (config.wordMax, config.wordMin)
_LENGTHS = range(_WORD_MAX, _WORD_MIN - 1, -1)  # 6 … 2, pkuseg's order
_NO_WORD = "**noWord"
_CHUNK = 20_000  # characters whose features are computed at once (bounds the arrays)


# --------------------------------------------------------------------------- fingerprints


class _Fp:
    """Fingerprints (two hashes and a length) of many strings at once; arrays of equal shape."""

    __slots__ = ("h1", "h2", "n")

    def __init__(self, h1, h2, n):
        self.h1, self.h2, self.n = h1, h2, n

    def __add__(self, other: "_Fp") -> "_Fp":
        """The fingerprints of the concatenations (``H(s + t) = H(s)·B^len(t) + H(t)``)."""
        return _Fp(self.h1 * _POW1[other.n] + other.h1, self.h2 * _POW2[other.n] + other.h2, self.n + other.n)

    def where(self, mask, other: "_Fp") -> "_Fp":
        return _Fp(np.where(mask, self.h1, other.h1), np.where(mask, self.h2, other.h2),
                   np.where(mask, self.n, other.n))


def _const(text: str, shape) -> _Fp:
    """The fingerprint of one string, broadcast to ``shape``."""
    h1 = h2 = np.uint64(0)
    with np.errstate(over="ignore"):
        for ch in text:
            c = np.uint64(ord(ch) + 1)
            h1, h2 = h1 * _B1 + c, h2 * _B2 + c
    return _Fp(np.full(shape, h1, dtype=np.uint64), np.full(shape, h2, dtype=np.uint64),
               np.full(shape, len(text), dtype=np.int64))


def fingerprints(strings: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The two fingerprints and the length of every string (code points + 1, base ``_B1``/``_B2``)."""
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    codes = np.frombuffer("".join(strings).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(strings) else np.zeros(0, dtype=np.int64)
    h1 = np.zeros(len(strings), dtype=np.uint64)
    h2 = np.zeros(len(strings), dtype=np.uint64)
    for k in range(int(lengths.max()) if len(strings) else 0):
        live = lengths > k
        c = codes[starts[live] + k]
        h1[live] = h1[live] * _B1 + c
        h2[live] = h2[live] * _B2 + c
    return h1, h2, lengths


def _slot(h1: np.ndarray, shift: np.uint64) -> np.ndarray:
    """The table slot of a fingerprint: its top bits after a 64-bit finaliser (MurmurHash3's
    fmix64), since a polynomial hash keeps the last characters in its low bits only."""
    x = h1 ^ (h1 >> np.uint64(33))
    x = x * np.uint64(0xFF51AFD7ED558CCD)
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xC4CEB9FE1A85EC53)
    x = x ^ (x >> np.uint64(33))
    return (x >> shift).astype(np.int64)


class FeatureIndex:
    """Exact membership and ids of a fixed set of strings, queried by fingerprints.

    An open-addressing table (linear probing) of string ids, with each id's fingerprints and
    length to confirm a match. Built by :meth:`build`, saved with :meth:`save` and opened
    memory-mapped with :meth:`load`.

    Examples
    --------
    >>> index = FeatureIndex.build(["c.的", "w1.中国", ""], np.array([7, 8, 9]))
    >>> h1, h2, n = fingerprints(["w1.中国", "c.了", ""])
    >>> index.lookup(_Fp(h1, h2, n)).tolist()
    [8, -1, 9]
    """

    def __init__(self, table: np.ndarray, k1: np.ndarray, k2: np.ndarray, klen: np.ndarray, ids: np.ndarray):
        self.table, self.k1, self.k2, self.klen, self.ids = table, k1, k2, klen, ids
        self.shift = np.uint64(64 - int(np.log2(len(table))))
        self.mask = len(table) - 1

    @classmethod
    def build(cls, strings: list[str], ids: np.ndarray | None = None) -> "FeatureIndex":
        k1, k2, klen = fingerprints(strings)
        ids = np.arange(len(strings), dtype=np.int32) if ids is None else np.asarray(ids, dtype=np.int32)
        size = 1 << max(4, int(np.ceil(np.log2(max(len(strings), 1) * 3))))  # load factor ≤ 1/3
        table = np.full(size, -1, dtype=np.int32)
        slot = _slot(k1, np.uint64(64 - int(np.log2(size))))
        todo = np.arange(len(strings))
        while len(todo):  # place every string at its first free slot (ties: lowest row first)
            s = slot[todo]
            free = table[s] == -1
            first = np.zeros(len(todo), dtype=bool)
            _, at = np.unique(s[free], return_index=True)
            first[np.flatnonzero(free)[at]] = True
            table[s[first]] = todo[first]
            todo = todo[~first]
            slot[todo] = (slot[todo] + 1) & (size - 1)
        return cls(table, k1, k2, klen.astype(np.int16), ids)

    def lookup(self, fp: _Fp) -> np.ndarray:
        """The id of every fingerprinted string (-1 when it is not in the set)."""
        h1, h2, n = fp.h1.ravel(), fp.h2.ravel(), fp.n.ravel()
        out = np.full(len(h1), -1, dtype=np.int64)
        todo = np.arange(len(h1))
        slot = _slot(h1, self.shift)
        while len(todo):
            row = self.table[slot]
            live = row >= 0  # an empty slot ends the probe: not in the set
            todo, slot, row = todo[live], slot[live], row[live]
            hit = self.k1[row] == h1[todo]
            if hit.any():
                sure = np.flatnonzero(hit)
                ok = (self.k2[row[sure]] == h2[todo[sure]]) & (self.klen[row[sure]] == n[todo[sure]])
                out[todo[sure[ok]]] = self.ids[row[sure[ok]]]
                hit[sure[ok]] = True
                hit[sure[~ok]] = False
            todo, slot = todo[~hit], (slot[~hit] + 1) & self.mask
        return out.reshape(fp.h1.shape)

    def save(self, folder: Path, name: str) -> None:
        for part in ("table", "k1", "k2", "klen", "ids"):
            atomic_write(folder / f"{name}.{part}.npy", lambda f, a=getattr(self, part): np.save(f, a))

    @classmethod
    def load(cls, folder: Path, name: str) -> "FeatureIndex":
        # plain arrays over the mapped files (indexing a np.memmap makes a memmap per call)
        return cls(*(np.asarray(np.load(folder / f"{name}.{part}.npy", mmap_mode="r"))
                     for part in ("table", "k1", "k2", "klen", "ids")))


# --------------------------------------------------------------------------- the model's index


def _index_folder(model_dir: Path) -> Path:
    return Path(model_dir) / INDEX_DIR


def _sources(model_dir: Path) -> dict:
    return {name: os.stat(Path(model_dir) / name).st_size for name in ("features.msgpack", "weights.npz")}


def index_ready(model_dir: str | Path) -> bool:
    """Whether ``model_dir`` holds an up-to-date index of its pkuseg model."""
    meta = _index_folder(Path(model_dir)) / "meta.json"
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        return info.get("version") == _INDEX_VERSION and info.get("sources") == _sources(Path(model_dir))
    except (OSError, ValueError):
        return False


def build_index(model_dir: str | Path) -> Path:
    """Build the feature index of the pkuseg model in ``model_dir`` (about 10 s, once).

    Reads ``features.msgpack`` and ``weights.npz`` and writes ``qidu-index/``: the feature
    and dictionary-word indexes (:class:`FeatureIndex`), the weights as ``.npy`` (opened
    memory-mapped) and ``meta.json``.
    """
    model_dir = Path(model_dir)
    folder = _index_folder(model_dir)
    folder.mkdir(parents=True, exist_ok=True)
    data = srsly.read_msgpack(model_dir / "features.msgpack")
    f2i = data["feature_to_idx"]
    FeatureIndex.build(list(f2i), np.fromiter(f2i.values(), dtype=np.int64, count=len(f2i))).save(folder, "features")
    FeatureIndex.build(sorted(data["unigram"])).save(folder, "unigram")
    with np.load(model_dir / "weights.npz") as npz:
        sizes, w = npz["sizes"], npz["w"]
    atomic_write(folder / "weights.npy", lambda f: np.save(f, np.ascontiguousarray(w, dtype=np.float64)))
    meta = {"version": _INDEX_VERSION, "sources": _sources(model_dir), "n_tag": int(sizes[0]),
            "n_feature": int(sizes[1]), "tag_to_idx": data["tag_to_idx"]}
    atomic_write(folder / "meta.json", lambda f: f.write(json.dumps(meta, ensure_ascii=False)), text=True)
    return folder


# --------------------------------------------------------------------------- segmentation


def _inverse(b: np.uint64) -> np.uint64:
    """The inverse of an odd number modulo 2**64 (Newton's iteration)."""
    x, b = int(b), int(b)
    for _ in range(6):
        x = (x * (2 - b * x)) % (1 << 64)
    return np.uint64(x)


_INV1, _INV2 = _inverse(_B1), _inverse(_B2)


class _Nodes:
    """A text as pkuseg's nodes (characters, with digits as ``**Num`` and full-width letters as
    ``**Letter``), and the fingerprint of any run of nodes from prefix sums of the node strings."""

    def __init__(self, text: str):
        text = FeatureExtractor.keyword_rename(text)
        nodes = [FeatureExtractor._num_letter_normalize_char(ch) for ch in text]
        self.n = len(nodes)
        lengths = np.fromiter(map(len, nodes), dtype=np.int64, count=self.n)
        self.at = np.concatenate([[0], np.cumsum(lengths)])  # where each node starts in the joined nodes
        codes = np.frombuffer("".join(nodes).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
        m = len(codes)
        # H(s[a:b]) = B^(b-1) · Σ_{a≤k<b} c_k · B^(-k): prefix sums of c_k · B^(-k), all mod 2**64
        self.pow1 = np.cumprod(np.r_[np.uint64(1), np.full(m, _B1, dtype=np.uint64)], dtype=np.uint64)
        self.pow2 = np.cumprod(np.r_[np.uint64(1), np.full(m, _B2, dtype=np.uint64)], dtype=np.uint64)
        inv1 = np.cumprod(np.r_[np.uint64(1), np.full(max(m - 1, 0), _INV1, dtype=np.uint64)], dtype=np.uint64)
        inv2 = np.cumprod(np.r_[np.uint64(1), np.full(max(m - 1, 0), _INV2, dtype=np.uint64)], dtype=np.uint64)
        self.q1 = np.concatenate([[np.uint64(0)], np.cumsum(codes * inv1[:m], dtype=np.uint64)])
        self.q2 = np.concatenate([[np.uint64(0)], np.cumsum(codes * inv2[:m], dtype=np.uint64)])

    def run(self, start: np.ndarray, length: int, valid: np.ndarray) -> _Fp:
        """Fingerprints of the nodes ``start .. start + length`` (the empty string where not ``valid``)."""
        a = self.at[np.where(valid, start, 0)]
        b = self.at[np.where(valid, start + length, 0)]
        top = np.maximum(b - 1, 0)
        return _Fp(self.pow1[top] * (self.q1[b] - self.q1[a]), self.pow2[top] * (self.q2[b] - self.q2[a]), b - a)


class FastPkuseg(spacy_pkuseg.pkuseg):
    """spacy-pkuseg's segmenter, with the features found by :class:`FeatureIndex` (same words).

    Parameters
    ----------
    model_dir : str or Path
        A pkuseg model folder (``features.msgpack``, ``weights.npz``) with its index
        (:func:`build_index`).

    Attributes
    ----------
    preprocesser, postprocesser
        pkuseg's user dictionary and post-processor, as in ``spacy_pkuseg.pkuseg``.
    model, feature_extractor
        pkuseg's weights and feature dictionary, for saving the pipeline (the dictionary is
        read only when asked for).
    """

    def __init__(self, model_dir: str | Path):  # noqa: D107 - pkuseg.__init__ would read the feature dict
        self.model_dir = Path(model_dir)
        folder = _index_folder(self.model_dir)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.postag = False
        self.preprocesser = Preprocesser(None)
        default_words = os.path.join(os.path.dirname(os.path.realpath(spacy_pkuseg.__file__)), "dicts", "default.pkl")
        self.postprocesser = Postprocesser(None, [default_words])
        self.features = FeatureIndex.load(folder, "features")
        self.unigram = FeatureIndex.load(folder, "unigram")
        w = np.asarray(np.load(folder / "weights.npy", mmap_mode="r"))
        self.n_tag, self.n_feature = meta["n_tag"], meta["n_feature"]
        self.node_w = w[: self.n_feature * self.n_tag].reshape(self.n_feature, self.n_tag)
        backoff = self.n_feature * self.n_tag
        self.edge_score = np.ones((self.n_tag, self.n_tag), dtype=np.float64)
        for s in range(self.n_tag):
            for s_pre in range(self.n_tag):
                self.edge_score[s_pre, s] += w[backoff + s * self.n_tag + s_pre] * 1.0
        self.idx_to_tag = {idx: tag for tag, idx in meta["tag_to_idx"].items()}
        self.begins = np.array(["B" in self.idx_to_tag[i] for i in range(self.n_tag)])
        self._w, self._extractor = w, None

    @property
    def model(self) -> Model:
        model = Model.__new__(Model)
        model.n_tag, model.n_feature = self.n_tag, self.n_feature
        model.n_transition_feature = self.n_tag * (self.n_feature + self.n_tag)
        model.w = np.asarray(self._w)
        return model

    @property
    def feature_extractor(self) -> FeatureExtractor:
        if self._extractor is None:  # only saving the pipeline reads the whole feature dictionary
            self._extractor = FeatureExtractor.load(str(self.model_dir))
        return self._extractor

    def cut(self, txt: str) -> list[str]:
        """pkuseg's ``cut``: split at white space, keep the user dictionary's words whole, segment
        the rest and post-process it; the pieces of a text are scored together."""
        txt = txt.strip()
        if not txt:
            return []
        parts: list[tuple[str, bool]] = []  # (text, a user-dictionary word)
        for w0 in txt.split():
            lst, isword, _ = self.preprocesser.solve(w0)
            parts.extend(zip(lst, isword))
        pieces = [w for w, isw in parts if not isw]
        cuts = iter(self._cut_many(pieces))
        ret: list[str] = []
        for w, isw in parts:
            ret.extend([w] if isw else self.postprocesser(next(cuts)))
        return ret

    def _cut(self, text: str) -> list[str]:
        """pkuseg's ``_cut``: the best tags of ``text`` (Viterbi), then its words."""
        return self._cut_many([text])[0]

    def _cut_many(self, texts: list[str]) -> list[list[str]]:
        """``_cut`` of each text, their node scores computed in one pass."""
        texts = [t for t in texts]
        bounds = np.concatenate([[0], np.cumsum([len(t) for t in texts])]).tolist()
        scores = self.node_scores("".join(texts), bounds)
        out = []
        for text, lo, hi in zip(texts, bounds, bounds[1:]):
            if not text:
                out.append([])
                continue
            _, tags = run_viterbi(scores[lo:hi], self.edge_score)
            starts = np.flatnonzero(self.begins[tags])
            starts = np.concatenate([[0], starts[starts > 0], [len(text)]]).tolist()
            out.append([text[a:b] for a, b in zip(starts, starts[1:])])
        return out

    def node_scores(self, text: str, bounds: list[int] | None = None) -> np.ndarray:
        """The CRF node scores of every character of ``text`` (pkuseg's ``getLogYY``), summed
        feature by feature in pkuseg's order; ``bounds`` cuts ``text`` into pieces segmented
        apart (no feature looks across a cut)."""
        nodes = _Nodes(text)
        bounds = np.asarray(bounds if bounds is not None else [0, nodes.n], dtype=np.int64)
        piece = np.searchsorted(bounds, np.arange(nodes.n), side="right") - 1
        scores = np.zeros((nodes.n, self.n_tag), dtype=np.float64)
        for lo in range(0, nodes.n, _CHUNK):
            pos = np.arange(lo, min(lo + _CHUNK, nodes.n))
            p = piece[pos]
            for ids in self._feature_ids(nodes, pos, bounds[p], bounds[p + 1]):
                hit = ids >= 0
                scores[pos[hit]] += self.node_w[ids[hit]]
        return scores

    def _feature_ids(self, nodes: _Nodes, i: np.ndarray, lo: np.ndarray, n: np.ndarray):
        """The feature ids of positions ``i`` (in pieces ``lo`` … ``n``), one array per feature
        slot in pkuseg's order (``-1`` where absent), as ``get_node_features_idx`` lists them."""
        shape = i.shape
        yes = np.ones(shape, dtype=bool)

        def run(start, length, valid=yes):
            return nodes.run(start, length, valid)

        def feat(prefix: str, fp: _Fp, valid=yes) -> np.ndarray:
            return np.where(valid, self.features.lookup(_const(prefix, shape) + fp), -1)

        dot = _const(".", shape)
        has_prev, has_prev2, has_next, has_next2 = i > lo, i - 1 > lo, i + 1 < n, i + 2 < n
        c, prev, prev2 = run(i, 1), run(i - 1, 1, has_prev), run(i - 2, 1, has_prev2)
        nxt, nxt2 = run(i + 1, 1, has_next), run(i + 2, 1, has_next2)
        yield np.zeros(shape, dtype=np.int64)  # $$, every node's first feature
        yield feat("c.", c)
        yield feat("c-1.", prev, has_prev)
        yield feat("c-1c.", prev + dot + c, has_prev)
        yield feat("c1.", nxt, has_next)
        yield feat("cc1.", c + dot + nxt, has_next)
        yield feat("c-2.", prev2, has_prev2)
        yield feat("c-2c-1.", prev2 + dot + prev, has_prev2)
        yield feat("c2.", nxt2, has_next2)
        no_word = _const(_NO_WORD, shape)
        lists = {}
        for name, start, ok in (("pre_in", lambda l: i - l + 1, lambda l: i - l + 1 >= lo),
                                ("post_in", lambda l: i, lambda l: i + l <= n),
                                ("pre_ex", lambda l: i - l, lambda l: i - l >= lo),
                                ("post_ex", lambda l: i + 1, lambda l: (i + 1 < n) & (i + 1 + l <= n))):
            words, in_dict = [], []
            for length in _LENGTHS:  # an out-of-range slice is "", which pkuseg's dictionary holds
                fp = run(start(length), length, ok(length))
                known = self.unigram.lookup(fp) >= 0
                words.append(fp.where(known, no_word))
                in_dict.append((fp, known))
            lists[name] = (words, in_dict)
        for prefix, name in (("w-1.", "pre_in"), ("w1.", "post_in")):
            for fp, known in lists[name][1]:
                yield feat(prefix, fp, known)
        star = _const("*", shape)
        for prefix, left, right in (("ww.l.", "pre_ex", "post_in"), ("ww.r.", "pre_in", "post_ex")):
            head = _const(prefix, shape)
            for pre in lists[left][0]:
                for post in lists[right][0]:
                    yield self.features.lookup(head + pre + star + post)
