"""Write the generated docs: parameters.md, config-reference.md, odd.md and api.md.

parameters.md and config-reference.md are generated from :mod:`painnet.config.schema` (units,
defaults, bounds, descriptions, sources) and :mod:`painnet.config.defaults` (the default network),
by :mod:`painnet.docs`; odd.md from the template docs/templates/odd.md and the code (engine layout,
agent registry, schema), by :mod:`painnet.odd`; api.md from the public API's docstrings. Run this
after changing any of them::

    python experiments/make_parameter_table.py           # rewrite the files
    python experiments/make_parameter_table.py --check   # exit 1 if they are out of date

``tests/test_docs.py`` runs the check, so a stale table fails the test suite.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from painnet.docs import api_reference, config_reference, parameter_table
from painnet.odd import OddError, render_file

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def generated() -> dict[str, str]:
    """The generated documents by file name."""
    return {
        "parameters.md": parameter_table(),
        "config-reference.md": config_reference(),
        "odd.md": render_file(ROOT),
        "api.md": api_reference(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if a file is out of date"
    )
    parser.add_argument(
        "--docs-dir", type=Path, default=DOCS, help=f"folder of the documents (default: {DOCS})"
    )
    args = parser.parse_args(argv)
    console = Console(stderr=True)
    stale = []
    try:
        documents = generated()
    except OddError as err:  # the ODD template and the code disagree: say where, no traceback
        console.print(f"error: {err}", markup=False, highlight=False)
        return 1
    for name, text in documents.items():
        path = args.docs_dir / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            console.print(f"wrote {path}")
    if args.check and stale:
        for path in stale:
            console.print(f"[red]out of date:[/red] {path}")
        console.print("regenerate with: python experiments/make_parameter_table.py")
        return 1
    if not stale:
        console.print("docs are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
