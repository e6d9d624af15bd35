"""A fixed, layered layout of the dorsal-horn network for drawing.

Signals flow left to right, as they do from the periphery to the brain: primary afferents (C, Aδ,
Aβ) in the first column, dorsal-horn interneurons in the second, projection neurons (WDR, NS) in
the third, and one "brain" node that every projection neuron reaches. Each population is a block
of neurons on a square grid, blocks of one layer stacked top to bottom in config order. The
layout depends only on the population sizes, so it is computed once per network (no force-directed
layout per frame, which costs seconds at a few hundred nodes; see MESA_NOTES §5).

Numpy only: no matplotlib here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

from painnet.agents import is_afferent_type, is_projection_type
from painnet.config.schema import ExperimentConfig

#: Layer names, left to right.
LAYERS: tuple[str, ...] = ("afferents", "interneurons", "projection")

_MAX_ROWS = 24  # grid rows per layer before a layer gets more columns (neuron spacing = 1)
_GAP_ROWS = 2.6  # space between population blocks of one layer (room for the block's label)
_LAYER_GAP = 7.0  # horizontal space between layers (room for the synapses to fan out)


@dataclass(frozen=True)
class PopulationBlock:
    """Where one population is drawn.

    Attributes:
        name: population name.
        layer: index into :data:`LAYERS`.
        ids: node ids of its neurons.
        label_xy: where its name is written (above the block's left edge).
    """

    name: str
    layer: int
    ids: range
    label_xy: tuple[float, float]


@dataclass(frozen=True)
class NetworkLayout:
    """Node positions and synapse segments of a network, ready to draw.

    Attributes:
        xy: ``float[N, 2]`` position of each neuron (node id = row).
        blocks: one block per population, in config order.
        brain_xy: position of the brain node.
        layer_x: centre x of each layer (and of the brain, last).
        pre: ``int[E]`` presynaptic node of each synapse.
        post: ``int[E]`` postsynaptic node of each synapse.
        segments: ``float[E, 2, 2]`` line from each synapse's pre- to its postsynaptic neuron.
        projection: node ids of the projection neurons (they send lines to the brain).
        extent: ``(x0, x1, y0, y1)`` of everything drawn.
    """

    xy: np.ndarray
    blocks: tuple[PopulationBlock, ...]
    brain_xy: tuple[float, float]
    layer_x: tuple[float, ...]
    pre: np.ndarray
    post: np.ndarray
    segments: np.ndarray
    projection: np.ndarray
    extent: tuple[float, float, float, float]


def layer_of(population_type: str) -> int:
    """Layer index of an agent type: 0 afferents, 2 projection neurons, 1 anything else."""
    if is_afferent_type(population_type):
        return 0
    if is_projection_type(population_type):
        return 2
    return 1


def _columns(sizes: list[int]) -> int:
    """Fewest grid columns that stack these blocks within :data:`_MAX_ROWS` rows."""
    columns = 1
    while sum(math.ceil(n / columns) for n in sizes) + _GAP_ROWS * (len(sizes) - 1) > _MAX_ROWS:
        columns += 1
    return columns


def layered_layout(
    graph: nx.DiGraph, populations: dict[str, range], config: ExperimentConfig
) -> NetworkLayout:
    """Lay the network out in layers: afferents → interneurons → projection neurons → brain.

    Args:
        graph: the network (node ids ``0..N-1``).
        populations: node ids per population name (``PainModel.populations``).
        config: the config that built the network (gives each population's type).

    Returns:
        The layout; node ``i`` is drawn at ``xy[i]``.
    """
    by_layer: dict[int, list[str]] = {i: [] for i in range(len(LAYERS))}
    for name in populations:
        by_layer[layer_of(config.model.populations[name].type)].append(name)

    xy = np.zeros((graph.number_of_nodes(), 2))
    blocks: list[PopulationBlock] = []
    layer_x: list[float] = []
    x_left = 0.0
    tallest = 1.0
    for layer in range(len(LAYERS)):
        names = [n for n in by_layer[layer] if len(populations[n])]
        columns = _columns([len(populations[n]) for n in names]) if names else 1
        rows = [math.ceil(len(populations[n]) / columns) for n in names]
        height = sum(rows) + _GAP_ROWS * max(len(rows) - 1, 0)
        tallest = max(tallest, height)
        y_top = (height - 1) / 2  # top row, so that the layer is centred on y = 0
        for name, n_rows in zip(names, rows, strict=True):
            ids = populations[name]
            k = np.arange(len(ids))
            xy[ids.start : ids.stop, 0] = x_left + k % columns
            xy[ids.start : ids.stop, 1] = y_top - k // columns
            blocks.append(PopulationBlock(name, layer, ids, (x_left - 0.4, y_top + 0.8)))
            y_top -= n_rows + _GAP_ROWS
        layer_x.append(x_left + (columns - 1) / 2)
        x_left += columns - 1 + _LAYER_GAP

    brain_xy = (x_left - 0.2 * _LAYER_GAP, 0.0)  # a little closer than the next layer would be
    layer_x.append(brain_xy[0])

    edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    pre, post = edges[:, 0], edges[:, 1]
    segments = np.stack([xy[pre], xy[post]], axis=1)
    projection = np.array([i for b in blocks if b.layer == 2 for i in b.ids], dtype=np.int64)
    extent = (-2.0, brain_xy[0] + 3.5, -tallest / 2 - 3.0, tallest / 2 + 5.5)
    return NetworkLayout(
        xy=xy,
        blocks=tuple(blocks),
        brain_xy=brain_xy,
        layer_x=tuple(layer_x),
        pre=pre,
        post=post,
        segments=segments,
        projection=projection,
        extent=extent,
    )
