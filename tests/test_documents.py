"""The official document of a report: Word in the party's (HD 36) or the state's (ND 30) format, and
its PDF made by LibreOffice.

Fast tests read a document made from a small report notebook written here (python-docx reads
it back). The slow ones build the real 2022, 2024 and 2022–2024 district reports of Thoại Sơn
once for the module (``--docx --pdf``: one LibreOffice run for all their documents) and read the
Word files and PDFs as the officer who files them would: marks, notes, both formats, no
technical line in the body, fonts embedded and none falling back, no path of the machine.
On CI (``CI=true``) a missing LibreOffice fails these tests instead of skipping.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from baocao.export import blocks as exports
from baocao.export.document import official, plain, runs, split_source, text_runs
from baocao.export.issuer import IssuerError, check_issuers, fold, issuer_for
from baocao.export.official_format import PARTY, STATE
from baocao.export.word import docx_bytes
from baocao.io.office_zip import ZIP_TIME

ROOT = Path(__file__).resolve().parents[1]
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SOURCE = (
    "Bài báo “Huyện Thoại Sơn (tỉnh An Giang) học tập và làm theo Bác bằng những việc làm thiết thực” (2024)"
)


def need(tool, name: str) -> None:
    if tool is None:
        if ON_CI:
            pytest.fail(f"{name} is not installed, and CI=true: the real-client test must run")
        pytest.skip(f"{name} is not installed")


def fig(text: str, mark: str, pid: str = "") -> str:
    inner = f'<a href="#fn-{pid}">{mark}</a>' if pid else mark
    kind = "published" if pid else "illustrative"
    return f'<span class="fig fig-{kind}">{text}<sup class="mark" title="…">{inner}</sup></span>'


TITLE_BLOCK = (
    '<h1 class="report-title">Báo cáo kết quả học tập — Huyện Thoại Sơn, 2022</h1>'
    '<p class="meta"><strong>Đơn vị:</strong> Tỉnh An Giang › Huyện Thoại Sơn (mã 894) · '
    "<strong>Năm:</strong> 2022</p>"
    '<div class="banner-illustrative" role="note"><p><strong>Số liệu minh họa (mh).</strong> '
    "Được sinh tự động để minh họa, không phải số liệu thật.</p>"
    "<p>Số liệu đã công bố được in đúng như đã công bố.</p></div>"
    '<p class="legend-provenance"><strong>Ký hiệu:</strong> <sup class="mark">1, 2, …</sup> số chú thích · '
    '<sup class="mark">mh</sup> số liệu minh họa</p>'
    '<details class="sources"><summary>Nguồn số liệu</summary><ul><li>Bài báo, 2024</li></ul></details>'
)
CARDS = (
    f'<div class="headline"><div class="card"><div class="value">{fig("956 hội nghị", "1", "P01")}</div>'
    '<div class="label">Hội nghị (2022)</div></div></div>'
)
NARRATIVE = (
    f"<p>Năm 2022, Huyện Thoại Sơn tổ chức {fig('956', '1', 'P01')} hội nghị, đạt tỷ lệ "
    f"{fig('98,1%', '2', 'P08')}; {fig('4.500', 'mh')} đảng viên phải tham dự.</p>"
)
TABLE = (
    '<table class="data"><thead><tr><th>Chuyên đề</th><th class="num">Hội nghị</th><th class="num">Tỷ lệ</th>'
    "<th>Chỉ tiêu</th></tr></thead><tbody>"
    f'<tr><td>Chuyên đề năm 2022</td><td class="num">{fig("956", "1", "P01")}</td>'
    f'<td class="num">{fig("98,1%", "2", "P08")}</td><td>≥ 95%</td></tr></tbody></table>'
)
SOCIO = f"<p>Thu nhập bình quân đầu người {fig('73,5 triệu đồng/năm', '3', 'P15')}.</p>"
NOTES = (
    '<section class="footnotes"><h2>Chú thích</h2><ol class="footnotes">'
    f'<li id="fn-P01" value="1">{SOURCE}, số liệu P01 (published.csv): <q lang="vi">956 hội nghị</q>. '
    "Khớp.</li>"
    f'<li id="fn-P08" value="2">{SOURCE}, số liệu P08 (published.csv): <q lang="vi">đạt tỷ lệ 98,1%</q>.</li>'
    f'<li id="fn-P15" value="3">{SOURCE}, số liệu P15 (published.csv): <q lang="vi">73,5 triệu</q>.</li>'
    "</ol></section>"
)
FOOTER = (
    '<footer class="report-footer"><p>Số liệu đến năm 2022 · mã kiểm tra số liệu đầu vào f7ce089de3d3 · '
    'baocao 0.1.0</p><p class="footer-note">Mã kiểm tra được tính từ toàn bộ số liệu.</p></footer>'
)
CHART_ALT = "Tỷ lệ đảng viên tham dự, 2022: Chuyên đề năm 2022 98,1%²; chỉ tiêu 95%."


def chart_png() -> str:
    import base64

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig_, ax = plt.subplots(figsize=(4, 2), dpi=60)
    ax.bar(["2022"], [98.1])
    buf = io.BytesIO()
    fig_.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig_)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def report_notebook():
    def html(text):
        return new_output("execute_result", execution_count=1, data={"text/html": text, "text/plain": "<H>"})

    image = new_output(
        "execute_result",
        execution_count=2,
        data={"image/png": chart_png(), "text/plain": "<chart>"},
        metadata={"image/png": {"alt": CHART_ALT}},
    )
    cells = [
        new_code_cell("report.title_block(ctx)", outputs=[html(TITLE_BLOCK)]),
        new_code_cell("report.headline(ctx)", outputs=[html(CARDS)]),
        new_markdown_cell(
            "## Học tập và làm theo tư tưởng Hồ Chí Minh\n\nSố hội nghị, theo bảng quy tắc trong "
            "`data/catalogue/rules.csv`.",
            metadata={"tags": ["vi"]},
        ),
        new_code_cell("report.campaign_narrative(ctx)", outputs=[html(NARRATIVE)]),
        new_code_cell("report.campaign_table(ctx)", outputs=[html(TABLE)]),
        new_code_cell("report.chart(ctx)", outputs=[image]),
        new_markdown_cell("## Kết quả phát triển kinh tế - xã hội", metadata={"tags": ["vi"]}),
        new_code_cell("report.socio_narrative(ctx)", outputs=[html(SOCIO)]),
        new_code_cell("report.footnotes(ctx)", outputs=[html(NOTES)]),
        new_code_cell("report.footer(ctx)", outputs=[html(FOOTER)]),
    ]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})


class Unit:  # what issuer_for reads of a baocao.data.units.Unit
    def __init__(self, name, short, type_):
        self.name, self.short, self.type = name, short, type_


DISTRICT, PROVINCE = Unit("Huyện Thoại Sơn", "Thoại Sơn", "Huyện"), Unit("Tỉnh An Giang", "An Giang", "Tỉnh")
COMMUNE = Unit("Xã Vĩnh Trạch", "Vĩnh Trạch", "Xã")
SIGNED = date(2025, 1, 5)


def make(system: str, spec: dict | None = None, signed=SIGNED, sections=()) -> bytes:
    issuer = issuer_for(
        {"system": system, **(spec or {})}, system=system, level="district", unit=DISTRICT, parent=PROVINCE
    )
    content = official(exports.blocks(report_notebook(), "vi"), sections or issuer.sections)
    return docx_bytes(content, issuer=issuer, subject="Kết quả học tập", period="năm 2022", signed=signed)


def read(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


def body_paragraphs(d) -> list:
    """The paragraphs before the signature block (the last table before the appendix)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out = []
    for el in d.element.body.iterchildren():
        if el.tag.endswith("}tbl"):
            t = Table(el, d)
            if any("Nơi nhận" in c.text for c in t.rows[0].cells):
                return out
        elif el.tag.endswith("}p"):
            out.append(Paragraph(el, d))
    return out


