"""The network's transfer function, measured on the spiking model, for the slow clock.

Days-to-weeks protocols cannot step the spiking network at 0.1 ms. The slow clock instead reads
the network's steady output from a table measured once on the spiking model itself: for each
point of a grid of *inputs* (the quantities that drugs, conditions and sensitization states
change on the slow clock) the spiking model runs with those inputs held fixed and the table
stores the *outputs* the slow clock needs. Nothing in the table is hand-tuned; it is refitted
(``experiments/fit_transfer.py`` or :func:`fit`) whenever the network it was measured on changes, and the
slow clock refuses a table whose network hash differs from the config's.

Inputs (grid axes, all applied uniformly):

- ``c_rate`` (Hz): ongoing C-fibre firing on top of the spontaneous rate (every C fibre);
- ``nmda_gain``: 1 − NMDA block (every dorsal-horn neuron);
- ``c_release``: presynaptic release factor of C and Aδ terminals (opioid, cholinergic,
  descending actions);
- ``synaptic_gain``: plastic AMPA weight multiplier of projection neurons (LTP, chronic state);
- ``current`` (pA): extra current into projection neurons (sensitization current, minus the
  K⁺ current of opioid/α2 GIRK channels taken at the leak reversal).

Outputs (projection neurons, averaged over neurons, members and the measurement window):
``rate`` (Hz per neuron, all projection neurons), ``rate_<population>``, ``calcium`` (µM above
rest), ``excitability_drive`` (mean e∞), ``chronic_refresh`` (mean a), ``above_potentiation``
(fraction of neuron-time with calcium above θp) and ``above_depression``.

Interpolation is multilinear on the grid; inputs outside it are clipped to its edges.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numba
import numpy as np

from painnet.config.schema import ExperimentConfig
from painnet.engine.layout import C, K, S

AXES: dict[str, tuple[float, ...]] = {
    "c_rate": (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0),
    "nmda_gain": (0.0, 0.25, 0.5, 0.75, 1.0),
    "c_release": (0.4, 0.7, 1.0),
    "synaptic_gain": (1.0, 1.5, 2.0, 3.0),
    "current": (-30.0, -10.0, 0.0, 8.0, 16.0, 30.0),
}
"""Default grid: 7 × 5 × 3 × 4 × 6 = 2520 points."""

SETTLE_MS = 15_000.0
"""Settling time per point: calcium and the CAN gate need ~10 s to reach steady state under
ongoing input (the calcium pool decays in 3 s, the CAN gate in up to 4 s, and they feed back)."""
MEASURE_MS = 5_000.0
SAMPLE_MS = 10.0


def network_key(config: ExperimentConfig) -> str:
    """Hash of everything the transfer table depends on, and nothing else.

    The network (populations, rules, receptor kinetics), the background activity, disinhibition,
    the network seed, the kernel time step, and the calcium thresholds and half-activations that
    turn calcium into the tabulated state drives. Rates, time constants and effect sizes of the
    sensitization states and the pain readout are applied by the slow clock, not tabulated, so
    they can change without a new measurement.
    """
    data = config.model_dump(mode="json")
    model = dict(data["model"])
    sensitization = model.pop("sensitization")
    model.pop("pain")
    relevant = {
        "model": model,
        "drives": {
            "ltp": {
                k: sensitization["ltp"][k]
                for k in ("depression_threshold", "potentiation_threshold")
            },
            "excitability": {
                k: sensitization["excitability"][k] for k in ("half_activation", "hill")
            },
            "chronic": {k: sensitization["chronic"][k] for k in ("half_activation", "hill")},
        },
        "background": data["protocol"]["background"],
        "disinhibition": data["condition"]["disinhibition"],
        "seed": data["run"]["seed"],
        "dt": data["run"]["dt"],
    }
    text = json.dumps(relevant, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class TransferFunction:
    """A measured transfer table and its interpolation.

    Attributes:
        axes: grid values per input, in :data:`AXES` order.
        outputs: table per output name, shape = grid shape.
        key: :func:`network_key` of the config it was measured on.
        meta: how it was measured (settle/measure windows, replicates, seconds taken).
    """

    axes: dict[str, np.ndarray]
    outputs: dict[str, np.ndarray]
    key: str
    meta: dict = field(default_factory=dict)

    def __call__(self, **inputs: np.ndarray | float) -> dict[str, np.ndarray]:
        """Outputs at the given inputs (arrays broadcast together), by multilinear interpolation."""
        names = list(self.axes)
        missing = [n for n in names if n not in inputs]
        if missing:
            raise TypeError(f"missing transfer inputs: {', '.join(missing)}")
        values = np.broadcast_arrays(*(np.asarray(inputs[n], dtype=float) for n in names))
        shape = values[0].shape
        points = np.ascontiguousarray(np.stack([v.ravel() for v in values], axis=1))
        stacked = self._stacked()
        out = _interpolate(self._grid_flat, self._grid_offsets, stacked, points)
        return {k: out[:, i].reshape(shape) for i, k in enumerate(self.outputs)}

    def _stacked(self) -> np.ndarray:
        """Outputs as one C-ordered ``[n_outputs, prod(grid)]`` array (cached), and the grid."""
        cache = getattr(self, "_cache", None)
        if cache is None:
            names = list(self.axes)
            self._grid_flat = np.concatenate([np.asarray(self.axes[n], float) for n in names])
            self._grid_offsets = np.cumsum([0] + [len(self.axes[n]) for n in names]).astype(
                np.int64
            )
            cache = np.ascontiguousarray(
                np.stack([np.asarray(v, float).ravel() for v in self.outputs.values()])
            )
            self._cache = cache
        return cache

    def save(self, path: str | Path) -> None:
        """Write to a ``.npz`` file (atomic)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            **{f"axis_{k}": v for k, v in self.axes.items()},
            **{f"out_{k}": v for k, v in self.outputs.items()},
            key=np.array(self.key),
            meta=np.array(json.dumps(self.meta)),
        )
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> TransferFunction:
        """Read a table written by :meth:`save`."""
        with np.load(path) as data:
            axes = {k[5:]: data[k] for k in data.files if k.startswith("axis_")}
            order = [k for k in AXES if k in axes] + [k for k in axes if k not in AXES]
            return cls(
                axes={k: axes[k] for k in order},
                outputs={k[4:]: data[k] for k in data.files if k.startswith("out_")},
                key=str(data["key"]),
                meta=json.loads(str(data["meta"])),
            )


