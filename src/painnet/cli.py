"""The ``painnet`` command line: check and run experiment configs, list what is available.

Examples::

    painnet validate configs/windup.yaml
    painnet run configs/windup.yaml --set drugs.nmda_block=0.8 --out runs/windup-ketamine
    painnet list

A problem the user can fix (a bad config, an unwritable folder) is printed as ``error: ...`` lines
on stderr, without a traceback, and exits with status 2; an interrupted run exits with 130.
"""

from __future__ import annotations

import numbers
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from painnet.config.loading import load_config
from painnet.config.schema import ExperimentConfig
from painnet.errors import PainnetError

app = typer.Typer(
    name="painnet",
    help="Agent-based model of spinal dorsal-horn pain signalling: run and check experiments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override a config value (repeatable), e.g. --set drugs.nmda_block=0.8 or "
        "--set 'model.connections.C->WDR.ampa=2 nS'.",
        show_default=False,
    ),
]


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="The YAML config to check.", show_default=False)],
    overrides: SetOption = None,
) -> None:
    """Check a config (keys, types, units, ranges, references) without running it."""
    try:
        config = load_config(file, overrides or ())
    except PainnetError as exc:
        _fail(exc)
    title = f" ({config.title})" if config.title else ""
    _console().print(f"[green]ok:[/green] {escape(str(file))}{escape(title)}")


@app.command()
def run(
    config: Annotated[Path, typer.Argument(help="The YAML config to run.", show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output folder (default: the config's output.dir, else runs/<config name>).",
            show_default=False,
        ),
    ] = None,
    overrides: SetOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary; print the folder.")
    ] = False,
) -> None:
    """Simulate a config and write its run folder (tables, summary, figures, manifest)."""
    try:
        experiment = load_config(config, overrides or ())
        # imported here so that `validate` and `list` work without the simulator's dependencies
        from painnet.outputs import write_run
        from painnet.run import simulate

        out_dir = _out_dir(experiment, config, out)
        result = simulate(experiment, progress=not quiet)
        path = write_run(result, out_dir, config_path=config)
    except PainnetError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        typer.echo("interrupted; no output written", err=True)
        raise typer.Exit(130) from None
    if quiet:
        typer.echo(str(path))
        return
    _print_summary(result.summary, experiment.title, path)