def after_signature(d) -> str:
    texts, seen = [], False
    for el in d.element.body.iterchildren():
        if el.tag.endswith("}tbl") and "Nơi nhận" in "".join(el.itertext()):
            seen = True
        elif seen:
            texts.append("".join(el.itertext()))
    return "\n".join(texts)


def superscripts(paragraphs) -> list[tuple[str, str]]:
    """(text before, superscript) for every superscript run."""
    out = []
    for p in paragraphs:
        prev = ""
        for r in p.runs:
            if r.font.superscript:
                out.append((prev, r.text))
            prev = r.text
    return out


# ---------------------------------------------------------------- reading marks and notes


def test_marks_are_runs_of_their_own():
    from bs4 import BeautifulSoup

    p = BeautifulSoup(NARRATIVE, "html.parser").p
    rs = runs(p)
    assert (
        plain(rs) == "Năm 2022, Huyện Thoại Sơn tổ chức 9561 hội nghị, đạt tỷ lệ 98,1%2; 4.500mh đảng viên "
        "phải tham dự."
    )
    assert [r.text for r in rs if r.sup] == ["1", "2", "mh"]
    assert [(a.text[-3:], b.text) for a, b in zip(rs, rs[1:]) if b.sup] == [
        ("956", "1"),
        (",1%", "2"),
        ("500", "mh"),
    ]
    chart = text_runs("Chuyên đề năm 2022 98,1%¹²; Vọng Thê 96,87%ᵐʰ")  # a chart's marks, as Unicode
    assert [(r.text, r.sup) for r in chart] == [
        ("Chuyên đề năm 2022 98,1%", False),
        ("12", True),
        ("; Vọng Thê 96,87%", False),
        ("mh", True),
    ]


