"""The two official formats of a report document, value by value with the clause each follows:
Hướng dẫn 36-HD/VPTW (2018) for party documents (:data:`PARTY`) and Nghị định 30/2020/NĐ-CP,
Phụ lục I, for state documents (:data:`STATE`); the words of the document in each language.
:mod:`baocao.export.word` lays a report out in one of them."""

from __future__ import annotations

from dataclasses import dataclass

FONT = "Times New Roman"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # ND 30 PL I §I.5; HD 36 §III
TEXT_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
INDENT_MM = 10  # first line of a paragraph: ND 30 PL I §II.6 "1 cm đến 1,27 cm"
PARA_AFTER = 6  # pt between paragraphs: "tối thiểu là 6pt" (ND 30 PL I §II.6; HD 36)
LINE_SPACING = 1.15  # lines: "tối thiểu là dòng đơn, tối đa là 1,5 lines"
TABLE_PT, NOTE_PT = 12, 13
SIGN_SPACE = 4  # empty lines left for the signature and the seal
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@dataclass(frozen=True)
class Format:
    """Fonts, sizes and marks of one system's documents (pt; each from the clause in its comment)."""

    system: str
    rule: str  # the text the format follows, for the document properties
    head_widths: tuple  # mm: the heading block's two columns
    parent_pt: float  # the parent body: caps, upright, not bold
    body_pt: float  # the issuing body: caps, bold
    star: bool  # "*" under the issuing body (party) instead of a line (state)
    number: str  # the number line's word ("Số", "Số:")
    reference: str  # the number and sign, the number left blank for the office: "{blank}-BC/{abbr}"
    number_pt: float
    top_lines: tuple  # (text, pt, bold) at the top right
    top_rule_mm: float  # the line under them: as long as the last of them
    date_pt: float  # place and date, italic
    type_pt: float  # "BÁO CÁO": caps, bold
    subject_pt: float  # the subject: bold
    subject_lower: bool  # the subject starts in lower case ("kết quả …") after the type
    subject_mark: str  # "dashes" (-----) or "line" (1/3–1/2 of the subject's line)
    text_pt: float  # the body text
    to_word: str  # "Kính gửi:"; "" when the system's reports have none
    authority_pt: float  # T/M, TM., KT. …: caps, bold
    position_bold: bool
    name_pt: float  # the signer's name: bold
    recipients_label: tuple  # ("Nơi nhận:", pt, bold, italic, underline)
    recipients_pt: float
    recipients_end: tuple  # punctuation after each recipient, after the last one
    page_pt: float  # page numbers


