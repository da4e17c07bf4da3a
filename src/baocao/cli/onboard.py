"""``baocao init-district`` (a legacy district's data folder and plan) and ``baocao init-province`` /
``init-commune`` (a unit of the 2025 list)."""

from __future__ import annotations

from baocao.config import RUN
from baocao.errors import UserError


def cmd_init_district(args) -> int:
    from baocao import config
    from baocao.data import units
    from baocao.data.onboard import OnboardError, init_district, parse_years
    from baocao.errors import UserError

    try:
        done = init_district(
            args.district, config.home(), units.legacy(), args.illustrative, parse_years(args.years)
        )
    except OnboardError as exc:
        raise UserError(str(exc)) from None
    d, rel = done.district, done.data_dir.relative_to(config.home())
    what = (
        f"{done.rows} dòng số liệu MINH HỌA / illustrative rows"
        if args.illustrative
        else "tệp trống có dòng tiêu đề / empty file with its header"
    )
    print(f"{d.name} ({d.code}), {done.communes} xã / communes:")
    print(f"  {rel}/observations.csv  — {what}")
    print(f"  {rel}/published.csv     — tệp trống có dòng tiêu đề / empty, with its header")
    print(f"  {rel}/sources.yaml")
    print(f"  {rel}/dataset.yaml      — unit_list: legacy (danh mục cũ / legacy unit list)")
    print(f"  params/{done.slug}.yml — {2 + done.communes} báo cáo mỗi năm / reports a year")
    print("Tiếp theo / next:")
    if not args.illustrative:
        print(
            f"  {RUN} template --district {d.code} --year {parse_years(args.years)[-1]}   # biểu mẫu Excel "
            "/ the Excel form"
        )
        print(f"  {RUN} import FILE.xlsx --data {rel}/observations.csv")
    print(f"  {RUN} validate {rel}/observations.csv --published {rel}/published.csv")
    print(f"  {RUN} build params/{done.slug}.yml")
    return 0


def _add_init_district(sub) -> None:
    p = sub.add_parser(
        "init-district",
        help="set up the data folder and the run plan of a new district",
        description="Tạo thư mục số liệu data/<tên>/ và kế hoạch params/<tên>.yml cho một huyện. "
        "Set up data/<slug>/ (observations.csv, published.csv, sources.yaml) and params/<slug>.yml "
        "(district, data-quality and commune reports) for a district. Refuses an existing folder and a "
        "name several districts share (the candidates are listed).",
    )
    p.add_argument(
        "district",
        metavar="CODE_OR_NAME",
        help='district code or name, e.g. 891, "Tri Tôn", "Châu Thành, An Giang"',
    )
    p.add_argument(
        "--illustrative",
        action="store_true",
        help="fill observations.csv with generated ILLUSTRATIVE commune data (labelled as such), to try the "
        "reports",
    )
    p.add_argument("--years", metavar="Y1-Y2", help="years of the plan (default 2022-2024)")
    p.set_defaults(func=cmd_init_district)


def cmd_init_2025(args) -> int:
    from baocao import config
    from baocao.data import unit_lists
    from baocao.data.onboard import OnboardError
    from baocao.data.onboard_2025 import init_2025, parse_years

    level = "province" if args.command == "init-province" else "commune"
    if args.unit_list == "legacy":
        raise UserError(
            f"init-{level} lập thư mục theo danh mục 2025; số liệu theo danh mục cũ (đến 2024): "
            f"init-district / init-{level} makes a folder of the 2025 unit list; for legacy data (up to "
            "2024) use init-district"
        )
    try:
        years = parse_years(args.years)
        done = init_2025(
            getattr(args, level), level, config.home(), unit_lists.registry("2025"), args.illustrative, years
        )
    except OnboardError as exc:
        raise UserError(str(exc)) from None
    u, rel = done.unit, done.data_dir.relative_to(config.home())
    what = (
        f"{done.rows} dòng số liệu MINH HỌA / illustrative rows"
        if args.illustrative
        else "tệp trống có dòng tiêu đề / empty file with its header"
    )
    reports = done.communes + (1 if level == "province" else 0)
    print(f"{u.name} ({u.code}, danh mục 2025 / 2025 list), {done.communes} xã, phường / communes:")
    print(f'  {rel}/dataset.yaml      — unit_list: "2025"')
    print(f"  {rel}/observations.csv  — {what}")
    print(f"  {rel}/published.csv     — tệp trống có dòng tiêu đề / empty, with its header")
    print(f"  {rel}/sources.yaml")
    print(f"  params/{done.slug}.yml — {reports} báo cáo mỗi năm / reports a year")
    print("Tiếp theo / next:")
    if not args.illustrative:
        print(f"  {RUN} template --{level} {u.code} --year {years[-1]}   # biểu mẫu Excel / the Excel form")
        print(f"  {RUN} import FILE.xlsx --data {rel}/observations.csv")
    print(f"  {RUN} validate {rel}/observations.csv --published {rel}/published.csv")
    print(f"  {RUN} build params/{done.slug}.yml")
    return 0


def _add_init_2025(sub) -> None:
    for level, example in (
        ("province", '91, "An Giang"'),
        ("commune", '30682, "Thoại Sơn", "Phú Hòa, An Giang"'),
    ):
        p = sub.add_parser(
            f"init-{level}",
            help=f"set up the data folder and the run plan of a {level} of the 2025 unit list",
            description=(
                f"Tạo thư mục số liệu data/<tên>_2025/ và kế hoạch params/<tên>_2025.yml cho một "
                f"{'tỉnh' if level == 'province' else 'xã'} theo danh mục đơn vị 2025 (từ 1/7/2025). Set up "
                f'data/<slug>_2025/ (dataset.yaml with unit_list "2025", observations.csv, published.csv, '
                f"sources.yaml) and params/<slug>_2025.yml for a {level} of the 2025 unit list (from 1 July "
                "2025: no districts; the communes report and the province compiles). Refuses an existing "
                "folder and a name several units share (the candidates are listed)."
            ),
        )
        p.add_argument(level, metavar="CODE_OR_NAME", help=f"{level} code or name, e.g. {example}")
        p.add_argument(
            "--illustrative",
            action="store_true",
            help="fill observations.csv with generated ILLUSTRATIVE data for 2025–2026 (labelled as such)",
        )
        p.add_argument("--years", metavar="Y1-Y2", help="years of the plan, from 2025 (default 2025-2026)")
        p.add_argument(
            "--unit-list",
            choices=["legacy", "2025"],
            default="2025",
            help="the folder's unit list: 2025 (the default and only choice here; legacy: init-district)",
        )
        p.set_defaults(func=cmd_init_2025)


# ---------------------------------------------------------------- the parser


def add_parsers(sub) -> None:
    """``init-district``, ``init-province`` and ``init-commune``."""
    _add_init_district(sub)
    _add_init_2025(sub)