def test_a_note_cites_its_source_once():
    assert split_source(f"{SOURCE}, số liệu P01 (published.csv): “956”.", "P01") == (
        SOURCE,
        "Số liệu P01 (published.csv): “956”.",
    )
    assert split_source(f"{SOURCE}, figure P01 (published.csv): x", "P01")[0] == SOURCE
    assert split_source("Không nêu dòng số liệu.", "P01") == ("", "Không nêu dòng số liệu.")
    doc = official(exports.blocks(report_notebook(), "vi"))
    assert doc.note_sources == [SOURCE]
    assert [n for n, _ in doc.notes] == ["1", "2", "3"]
    assert all(SOURCE not in plain(rs) for _, rs in doc.notes)
    assert plain(doc.notes[0][1]) == "Số liệu P01 (published.csv): “956 hội nghị”. Khớp."


def test_the_page_parts_go_where_a_document_has_them():
    doc = official(exports.blocks(report_notebook(), "vi"))
    assert doc.title.endswith("— Huyện Thoại Sơn, 2022")
    assert [plain(p) for p in doc.banner][0].startswith("Số liệu minh họa (mh).")
    assert plain(doc.legend).startswith("Ký hiệu: 1, 2, … số chú thích")
    assert [(label, plain(v)) for label, v in doc.key_figures] == [("Hội nghị (2022)", "956 hội nghị1")]
    assert [plain(s) for s in doc.sources] == ["Bài báo, 2024"]
    assert doc.data_date == "Số liệu đến năm 2022"
    assert doc.technical[:2] == ["mã kiểm tra số liệu đầu vào f7ce089de3d3", "baocao 0.1.0"]
    body = " ".join(plain(p.runs) for p in doc.body)
    for page_only in ("Đơn vị:", "mã 894", "Nguồn số liệu", "Chú thích", "mã kiểm tra", "baocao 0.1.0"):
        assert page_only not in body, page_only
    assert doc.sections == ["Học tập và làm theo tư tưởng Hồ Chí Minh", "Kết quả phát triển kinh tế - xã hội"]


def test_sections_of_a_second_document():
    doc = official(exports.blocks(report_notebook(), "vi"), ["ket-qua-phat-trien-kinh-te-xa-hoi"])
    assert [plain(p.runs) for p in doc.body if p.type == "heading"] == ["Kết quả phát triển kinh tế - xã hội"]
    assert [n for n, _ in doc.notes] == ["3"], "only the notes its text refers to, numbered as on the page"
    assert doc.key_figures == []
    assert fold("Kết quả phát triển kinh tế - xã hội") == "ket-qua-phat-trien-kinh-te-xa-hoi"
    with pytest.raises(LookupError, match="no section 'xa-hoi'.*ket-qua-phat-trien-kinh-te-xa-hoi"):
        official(exports.blocks(report_notebook(), "vi"), ["Xã hội"])


# ---------------------------------------------------------------- who issues it


