"""Build qidu_nlp/data/entities/divisions.tsv.gz from the administrative divisions shipped by jionlp.

Run once (needs ``pip install jionlp``; the runtime does not):

    .venv/bin/python benchmarks/build_gazetteer.py [divisions|boundary|villages|words ...]

(all four files when no name is given). Besides ``divisions.tsv.gz``:

- ``villages.tsv.gz``: per town (镇, 乡, 街道, 苏木), its county and its villages and urban
  communities (村, 社区, 居委会, 嘎查 …), from the fifth level of jionlp's ``china_location.txt``;
  the entity rules look up the villages of the towns a report names;
- ``common_words.tsv.gz``: ordinary words (jionlp's IDF table, idf < 12, two to four Chinese
  characters, not a place by the word dictionary's gloss) with their idf: a name whose core is
  one of them (城镇, 健全, 中心) fails the proper-name test;
- ``boundary_words.txt``: see :func:`build_boundary_words`.

Columns: surface, level, norm. ``level`` is one of province, prefecture, county, town,
town_alias (a town name without 镇/乡/街道, used only after the full name appeared in the same
document), country, continent. ``norm`` is the suffix-less short form shared by a division's full
name and its alias (临淄区 and 临淄 → 临淄).

A suffix-less alias is kept only where it is unambiguous enough to stand alone in running text:
two characters or more, not a generic locality word (城区, 新区, 东区, 高新), and,
below province level, not an ordinary word of jionlp's word dictionary unless its gloss there says
it is a place (和平, 安定, 吉利, 大方, 朝阳 are dropped; 临淄, 长安 stay); for counties and towns
also not a frequent word of jionlp's IDF table (idf < 9.2: 新建, 复兴, 前进, 古城, 大兴) unless so glossed.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import jionlp  # noqa: F401  (only to locate its data folder)

JIO = Path(jionlp.__file__).parent / "dictionary"
OUT = Path(__file__).resolve().parents[1] / "qidu_nlp" / "data" / "entities" / "divisions.tsv.gz"
# generic locality words: as a division name or alias they would match ordinary text
GENERIC = {"城区", "郊区", "新区", "市区", "矿区", "东区", "西区", "南区", "北区", "中区", "城中", "城东",
           "城西", "城南", "城北", "开发", "高新", "新城", "老城", "市中", "市北", "市南", "城关",
           "示范区", "开发区", "高新区", "经开区", "产业园", "工业园", "园区", "管委会"}
MIN_IDF = 9.2
FREQUENT_IDF = 7.0
PLACE_GLOSS = ("县", "市", "省", "地名", "古城", "古都", "国名", "都城", "山名", "水名", "古国")
TOWN_SUFFIX = re.compile(r"(镇|乡|街道|街道办事处|民族乡|苏木)$")


def load_idf() -> dict[str, float]:
    idf = {}
    for line in (JIO / "idf.txt").read_text(encoding="utf-8").splitlines():
        word, _, val = line.partition("\t")
        if val:
            idf[word] = float(val)
    return idf


def load_words() -> dict[str, str]:
    words = {}
    for line in (JIO / "chinese_word_dictionary.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t", 1)
        if len(parts) == 2:
            words[parts[0]] = parts[1]
    return words


def glossed_place(word: str, words: dict[str, str], idf: dict[str, float]) -> bool:
    """Whether the word dictionary's gloss calls ``word`` a place. The gloss of a very frequent
    word (idf < 7) is not trusted: 中心 is glossed with 城市, 安全 and 新建 are words first."""
    return idf.get(word, 99.0) >= FREQUENT_IDF and any(g in words.get(word, "") for g in PLACE_GLOSS)


def alias_ok(alias: str, level: str, words: dict[str, str], idf: dict[str, float]) -> bool:
    if len(alias) < 2 or alias in GENERIC:
        return False
    if level in ("county", "town") and idf.get(alias, 99.0) < MIN_IDF and not glossed_place(alias, words, idf):
        return False  # a frequent word (新建, 复兴, 前进, 古城, 中心) that is also a short name
    if level != "province" and alias in words:
        if level == "prefecture":  # 南京, 长安: a city's short name is a place, however frequent
            return any(g in words[alias] for g in PLACE_GLOSS)
        return glossed_place(alias, words, idf)
    return True


def main() -> None:
    words = load_words()
    idf = load_idf()
    rows: dict[tuple[str, str], str] = {}

    def add(surface: str, level: str, norm: str) -> None:
        surface = surface.strip()
        generic = surface in GENERIC
        if len(surface) >= 2 and not generic and (surface, level) not in rows:
            rows[(surface, level)] = norm

    level_of_depth = {0: "province", 1: "prefecture", 2: "county"}
    for line in (JIO / "china_location.txt").read_text(encoding="utf-8").splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip().split("\t")
        if depth in level_of_depth and len(fields) == 3:
            name, _code, aliases = fields
            level = level_of_depth[depth]
            alias_list = [a for a in aliases.split("/") if a]
            norm = alias_list[0] if alias_list else name
            add(name, level, norm)
            for alias in alias_list:
                if alias != name and alias_ok(alias, level, words, idf):
                    add(alias, level, norm)
        elif depth == 3 and fields[0] and TOWN_SUFFIX.search(fields[0]) and len(fields[0]) >= 3:
            name = fields[0]  # towns without 镇/乡/街道 (新建, 前进, 社区 …) match ordinary words
            short = TOWN_SUFFIX.sub("", name)
            add(name, "town", short if len(short) >= 2 else name)
            if short != name and alias_ok(short, "town", words, idf):  # used only after the full name
                add(short, "town_alias", short)
    continent = None
    for line in (JIO / "world_location.txt").read_text(encoding="utf-8").splitlines():
        if line.endswith(":") or line.endswith("："):
            continent = line.rstrip(":：")
            add(continent, "continent", continent)
            continue
        fields = line.split("\t")
        if len(fields) >= 2 and continent:
            add(fields[0], "country", fields[0])
            add(fields[1], "country", fields[0])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{s}\t{lvl}\t{n}\n" for (s, lvl), n in sorted(rows.items()))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# surface\tlevel\tnorm  (from jionlp %s, Apache-2.0; see README.md)\n" % jionlp.__version__)
        fh.write(body)
    print(f"{len(rows)} rows -> {OUT} ({OUT.stat().st_size} bytes)")



def build_boundary_words() -> None:
    """Write boundary_words.txt: frequent words that end a name on its left.

    The words of jionlp's IDF table with idf < 9 (the ~20k commonest), one to three characters,
    are tagged in isolation with jiojio (jionlp's own segmenter/tagger); verbs (v, vi), adverbs (d),
    prepositions (p), conjunctions (c), particles (u) and pronouns (r) are kept. Single characters
    are kept only for a short list of function words (在, 的, 和, 与 …). A name found by its suffix
    (…村, …公司, …项目) extends to the left over characters until such a word.
    """
    import jiojio

    jiojio.init(pos=True)
    keep = {"v", "vi", "d", "p", "c", "u", "r"}
    # single characters are too often part of names (正华助剂, 共青团, 和田): only these function words
    single = set("与为于从以及各向在对将把由的等被给这每和或")
    out = set()
    for line in (JIO / "idf.txt").read_text(encoding="utf-8").splitlines():
        word, _, val = line.partition("\t")
        if not val or float(val) >= 9.0 or not 1 <= len(word) <= 3:
            continue
        if not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        tagged = jiojio.cut(word)
        if len(tagged) != 1:
            continue
        tag = tagged[0][1]
        if tag in keep and (len(word) > 1 or word in single):
            out.add(word)
    path = OUT.parent / "boundary_words.txt"
    path.write_text(
        "# left boundaries of names: jionlp idf<9 words tagged v/vi/d/p/c/u/r by jiojio (see build_gazetteer.py)\n"
        + "\n".join(sorted(out)) + "\n", encoding="utf-8")
    print(f"{len(out)} boundary words -> {path}")



VILLAGE_SUFFIX = re.compile(r"(村民委员会|居民委员会|村委会|居委会|社区|嘎查|村)$")
MAX_COMMON_IDF = 12.0


def build_villages() -> None:
    """Write villages.tsv.gz: ``town<TAB>county<TAB>village|village|…`` (the villages' full names)."""
    rows: dict[tuple[str, str], list[str]] = {}
    county = town = None
    for line in (JIO / "china_location.txt").read_text(encoding="utf-8").splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        name = line.strip().split("\t")[0]
        if depth == 2:
            county = name
        elif depth == 3:
            town = name
        elif depth == 4 and town and county and VILLAGE_SUFFIX.search(name) and len(name) >= 3:
            rows.setdefault((town, county), []).append(name)
    path = OUT.parent / "villages.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# town\tcounty\tvillages (from jionlp %s china_location.txt, Apache-2.0)\n" % jionlp.__version__)
        for (t, c), names in sorted(rows.items()):
            fh.write(f"{t}\t{c}\t{'|'.join(sorted(set(names)))}\n")
    print(f"{len(rows)} towns, {sum(len(v) for v in rows.values())} villages -> {path} ({path.stat().st_size} bytes)")


def big_place_names() -> set[str]:
    """Provinces, prefectures, countries and continents of ``divisions.tsv.gz`` (full names and
    short forms) and the regions of ``regions.txt``: never ordinary words, however frequent
    (北京, 河北, 中国, 东北, 黄河)."""
    out = {line.strip() for line in (OUT.parent / "regions.txt").read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")}
    with gzip.open(OUT, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                surface, level, _norm = line.rstrip("\n").split("\t")
                if level in ("province", "prefecture", "country", "continent"):
                    out.add(surface)
    return out


def build_common_words() -> None:
    """Write common_words.tsv.gz: ``word<TAB>idf`` for ordinary words that are no place names."""
    words, idf = load_words(), load_idf()
    big_places = big_place_names()
    out = []
    for line in (JIO / "idf.txt").read_text(encoding="utf-8").splitlines():
        word, _, val = line.partition("\t")
        if not val or float(val) >= MAX_COMMON_IDF or not 2 <= len(word) <= 4:
            continue
        if not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        if glossed_place(word, words, idf) or word in big_places:
            continue
        out.append((word, round(float(val), 2)))
    path = OUT.parent / "common_words.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# word\tidf (jionlp %s idf.txt, idf < %s, 2-4 characters, no place gloss; Apache-2.0)\n"
                 % (jionlp.__version__, MAX_COMMON_IDF))
        fh.write("".join(f"{w}\t{v}\n" for w, v in sorted(out)))
    print(f"{len(out)} common words -> {path} ({path.stat().st_size} bytes)")


BUILDERS = {"divisions": main, "boundary": build_boundary_words, "villages": build_villages,
            "words": build_common_words}

if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or BUILDERS:
        BUILDERS[name]()
