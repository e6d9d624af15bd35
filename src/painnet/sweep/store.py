"""The sweep folder: written as batches finish, resumable, one tidy table at the end.

Layout of ``<out>/``::

    sweep.json        plan: config hash, points, batch ids (written first)
    config.yaml       the resolved base config with its sweep section
    shards/<id>.json  rows of one finished batch (atomic: temp file, then rename)
    failed/<id>.txt   traceback of a failed batch (retried on --resume)
    results.csv       one row per point × replicate, in point then replicate order
    results.parquet   the same, when pyarrow is installed
    manifest.json     versions, timings, counts, status

A killed sweep leaves only whole shards; ``--resume`` skips the batches that have one.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd
import yaml

from painnet.config.schema import ExperimentConfig
from painnet.errors import PainnetError
from painnet.outputs import config_hash, environment, git_state, json_safe
from painnet.sweep.points import Batch, Point


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class SweepStore:
    """The folder of one sweep (see module docstring)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.shards = self.root / "shards"
        self.failed = self.root / "failed"

    def open(
        self, config: ExperimentConfig, points: list[Point], batches: list[Batch], resume: bool
    ) -> None:
        """Create the folder, or check that an existing one belongs to this config (``resume``)."""
        plan = {
            "config_hash": config_hash(config),
            "points": [{"index": p.index, "id": p.id, "values": p.values} for p in points],
            "batches": [b.id for b in batches],
        }
        plan_file = self.root / "sweep.json"
        if self.root.exists() and not self.root.is_dir():
            raise PainnetError(f"sweep output {self.root} is a file; choose a folder with --out")
        if plan_file.exists():
            if not resume:
                raise PainnetError(
                    f"sweep folder {self.root} already exists; add --resume to continue it or "
                    "choose another --out"
                )
            old = json.loads(plan_file.read_text(encoding="utf-8"))
            if old.get("config_hash") != plan["config_hash"]:
                raise PainnetError(
                    f"sweep folder {self.root} belongs to a different config (hash "
                    f"{old.get('config_hash', '?')[:12]}); choose another --out"
                )
        elif self.root.exists() and any(self.root.iterdir()):
            raise PainnetError(
                f"{self.root} exists and is not a sweep folder; choose another --out"
            )
        try:
            self.shards.mkdir(parents=True, exist_ok=True)
            self.failed.mkdir(exist_ok=True)
        except OSError as err:
            raise PainnetError(
                f"cannot create sweep folder {self.root}: {err.strerror}; choose another --out"
            ) from None
        if not plan_file.exists():
            _atomic_write(
                self.root / "config.yaml",
                yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False, allow_unicode=True),
            )
            _atomic_write(plan_file, json.dumps(plan, indent=1))

    def finished(self) -> set[str]:
        """Ids of batches with a shard."""
        return {p.stem for p in self.shards.glob("*.json")}

    def save(self, batch_id: str, rows: list[dict] | None, error: str | None) -> None:
        """Record a finished batch: its rows (shard) or its traceback."""
        if rows is not None:
            _atomic_write(self.shards / f"{batch_id}.json", json.dumps(json_safe(rows)))
            (self.failed / f"{batch_id}.txt").unlink(missing_ok=True)
        else:
            _atomic_write(self.failed / f"{batch_id}.txt", error or "unknown error")

    def table(self) -> pd.DataFrame:
        """All finished rows, one per point × replicate, in point then replicate order."""
        rows = [
            r for shard in sorted(self.shards.glob("*.json")) for r in json.loads(shard.read_text())
        ]
        if not rows:
            return pd.DataFrame()
        return (
            pd.DataFrame(rows)
            .sort_values(["point_index", "replicate"], kind="stable")
            .reset_index(drop=True)
        )

    def finalize(self, manifest: dict) -> pd.DataFrame:
        """Write the tidy table (CSV, Parquet when possible) and the manifest."""
        table = self.table()
        tmp = self.root / ".results.csv.tmp"
        table.to_csv(tmp, index=False)
        os.replace(tmp, self.root / "results.csv")
        try:
            import pyarrow  # noqa: F401

            table.to_parquet(self.root / "results.parquet", index=False)
        except ImportError:
            pass
        manifest = {
            **manifest,
            **environment(),
            "git": git_state(Path.cwd()),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _atomic_write(self.root / "manifest.json", json.dumps(json_safe(manifest), indent=2))
        return table