def test_the_plan_names_the_issuer_and_is_checked():
    nbs = {"district_report": "party", "commune_report": "party"}
    ok = check_issuers(
        {
            "district_report": {
                "system": "party",
                "name": " Nguyễn  Văn A ",
                "authority": "T/M BAN THƯỜNG VỤ",
            },
            "district_report.ubnd": {"system": "state", "sections": ["Kết quả phát triển kinh tế - xã hội"]},
        },
        nbs,
    )
    assert ok["district_report"] == {
        "system": "party",
        "name": "Nguyễn Văn A",
        "authority": ["T/M BAN THƯỜNG VỤ"],
    }
    bad = [
        ({"distric_report": {"system": "party"}}, "issuer.distric_report", "no notebook"),
        ({"district_report": {"system": "dang"}}, "issuer.district_report.system", "party"),
        (
            {"district_report": {"system": "party", "to": ["UBND tỉnh"]}},
            "issuer.district_report.to",
            "Kính gửi",
        ),
        (
            {"district_report": {"system": "state", "signer": "x"}},
            "issuer.district_report.signer",
            "unknown key",
        ),
        ({"district_report.ubnd": {"system": "state"}}, "issuer.district_report.ubnd", "sections"),
        (
            {"district_report.UB ND": {"system": "state", "subject": "x"}},
            "issuer.district_report.UB ND",
            "a-z",
        ),
        ({"district_report": {"system": "state", "recipients": [""]}}, "issuer.district_report", "text"),
    ]
    for value, where, words in bad:
        with pytest.raises(IssuerError, match=words) as info:
            check_issuers(value, nbs)
        assert info.value.where.startswith(where), (value, info.value.where)


def test_plan_issuer_errors_name_the_file_and_key(tmp_path):
    from baocao.build.plans import PlanError, load_plan

    plan = tmp_path / "p.yml"
    plan.write_text(
        "years: [2024]\nissuer:\n  district_report: {system: party, to: [UBND tỉnh]}\n"
        "reports:\n  - notebook: district_report\n    district: 894\n",
        encoding="utf-8",
    )
    with pytest.raises(
        PlanError,
        match=r"p\.yml: issuer\.district_report\.to: báo cáo của cấp ủy Đảng không có 'Kính gửi' .* / "
        r"a party report has no 'Kính gửi'",
    ):
        load_plan(plan, home=ROOT)


def test_each_unit_has_its_usual_issuer():
    party = issuer_for(None, system="party", level="district", unit=DISTRICT, parent=PROVINCE)
    assert (party.parent, party.body, party.abbr, party.place) == (
        "Đảng bộ tỉnh An Giang",
        "Huyện ủy Thoại Sơn",
        "HU",
        "Thoại Sơn",
    )
    assert (party.authority, party.position) == (("T/M BAN THƯỜNG VỤ",), "BÍ THƯ")
    assert party.recipients[-1] == "Lưu Văn phòng Huyện ủy" and not party.to
    commune = issuer_for(None, system="party", level="commune", unit=COMMUNE, parent=DISTRICT)
    assert (commune.parent, commune.body, commune.abbr) == (
        "Đảng bộ huyện Thoại Sơn",
        "Đảng ủy xã Vĩnh Trạch",
        "ĐU",
    )
    state = issuer_for(None, system="state", level="district", unit=DISTRICT, parent=PROVINCE)
    assert (state.body, state.abbr, state.authority, state.position) == (
        "Ủy ban nhân dân huyện Thoại Sơn",
        "UBND",
        ("TM. ỦY BAN NHÂN DÂN",),
        "CHỦ TỊCH",
    )
    addressed = issuer_for(
        {"to": ["Ủy ban nhân dân tỉnh An Giang"]},
        system="state",
        level="district",
        unit=DISTRICT,
        parent=PROVINCE,
    )
    assert "Ủy ban nhân dân tỉnh An Giang (để báo cáo)" not in addressed.recipients  # it is "Như trên"
    from baocao.reports import registry

    assert [
        registry.get(k).issuer for k in ("district", "commune", "data_quality", "province", "national")
    ] == [
        "party",
        "party",
        "party",
        "state",
        "state",
    ]


# ---------------------------------------------------------------- the Word file, both formats


