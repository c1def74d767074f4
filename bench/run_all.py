"""`make bench`: every benchmark, one after the other (each prints its own ratios)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHES = ["gateway_overhead.py", "statdb_ingest.py", "gis_mesh.py", "gis_tiles.py"]

for name in BENCHES:
    print(f"== {name}", flush=True)
    subprocess.run([sys.executable, str(HERE / name)], check=True, cwd=HERE.parent)
