"""Sweep benchmark: 300 points x 10 s of biology at N = 1000, and memory for 100 vs 1000 points.

Not a test; prints a table and writes benchmarks/results_sweep.json.

    .venv/bin/python benchmarks/bench_sweep.py            # ~3-6 min on 2 cores
    .venv/bin/python benchmarks/bench_sweep.py --quick    # 32 points x 2 s

Each measurement runs a sweep in a fresh subprocess (so peak RSS is that run's) on
configs/windup.yaml scaled to N = 1000 with the in-degree-preserving rule of bench_engine.py,
sweeping NMDA block over `points` values from 0 to 1 (one replicate each, common random
numbers), in batches of 16.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import scaled_overrides

ROOT = Path(__file__).resolve().parents[1]


def sweep_overrides(points: int, seconds: float, n_total: int) -> list[str]:
    """`--set` items for a sweep over NMDA block at network size ``n_total``."""
    return [
        *scaled_overrides(n_total),
        f"run.duration={seconds} s",
        "protocol.start=200 ms",
        f"protocol.pulses={int(seconds) + 1}",
        f"sweep={{parameters: {{drugs.nmda_block: {{start: 0, stop: 1, num: {points}}}}}, "
        "replicates: 1, batch_size: 16, readouts: [windup_ratio]}",
    ]


def child(points: int, seconds: float, n_total: int, jobs: int, out: str) -> None:
    """Run one sweep in this (fresh) process and print its wall time and peak RSS as JSON."""
    from painnet.config import load_config
    from painnet.sweep import run_sweep

    config = load_config(
        ROOT / "configs" / "windup.yaml", sweep_overrides(points, seconds, n_total)
    )
    start = time.perf_counter()
    outcome = run_sweep(config, out, jobs=jobs)
    wall = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "wall_s": wall,
                "rows": len(outcome.table),
                "failed": len(outcome.failed),
                "peak_rss_mb_driver": own,
                "peak_rss_mb_worker": workers,
            }
        )
    )


def measure(points: int, seconds: float, n_total: int, jobs: int) -> dict:
    """Wall time and peak RSS of one sweep, run in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            __file__,
            "--child",
            json.dumps([points, seconds, n_total, jobs, f"{tmp}/s"]),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"sweep failed: {proc.stderr.strip()[-2000:]}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "points": points,
        "bio_seconds_each": seconds,
        "N": n_total,
        "jobs": jobs,
        **r,
        "s_per_sim_bio_second": r["wall_s"] / (points * seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*json.loads(args.child))
        return
    results = []
    if args.quick:
        plan = [(32, 2.0, 1000, 1), (32, 2.0, 1000, 2)]
        memory = [(100, 0.2, 320, 1), (300, 0.2, 320, 1)]
    else:
        plan = [(300, 10.0, 1000, 1), (300, 10.0, 1000, 2)]
        memory = [(100, 0.2, 320, 1), (1000, 0.2, 320, 1)]
    for spec in plan + memory:
        r = measure(*spec)
        results.append(r)
        print(
            f"{r['points']:>5} points x {r['bio_seconds_each']:>4g} s, N={r['N']}, jobs={r['jobs']}: "
            f"{r['wall_s']:7.1f} s wall, {r['s_per_sim_bio_second'] * 1000:6.1f} ms per simulated "
            f"bio-second, peak RSS driver {r['peak_rss_mb_driver']:.0f} MB, worker "
            f"{r['peak_rss_mb_worker']:.0f} MB",
            flush=True,
        )
    out = ROOT / "benchmarks" / ("results_sweep_quick.json" if args.quick else "results_sweep.json")
    out.write_text(
        json.dumps(
            {"date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "results": results},
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