@numba.njit(cache=True)
def _interpolate(grid, offsets, table, points):  # pragma: no cover - compiled
    """Multilinear interpolation of every output row of ``table`` at ``points`` ``[P, D]``.

    ``grid`` holds the D axes back to back (axis d is ``grid[offsets[d]:offsets[d + 1]]``);
    ``table`` is ``[n_outputs, prod(axis lengths)]`` in C order. Points are clipped to the grid.
    """
    n_points, dims = points.shape
    n_out = table.shape[0]
    out = np.zeros((n_points, n_out))
    lows = np.empty(dims, np.int64)
    weights = np.empty(dims)
    strides = np.empty(dims, np.int64)
    stride = 1
    for d in range(dims - 1, -1, -1):
        strides[d] = stride
        stride *= offsets[d + 1] - offsets[d]
    for p in range(n_points):
        for d in range(dims):
            a, b = offsets[d], offsets[d + 1]
            n = b - a
            lows[d] = 0
            weights[d] = 0.0
            if n == 1:  # a single value: that row of the table, whatever the input
                continue
            x = min(max(points[p, d], grid[a]), grid[b - 1])
            i = 0
            while i < n - 2 and grid[a + i + 1] <= x:
                i += 1
            lows[d] = i
            weights[d] = (x - grid[a + i]) / (grid[a + i + 1] - grid[a + i])
        for corner in range(1 << dims):
            w = 1.0
            index = 0
            for d in range(dims):
                upper = (corner >> d) & 1
                w *= weights[d] if upper else 1.0 - weights[d]
                index += (lows[d] + upper) * strides[d]
            if w != 0.0:
                for k in range(n_out):
                    out[p, k] += w * table[k, index]
    return out


BUNDLED = "transfer_default.npz"
"""The table measured on the default network (``experiments/fit_transfer.py``)."""


def cache_dir() -> Path:
    """Where tables measured for non-default networks are kept (``~/.cache/painnet/transfer``)."""
    return Path.home() / ".cache" / "painnet" / "transfer"


def find(config: ExperimentConfig) -> TransferFunction | None:
    """The stored table for ``config``'s network (bundled or cached), or None."""
    key = network_key(config)
    bundled = resources.files("painnet.slowclock").joinpath(BUNDLED)
    candidates = [Path(str(bundled)), cache_dir() / f"{key}.npz"]
    for path in candidates:
        if path.exists():
            table = TransferFunction.load(path)
            if table.key == key:
                return table
    return None


def for_config(config: ExperimentConfig, progress: bool = False) -> TransferFunction:
    """The stored table for ``config``'s network, measuring (and caching) it when there is none."""
    table = find(config)
    if table is None:
        table = fit(config, progress=progress)
        cache_dir().mkdir(parents=True, exist_ok=True)
        table.save(cache_dir() / f"{table.key}.npz")
    return table


def _measure_config(config: ExperimentConfig, c_rate: float) -> ExperimentConfig:
    """The config a grid row runs: no stimulus, ongoing C input at ``c_rate``, no drugs."""
    data = config.model_dump(mode="json")
    data["protocol"].update({"stimulus": "none", "trains": None})
    data["condition"]["ongoing_input"] = (
        [{"population": "C", "rate": f"{c_rate} Hz"}] if c_rate > 0 else []
    )
    data["condition"]["chronic_state"] = None
    data["drugs"] = {}
    data["run"].update({"duration": f"{SETTLE_MS + MEASURE_MS} ms", "replicates": 1})
    data["sweep"] = None
    return ExperimentConfig.model_validate(data)


