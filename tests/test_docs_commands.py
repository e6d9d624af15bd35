"""Every shell command shown in the docs works, is run, or is marked as not run — and is checked.

``tests/test_guide.py`` runs the quickstart and the researcher guide block by block. This module
covers every other ```` ```bash ```` block of docs/*.md and README.md (the two guides' blocks
marked ``skip`` included):

- **static checks, for every command** (marked ``<!-- skip: reason -->`` or not): the program is
  one the docs may use; a ``painnet`` subcommand exists and its options and arguments parse (the
  CLI's own parser, as ``painnet CMD --help`` documents it); a config it names exists and loads
  with the command's ``--set`` overrides; an ``experiments/`` script exists and accepts the options
  shown; a ``pip install -e ".[extra]"`` names an extra of pyproject.toml. Placeholders in capitals
  (``CONFIG``, ``SWEEP_DIR``), files the document itself writes (``<!-- file: … -->`` blocks) and
  outputs under ``runs/`` are not required to exist;
- **cheap commands are run for real** (``painnet validate``, ``painnet list``) in a scratch
  folder, wherever they appear and unless marked;
- in the documents listed in :data:`STRICT` every command that is not cheap must carry a
  ``skip`` marker with its reason, so nothing there is shown as "works" without a test.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer

from painnet.cli import app
from painnet.config import load_config
from painnet.errors import PainnetError
from test_guide import DOCUMENTS, ROOT, blocks, scratch_folder, shell

CLI = typer.main.get_command(app)

RUN_BY_TEST_GUIDE = {"docs/quickstart.md", "docs/researcher-guide.md"}
"""Documents whose blocks ``tests/test_guide.py`` runs as written."""

STRICT = {
    "docs/odd.md",
    "docs/concepts.md",
    "docs/instructor-guide.md",
    "docs/api.md",
    "docs/model.md",
    "docs/index.md",
}
"""Documents where a command that is not run here must be marked ``<!-- skip: reason -->``."""

CHEAP = {"validate", "list"}
"""``painnet`` subcommands run for real wherever a document shows them."""

PATH_PARAMETERS = ("config", "file", "target", "sweep_dir")
"""Names of the CLI parameters that are a config, a run folder or a sweep folder."""


@dataclass(frozen=True)
class Command:
    """One command line of a ```` ```bash ```` block."""

    document: str
    line: int
    text: str
    skipped: bool
    reason: str
    written: frozenset[str]  # files the document writes (<!-- file: PATH --> blocks)

    def __str__(self) -> str:
        return f"{self.document}:{self.line}: {self.text}"


def documented_commands() -> list[Command]:
    """Every command line of every bash block that ``tests/test_guide.py`` does not run."""
    found = []
    for path in DOCUMENTS:
        name = path.relative_to(ROOT).as_posix()
        document_blocks = blocks(path)
        written = frozenset(b.argument for b in document_blocks if b.marker == "file")
        for block in document_blocks:
            if block.lang not in ("bash", "sh", "shell"):
                continue
            if name in RUN_BY_TEST_GUIDE and block.marker != "skip":
                continue  # test_guide runs it as written
            for offset, line in command_lines(block.text):
                found.append(
                    Command(
                        name,
                        block.line + offset,
                        line,
                        block.marker == "skip",
                        block.argument,
                        written,
                    )
                )
    return found


_FOR = re.compile(r"^for (\w+) in (.+?); do$")


def command_lines(text: str) -> list[tuple[int, str]]:
    """``(line number in the block, command)`` of a bash block; comments and blank lines dropped.

    A ``for VAR in a b c; do … done`` loop becomes its body once per value, ``$VAR`` substituted.
    """
    out: list[tuple[int, str]] = []
    lines = list(enumerate(text.splitlines(), start=1))
    i = 0
    while i < len(lines):
        number, line = lines[i]
        stripped = line.strip()
        loop = _FOR.match(stripped)
        if loop:
            end = next(j for j in range(i + 1, len(lines)) if lines[j][1].strip() == "done")
            variable, values = loop.group(1), shlex.split(loop.group(2))
            for value in values:
                for body_number, body in lines[i + 1 : end]:
                    if body.strip() and not body.lstrip().startswith("#"):
                        expanded = body.strip().replace("${" + variable + "}", value)
                        out.append((body_number, expanded.replace("$" + variable, value)))
            i = end + 1
            continue
        if stripped and not stripped.startswith("#"):
            out.append((number, stripped))
        i += 1
    return out


COMMANDS = documented_commands()


def parts(command: str) -> list[list[str]]:
    """The simple commands of a line (split at ``&&``), as words, comments dropped."""
    out: list[list[str]] = [[]]
    for word in shlex.split(command, comments=True):
        if word == "&&":
            out.append([])
        else:
            out[-1].append(word)
    return [words for words in out if words]


def _placeholder(value: str) -> bool:
    return value.upper() == value and any(c.isalpha() for c in value)


def _produced(value: str, command: Command) -> bool:
    """Whether a path is made by the documents themselves (a run folder, a file block)."""
    posix = Path(value).as_posix()
    return posix.startswith("runs/") or any(
        posix == w or w.startswith(posix.rstrip("/") + "/") for w in command.written
    )


def check_painnet(args: list[str], command: Command) -> list[str]:
    """Problems with a ``painnet`` command line: subcommand, options, named paths, overrides."""
    if not args:
        return ["`painnet` without a subcommand"]
    sub, rest = args[0], args[1:]
    cli_command = CLI.commands.get(sub)
    if cli_command is None:
        return [f"`painnet {sub}`: no such subcommand (have {', '.join(CLI.commands)})"]
    if "--help" in rest:
        return []
    try:
        params = cli_command.make_context(sub, list(rest)).params
    except Exception as err:  # the CLI's own usage errors (unknown option, missing argument)
        message = err.format_message() if hasattr(err, "format_message") else str(err)
        return [f"`painnet {sub}`: {message}"]
    problems = []
    for key in PATH_PARAMETERS:
        value = params.get(key)
        if value is None or _placeholder(str(value)) or _produced(str(value), command):
            continue
        path = ROOT / value
        if not path.exists():
            problems.append(f"`painnet {sub}`: {value} does not exist in the repository")
        elif path.suffix in (".yaml", ".yml"):
            try:
                load_config(path, params.get("overrides") or ())
            except PainnetError as err:
                problems.append(f"`painnet {sub}`: {value} does not load: {err}")
    return problems


def _extras() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return set(project.get("optional-dependencies", {}))


def check_python(args: list[str], command: Command) -> list[str]:
    """Problems with a ``python …`` line: module runs, and experiments scripts with options."""
    if args[:2] in (["-m", "venv"], ["-m", "pytest"]):
        return []
    if args[:2] == ["-m", "painnet"]:
        return check_painnet(args[2:], command)
    if args and args[0].endswith(".py"):
        script = ROOT / args[0]
        if not script.is_file():
            return [f"{args[0]}: no such script"]
        options = [a.split("=")[0] for a in args[1:] if a.startswith("--")]
        if options:
            done = subprocess.run(
                [sys.executable, str(script), "--help"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
            missing = [o for o in options if o not in done.stdout]
            if done.returncode != 0 or missing:
                return [f"{args[0]}: does not accept {', '.join(missing) or '--help'}"]
        return []
    return [f"`python {' '.join(args)}`: not a form this test knows; teach it"]


def check_pip(args: list[str], command: Command) -> list[str]:
    """``pip install -e ".[extra]"`` names an extra; ``-e ./dir`` a folder the document writes."""
    if args[:2] != ["install", "-e"] or len(args) < 3:
        return [f"`pip {' '.join(args)}`: not a form this test knows; teach it"]
    target = args[2]
    if target.startswith("."):
        base, _, extras = target.partition("[")
        if base == ".":
            unknown = set(extras.rstrip("]").split(",")) - _extras() if extras else set()
            return [f"pip: unknown extra(s) {sorted(unknown)}"] if unknown else []
        if _produced(base.removeprefix("./"), command):
            return []
    return [f"pip: cannot check {target!r}"]


def check_statically(command: Command) -> list[str]:
    """Every problem the command would hit before doing real work."""
    problems = []
    for words in parts(command.text):
        program = words[0]
        if program.endswith("painnet"):
            problems += check_painnet(words[1:], command)
        elif Path(program).name.startswith("python"):
            problems += check_python(words[1:], command)
        elif Path(program).name == "pip":
            problems += check_pip(words[1:], command)
        else:
            problems.append(f"program {program!r}: not one the docs may show; teach this test")
    return problems


def is_cheap(command: Command) -> bool:
    """Whether every part of the line is a ``painnet validate`` or ``painnet list``."""
    return all(
        words[0].endswith("painnet") and len(words) > 1 and words[1] in CHEAP
        for words in parts(command.text)
    )


# ---- the tests -------------------------------------------------------------------------------


def test_the_docs_show_commands():
    assert len(COMMANDS) > 10
    assert any(c.document == "docs/instructor-guide.md" for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_command_is_well_formed(command):
    """Subcommand, options, configs, overrides, scripts and extras exist (nothing is run)."""
    problems = check_statically(command)
    assert not problems, f"{command}\n" + "\n".join(problems)


CHEAP_COMMANDS = [c for c in COMMANDS if is_cheap(c) and not c.skipped]


@pytest.mark.parametrize("command", CHEAP_COMMANDS, ids=str)
def test_cheap_command_runs(command, tmp_path):
    work = scratch_folder(tmp_path)
    done = shell(command.text, work)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}"


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.document in STRICT], ids=str)
def test_strict_documents_mark_what_is_not_run(command):
    if command.skipped:
        assert command.reason, f"{command}: say why it is not run: <!-- skip: reason -->"
    else:
        assert is_cheap(command), (
            f"{command}: this test runs only `painnet validate` and `painnet list`; mark the "
            "block <!-- skip: reason --> (it is still checked statically), or make it cheap"
        )


def test_shell_loops_are_expanded():
    text = "for c in a b; do\n  painnet validate configs/$c.yaml\ndone\npainnet list"
    assert command_lines(text) == [
        (2, "painnet validate configs/a.yaml"),
        (2, "painnet validate configs/b.yaml"),
        (4, "painnet list"),
    ]


def test_static_checks_catch_mistakes():
    """The checks fail on what they should (a misspelled option, config, override, extra)."""

    def problems(text: str) -> list[str]:
        return check_statically(Command("docs/x.md", 1, text, True, "r", frozenset()))

    assert problems(".venv/bin/painnet run configs/windup.yaml --set drugs.nmda_block=0.8") == []
    assert problems(".venv/bin/painnet run configs/windup.yaml --bogus")
    assert problems(".venv/bin/painnet run configs/windupp.yaml")
    assert problems(".venv/bin/painnet live configs/windup.yaml --set drugs.nmda_blok=0.8")
    assert problems(".venv/bin/painnet fit-transfer")
    assert problems('.venv/bin/pip install -e ".[livee]"')
    assert problems(".venv/bin/python experiments/no_such_script.py")
    assert problems("curl http://example.org")
    assert problems(".venv/bin/painnet sensitivity SWEEP_DIR --readout windup_ratio") == []


# ---- experiments/run_all.py regenerates everything ------------------------------------------


def _run_all():
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_all", ROOT / "experiments" / "run_all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_run_all_has_a_step_for_every_experiment_script():
    run_all = _run_all()
    assert run_all.unlisted_scripts() == [], (
        "add the new experiments/ script as a Step in experiments/run_all.py"
    )
    for step in run_all.STEPS:
        assert (ROOT / step.script).is_file(), step.script
        assert step.writes, f"{step.name}: say what it writes"


def test_run_all_plans_without_running(capsys):
    run_all = _run_all()
    assert run_all.main(["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "windup-validation" in out and "dry run" in out
    assert "skipped (opt-in: --transfer)" in out
    assert run_all.main(["--list", "--quick"]) == 0
    with pytest.raises(SystemExit, match="no step 'bogus'"):
        run_all.main(["--only", "bogus"])
