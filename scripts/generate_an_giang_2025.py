"""Regenerate data/an_giang_2025/observations.csv: illustrative 2025–2026 data for the 102 communes
and wards of the new An Giang (91, 2025 unit list), seeded. Thoại Sơn's 6 new communes continue their
2022–2024 history re-expressed from data/thoai_son/ (baocao.data.sample_2025).

python scripts/generate_an_giang_2025.py [--seed 2025] [--late-2026 12]
"""

import argparse
from pathlib import Path

from baocao.data import units
from baocao.data.sample import to_csv_frame
from baocao.data.sample_2025 import generate_province_2025
from baocao.io.dataset import load
from baocao.io.tables import write_csv

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--late-2026", type=int, default=12, help="communes that have not reported 2026 yet")
    args = ap.parse_args()
    legacy = load([ROOT / "data/thoai_son/observations.csv"], [])
    if not legacy.ok:
        raise SystemExit("data/thoai_son/ has blocking problems: run baocao validate first")
    df = generate_province_2025(
        units.current(), "91", legacy.catalogue, legacy.observations, seed=args.seed, late_2026=args.late_2026
    )
    write_csv(ROOT / "data/an_giang_2025/observations.csv", to_csv_frame(df))
    print(f"wrote {len(df)} rows")