def test_marks_are_superscripts_attached_to_their_figures():
    d = read(make("party"))
    body = body_paragraphs(d)
    sups = superscripts(body)
    assert ("Năm 2022, Huyện Thoại Sơn tổ chức 956", "1") in sups
    assert any(before.endswith("98,1%") and s == "2" for before, s in sups)
    assert any(before.endswith("4.500") and s == "mh" for before, s in sups)
    cells = [p for t in d.tables[1:2] for row in t.rows for c in row.cells for p in c.paragraphs]
    assert ("956", "1") in superscripts(cells) and ("98,1%", "2") in superscripts(cells)
    text = "\n".join(p.text for p in body)
    assert "956 1" not in text and "98,1% 2" not in text, "no mark glued to a figure as plain text"
    caption = next(p for p in body if p.text.startswith("Hình 1."))
    assert caption.text == "Hình 1. Tỷ lệ đảng viên tham dự, 2022: Chuyên đề năm 2022 98,1%2; chỉ tiêu 95%."
    assert ("Tỷ lệ đảng viên tham dự, 2022: Chuyên đề năm 2022 98,1%", "2") in superscripts([caption])
    assert "98,10" not in caption.text


def test_notes_are_numbered_and_match_the_references():
    d = read(make("party"))
    refs = set()
    for _, s in superscripts(body_paragraphs(d)):
        if "…" not in s:  # the legend's "1, 2, …"
            refs |= {n for n in s.replace(",", " ").split() if n.isdigit()}
    appendix = after_signature(d)
    notes = {line.split(".", 1)[0] for line in appendix.splitlines() if line[:1].isdigit()}
    assert refs == notes == {"1", "2", "3"}
    full = "\n".join(p.text for p in d.paragraphs)
    assert full.count("Huyện Thoại Sơn (tỉnh An Giang) học tập và làm theo Bác") == 2, (
        "cited once (+ the opening)"
    )
    assert f"Nguồn: {SOURCE}." in appendix


def test_party_format_follows_hd_36():
    d = read(make("party", {"name": "Nguyễn Văn A"}))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (
        round(s.top_margin.mm),
        round(s.bottom_margin.mm),
        round(s.left_margin.mm),
        round(s.right_margin.mm),
    ) == (
        20,
        20,
        30,
        15,
    )
    assert s.different_first_page_header_footer and "PAGE" in s.header._element.xml
    left, right = d.tables[0].rows[0].cells
    lines = [(p.text, p.runs[0].bold, p.runs[0].font.size.pt) for p in left.paragraphs if p.runs]
    assert lines[:3] == [
        ("ĐẢNG BỘ TỈNH AN GIANG", False, 14),
        ("HUYỆN ỦY THOẠI SƠN", True, 14),
        ("*", False, 14),
    ]
    assert lines[3][0].startswith("Số ") and lines[3][0].endswith("-BC/HU") and ":" not in lines[3][0]
    top = right.paragraphs[0]
    assert (top.text, top.runs[0].bold, top.runs[0].font.size.pt) == ("ĐẢNG CỘNG SẢN VIỆT NAM", True, 15)
    assert "w:pBdr" in right.paragraphs[1]._p.xml, "a line under the title"
    date_line = right.paragraphs[2]
    assert date_line.text == "Thoại Sơn, ngày 05 tháng 01 năm 2025" and date_line.runs[0].italic
    texts = [p.text for p in d.paragraphs]
    i = texts.index("BÁO CÁO")
    assert d.paragraphs[i].runs[0].font.size.pt == PARTY.type_pt == 16 and d.paragraphs[i].runs[0].bold
    assert texts[i + 1] == "kết quả học tập năm 2022" and d.paragraphs[i + 1].runs[0].bold  # in thường
    assert texts[i + 2] == "-----"
    assert not any(t.startswith("Kính gửi") for t in texts)
    recipients, signature = d.tables[-1].rows[0].cells
    label = recipients.paragraphs[0].runs[0]
    assert (label.text, label.underline, label.font.size.pt) == ("Nơi nhận:", True, 14)
    items = [p.text for p in recipients.paragraphs[1:]]
    assert items[0] == "- Ban Thường vụ Tỉnh ủy (để báo cáo)," and items[-1] == "- Lưu Văn phòng Huyện ủy."
    sign = [(p.text, p.runs[0].bold if p.runs else None) for p in signature.paragraphs]
    assert sign[:2] == [("T/M BAN THƯỜNG VỤ", True), ("BÍ THƯ", False)]
    assert sign[-1] == ("Nguyễn Văn A", True) and [t for t, _ in sign[2:-1]] == [""] * 4, "space to sign"


