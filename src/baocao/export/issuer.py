"""Who issues a report's official document, and in which system's format.

A Vietnamese report is filed in the format of the body that issues it:

- **party** (``system: party``) — a party committee or one of its boards (Huyện ủy Thoại Sơn,
  Ban Tuyên giáo Huyện ủy, Đảng ủy xã …): Quy định 66-QĐ/TW (2017) on party documents and
  Hướng dẫn 36-HD/VPTW (2018) on their format: "ĐẢNG CỘNG SẢN VIỆT NAM" top right, the issuing
  body under its parent body top left with "*" below, "Số   -BC/HU", signature
  "T/M BAN THƯỜNG VỤ" / "BÍ THƯ", recipients "Nơi nhận:" (no "Kính gửi" in a report);
- **state** (``system: state``) — a People's Committee (Ủy ban nhân dân) or another state body:
  Nghị định 30/2020/NĐ-CP, Phụ lục I: national name and motto top right, the body top left with
  a line under it, "Số:   /BC-UBND", signature "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH", "Kính gửi" when
  the report is addressed to someone.

The plan names the issuer per notebook under ``issuer:`` (``params/README.md``); without it the
report kind gives the system (:attr:`baocao.reports.registry.Kind.issuer`, filled in by the planner)
and the unit gives the body (:func:`issuer_for`). A key ``notebook.name`` (``district_report.ubnd``)
makes a second document from the same reports, e.g. the socio-economic sections issued by the
People's Committee: ``district_report.ubnd.docx`` and ``.pdf`` beside ``district_report.docx``.

:func:`check_issuers` checks the plan's ``issuer:`` mapping (pure: no file, no pandas) and returns
it as plain data the plan cache can keep; :func:`issuer_for` turns it and a report's unit into
an :class:`Issuer`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from baocao.errors import BaocaoError

SYSTEMS = ("party", "state")
KEYS = (
    "system",
    "parent",
    "body",
    "abbr",
    "place",
    "authority",
    "position",
    "name",
    "to",
    "recipients",
    "subject",
    "sections",
)
DOC_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,30}$")

# Party bodies by the type of their unit, and the abbreviations of HD 36 (Số 12-BC/HU).
PARTY_COMMITTEE = {
    "Tỉnh": ("Tỉnh ủy", "TU"),
    "Thành phố": ("Thành ủy", "ThU"),
    "Huyện": ("Huyện ủy", "HU"),
    "Thị xã": ("Thị ủy", "TXU"),
    "Quận": ("Quận ủy", "QU"),
}


class IssuerError(BaocaoError, ValueError):
    """A plan's ``issuer:`` entry that cannot make a document; ``where`` names the key."""

    def __init__(self, where: str, message_en: str, message_vi: str):
        super().__init__(f"{message_vi} / {message_en}")
        self.where, self.message_en, self.message_vi = where, message_en, message_vi


@dataclass(frozen=True)
class Issuer:
    """The issuing body of one document and how it signs (as printed, in the report language)."""

    system: str  # "party" | "state"
    body: str  # "Huyện ủy Thoại Sơn", "Ủy ban nhân dân huyện Thoại Sơn"
    abbr: str  # "HU", "UBND": the number line "Số   -BC/HU", "Số:    /BC-UBND"
    place: str  # "Thoại Sơn": the place in the date line
    parent: str = ""  # "Đảng bộ tỉnh An Giang": the body above it (printed above it, not bold)
    authority: tuple[str, ...] = ()  # ("T/M BAN THƯỜNG VỤ",), ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")
    position: str = ""  # "BÍ THƯ", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    name: str = ""  # the signer's name; "" leaves the line for the office
    to: tuple[str, ...] = ()  # "Kính gửi" (state only)
    recipients: tuple[str, ...] = ()  # "Nơi nhận", without "- " and the end punctuation
    subject: str = ""  # the document's subject (trích yếu); "" = the report's title
    sections: tuple[str, ...] = ()  # only these sections of the report (headings or their ids); () = all
    doc: str = ""  # "" for the report's own document, else the name of a second one ("ubnd")


