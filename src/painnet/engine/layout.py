"""Row layout of the engine's packed arrays (shared by both kernels and by the agents' views).

State is ``float64[B, len(STATE), N]``, cell parameters ``float64[B, len(CELL), N]`` and the
per-member constants ``float64[B, len(CONST)]``: B batch members (parameter sets), N neurons.
Synaptic input waiting in the delay ring buffer is ``float64[B, D, N, len(RECEPTOR)]``.
"""

STATE = (
    "v",
    "ampa",
    "nmda_rise",
    "nmda_decay",
    "nk1_rise",
    "nk1_decay",
    "gaba_a",
    "calcium",
    "can_gate",
    "potentiation",
    "excitability",
    "chronic",
)
"""Membrane potential (mV), conductance traces (nS), calcium (µM), CAN gate (1), and the slow
sensitization states (1; updated between kernel calls by :mod:`painnet.sensitization`, never by
the kernels): synaptic potentiation ρ, activity-maintained excitability, chronic state."""

CELL = (
    "capacitance",  # pF
    "leak_conductance",  # nS
    "leak_reversal",  # mV
    "threshold",  # mV
    "reset",  # mV
    "refractory_steps",  # kernel steps (stored as float, read as int)
    "can_conductance",  # nS
    "bias_current",  # pA
    "chloride_reversal",  # mV (GABA_A reversal; per neuron so rules can shift it)
    "inhibition_scale",  # 1: multiplies the GABA_A conductance the neuron receives (disinhibition)
    "background_excitatory_weight",  # nS per background AMPA event
    "background_inhibitory_weight",  # nS per background GABA_A event
    "release_scale",  # 1: multiplies every conductance this neuron's spikes deliver (drugs)
    "synaptic_gain",  # 1: multiplies the AMPA weight of plastic synapses onto this neuron (LTP)
    "potassium_conductance",  # nS: K+ (GIRK) conductance opened by opioids / α2 agonism
    "sensitization_current",  # pA: depolarizing current from excitability and chronic states
)

CONST = (
    "ampa_decay",  # per-step decay factor exp(-dt/tau)
    "nmda_rise_decay",
    "nmda_decay_decay",
    "nk1_rise_decay",
    "nk1_decay_decay",
    "gaba_decay",
    "nmda_norm",  # dual-exponential peak normalization
    "nk1_norm",
    "ampa_reversal",  # mV
    "nmda_reversal",
    "nk1_reversal",
    "magnesium",  # µM
    "nmda_gain",  # 1 - block: scales NMDA conductance (drugs)
    "calcium_fraction",
    "calcium_per_charge",  # µM/pC
    "calcium_resting",  # µM
    "calcium_decay",  # per-step decay factor
    "can_half_activation",  # µM
    "can_tau_max",  # ms
    "can_reversal",  # mV
    "potassium_reversal",  # mV
)

RECEPTOR = ("ampa", "nmda", "nk1", "gaba_a")
"""Columns of synaptic weights (nS) and of the delay ring buffer."""

S = {name: i for i, name in enumerate(STATE)}
C = {name: i for i, name in enumerate(CELL)}
K = {name: i for i, name in enumerate(CONST)}
R = {name: i for i, name in enumerate(RECEPTOR)}

BACKGROUND_EXCITATORY = 0
BACKGROUND_INHIBITORY = 1
