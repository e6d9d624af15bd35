"""The documented examples work as shown, and links between the docs resolve.

docs/quickstart.md and docs/researcher-guide.md are run as written, block by block, in document
order, in a scratch folder that links ``configs/`` and ``.venv/`` from the repository (so the
documents' relative paths and ``.venv/bin/painnet`` work, and nothing is written to ``runs/``):

- a ```` ```python ```` block is executed; all Python blocks of a document share one namespace;
- a ```` ```text ```` block marked ``<!-- output -->`` must equal what the block before it
  printed (a Python block, or the last command of a bash block), up to runs of whitespace and
  with numbers within 10 % or 0.3 (for floating-point differences between machines);
- a ```` ```bash ```` block: each line that is not a comment is a shell command that must exit 0;
- a ```` ```console ```` block is a transcript: ``$ command`` lines, each followed by the exact
  output (stdout and stderr) the command prints;
- a block marked ``<!-- file: PATH -->`` is written to PATH instead; one marked
  ``<!-- skip: reason -->`` is not run; other blocks (yaml, toml, text) are illustrations.

The quickstart's ``painnet run`` commands simulate the full 16-stimulus protocol; the fast test
shortens them (``--set protocol.pulses=4 --set run.replicates=1``, and then does not compare the
printed numbers), the slow test runs them verbatim. The guide's examples are short as written.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
QUICKSTART = DOCS / "quickstart.md"
GUIDE = DOCS / "researcher-guide.md"
SHORTEN = ["--set", "protocol.pulses=4", "--set", "run.replicates=1"]

# ---- reading the documents ------------------------------------------------------------------

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
_MARKER = re.compile(r"<!--\s*(output|file|skip)\s*:?\s*(.*?)\s*-->\s*\Z", re.S)


@dataclass
class Block:
    """A fenced code block of a document and the marker comment just before it."""

    lang: str
    text: str
    marker: str | None  # "output", "file", "skip" or None
    argument: str  # the file name of a file marker, the reason of a skip marker
    line: int


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown document, in order, with their markers."""
    source = path.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(source):
        before = source[: match.start()].rstrip()
        last_line = before.rsplit("\n", 1)[-1]
        marker = _MARKER.search(last_line)
        found.append(
            Block(
                lang=match.group(1),
                text=match.group(2),
                marker=marker.group(1) if marker else None,
                argument=marker.group(2) if marker else "",
                line=source.count("\n", 0, match.start()) + 1,
            )
        )
    return found


def transcript(block: Block) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            assert pairs, f"console block at line {block.line} must start with '$ '"
            pairs[-1][1].append(line)
    return [(command, "\n".join(output)) for command, output in pairs]


_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def same_output(actual: str, expected: str) -> bool:
    """Equal up to whitespace runs, with numbers within 10 % or 0.3 of the documented ones."""
    skeleton = [" ".join(_NUMBER.sub("#", text).split()) for text in (actual, expected)]
    if skeleton[0] != skeleton[1]:
        return False
    got, want = (list(map(float, _NUMBER.findall(text))) for text in (actual, expected))
    return len(got) == len(want) and all(
        abs(g - w) <= max(0.3, 0.1 * abs(w)) for g, w in zip(got, want, strict=True)
    )


# ---- running them ---------------------------------------------------------------------------


def scratch_folder(tmp_path: Path) -> Path:
    """A folder where the documents' relative paths work: configs/ and .venv/ linked."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "configs").symlink_to(ROOT / "configs", target_is_directory=True)
    (work / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    return work


def shell(command: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a documented command as a shell would, stdout and stderr together, 80 columns."""
    environment = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        command,
        shell=True,
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )


def shortened(command: str) -> str:
    """A ``painnet run`` command shortened to 4 stimuli and one replicate."""
    words = shlex.split(command)
    if len(words) > 1 and words[0].endswith("painnet") and words[1] == "run":
        return shlex.join([*words, *SHORTEN])
    return command


def run_document(path: Path, work: Path, *, short: bool) -> None:
    """Run every block of a document in ``work`` (see the module docstring)."""
    name = path.relative_to(ROOT)
    namespace: dict = {"__name__": "__doc_example__"}
    printed: str | None = None
    shortened_any = False
    for block in blocks(path):
        where = f"{name} line {block.line}"
        if block.marker == "skip":
            continue
        if block.marker == "file":
            target = work / block.argument
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
            continue
        if block.marker == "output":
            assert printed is not None, f"{where}: an output block must follow a code block"
            if not (short and shortened_any):
                assert same_output(printed, block.text), (
                    f"{where}: the example printed\n{printed}\ninstead of the documented\n"
                    f"{block.text}\n(update the document if the model changed on purpose)"
                )
            printed = None
            continue
        if block.lang == "python":
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(block.text, f"<{where}>", "exec"), namespace)
            printed = buffer.getvalue()
        elif block.lang == "bash":
            for line in block.text.splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                command = shortened(line) if short else line
                shortened_any |= command != line
                done = shell(command, work)
                assert done.returncode == 0, f"{where}: `{line}` failed:\n{done.stdout}"
                printed = done.stdout
        elif block.lang == "console":
            for command, expected in transcript(block):
                done = shell(command, work)
                assert done.stdout.rstrip() == expected.rstrip(), (
                    f"{where}: `{command}` printed\n{done.stdout}\ninstead of the documented\n"
                    f"{expected}"
                )


