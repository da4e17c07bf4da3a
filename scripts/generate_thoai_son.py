"""Regenerate data/thoai_son/observations.csv (illustrative commune data, seeded).

python scripts/generate_thoai_son.py [--seed 2024]
"""

import argparse
from pathlib import Path

from baocao.data import units
from baocao.data.sample import generate_thoai_son, to_csv_frame
from baocao.io.tables import write_csv

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    df = generate_thoai_son(units.legacy(), seed=args.seed)
    write_csv(ROOT / "data/thoai_son/observations.csv", to_csv_frame(df))
    print(f"wrote {len(df)} rows")