def fit(
    config: ExperimentConfig,
    axes: dict[str, tuple[float, ...]] | None = None,
    batch: int = 64,
    progress: bool = False,
) -> TransferFunction:
    """Measure the transfer table of ``config``'s network on the spiking model.

    Each grid point is one batch member with its inputs written into the engine's per-member
    arrays and the sensitization states frozen; members of one ``c_rate`` share the network and
    run ``batch`` at a time. Returns the table (not saved).
    """
    import time

    from painnet.progress import progress_bar
    from painnet.sensitization import SensitizationParameters

    axes = {k: tuple(v) for k, v in (axes or AXES).items()}
    names = list(axes)
    shape = tuple(len(axes[n]) for n in names)
    rest_points = np.array(
        np.meshgrid(*(axes[n] for n in names[1:]), indexing="ij"), dtype=float
    ).reshape(len(names) - 1, -1)
    outputs: dict[str, np.ndarray] = {}
    params = SensitizationParameters.from_configs([config])
    started = time.perf_counter()
    total = len(axes["c_rate"]) * rest_points.shape[1]
    with progress_bar(progress, total, "measuring the transfer function") as advance:
        for i_rate, c_rate in enumerate(axes["c_rate"]):
            base = _measure_config(config, c_rate)
            for start in range(0, rest_points.shape[1], batch):
                chunk = rest_points[:, start : start + batch]
                rows = _measure_batch(base, chunk, params)
                for k, values in rows.items():
                    table = outputs.setdefault(k, np.zeros(shape))
                    flat = table[i_rate].reshape(-1)
                    flat[start : start + chunk.shape[1]] = values
                advance(chunk.shape[1])
    meta = {
        "settle_ms": SETTLE_MS,
        "measure_ms": MEASURE_MS,
        "sample_ms": SAMPLE_MS,
        "seconds": round(time.perf_counter() - started, 1),
        "points": int(np.prod(shape)),
    }
    return TransferFunction(
        axes={n: np.array(axes[n]) for n in names},
        outputs=outputs,
        key=network_key(config),
        meta=meta,
    )


def _measure_batch(base: ExperimentConfig, chunk: np.ndarray, params) -> dict:
    """Run one batch of grid points (columns of ``chunk``: nmda_gain, c_release, gain, current)."""
    from painnet.agents import is_projection_type
    from painnet.model import PainModel
    from painnet.sensitization import chronic_refresh, excitability_target

    nmda_gain, c_release, gain, current = chunk
    b = chunk.shape[1]
    model = PainModel(base, members=[base] * b)
    engine = model.engine
    pops = base.model.populations
    projection = {
        n: model.populations[n] for n in model.populations if is_projection_type(pops[n].type)
    }
    proj_ids = np.concatenate([np.arange(r.start, r.stop) for r in projection.values()])
    c_like = np.concatenate(
        [
            np.arange(r.start, r.stop)
            for n, r in model.populations.items()
            if pops[n].type in ("c_fibre", "adelta_fibre")
        ]
    )
    engine.const[:, K["nmda_gain"]] = nmda_gain
    engine.cell[:, C["release_scale"], :][:, c_like] = c_release[:, None]
    engine.cell[:, C["synaptic_gain"], :][:, proj_ids] = gain[:, None]
    engine.cell[:, C["sensitization_current"], :][:, proj_ids] = current[:, None]
    steps = round(SAMPLE_MS / base.run.dt)
    engine.advance(round(SETTLE_MS / base.run.dt))
    counts0 = engine.spike_count.copy()
    rest = engine.const[:, [K["calcium_resting"]]]
    sums = {k: np.zeros(b) for k in ("calcium", "e", "a", "up", "down")}
    n_samples = round(MEASURE_MS / SAMPLE_MS)
    for _ in range(n_samples):
        engine.advance(steps)
        ca = engine.state[:, S["calcium"], :][:, proj_ids]
        above = ca - rest
        sums["calcium"] += above.mean(axis=1)
        sums["e"] += excitability_target(above, params).mean(axis=1)
        sums["a"] += chronic_refresh(above, params).mean(axis=1)
        sums["up"] += (ca > params.theta_p[0, 0]).mean(axis=1)
        sums["down"] += (ca > params.theta_d[0, 0]).mean(axis=1)
    seconds = MEASURE_MS / 1000.0
    spikes = engine.spike_count - counts0
    out = {"rate": spikes[:, proj_ids].sum(axis=1) / len(proj_ids) / seconds}
    for name, r in projection.items():
        out[f"rate_{name}"] = spikes[:, r.start : r.stop].sum(axis=1) / len(r) / seconds
    out.update(
        calcium=sums["calcium"] / n_samples,
        excitability_drive=sums["e"] / n_samples,
        chronic_refresh=sums["a"] / n_samples,
        above_potentiation=sums["up"] / n_samples,
        above_depression=sums["down"] / n_samples,
    )
    return out
