"""Regenerate the sensitization validation report (docs/validation-sensitization.md) and figures.

SCIENCE V4 (HFS induces LTP), V5 (LFS induces LTP), V6 (NMDA block before conditioning prevents
LTP, after conditioning does not reverse it) and V7 (sensitization maintained by ongoing C input
is reversed by NMDA block while the input continues), on configs/sensitization/*.yaml, over
held-out seeds 2–4 (the LTP gain and rates were calibrated at seed 1).

    .venv/bin/python experiments/sensitization_validation.py      # ~15 min on 2 cores
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from painnet.config import load_config
from painnet.engine.layout import S
from painnet.model import PainModel
from painnet.plotting import COLOUR_CYCLE as PALETTE
from painnet.plotting import projector_style
from painnet.run import member_summaries, train_responses_of

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs" / "sensitization"
SEEDS = (2, 3, 4)


def ltp_run(conditioning: str, seed: int) -> dict:
    """Control, block-before and block-after members of one conditioning protocol (one batch)."""
    names = {
        "control": f"ltp_{conditioning}.yaml",
        "block before": "ltp_ketamine_before.yaml",
        "block after": "ltp_ketamine_after.yaml",
    }
    sets = [f"run.seed={seed}"]
    control = load_config(CONFIGS / names["control"], sets)
    members = [control]
    for key in ("block before", "block after"):
        drugs = load_config(CONFIGS / names[key], sets).drugs
        members.append(control.model_copy(update={"drugs": drugs}))
    model = PainModel(control, members=members)
    model.run_for(round(control.duration / control.run.model_step))
    trains = train_responses_of(model)
    out = {}
    for m, (key, summary) in enumerate(zip(names, member_summaries(model), strict=True)):
        # test responses over time, pooled over the projection neurons (as the summary pools)
        tests = trains[(trains["member"] == m) & (trains["train"] == "test")]
        pooled = tests.groupby("time_s")[["spikes", "neurons"]].sum()
        curve = 100.0 * pooled["spikes"] / pooled["neurons"] / summary["potentiation_baseline"]
        out[key] = {
            **{
                k: summary[k]
                for k in ("potentiation_baseline", "potentiation_final", "potentiation_mean")
            },
            "curve": (pooled.index.to_numpy() / 60.0, curve.to_numpy()),
            "rho": summary["ltp_potentiation"],
        }
    return out


def maintained_run(seed: int) -> dict:
    """V7: excitability under ongoing C input, with and without NMDA block (one batch)."""
    config = load_config(CONFIGS / "maintained_sensitization.yaml", [f"run.seed={seed}"])
    control = config.model_copy(
        update={"drugs": config.drugs.model_copy(update={"nmda_block": None})}
    )
    model = PainModel(config, members=[control, config])
    steps = round(config.duration / config.run.model_step)
    every = round(30_000 / config.run.model_step)
    ids = slice(model.populations["WDR"].start, model.populations["NS"].stop)
    times, values = [], []
    for k in range(steps):
        model.step()
        if (k + 1) % every == 0:
            times.append(model.time_ms / 60_000.0)
            values.append(model.engine.state[:, S["excitability"], ids].mean(axis=1))
    return {"t": np.array(times), "e": np.array(values)}  # e: [time, member]


def main() -> int:
    ltp = {c: {s: ltp_run(c, s) for s in SEEDS} for c in ("hfs", "lfs")}
    v7 = {s: maintained_run(s) for s in SEEDS}

    def stat(values: list[float]) -> str:
        return f"{np.mean(values):.0f} ± {np.std(values, ddof=1):.0f}"

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    hfs_final = [ltp["hfs"][s]["control"]["potentiation_final"] for s in SEEDS]
    hfs_mean = [ltp["hfs"][s]["control"]["potentiation_mean"] for s in SEEDS]
    lfs_final = [ltp["lfs"][s]["control"]["potentiation_final"] for s in SEEDS]
    before = [ltp["hfs"][s]["block before"]["potentiation_final"] for s in SEEDS]
    after = [ltp["hfs"][s]["block after"]["potentiation_final"] for s in SEEDS]
    # the block's acute effect on an unpotentiated response: baseline under block / control
    acute = [
        ltp["hfs"][s]["block before"]["potentiation_baseline"]
        / ltp["hfs"][s]["control"]["potentiation_baseline"]
        for s in SEEDS
    ]
    after_vs_control = [a / c - 1 for a, c in zip(after, hfs_final, strict=True)]
    # test pulses while the block is on (32–52 min)
    during = [
        float(
            np.mean(
                [
                    y
                    for t, y in zip(*ltp["hfs"][s]["block after"]["curve"], strict=True)
                    if 32 <= t < 52
                ]
            )
        )
        for s in SEEDS
    ]
    rho_after = [ltp["hfs"][s]["block after"]["rho"] for s in SEEDS]
    rho_before = [ltp["hfs"][s]["block before"]["rho"] for s in SEEDS]
    block_at, late = 13.0, 23.0

    def e_at(run: dict, minute: float, member: int) -> float:
        return float(np.interp(minute, run["t"], run["e"][:, member]))

    returns = [1 - e_at(v7[s], late, 1) / e_at(v7[s], block_at, 1) for s in SEEDS]
    kept = [e_at(v7[s], late, 0) for s in SEEDS]
    lines = [
        "# Validation report: central sensitization (SCIENCE V4–V7)",
        "",
        f"Generated by `experiments/sensitization_validation.py` on {dt.date.today()} — do not edit.",
        "Configs in `configs/sensitization/`; held-out seeds "
        f"{', '.join(map(str, SEEDS))} (mean ± SD over seeds). The LTP gain "
        "(`model.sensitization.ltp.potentiated_gain`), rates (`gamma_*`) and threshold were "
        "calibrated at seed 1 (see docs/parameters.md). The C-fibre response is the projection "
        "neurons' spikes 100–300 ms after a single 1.5 × C-threshold pulse (the C volley, as "
        "field potentials measure it), as % of the mean of six baseline pulses.",
        "",
        "| # | protocol | model | published | tolerance | verdict |",
        "|---|---|---|---|---|---|",
        f"| V4 | HFS 100 Hz × 1 s × 5 (10-s intervals) | {stat(hfs_final)} % at 60 min "
        f"(mean over the hour {stat(hfs_mean)} %) | 149–173 % for ≥ 1 h (Benrath 2004, 2005) | "
        f"140–190 % at 60 min | {verdict(all(140 <= x <= 190 for x in hfs_final))} |",
        f"| V5 | LFS 2 Hz × 120 s | {stat(lfs_final)} % at 60 min | present, roughly 130–200 % "
        f"(Drdla & Sandkühler 2008) | presence (> 115 %) | "
        f"{verdict(all(x > 115 for x in lfs_final))} |",
        f"| V6 | 90 % NMDA block from before HFS | {stat(before)} % at 60 min (ρ "
        f"{np.mean(rho_before):.2f}) | ≈ 100 % (Benrath 2005) | ≤ 115 % | "
        f"{verdict(all(x <= 115 for x in before))} |",
        f"| V6 | 90 % NMDA block from 30 to 50 min after HFS | ρ stays {np.mean(rho_after):.2f}; at "
        f"60 min (drug gone) {stat(after)} % ({np.mean(after_vs_control) * 100:+.0f} % vs control); "
        f"while the drug is present {stat(during)} % (the block's acute effect on an unpotentiated "
        f"response is ×{np.mean(acute):.2f}) | LTP maintained (≈ 170 %, Benrath 2005) | within "
        f"10 % of control | {verdict(all(abs(x) <= 0.10 for x in after_vs_control))} |",
        f"| V7 | C input 1 Hz from 3 min, 90 % NMDA block from 13 min | excitability returns "
        f"{np.mean(returns) * 100:.0f} ± {np.std(returns, ddof=1) * 100:.0f} % toward baseline "
        f"by 23 min (without block it stays at {np.mean(kept):.2f}) | returns to pre-"
        "sensitization level (Woolf & Thompson 1991) | ≥ 80 % return | "
        f"{verdict(all(x >= 0.8 for x in returns))} |",
        "",
        "Notes.",
        "",
        "- V6 'after': the block runs from 30 to 50 min after HFS, like a bolus that is gone by "
        "the 60-min readout. While it is present the test response dips by about the block's "
        "acute effect on any C response (V2: −15 to −20 % at this block) — Benrath measured "
        "field potentials, which NMDA block barely touches, whereas the model's spike readout "
        "includes NMDA-dependent firing — while the synapses stay potentiated (ρ ≈ 1).",
        "- V7 reads the mechanism's own index (the projection neurons' activity-maintained "
        "excitability); a network-level test response is dominated by the ongoing firing the C "
        "input itself drives.",
        "- LTP induction in the model needs ~25 s of NMDA calcium above θp; HFS under 80 % block "
        "still gives about half that and potentiates part of the neurons (dose dependence).",
        "",
        "![LTP and maintained sensitization](figures/sensitization_validation.png)",
        "",
    ]
    (ROOT / "docs" / "validation-sensitization.md").write_text("\n".join(lines), encoding="utf-8")
    _figure(ltp, v7, ROOT / "docs" / "figures" / "sensitization_validation.png")
    print("wrote docs/validation-sensitization.md and docs/figures/sensitization_validation.png")
    return 0


def _figure(ltp: dict, v7: dict, path: Path) -> None:
    with projector_style():
        fig, axes = plt.subplots(1, 2, figsize=(16, 9))
        ax = axes[0]
        styles = {
            ("hfs", "control"): (PALETTE[0], "-", "HFS"),
            ("lfs", "control"): (PALETTE[1], "-", "LFS 2 Hz"),
            ("hfs", "block before"): (PALETTE[2], "--", "HFS, NMDA block before"),
            ("hfs", "block after"): (PALETTE[3], ":", "HFS, NMDA block from 30 min"),
        }
        for (protocol, key), (colour, line, label) in styles.items():
            curves = [ltp[protocol][s][key]["curve"] for s in SEEDS]
            t = curves[0][0]
            y = np.mean([c[1] for c in curves], axis=0)
            ax.plot(t, y, line, color=colour, label=label, marker="o")
        ax.axhspan(140, 190, color="0.85", zorder=0, label="V4 target at 60 min")
        ax.axhline(100, color="0.3", lw=1.5)
        ax.set(xlabel="time (min)", ylabel="C-fibre response (% of baseline)", ylim=(60, 220))
        ax.set_title("LTP: induced by HFS/LFS, prevented by NMDA block")
        ax.legend(loc="upper right", fontsize=14)
        ax = axes[1]
        for s in SEEDS:
            ax.plot(v7[s]["t"], v7[s]["e"][:, 0], color=PALETTE[0], alpha=0.8)
            ax.plot(v7[s]["t"], v7[s]["e"][:, 1], color=PALETTE[2], alpha=0.8)
        ax.plot([], [], color=PALETTE[0], label="C input 3–23 min")
        ax.plot([], [], color=PALETTE[2], label="+ NMDA block from 13 min")
        ax.axvspan(3, 23, color="0.9", zorder=0)
        ax.set(xlabel="time (min)", ylabel="excitability (0–1)", ylim=(0, 1))
        ax.set_title("Maintained sensitization reverses under block")
        ax.legend(loc="upper right", fontsize=14)
        fig.savefig(path)
        plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