def test_state_format_follows_decree_30():
    d = read(make("state", {"to": ["Ủy ban nhân dân tỉnh An Giang"], "name": "Trần Văn B"}))
    left, right = d.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text][:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN THOẠI SƠN"]
    assert all(p.runs[0].bold for p in left.paragraphs[:2])
    assert any("w:pBdr" in p._p.xml for p in left.paragraphs), "a line under the body's name"
    number = next(p.text for p in left.paragraphs if p.text.startswith("Số"))
    assert number.startswith("Số:") and number.endswith("/BC-UBND")
    motto = [(p.text, p.runs[0].font.size.pt, p.runs[0].bold) for p in right.paragraphs if p.runs][:2]
    assert motto == [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True),
        ("Độc lập - Tự do - Hạnh phúc", 13, True),
    ]
    texts = [p.text for p in d.paragraphs]
    i = texts.index("BÁO CÁO")
    assert texts[i + 1] == "Kết quả học tập năm 2022" and "w:pBdr" in d.paragraphs[i + 2]._p.xml
    assert "Kính gửi: Ủy ban nhân dân tỉnh An Giang." in texts
    recipients, signature = d.tables[-1].rows[0].cells
    label = recipients.paragraphs[0].runs[0]
    assert (label.text, label.bold, label.italic, label.font.size.pt) == (
        "Nơi nhận:",
        True,
        True,
        STATE.recipients_label[1],
    )
    items = [p.text for p in recipients.paragraphs[1:]]
    assert items[0] == "- Như trên;" and items[-1] == "- Lưu: VT."
    sign = [(p.text, p.runs[0].bold if p.runs else None) for p in signature.paragraphs]
    assert sign[:2] == [("TM. ỦY BAN NHÂN DÂN", True), ("CHỦ TỊCH", True)] and sign[-1] == (
        "Trần Văn B",
        True,
    )


def test_no_technical_line_before_the_signature():
    for system in ("party", "state"):
        d = read(make(system))
        before = "\n".join(p.text for p in body_paragraphs(d))
        for technical in (
            "mã kiểm tra",
            "f7ce089de3d3",
            "baocao 0.1.0",
            ".csv",
            "Đơn vị:",
            "mã 894",
        ):
            assert technical not in before, (system, technical)
        assert "Số hội nghị, theo bảng quy tắc." in before, "a file name is left out, not the sentence"
        after = after_signature(d)
        assert "f7ce089de3d3" in after and "baocao 0.1.0" in after and "PHỤ LỤC" in after
        assert "Số liệu minh họa (mh)." in before and "Ký hiệu:" in before, "the statement and the legend"
        assert " — Huyện Thoại Sơn" not in before, "not the web page's title"
        assert d.core_properties.created.year == 2000 and "f7ce089de3d3" in d.core_properties.comments


def test_body_spacing_is_the_decrees():
    d = read(make("state"))
    body = [p for p in body_paragraphs(d) if p.text.strip() and p.paragraph_format.first_line_indent]
    assert len(body) > 8  # sections, paragraphs, lists, the key figures, the opening statements
    assert min(p.paragraph_format.space_after.pt for p in body) >= 6, "not 3 pt lists"
    assert all(round(p.paragraph_format.first_line_indent.mm) == 10 for p in body)
    assert all(1 <= p.paragraph_format.line_spacing <= 1.5 for p in body)


def test_the_date_line_is_the_plans_date_never_the_reports_year():
    d = read(make("party", signed=None))
    right = d.tables[0].rows[0].cells[1].text
    assert "Thoại Sơn, ngày … tháng … năm …" in right and "2022" not in right
    opening = "\n".join(p.text for p in body_paragraphs(d))
    assert "Kỳ báo cáo: năm 2022 (số liệu đến năm 2022)." in opening
    assert f"Số liệu đã công bố dẫn theo: {SOURCE}." in opening, (
        "a report of 2022 says it cites a source of 2024"
    )
    d = read(make("party", signed=date(2025, 2, 3)))
    assert "ngày 03 tháng 02 năm 2025" in d.tables[0].rows[0].cells[1].text
    assert "lập ngày 03 tháng 02 năm 2025" in "\n".join(p.text for p in body_paragraphs(d))