@app.command()
def sweep(
    config: Annotated[
        Path, typer.Argument(help="A YAML config with a sweep section.", show_default=False)
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Sweep folder (default: runs/<config name>).", show_default=False
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Local worker processes.")] = 1,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue a sweep folder, skipping finished batches.")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.",
            show_default=False,
        ),
    ] = None,
    overrides: SetOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar; print the folder.")
    ] = False,
) -> None:
    """Run a parameter sweep: batched, written as it goes, resumable; exit 1 if some points failed."""
    try:
        experiment = load_config(config, overrides or ())
        from painnet.sweep import run_sweep
        from painnet.sweep.plots import sweep_figures

        out_dir = _out_dir(experiment, config, out)
        outcome = run_sweep(
            experiment, out_dir, jobs=jobs, resume=resume, scheduler=scheduler, progress=not quiet
        )
        if not outcome.table.empty:
            sweep_figures(out_dir)
    except PainnetError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        typer.echo("interrupted; finished batches are kept, continue with --resume", err=True)
        raise typer.Exit(130) from None
    if outcome.failed:
        typer.echo(
            f"error: {len(outcome.failed)} batch(es) failed (tracebacks in {out_dir / 'failed'}); "
            "fix and continue with --resume",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(
        str(out_dir)
        if quiet
        else f"sweep: {len(outcome.table)} rows ({outcome.ran} batches run, {outcome.skipped} "
        f"skipped) → {out_dir / 'results.csv'}"
    )


@app.command()
def plot(
    sweep_dir: Annotated[
        Path, typer.Argument(help="A sweep folder written by painnet sweep.", show_default=False)
    ],
) -> None:
    """Regenerate the figures of a sweep folder (dose-response curves, heatmaps)."""
    try:
        from painnet.sweep.plots import sweep_figures

        paths = sweep_figures(sweep_dir)
    except PainnetError as exc:
        _fail(exc)
    for p in paths:
        typer.echo(str(p))


@app.command()
def sensitivity(
    sweep_dir: Annotated[
        Path, typer.Argument(help="A finished saltelli or morris sweep folder.", show_default=False)
    ],
    readout: Annotated[
        str | None,
        typer.Option("--readout", "-r", help="Readout column (default: the sweep's first)."),
    ] = None,
) -> None:
    """Sobol indices (saltelli sweeps) or Morris elementary effects (morris sweeps) of a readout."""
    try:
        from painnet.sweep.sensitivity import sensitivity as analyze

        table, figure = analyze(sweep_dir, readout)
    except PainnetError as exc:
        _fail(exc)
    _console().print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    typer.echo(str(figure))


class Listing(StrEnum):
    """What ``painnet list`` shows."""

    configs = "configs"
    types = "types"
    stimuli = "stimuli"


@app.command("list")
def list_(
    what: Annotated[
        Listing, typer.Argument(help="configs (under ./configs), population types or stimuli.")
    ] = Listing.configs,
) -> None:
    """List the configs under ./configs with their titles (or the registered types, stimuli)."""
    if what is Listing.types:
        from painnet.agents import agent_type_names

        typer.echo("\n".join(agent_type_names()))
        return
    if what is Listing.stimuli:
        from painnet.protocols import stimulus_names

        typer.echo("\n".join(stimulus_names()))
        return
    root = Path("configs")
    if not root.is_dir():
        _fail(
            PainnetError(
                f"no configs/ folder in {Path.cwd()}; run `painnet list` from the folder that "
                "holds configs/"
            )
        )
    files = sorted({*root.rglob("*.yaml"), *root.rglob("*.yml")})
    table = Table("config", "title", box=None, header_style="bold")
    for file in files:
        table.add_row(escape(str(file)), escape(_title(file)))
    _console().print(table if files else "no YAML configs under configs/")


# --------------------------------------------------------------------------------------------


def _console() -> Console:
    """A rich console on stdout that never wraps a line (output may be piped or parsed)."""
    return Console(soft_wrap=True, highlight=False)


def _fail(error: PainnetError) -> NoReturn:
    """Print ``error: <line>`` for each line of the error on stderr and exit with status 2."""
    for line in str(error).splitlines() or [type(error).__name__]:
        typer.echo(f"{typer.style('error:', fg='red', bold=True)} {line}", err=True)
    raise typer.Exit(2)


def _out_dir(config: ExperimentConfig, config_file: Path, out: Path | None) -> Path:
    """``--out``, else the config's ``output.dir``, else ``runs/<config stem>`` (all from CWD)."""
    if out is not None:
        return out
    if config.output.dir is not None:
        return Path(config.output.dir)
    return Path("runs") / config_file.stem


def _print_summary(summary: dict[str, Any], title: str, path: Path) -> None:
    """A table of the run's scalar readouts, then the output folder."""
    table = Table("readout", "value", title=escape(title) or None, box=None, header_style="bold")
    for name, value in summary.items():
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            table.add_row(escape(str(name)), f"{float(value):.4g}")
    console = _console()
    if table.row_count:
        console.print(table)
    console.print(f"[green]wrote[/green] {escape(str(path))}")


def _title(file: Path) -> str:
    """A config's title for listings; a hint instead when the file cannot be read."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "(unreadable; see painnet validate)"
    title = data.get("title") if isinstance(data, dict) else None
    return str(title) if title is not None else ""


@app.command()
def live(
    config: Annotated[Path, typer.Argument(help="The YAML config to show.", show_default=False)],
    host: Annotated[
        str, typer.Option(help="Address to serve on; 0.0.0.0 lets other machines connect.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on (0: any free port).")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the app in the default browser.")
    ] = True,
    overrides: SetOption = None,
) -> None:
    """Serve the live classroom app for a config: the network firing, wind-up, sliders."""
    try:
        experiment = load_config(config, overrides or ())
        from painnet.slowclock import resolved_clock

        if resolved_clock(experiment) == "slow":
            raise PainnetError(
                f"{config}: this scenario runs on the slow clock (days to weeks), which the live "
                f"app cannot show; run it with `painnet run {config}` and open timecourse.png"
            )
        from painnet.viz.server import check_live_dependencies, serve

        check_live_dependencies()
    except PainnetError as exc:
        _fail(exc)
    title = f" ({experiment.title})" if experiment.title else ""
    typer.echo(f"serving {config}{title} on http://{host}:{port}/ (Ctrl+C stops it)", err=True)
    code = serve(config, overrides or (), host, port, open_browser)
    if code:
        raise typer.Exit(code)


@app.command()
def animate(
    target: Annotated[
        Path,
        typer.Argument(help="A run folder (its config.yaml) or a YAML config.", show_default=False),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output folder (default: the run folder, else runs/<config name>-animation).",
            show_default=False,
        ),
    ] = None,
    every: Annotated[float, typer.Option(help="Biological ms between frames.")] = 100.0,
    fps: Annotated[int, typer.Option(help="Frames per second of the animation.", min=1)] = 10,
    overrides: SetOption = None,
) -> None:
    """Animate the network firing beside the wind-up curve: network.gif (and .mp4 with ffmpeg)."""
    config_file = target / "config.yaml" if target.is_dir() else target
    try:
        experiment = load_config(config_file, overrides or ())
        from painnet.viz.animation import animate as write_animation
        from painnet.viz.animation import find_ffmpeg

        out_dir = out or (target if target.is_dir() else Path("runs") / f"{target.stem}-animation")
        files = write_animation(experiment, out_dir, every=every, fps=fps)
    except PainnetError as exc:
        _fail(exc)
    for file in files:
        _console().print(f"[green]wrote[/green] {escape(str(file))}")
    if find_ffmpeg() is None:
        typer.echo("no ffmpeg found (PATH or the imageio-ffmpeg package): MP4 skipped", err=True)
