"""qidu_nlp.text.header: the header of a work report (title, date, meeting, place, speaker) and
the year a document refers to.

Examples
--------
>>> h = parse_header("政府工作报告\\n——2024年1月12日在齐都镇第二十届人民代表大会第三次会议上\\n镇长 刘菁华\\n各位代表：")
>>> h.year, h.place, h.level, h.speaker
(2024, '齐都镇', 'town', '刘菁华')
>>> document_year({"date": "2023-02-01"}), document_year({}, "——2024年1月12日在齐都镇第二十届人民代表大会第三次会议上")
(2023, 2024)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chars import CJK
from .normalize import normalize

__all__ = ["Header", "parse_header", "document_year", "salutation_at"]

_DATELINE = re.compile(
    r"(?P<date>(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日)\s*在\s*(?P<meeting>[^\n]{2,80}?(?:\n[^\n]{0,40}?)?)上"
)
_SPEAKER = re.compile(
    r"^(?P<role>(?:国务院)?(?:代理|代)?(?:总理|省长|市长|区长|县长|镇长|乡长|主席|主任|州长|旗长))\s*"
    rf"(?P<name>[{CJK}][{CJK}\s]{{0,6}}[{CJK}])\s*$"
)
_LEVELS = [("镇", "town"), ("乡", "town"), ("街道", "town"), ("县", "county"), ("旗", "county"),
           ("区", "district"), ("市", "city"), ("州", "city"), ("省", "province"), ("自治区", "province")]


@dataclass
class Header:
    """Metadata parsed from a report header (all fields may be None)."""

    title: str | None = None
    date: str | None = None
    year: int | None = None
    meeting: str | None = None
    place: str | None = None
    level: str | None = None
    speaker: str | None = None
    speaker_role: str | None = None
    end: int = 0  # offset where the body starts

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "end"}


_SALUTATION = re.compile(r"^\s*(各位代表|同志们|各位委员)", re.M)


def salutation_at(text: str) -> int | None:
    """Where the first salutation (各位代表, 同志们, 各位委员) at the start of a line stands in the
    first 3,000 characters: the end of a report's header, or None.

    Examples
    --------
    >>> salutation_at("政府工作报告\\n镇长 刘菁华\\n  各位代表：")
    16
    """
    m = _SALUTATION.search(text[:3000])
    return m.start(1) if m else None


def parse_header(text: str) -> Header:
    """Parse the title, date, meeting, place, level and speaker from a report header.

    Only the lines before the first salutation (各位代表…) are read.

    Examples
    --------
    >>> h = parse_header("政府工作报告\\n\\n——2024年1月12日在齐都镇第二十届\\n人民代表大会第三次会议上\\n镇长  刘菁华\\n\\n各位代表：\\n现在……")
    >>> h.date, h.meeting, h.place, h.level, h.speaker
    ('2024-01-12', '齐都镇第二十届人民代表大会第三次会议', '齐都镇', 'town', '刘菁华')
    """
    norm = normalize(text)
    salutation = salutation_at(norm)
    head_end = len(norm) if salutation is None else salutation
    head = norm[: min(head_end, 1500)]
    h = Header(end=head_end if salutation is not None else 0)
    lines = [ln.strip() for ln in head.split("\n") if ln.strip()]
    if lines and len(lines[0]) <= 40 and not lines[0].startswith("—"):
        title = re.sub(r"\s+", "", lines[0])
        if "报告" in title or len(lines) > 1:
            h.title = title
    d = _DATELINE.search(head)
    if d:
        h.date = f"{int(d['y']):04d}-{int(d['m']):02d}-{int(d['d']):02d}"
        h.year = int(d["y"])
        h.meeting = re.sub(r"\s+", "", d["meeting"])
        pm = re.match(r"^(.{2,20}?)(?:第[一二三四五六七八九十百\d]+届|[一二三四五六七八九十\d]+届)", h.meeting)
        if "全国人民代表大会" in h.meeting and (pm is None or pm.group(1).startswith("第")):
            h.place, h.level = "中国", "national"
        elif pm:
            h.place = pm.group(1)
            for suffix, level in _LEVELS:
                if h.place.endswith(suffix):
                    h.level = level
                    break
            if h.place.startswith("全国"):
                h.place, h.level = "中国", "national"
    for line in lines:
        sm = _SPEAKER.match(line)
        if sm:
            h.speaker = re.sub(r"\s+", "", sm["name"])
            h.speaker_role = re.sub(r"\s+", "", sm["role"])
            break
    return h


def document_year(meta: dict | None, text: str | None = None) -> int | None:
    """The year a document refers to: ``meta["year"]``, else the year of ``meta["date"]``, else
    (when ``text`` is given) the year of the report header's dateline.

    Parameters
    ----------
    meta : dict or None
        The document's metadata.
    text : str, optional
        Its text, for the header fallback.

    Returns
    -------
    int or None
    """
    meta = meta or {}
    year = meta.get("year")
    if year not in (None, ""):
        try:
            return int(year)
        except (TypeError, ValueError):
            pass
    date = meta.get("date")
    if date and str(date)[:4].isdigit():
        return int(str(date)[:4])
    return parse_header(text).year if text else None