def test_same_report_same_bytes():
    first = make("party")
    assert first == make("party")
    assert all(i.date_time == ZIP_TIME for i in zipfile.ZipFile(io.BytesIO(first)).infolist())


# ---------------------------------------------------------------- the real reports, their PDFs (LibreOffice)

PLAN = """\
title: Văn bản
lang: vi
years: [2022, 2024]
date: 2025-01-15
formats: [html, docx, pdf]
issuer:
  district_report:
    system: party
    name: Nguyễn Văn A
  district_report.ubnd:
    system: state
    subject: Kết quả phát triển kinh tế - xã hội
    sections: [Kết quả phát triển kinh tế - xã hội]
    to: [Ủy ban nhân dân tỉnh An Giang]
    name: Trần Văn B
reports:
  - notebook: district_report
    district: 894
  - notebook: district_report
    district: 894
    years: 2024
    parameters: {year_from: 2022}
"""
DOCS = (
    "2022-2024/894/district_report",
    "2022-2024/894/district_report.ubnd",
    "2024/894/district_report",
    "2024/894/district_report.ubnd",
    "2022/894/district_report",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory, build_plan):
    """The 2022, 2024 and 2022–2024 district reports with their documents (party, and the state's
    second document), one build: one LibreOffice run converts all five."""
    need(SOFFICE, "LibreOffice (soffice)")
    plan = tmp_path_factory.mktemp("plan") / "documents.yml"
    plan.write_text(PLAN, encoding="utf-8")
    out = tmp_path_factory.mktemp("outputs")
    res = build_plan(plan, out)
    assert "not written" not in res.stdout, res.stdout
    return out


SLOW = pytest.mark.slow


@SLOW
def test_real_reports_are_documents_an_office_can_file(built):
    for key in DOCS:
        d = read((built / f"{key}.docx").read_bytes())
        body = body_paragraphs(d)
        sups = superscripts(body)
        assert sups, f"{key}: no superscript marks"
        refs = set()
        for _, s in sups:
            if "…" not in s:  # the legend's "1, 2, …"
                refs |= {n for n in s.replace(",", " ").split() if n.isdigit()}
        notes = {line.split(".", 1)[0] for line in after_signature(d).splitlines() if line[:1].isdigit()}
        assert refs <= notes, f"{key}: references without a note: {sorted(refs - notes)}"
        before = "\n".join(p.text for p in body)
        for technical in ("mã kiểm tra", "baocao 0.", "published.csv", "(mã 894)", "Đơn vị:"):
            assert technical not in before, (key, technical)
        assert " — Huyện Thoại Sơn" not in before and "98,10%" not in before
        state = key.endswith(".ubnd")
        top = d.tables[0].rows[0].cells[1].text
        assert ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in top) == state
        assert ("ĐẢNG CỘNG SẢN VIỆT NAM" in top) == (not state)
        assert "Thoại Sơn, ngày 15 tháng 01 năm 2025" in top
        assert ("Kính gửi: Ủy ban nhân dân tỉnh An Giang." in before) == state
        signature = d.tables[-1].rows[0].cells[1].text
        assert ("Trần Văn B" if state else "Nguyễn Văn A") in signature
        notes = [line for line in after_signature(d).splitlines() if line[:1].isdigit()]
        assert notes and not any("việc làm thiết thực" in n for n in notes), "each note refers to its source"
        full = "\n".join(
            p.text for p in d.paragraphs
        )  # the opening, the banner, the sources, the notes' head
        assert full.count("học tập và làm theo Bác bằng những việc làm thiết thực") <= 4
    ubnd = read((built / "2024/894/district_report.ubnd.docx").read_bytes())
    headings = [p.text for p in body_paragraphs(ubnd) if p.text[:3] in ("I. ", "II.")]
    assert headings == ["I. KẾT QUẢ PHÁT TRIỂN KINH TẾ - XÃ HỘI"]
    y2022 = "\n".join(
        p.text for p in body_paragraphs(read((built / "2022/894/district_report.docx").read_bytes()))
    )
    assert "Kỳ báo cáo: năm 2022" in y2022 and "lập ngày 15 tháng 01 năm 2025" in y2022 and "(2024)" in y2022
    index = (built / "index-documents.html").read_text(encoding="utf-8")
    for label in (
        "PDF (văn bản)",
        "PDF (bản in trang web)",
        "Word (sửa được) · ubnd",
        "PDF (văn bản) · ubnd",
    ):
        assert label in index


