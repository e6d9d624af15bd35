"""Regenerate every generated document, figure and validation report, one experiment at a time.

    .venv/bin/python experiments/run_all.py            # everything (about 30 min on 2 cores)
    .venv/bin/python experiments/run_all.py --quick    # only the steps that take about a minute
    .venv/bin/python experiments/run_all.py --list     # the steps, what they write, how long
    .venv/bin/python experiments/run_all.py --only windup-validation gallery

Each step runs an existing script of experiments/ in its own process, from the repository root,
in the order of :data:`STEPS` (the documents first: they are quick and catch a stale schema
before the long runs start). A failing step does not stop the others; the summary at the end
lists every step with its status, time and outputs, and the exit status is 1 if any failed.

None of the scripts has a quick mode of its own, so ``--quick`` selects the steps marked quick
rather than shortening the long ones. Re-measuring the slow clock's transfer table
(``experiments/fit_transfer.py``) changes model results rather than reporting them, so it runs
only with ``--transfer`` (before everything else, since the reports use the table).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Step:
    """One experiment script and what it regenerates.

    Attributes:
        name: the step's name on the command line.
        script: the script, relative to the repository root.
        writes: the files it (re)writes, as globs relative to the root.
        estimate: how long it takes on a 2-core machine.
        quick: whether ``--quick`` runs it.
        opt_in: the flag that enables it, when it does not run by default.
    """

    name: str
    script: str
    writes: tuple[str, ...]
    estimate: str
    quick: bool = False
    opt_in: str | None = None


STEPS: tuple[Step, ...] = (
    Step(
        "transfer",
        "experiments/fit_transfer.py",
        ("src/painnet/slowclock/transfer_default.npz",),
        "~5 min",
        opt_in="--transfer",
    ),
    Step(
        "docs",
        "experiments/make_parameter_table.py",
        ("docs/parameters.md", "docs/config-reference.md", "docs/odd.md", "docs/api.md"),
        "~5 s",
        quick=True,
    ),
    Step(
        "gallery", "experiments/gallery.py", ("docs/figures/gallery_*.png",), "~1 min", quick=True
    ),
    Step(
        "windup-validation",
        "experiments/windup_validation.py",
        ("docs/validation.md", "docs/figures/windup_frequency.png"),
        "~5 min",
    ),
    Step(
        "sensitization-validation",
        "experiments/sensitization_validation.py",
        ("docs/validation-sensitization.md", "docs/figures/sensitization_validation.png"),
        "~15 min",
    ),
    Step(
        "clinical-validation",
        "experiments/clinical_validation.py",
        ("docs/validation-clinical.md", "docs/figures/clinical_scenarios.png"),
        "~5 min",
    ),
    Step(
        "windup-sweep",
        "experiments/windup_block_sweep.py",
        ("docs/figures/sweep_windup_*.png", "docs/figures/sweep_first_response_*.png"),
        "~2 min",
    ),
    Step(
        "showcase-sweeps",
        "experiments/showcase_sweeps.py",
        (
            "docs/figures/sweep_crps_*.png",
            "docs/figures/sweep_periop_opioid.png",
            "docs/figures/sweep_modifiers_first_response.png",
            "docs/figures/sweep_windup_ketamine.png",
        ),
        "~5 min",
    ),
)
"""Every experiment script, in the order they run."""

NOT_STEPS = ("experiments/run_all.py",)
"""Scripts of experiments/ that are not steps (this one)."""


def unlisted_scripts() -> list[str]:
    """Scripts in experiments/ that are neither a step nor in :data:`NOT_STEPS`."""
    known = {step.script for step in STEPS} | set(NOT_STEPS)
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "experiments").glob("*.py")
        if p.relative_to(ROOT).as_posix() not in known
    )


def outputs(step: Step) -> dict[Path, float]:
    """The step's output files that exist now, with their modification times."""
    return {p: p.stat().st_mtime for pattern in step.writes for p in sorted(ROOT.glob(pattern))}


def selected(args: argparse.Namespace) -> list[tuple[Step, str | None]]:
    """Every step with the reason it is skipped (None: it runs)."""
    names = {step.name for step in STEPS}
    for name in [*(args.only or []), *(args.skip or [])]:
        if name not in names:
            raise SystemExit(f"error: no step {name!r}; steps: {', '.join(sorted(names))}")
    plan = []
    for step in STEPS:
        reason = None
        if args.only and step.name not in args.only:
            reason = "not in --only"
        elif args.skip and step.name in args.skip:
            reason = "--skip"
        elif step.opt_in and not (args.transfer and step.opt_in == "--transfer"):
            if not (args.only and step.name in args.only):
                reason = f"opt-in: {step.opt_in}"
        elif args.quick and not step.quick and not args.only:
            reason = "--quick"
        plan.append((step, reason))
    return plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the steps marked quick")
    parser.add_argument("--only", nargs="+", metavar="STEP", help="only these steps")
    parser.add_argument("--skip", nargs="+", metavar="STEP", help="leave these steps out")
    parser.add_argument(
        "--transfer", action="store_true", help="also re-measure the slow clock's transfer table"
    )
    parser.add_argument("--list", action="store_true", help="list the steps and exit")
    parser.add_argument("--dry-run", action="store_true", help="say what would run, run nothing")
    args = parser.parse_args(argv)
    console = Console()
    plan = selected(args)

    if args.list:
        table = Table("step", "script", "writes", "time", "runs", box=None, header_style="bold")
        for step, reason in plan:
            runs = "yes" if reason is None else f"no ({reason})"
            table.add_row(step.name, step.script, ", ".join(step.writes), step.estimate, runs)
        console.print(table)
        return 0

    results = []
    for step, reason in plan:
        if reason is not None or args.dry_run:
            results.append((step, "dry run" if reason is None else f"skipped ({reason})", 0.0, []))
            continue
        console.rule(f"[bold]{step.name}[/bold]: {step.script} ({step.estimate})")
        before = outputs(step)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, step.script], cwd=ROOT)
        seconds = time.perf_counter() - started
        after = outputs(step)
        changed = [p for p, mtime in after.items() if before.get(p) != mtime]
        status = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
        results.append((step, status, seconds, changed))

    table = Table(
        "step", "status", "time", "files written", title="run_all", box=None, header_style="bold"
    )
    for step, status, seconds, changed in results:
        style = "red" if status.startswith("FAILED") else ("green" if status == "ok" else "dim")
        written = ", ".join(p.relative_to(ROOT).as_posix() for p in changed) or "—"
        table.add_row(
            step.name,
            f"[{style}]{status}[/{style}]",
            f"{seconds:.0f} s" if seconds else "—",
            written,
        )
    console.print(table)
    stray = unlisted_scripts()
    if stray:
        console.print(f"[yellow]not run (not a step of run_all.py):[/yellow] {', '.join(stray)}")
    failed = [step.name for step, status, _, _ in results if status.startswith("FAILED")]
    if failed:
        console.print(f"[red]failed:[/red] {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