PARTY = Format(
    system="party",
    rule="Hướng dẫn 36-HD/VPTW (2018), Quy định 66-QĐ/TW (2017)",
    head_widths=(75, TEXT_MM - 75),
    parent_pt=14,  # HD 36 PL 3, 2: tên cơ quan cấp trên trực tiếp — in hoa, 14, đứng
    body_pt=14,  # HD 36 PL 3, 2: tên cơ quan ban hành — in hoa, 14, đứng, đậm
    star=True,  # HD 36 (its own heading: "VĂN PHÒNG / *"): dấu sao dưới tên cơ quan ban hành
    number="Số",  # HD 36 PL 3, 3: "Số 127-QĐ/TW" — in thường, 14, đứng (no colon)
    reference="{blank}-BC/{abbr}",  # HD 36: số và ký hiệu nối bằng gạch ngang: "-BC/HU"
    number_pt=14,
    top_lines=(("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True),),  # HD 36 PL 3, 1: in hoa, 15, đứng, đậm
    top_rule_mm=72.9,  # HD 36 §II.1.1.2: đường kẻ ngang nét liền, dài bằng tiêu đề (measured, 15 pt bold)
    date_pt=14,  # HD 36 PL 3, 4: in thường, 14, nghiêng
    type_pt=16,  # HD 36 PL 3, 5: tên loại — in hoa, 15-16, đứng, đậm
    subject_pt=14,  # HD 36 PL 3, 5: trích yếu — in thường, 14-15, đứng, đậm ("về quy hoạch …")
    subject_lower=True,
    subject_mark="dashes",  # HD 36: dưới trích yếu có năm dấu gạch nối (-----)
    text_pt=14,  # HD 36 PL 3, 6: nội dung — in thường, 14-15, đứng
    to_word="",  # a party report has no "Kính gửi" (HD 36: only công văn, tờ trình)
    authority_pt=14,  # HD 36: quyền hạn (T/M, K/T …) — in hoa, 14, đứng, đậm
    position_bold=False,  # HD 36: chức vụ — in hoa, 14, đứng
    name_pt=14,  # HD 36: họ tên — in thường, 14, đứng, đậm
    recipients_label=("Nơi nhận:", 14, False, False, True),  # HD 36: "Nơi nhận:" — 14, đứng, gạch chân
    recipients_pt=12,  # HD 36: tên cơ quan nhận — in thường, 12, đứng
    recipients_end=(",", "."),  # HD 36: each line ends with a comma, the last ("Lưu …") with a full stop
    page_pt=14,  # HD 36: số trang — chữ số Ả Rập, 14, giữa lề trên, từ trang 2
)

STATE = Format(
    system="state",
    rule="Nghị định 30/2020/NĐ-CP, Phụ lục I",
    head_widths=(62, TEXT_MM - 62),
    parent_pt=13,  # ND 30 PL I §II.2: tên cơ quan chủ quản — in hoa, 12-13, đứng
    body_pt=13,  # ND 30 PL I §II.2: tên cơ quan ban hành — in hoa, 12-13, đứng, đậm; dưới có đường kẻ
    star=False,
    number="Số:",  # ND 30 PL I §II.3: "Số:" in thường, ký hiệu in hoa, 13, đứng
    reference="{blank}/BC-{abbr}",  # ND 30 PL I §II.3: số/ký hiệu ("/BC-UBND")
    number_pt=13,
    top_lines=(
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True),  # ND 30 PL I §II.1: in hoa, 12-13, đứng, đậm
        ("Độc lập - Tự do - Hạnh phúc", 13, True),  # ND 30 PL I §II.1: in thường, 13-14, đứng, đậm
    ),
    top_rule_mm=56.1,  # ND 30 PL I §II.1: đường kẻ ngang nét liền, dài bằng dòng tiêu ngữ (13 pt bold)
    date_pt=14,  # ND 30 PL I §II.4: in thường, 13-14, nghiêng
    type_pt=14,  # ND 30 PL I §II.5: tên loại — in hoa, 13-14, đứng, đậm
    subject_pt=14,  # ND 30 PL I §II.5: trích yếu — in thường, 13-14, đứng, đậm
    subject_lower=False,
    subject_mark="line",  # ND 30 PL I §II.5: đường kẻ ngang nét liền, 1/3 đến 1/2 dòng chữ
    text_pt=14,  # ND 30 PL I §II.6: nội dung — in thường, 13-14, đứng
    to_word="Kính gửi:",  # ND 30 PL I §II.6, Mẫu 1.5: "Kính gửi" — in thường, 14, đứng
    authority_pt=14,  # ND 30 PL I §II.7: TM., KT. … và chức vụ — in hoa, 13-14, đứng, đậm
    position_bold=True,
    name_pt=14,  # ND 30 PL I §II.7: họ tên — in thường, 13-14, đứng, đậm
    recipients_label=("Nơi nhận:", 12, True, True, False),  # ND 30 PL I §II.9: 12, nghiêng, đậm
    recipients_pt=11,  # ND 30 PL I §II.9: tên cơ quan nhận — in thường, 11, đứng
    recipients_end=(";", "."),  # ND 30 PL I §II.9: mỗi dòng kết thúc bằng dấu chấm phẩy, dòng cuối dấu chấm
    page_pt=14,  # ND 30 PL I §I.6: số trang — 13-14, đứng, giữa lề trên, không hiển thị trang đầu
)

FORMATS = {"party": PARTY, "state": STATE}

WORDS = {
    "vi": {
        "type": "BÁO CÁO",
        "date": "{place}, ngày {d} tháng {m} năm {y}",
        "blank": "…",
        "figure": "Hình {n}. ",
        "table": "Bảng {n}. {text}",
        "key_figures": "Một số chỉ tiêu chủ yếu",
        "period": "Kỳ báo cáo: {period}",
        "made": "lập ngày {d} tháng {m} năm {y}",
        "cites": "Số liệu đã công bố dẫn theo: {sources}",
        "appendix": "PHỤ LỤC",
        "appendix_subject": "Nguồn số liệu, chú thích và thông tin kỹ thuật",
        "attached": "(Kèm theo Báo cáo số {number} ngày {d} tháng {m} năm {y} của {body})",
        "sources": "Nguồn số liệu",
        "notes": "Chú thích",
        "note_source": "Nguồn: {source}.",
        "note_sources": "Nguồn: {sources}.",
        "technical": "Thông tin kỹ thuật",
        "as_above": "Như trên",
    },
    "en": {
        "type": "REPORT",
        "date": "{place}, {m_name} {d}, {y}",
        "blank": "…",
        "figure": "Figure {n}. ",
        "table": "Table {n}. {text}",
        "key_figures": "Key figures",
        "period": "Reporting period: {period}",
        "made": "made on {m_name} {d}, {y}",
        "cites": "Published figures cited from: {sources}",
        "appendix": "APPENDIX",
        "appendix_subject": "Sources, notes and technical information",
        "attached": "(Attached to Report No. {number} of {m_name} {d}, {y} of {body})",
        "sources": "Sources",
        "notes": "Notes",
        "note_source": "Source: {source}.",
        "note_sources": "Sources: {sources}.",
        "technical": "Technical information",
        "as_above": "As above",
    },
}
NUMBER_BLANK = "      "  # the number, filled in by the office when it registers the report


def upper(text: str) -> str:
    return text.upper()


def text_mm(text: str, pt: float, bold: bool) -> float:
    """An estimate of a line's width in Times New Roman (its metrics: Liberation Serif)."""
    em = 0.0
    for c in text:
        if c == " ":
            em += 0.25
        elif c.isupper():
            em += 0.70 if bold else 0.66
        elif c.isdigit():
            em += 0.5
        else:
            em += 0.49 if bold else 0.46
    return em * pt * 25.4 / 72