@SLOW
def test_their_pdf_is_the_document_with_its_own_fonts(built):
    need(shutil.which("pdffonts"), "poppler-utils (pdffonts)")
    from baocao.export.office import VIETNAMESE, font_file, missing_letters

    family, path = font_file()
    assert family in ("Liberation Serif", "Tinos"), f"Times New Roman prints as {family} ({path})"
    for key in DOCS:
        pdf = built / f"{key}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "A4" in info or ("595" in info and "842" in info)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:]]
        names = {r[0].split("+")[-1] for r in rows}
        assert names and all(n.replace("-", "").startswith(family.replace(" ", "")) for n in names), fonts
        assert all(r[-5] == "yes" for r in rows), f"a font is not embedded:\n{fonts}"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        letters = {c for c in text if c.lower() in VIETNAMESE.lower() and not c.isascii()}
        assert len(letters) > 20, "the PDF's text is Vietnamese"
        assert not missing_letters(path, "".join(letters)), "a letter of the document is not in the font"
        assert ("ĐẢNG CỘNG SẢN VIỆT NAM" in text) != key.endswith(".ubnd")
        raw = pdf.read_bytes()
        for secret in (str(built).encode(), b"file:", str(ROOT).encode(), b"/tmp/"):
            assert secret not in raw, f"{key}.pdf holds {secret!r}"
        assert b"/CreationDate(D:20000101000000" in raw.replace(b" (", b"(")
    web = (built / "2024/894/district_report.web.pdf").read_bytes()
    assert b"file:" not in web and str(built).encode() not in web, (
        "the page's print links no path of the machine"
    )


def test_libreoffice_dates_ids_and_checksums_are_fixed():
    from baocao.export.office import reproducible

    def pdf(when: bytes, ident: bytes, check: bytes) -> bytes:
        return (
            b"%PDF-1.4\n1 0 obj<</Producer<FEFF>/CreationDate(D:" + when + b"Z')>>endobj\ntrailer\n<</Size 2"
            b"/ID [ <" + ident + b">\n<" + ident + b"> ]\n/DocChecksum /" + check + b"\n>>\n%%EOF\n"
        )

    a = pdf(b"20261202050105", b"815A8758FE9A8CED36A40788E337FAC3", b"9D762963D699AAAA9D762963D699AAAA")
    b = pdf(b"20261202050733", b"BEFFABAB1B115E31FA6E512F92C9AAFB", b"9195BE6C330DBBBB9195BE6C330DBBBB")
    assert reproducible(a) == reproducible(b) and len(reproducible(a)) == len(a)
    assert b"D:20000101000000Z'" in reproducible(a) and b"815A87" not in reproducible(a)
    c = pdf(b"20261202050105", b"815A8758FE9A8CED36A40788E337FAC3", b"9D762963D699AAAA9D762963D699AAAA")
    assert reproducible(c.replace(b"Size 2", b"Size 3")) != reproducible(a), "the ID follows the content"


def test_a_charts_alt_text_shows_its_figures_as_its_labels_do():
    """The alt text (the Word caption) takes the marked labels: "98,1%¹²", not "98,10%"; two
    figures written alike (235 conferences in 2023 and in 2024) are told apart by their year."""
    from types import SimpleNamespace

    from baocao.reports.chart_image import ALT
    from baocao.reports.local.marks import _mark_alt

    fig_ = SimpleNamespace()
    setattr(fig_, ALT, "Hội nghị từ 211 năm 2022 đến 235 năm 2024; tỷ lệ 98,10%; 1.235 lượt; 2350.")
    wanted = {
        "235": [("235¹³", "published", (2023, 235.0)), ("235¹⁷", "published", (2024, 235.0))],
        "98,10%": [("98,1%¹²", "published", (98.1,))],
        "211": [("211ᵐʰ", "illustrative", (2022, 211.0))],
    }
    _mark_alt(fig_, wanted)
    assert (
        getattr(fig_, ALT)
        == "Hội nghị từ 211ᵐʰ năm 2022 đến 235¹⁷ năm 2024; tỷ lệ 98,1%¹²; 1.235 lượt; 2350."
    )
    assert [(r.text, r.sup) for r in text_runs("98,1%¹²")] == [("98,1%", False), ("12", True)]