def write_files(path: Path, work: Path) -> None:
    """Write every block marked ``<!-- file: PATH -->`` of a document into ``work``."""
    for block in blocks(path):
        if block.marker == "file":
            target = work / block.argument
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")


def run_examples(path: Path, work: Path, *, until: str) -> dict:
    """Write all file blocks, then execute the Python blocks of a document (outputs unchecked).

    Stops after the first Python block that contains ``until``; returns the namespace.
    """
    write_files(path, work)
    namespace: dict = {"__name__": "__doc_example__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for block in blocks(path):
            if block.lang == "python" and block.marker is None:
                exec(compile(block.text, str(path), "exec"), namespace)
                if until in block.text:
                    return namespace
    raise AssertionError(f"no Python block in {path.name} contains {until!r}")


@pytest.fixture
def registries(monkeypatch):
    """Examples run here: the types and stimuli they register are forgotten after the test.

    The kernel runs its batch members serially meanwhile: its OpenMP-parallel path is many times
    slower when the cores are busy (as under a parallel test run), and results do not depend on it.
    """
    import numba

    import painnet.agents
    import painnet.protocols

    monkeypatch.setattr(painnet.agents, "_REGISTRY", dict(painnet.agents._REGISTRY))
    monkeypatch.setattr(painnet.protocols, "_STIMULI", dict(painnet.protocols._STIMULI))
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(threads)


# ---- the quickstart -------------------------------------------------------------------------


def test_quickstart_commands_and_examples_work(tmp_path, registries, monkeypatch):
    work = scratch_folder(tmp_path)
    monkeypatch.chdir(work)
    run_document(QUICKSTART, work, short=True)
    assert (work / "runs" / "windup" / "windup.png").is_file()
    assert (work / "runs" / "my-windup" / "summary.json").is_file()


@pytest.mark.slow
def test_quickstart_runs_verbatim_with_the_documented_numbers(tmp_path, registries, monkeypatch):
    work = scratch_folder(tmp_path)
    monkeypatch.chdir(work)
    run_document(QUICKSTART, work, short=False)


def test_quickstart_describes_every_output_file_column_and_readout(tmp_path):
    """The tables of section 3 list exactly what a run writes."""
    import json

    import pandas as pd

    text = QUICKSTART.read_text(encoding="utf-8")
    section = text.split("## 3. Read the outputs", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([^`]+)` \|", section, re.M))
    out = tmp_path / "run"
    command = [sys.executable, "-m", "painnet", "run", "configs/windup.yaml", "--quiet"]
    done = shell(shlex.join([*command, "--out", str(out), *SHORTEN]), ROOT)
    assert done.returncode == 0, done.stdout
    files = {p.name for p in out.iterdir()}
    columns = set(pd.read_csv(out / "responses.csv").columns)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    keys = {key for key, value in summary.items() if not isinstance(value, dict)}
    assert files <= documented, f"run files not in the quickstart: {files - documented}"
    assert columns <= documented, f"responses.csv columns not documented: {columns - documented}"
    assert keys <= documented, f"summary.json keys not documented: {keys - documented}"
    stale = documented - files - columns - keys
    assert not stale, f"the quickstart documents outputs a run no longer writes: {stale}"


def test_quickstart_shows_the_readme_install_commands():
    readme = [b.text.strip() for b in blocks(ROOT / "README.md") if b.lang == "bash"][:2]
    quick = [b.text.strip() for b in blocks(QUICKSTART) if b.lang == "bash"][:2]
    assert quick == readme, "the quickstart's install commands must be the README's first two"


# ---- the researcher guide -------------------------------------------------------------------


def test_researcher_guide_examples_work_as_shown(tmp_path, registries, monkeypatch):
    """Every example runs and prints what the guide shows (incl. microglia → NS touch response)."""
    work = scratch_folder(tmp_path)
    monkeypatch.chdir(work)
    run_document(GUIDE, work, short=False)
    assert (work / "runs" / "touch-microglia" / "summary.json").is_file()


def test_microglia_make_touch_drive_ns_neurons(tmp_path, registries, monkeypatch):
    """The microglia example changes NS firing measurably (same seed), and only NS firing."""
    work = scratch_folder(tmp_path)
    monkeypatch.chdir(work)
    namespace = run_examples(GUIDE, work, until="def touch_responses")
    without, with_ = (namespace["touch_responses"](flag) for flag in (False, True))
    assert with_.loc["NS"].sum() > 10 * max(without.loc["NS"].sum(), 1.0)
    assert with_.loc["WDR"].equals(without.loc["WDR"])


def _install_as_distribution(work: Path, site: Path) -> None:
    """Put the guide's plugin on a path as an installed distribution (what pip install -e does).

    The entry points come from the guide's pyproject.toml, so the test follows the document.
    """
    project = work / "painnet-facilitation"
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    package = project / "src" / "painnet_facilitation"
    (package / "__init__.py").touch()
    shutil.copytree(package, site / "painnet_facilitation")
    info = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n",
        encoding="utf-8",
    )
    lines = []
    for group, entries in meta["entry-points"].items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {target}" for name, target in entries.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_packaged_plugin_works_from_the_command_line(tmp_path):
    """(d): the guide's package, installed, gives the CLI its type; its commands work."""
    work = scratch_folder(tmp_path)
    write_files(GUIDE, work)
    site = tmp_path / "site"
    site.mkdir()
    _install_as_distribution(work, site)
    # a stimulus registered in the plugin's module is available too (as the guide says)
    module = site / "painnet_facilitation" / "neurons.py"
    module.write_text(
        module.read_text(encoding="utf-8")
        + "\n\n@painnet.register_stimulus('plugin_pulse')\n"
        + "def plugin_pulse(protocol, fibres, pulse, rng):\n"
        + "    from painnet.protocols import electrical\n\n"
        + "    return electrical(protocol, fibres, pulse, rng)\n",
        encoding="utf-8",
    )
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    (commands,) = [b for b in blocks(GUIDE) if b.lang == "bash" and "pip install" in b.text]
    for line in commands.text.splitlines():
        if "pip install" in line or not line.strip():
            continue
        done = shell(shortened(line), work, env)
        assert done.returncode == 0, f"`{line}` failed:\n{done.stdout}"
        if line.endswith("list types"):
            assert "facilitating_wdr" in done.stdout.split()
    done = shell(
        ".venv/bin/painnet validate facilitating.yaml --set protocol.stimulus=plugin_pulse",
        work,
        env,
    )
    assert done.returncode == 0, done.stdout


def test_batched_rule_gives_the_same_sweep_table_whatever_the_batch_size(
    tmp_path, registries, monkeypatch
):
    """(e): rules run per member, so results do not depend on how points are batched."""
    work = scratch_folder(tmp_path)
    monkeypatch.chdir(work)
    run_examples(GUIDE, work, until='register_agent_type("facilitating_wdr")')
    from painnet.config import load_config
    from painnet.sweep import run_sweep

    tables = [
        run_sweep(
            load_config("facilitating-sweep.yaml", [f"sweep.batch_size={size}"]),
            work / f"sweep-{size}",
        ).table
        for size in (1, 2)
    ]
    readouts = ["first_response", "windup_ratio", "total_spikes"]
    assert tables[0][readouts].equals(tables[1][readouts])


def test_readme_python_examples_run(tmp_path, registries, monkeypatch):
    work = scratch_folder(tmp_path)
    monkeypatch.chdir(work)
    namespace: dict = {"__name__": "__doc_example__"}
    python = [b for b in blocks(ROOT / "README.md") if b.lang == "python"]
    assert python, "README.md has no Python examples any more; update this test"
    with contextlib.redirect_stdout(io.StringIO()):
        for block in python:
            exec(compile(block.text, "README.md", "exec"), namespace)


# ---- links ----------------------------------------------------------------------------------

_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def _without_code(text: str) -> str:
    text = _FENCE.sub("", text)
    return re.sub(r"`[^`\n]*`", "", text)


def anchors(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown file's headings."""
    seen: dict[str, int] = {}
    out = set()
    for heading in _HEADING.findall(_FENCE.sub("", path.read_text(encoding="utf-8"))):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.add(slug if count == 0 else f"{slug}-{count}")
    return out


DOCUMENTS = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(document):
    broken = []
    for target in _LINK.findall(_without_code(document.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.exists():
            broken.append(f"{target}: no file {linked}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading with anchor #{anchor} in {linked.name}")
    assert not broken, f"broken links in {document.name}:\n" + "\n".join(broken)


def test_index_links_every_document():
    index = DOCS / "index.md"
    linked = {
        (DOCS / t.partition("#")[0]).resolve()
        for t in _LINK.findall(_without_code(index.read_text(encoding="utf-8")))
    }
    missing = [p.name for p in DOCUMENTS if p.resolve() not in linked and p != index]
    assert not missing, f"docs/index.md does not link {missing}"