def fold(text: str) -> str:
    """``Kết quả phát triển kinh tế - xã hội`` → ``ket-qua-phat-trien-kinh-te-xa-hoi`` (how
    sections are named in a plan: by their heading or their id in the page)."""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _lines(where: str, value, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise IssuerError(
            f"{where}.{key}",
            f"must be a text or a list of texts, not {value!r}",
            f"phải là chữ hoặc một danh sách các dòng chữ, không phải {value!r}",
        )
    return tuple(" ".join(v.split()) for v in value)


def check_issuers(value, notebooks: dict) -> dict:
    """The plan's ``issuer:`` mapping, checked: ``{doc key: {field: value}}`` with lists as
    lists (JSON-able, for the plan cache), every notebook of the plan in it with at least its
    ``system``. ``notebooks``: the notebooks the plan builds → the system their report kind
    issues in (:attr:`baocao.reports.registry.Kind.issuer`), the default of ``system``. Raises
    :class:`IssuerError` naming the key."""
    defaults = {nb: {"system": system if system in SYSTEMS else "state"} for nb, system in notebooks.items()}
    if value is None:
        return defaults
    if not isinstance(value, dict):
        raise IssuerError(
            "issuer",
            f"must map notebook names to issuers, not {value!r}",
            f"phải ghi tên notebook và cơ quan ban hành của nó, không phải {value!r}",
        )
    out = {}
    for key, spec in value.items():
        key = str(key)
        where = f"issuer.{key}"
        notebook, _, doc = key.partition(".")
        if notebook not in notebooks:
            raise IssuerError(
                where,
                f"the plan builds no notebook {notebook!r}; its notebooks: {', '.join(sorted(notebooks))}",
                f"kế hoạch không lập notebook {notebook!r}; "
                f"các notebook của nó: {', '.join(sorted(notebooks))}",
            )
        if doc and not DOC_NAME.match(doc):
            raise IssuerError(
                where,
                f"a second document is named NOTEBOOK.NAME with NAME in a-z, 0-9, - or _, not {doc!r}",
                f"văn bản thứ hai được đặt tên NOTEBOOK.TÊN, TÊN gồm a-z, 0-9, - hoặc _, không phải {doc!r}",
            )
        if not isinstance(spec, dict):
            raise IssuerError(
                where,
                f"must be a mapping such as {{system: party}}, not {spec!r}",
                f"phải là các cặp khóa: giá trị, vd. {{system: party}}, không phải {spec!r}",
            )
        unknown = sorted(set(map(str, spec)) - set(KEYS))
        if unknown:
            raise IssuerError(
                f"{where}.{unknown[0]}",
                f"unknown key; keys: {', '.join(KEYS)}",
                f"khóa lạ; các khóa: {', '.join(KEYS)}",
            )
        system = spec.get("system", defaults[notebook]["system"])
        if system not in SYSTEMS:
            raise IssuerError(
                f"{where}.system",
                f"must be party (HD 36-HD/VPTW) or state (ND 30/2020/ND-CP), not {system!r}",
                "phải là party (Hướng dẫn 36-HD/VPTW) hoặc state (Nghị định 30/2020/NĐ-CP), "
                f"không phải {system!r}",
            )
        clean: dict = {"system": system}
        for k in ("parent", "body", "abbr", "place", "position", "name", "subject"):
            if k in spec:
                v = spec[k]
                if not isinstance(v, str) or (k not in ("parent", "name") and not v.strip()):
                    raise IssuerError(
                        f"{where}.{k}", f"must be a text, not {v!r}", f"phải là chữ, không phải {v!r}"
                    )
                clean[k] = " ".join(v.split())
        for k in ("authority", "to", "recipients", "sections"):
            if k in spec:
                clean[k] = list(_lines(where, spec[k], k))
        if system == "party" and clean.get("to"):
            raise IssuerError(
                f"{where}.to",
                "a party report has no 'Kính gửi' (HD 36-HD/VPTW); name its readers under 'recipients'",
                "báo cáo của cấp ủy Đảng không có 'Kính gửi' (Hướng dẫn 36-HD/VPTW); "
                "ghi nơi nhận ở 'recipients'",
            )
        if doc and not clean.get("sections") and not clean.get("subject"):
            raise IssuerError(
                where,
                "a second document of the same reports needs 'sections' or 'subject' to differ",
                "văn bản thứ hai của cùng báo cáo cần 'sections' hoặc 'subject' để khác văn bản thứ nhất",
            )
        out[key] = clean
    return {**defaults, **out}


def documents(notebook: str, issuers: dict) -> list[tuple[str, dict]]:
    """The documents a report of ``notebook`` gets: ``[("", spec), ("ubnd", spec), …]`` — its own
    (with the plan's spec or ``{}``) and the plan's second ones, by name."""
    out = [("", issuers.get(notebook) or {})]
    for key in sorted(issuers):
        nb, _, doc = key.partition(".")
        if nb == notebook and doc:
            out.append((doc, issuers[key]))
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _defaults(system: str, level: str, unit, parent) -> dict:
    """The usual issuer of a unit's report in ``system`` (Vietnamese names; see the module doc)."""
    if unit is None or level == "country":
        return {
            "body": "Tên cơ quan, tổ chức ban hành văn bản",
            "abbr": "…",
            "place": "Hà Nội",
            "authority": [],
            "position": "Chức vụ người ký",
            "recipients": ["Lưu: VT"] if system == "state" else ["Lưu Văn phòng"],
        }
    short, label = unit.short, unit.name
    if system == "party":
        if level == "commune":
            return {
                "parent": f"Đảng bộ {_lower_first(parent.name)}" if parent else "",
                "body": f"Đảng ủy {_lower_first(label)}",
                "abbr": "ĐU",
                "place": short,
                "authority": ["T/M ĐẢNG ỦY"],
                "position": "BÍ THƯ",
                "recipients": [
                    *(
                        [f"Ban Thường vụ {PARTY_COMMITTEE.get(parent.type, ('Huyện ủy',))[0]} (để báo cáo)"]
                        if parent
                        else []
                    ),
                    "Các đồng chí đảng ủy viên",
                    "Lưu Văn phòng Đảng ủy",
                ],
            }
        committee, abbr = PARTY_COMMITTEE.get(unit.type, ("Huyện ủy", "HU"))
        above = f"Đảng bộ {_lower_first(parent.name)}" if parent else ""
        upper = PARTY_COMMITTEE.get(parent.type, ("Tỉnh ủy",))[0] if parent else ""
        return {
            "parent": above,
            "body": f"{committee} {short}",
            "abbr": abbr,
            "place": short,
            "authority": ["T/M BAN THƯỜNG VỤ"],
            "position": "BÍ THƯ",
            "recipients": [
                *([f"Ban Thường vụ {upper} (để báo cáo)"] if upper else []),
                f"Các đồng chí {committee} viên" if committee != "Tỉnh ủy" else "Các đồng chí Tỉnh ủy viên",
                f"Lưu Văn phòng {committee}",
            ],
        }
    above = f"Ủy ban nhân dân {_lower_first(parent.name)}" if parent else ""
    return {
        "body": f"Ủy ban nhân dân {_lower_first(label)}",
        "abbr": "UBND",
        "place": short,
        "authority": ["TM. ỦY BAN NHÂN DÂN"],
        "position": "CHỦ TỊCH",
        "recipients": [*([f"{above} (để báo cáo)"] if above else []), "Lưu: VT"],
    }


def issuer_for(
    spec: dict | None,
    *,
    system: str = "state",
    level: str,
    unit=None,
    parent=None,
    doc: str = "",
) -> Issuer:
    """The issuer of one document: the plan's ``spec`` (checked by :func:`check_issuers`) over the
    defaults of ``system`` (the spec's own ``system`` wins) for ``unit`` (a
    :class:`baocao.data.units.Unit`, None for the whole country) and its ``parent`` unit."""
    spec = dict(spec or {})
    system = spec.get("system") or system
    if system not in SYSTEMS:
        system = "state"
    merged = {**_defaults(system, level, unit, parent), **spec}
    if spec.get("to") and "recipients" not in spec:  # those it is addressed to are "Như trên"
        merged["recipients"] = [r for r in merged["recipients"] if not r.startswith(tuple(spec["to"]))]
    return Issuer(
        system=system,
        body=merged["body"],
        abbr=merged["abbr"],
        place=merged["place"],
        parent=merged.get("parent", ""),
        authority=tuple(merged.get("authority") or ()),
        position=merged.get("position", ""),
        name=merged.get("name", ""),
        to=tuple(merged.get("to") or ()),
        recipients=tuple(merged.get("recipients") or ()),
        subject=merged.get("subject", ""),
        sections=tuple(merged.get("sections") or ()),
        doc=doc,
    )
