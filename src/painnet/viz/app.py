"""The live classroom app: a Mesa SolaraViz page served by ``painnet live CONFIG``.

``painnet live`` runs ``solara run painnet.viz.app`` with the config's path in the environment
variable :data:`CONFIG_ENV` (and any ``--set`` overrides, as a JSON list, in
:data:`OVERRIDES_ENV`). Each browser tab gets its own :class:`~painnet.viz.live_model.LiveModel`
(``Page`` memoizes one per visitor; a module-level model would be shared by every tab,
MESA_NOTES §5 pitfall 10).

The page: Mesa's sidebar (Reset / Play / Step, play and render intervals, the seed and the
sliders generated from the schema; sliders apply on Reset), then six cards: the network lighting
up and the wind-up curve (matplotlib frames); the pain score, the drugs and the patient monitor
(HTML, nearly free to redraw); and the scenario's description.
"""

from __future__ import annotations

import functools
import html
import json
import os

import solara
from mesa.visualization import SolaraViz, solara_viz
from mesa.visualization.utils import update_counter

from painnet.config import load_config
from painnet.config.schema import ExperimentConfig
from painnet.viz.drug_view import DrugView
from painnet.viz.live_model import LiveModel
from painnet.viz.monitor_view import MonitorView
from painnet.viz.network_view import NetworkView
from painnet.viz.pain_view import PainView
from painnet.viz.server import CONFIG_ENV, OVERRIDES_ENV
from painnet.viz.sliders import model_params
from painnet.viz.windup_view import WindupView

#: Model steps (10 ms of biology each) per frame: 110 ms of biology per picture, so a 16-stimulus
#: train at 1 Hz plays in about half a minute at ~8 frames per second. (Mesa's sliders for these
#: two settings take 1 + multiples of 2 steps and 1 + multiples of 10 ms; values off that grid
#: would be shown rounded.)
RENDER_INTERVAL = 11
#: Pause between frames (ms). Mesa's default is 100; far lower values can make reacton refuse to
#: re-render ("Too many renders", MESA_NOTES §5 pitfall 12).
PLAY_INTERVAL_MS = 41


@functools.cache
def app_config() -> ExperimentConfig:
    """The config named by :data:`CONFIG_ENV`, with the overrides of :data:`OVERRIDES_ENV`."""
    path = os.environ.get(CONFIG_ENV)
    if not path:
        raise RuntimeError(
            f"{CONFIG_ENV} is not set: start the app with `painnet live CONFIG`, not `solara run`"
        )
    overrides = json.loads(os.environ.get(OVERRIDES_ENV) or "[]")
    return load_config(path, overrides)


@solara.component
def NetworkPanel(model: LiveModel):  # noqa: N802 (Solara components are CamelCase)
    """The network, neurons coloured by activity (re-rendered every frame)."""
    update_counter.get()
    view = solara.use_memo(lambda: NetworkView(model), [model])
    solara.Image(view.render(model), format="jpeg", width="100%", classes=["painnet-network"])


@solara.component
def WindupPanel(model: LiveModel):  # noqa: N802
    """Spikes per neuron per stimulus for WDR and NS, on fixed axes."""
    update_counter.get()
    view = solara.use_memo(lambda: WindupView(model, model.settings_text), [model])
    solara.Image(view.render(model), format="jpeg", width="100%", classes=["painnet-windup"])


@solara.component
def PainPanel(model: LiveModel):  # noqa: N802
    """The brain's pain score (0–10): big numerals and its trace over the run."""
    update_counter.get()
    view = solara.use_memo(lambda: PainView(model), [model])
    solara.HTML(tag="div", unsafe_innerHTML=view.render(model), classes=["painnet-pain"])


@solara.component
def DrugPanel(model: LiveModel):  # noqa: N802
    """Effect-site concentrations (ng/mL) and NMDA / µ / muscarinic occupancy."""
    update_counter.get()
    view = solara.use_memo(DrugView, [model])
    solara.HTML(
        tag="div", unsafe_innerHTML=view.render(model.drug_state()), classes=["painnet-drugs"]
    )


@solara.component
def MonitorPanel(model: LiveModel):  # noqa: N802
    """The patient monitor: heart rate, MAP, respiratory drive, dissociation, with alarms."""
    update_counter.get()
    view = solara.use_memo(MonitorView, [model])
    solara.HTML(
        tag="div", unsafe_innerHTML=view.render(model.drug_state()), classes=["painnet-monitor"]
    )


@solara.component
def ScenarioPanel(model: LiveModel):  # noqa: N802
    """The scenario's title, description and the settings of the current run."""
    config = model.base_config
    # plain HTML, not solara.Markdown: that loads KaTeX, which solara's offline assets lack
    text = [f"<h2>{html.escape(config.title or 'painnet')}</h2>"]
    if config.description:
        text.append(f"<p>{html.escape(' '.join(config.description.split()))}</p>")
    text.append(
        f"<p><b>This run:</b> <span class='painnet-settings'>"
        f"{html.escape(model.settings_text)} · seed {model.seed}</span></p>"
        "<p>A large, bright dot has just spiked. Move a slider, then press <b>RESET</b> to "
        "rebuild the model with it; <b>▶</b> plays, <b>❚❚</b> pauses.</p>"
    )
    solara.HTML(
        tag="div",
        unsafe_innerHTML="".join(text),
        classes=["painnet-scenario"],
        style={"font-size": "20px", "line-height": "1.4", "padding": "4px 12px"},
    )


#: The app's cards, in the order of :data:`PANELS`: ``(x, y, w, h)`` in grid units (12 columns;
#: rows of 30 px plus a 10 px gap). Network and wind-up side by side, half the width each; below
#: them pain score, drugs and monitor, a third each (350 px high, so the top two rows fit a
#: 1080-px projector); the scenario text under them, full width.
CARDS: tuple[tuple[int, int, int, int], ...] = (
    (0, 0, 6, 11),
    (6, 0, 6, 11),
    (0, 11, 4, 9),
    (4, 11, 4, 9),
    (8, 11, 4, 9),
)


def classroom_grid(num_components: int) -> list[dict]:
    """Card layout: :data:`CARDS`, then any further card full width below.

    Mesa's default makes every card half wide and 390 px high, which crops a 16:9 frame on a
    1920-px screen and squeezes the scenario text into half the width. SolaraViz 3.5 has no
    option for the layout, so :func:`Page` installs this function in place of
    ``mesa.visualization.solara_viz.make_initial_grid_layout``.
    """
    bottom = max(y + h for _, y, _, h in CARDS)
    cards = list(CARDS)
    cards += [(0, bottom + 7 * k, 12, 7) for k in range(max(0, num_components - len(CARDS)))]
    return [
        {"i": i, "x": x, "y": y, "w": w, "h": h, "moved": False}
        for i, (x, y, w, h) in enumerate(cards[:num_components])
    ]


#: The cards of the page, in layout order (:data:`CARDS`).
PANELS = (NetworkPanel, WindupPanel, PainPanel, DrugPanel, MonitorPanel, ScenarioPanel)


@solara.component
def Page():  # noqa: N802 (the name solara serves)
    """One visitor's page: its own model, Mesa's controls, and the panels."""
    config = app_config()
    if hasattr(solara_viz, "make_initial_grid_layout"):
        solara_viz.make_initial_grid_layout = classroom_grid
    model = solara.use_memo(lambda: LiveModel(config), [])
    SolaraViz(
        model,
        components=list(PANELS),
        model_params=model_params(config),
        name=config.title or "painnet",
        play_interval=PLAY_INTERVAL_MS,
        render_interval=RENDER_INTERVAL,
    )
