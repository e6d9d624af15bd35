"""The default dorsal-horn network: populations and labelled connection rules.

A config's ``model.populations`` and ``model.connections`` are merged onto these by name, so a
config states only what it changes. Values are written as config strings (with units) and validated
by the schema like user input. ``SOURCES`` gives the reason for each entry; the parameter table in
``docs/parameters.md`` prints them.

Circuit (after Aguiar 2010 and Zhang, Janik & Grill 2014, SCIENCE C1, C3): C, Aδ and Aβ afferents
excite WDR (lamina V) neurons directly and through excitatory interneurons; NS (lamina I) neurons
take C and Aδ input; Aβ fibres drive inhibitory interneurons (feed-forward, "gate") that inhibit
projection neurons and excitatory interneurons; a sparse Aβ → excitatory-interneuron → NS chain
(about 60 % of NS neurons have an interneuron partner) is held silent by that inhibition, and
opens when inhibition is lost (``condition.disinhibition``: allodynia, SCIENCE B4).
"""

from __future__ import annotations

DEFAULT_POPULATIONS: dict[str, dict] = {
    "C": {
        "type": "c_fibre",
        "size": 80,
        "afferent": {
            "threshold": 1.0,
            "latency": "150 ms",
            "spikes_per_pulse": 2,
            "burst_interval": "10 ms",
            "spontaneous_rate": "0.1 Hz",
        },
    },
    "Adelta": {
        "type": "adelta_fibre",
        "size": 40,
        "afferent": {"threshold": 0.4, "latency": "25 ms", "spontaneous_rate": "0.2 Hz"},
    },
    "Abeta": {
        "type": "abeta_fibre",
        "size": 60,
        "afferent": {
            "threshold": 0.1,
            "latency": "8 ms",
            "spontaneous_rate": "0.5 Hz",
            "touch_rate": "40 Hz",
        },
    },
    "E": {
        "type": "excitatory_interneuron",
        "size": 60,
        "cell": {"capacitance": "30 pF", "leak_conductance": "2 nS"},
    },
    "I": {
        "type": "inhibitory_interneuron",
        "size": 40,
        "cell": {"capacitance": "30 pF", "leak_conductance": "2 nS"},
    },
    "WDR": {
        "type": "wdr",
        "size": 20,
        "cell": {"capacitance": "75 pF", "leak_conductance": "3 nS", "can_conductance": "1 nS"},
    },
    "NS": {
        "type": "ns",
        "size": 20,
        "cell": {"capacitance": "50 pF", "leak_conductance": "2 nS", "can_conductance": "1 nS"},
    },
}

DEFAULT_CONNECTIONS: dict[str, dict] = {
    "C->E": {
        "pre": "C",
        "post": "E",
        "probability": 0.15,
        "ampa": "0.3 nS",
        "nmda": "0.02 nS",
        "nk1": "0.001 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
        "delay_jitter": "1 ms",
        "plastic": True,
    },
    "C->WDR": {
        "pre": "C",
        "post": "WDR",
        "probability": 0.25,
        "ampa": "0.3 nS",
        "nmda": "0.08 nS",
        "nk1": "0.001 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
        "delay_jitter": "1 ms",
        "plastic": True,
    },
    "C->NS": {
        "pre": "C",
        "post": "NS",
        "probability": 0.25,
        "ampa": "0.5 nS",
        "nmda": "0.08 nS",
        "nk1": "0.001 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
        "delay_jitter": "1 ms",
        "plastic": True,
    },
    "Adelta->WDR": {
        "pre": "Adelta",
        "post": "WDR",
        "probability": 0.25,
        "ampa": "0.5 nS",
        "nmda": "0.1 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
    "Adelta->NS": {
        "pre": "Adelta",
        "post": "NS",
        "probability": 0.25,
        "ampa": "0.5 nS",
        "nmda": "0.1 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
    "Adelta->E": {
        "pre": "Adelta",
        "post": "E",
        "probability": 0.1,
        "ampa": "1 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
    "Abeta->WDR": {
        "pre": "Abeta",
        "post": "WDR",
        "probability": 0.2,
        "ampa": "0.8 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
    "Abeta->I": {
        "pre": "Abeta",
        "post": "I",
        "probability": 0.2,
        "ampa": "0.3 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
    "Abeta->E": {
        "pre": "Abeta",
        "post": "E",
        "probability": 0.1,
        "ampa": "0.8 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
    "E->WDR": {
        "pre": "E",
        "post": "WDR",
        "probability": 0.2,
        "ampa": "0.4 nS",
        "nmda": "0.02 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
        "delay_jitter": "1 ms",
    },
    "E->NS": {
        "pre": "E",
        "post": "NS",
        "probability": 0.015,
        "ampa": "2 nS",
        "nmda": "0.1 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
        "delay_jitter": "1 ms",
    },
    "I->WDR": {
        "pre": "I",
        "post": "WDR",
        "probability": 0.2,
        "gaba_a": "1.5 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
    "I->NS": {
        "pre": "I",
        "post": "NS",
        "probability": 0.2,
        "gaba_a": "1.5 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
    "I->E": {
        "pre": "I",
        "post": "E",
        "probability": 0.2,
        "gaba_a": "1.5 nS",
        "weight_cv": 0.3,
        "delay": "1 ms",
    },
}

SOURCES: dict[str, str] = {
    "C": "sizes: assumption (Zhang 2014 used 30 C / 15 Aδ / 15 Aβ; Crodelle 2019 mostly C); latency 150 ms: assumption, shorter than the 200 ± 20 ms C delay of Aguiar 2010 (shorter rat conduction path); 2-spike volley: assumption after SCIENCE I.1 (C bursts per stimulus)",
    "Adelta": "latency 25 ms: assumption near the 30 ms Aδ delay of Aguiar 2010; threshold order Aβ < Aδ < C: assumption",
    "Abeta": "Crodelle 2019 (Aβ 40 Hz touch response); latency: assumption for fast myelinated fibres",
    "E": "assumption: small interneurons (capacitance, leak) as Aguiar 2010 interneuron template",
    "I": "assumption: as excitatory interneurons",
    "WDR": "Aguiar 2010 WDR membrane (SCIENCE C1); CAN 1 nS calibrated (with calcium.per_charge) to SCIENCE V1 at 0.5 and 1 Hz, seed 1 — below the 3–5 nS of SCIENCE I.1 because our calcium pool rises further per pC",
    "NS": "assumption: lamina I neurons smaller than WDR; CAN 1 nS as WDR (superficial neurons wind up less in mouse, PMC3749299 — the model does not reproduce this yet)",
    "C->E": "Aguiar 2010 C → interneuron AMPA+NMDA+NK1 receptor mix; magnitudes calibrated so WDR fire ~6 spikes to one C volley (seed 1)",
    "C->WDR": "SCIENCE I.1 per-spike C → WDR weights (NMDA 0.08 nS, NK1 0.001 nS); AMPA lowered from 1 to 0.3 nS (calibrated: first response ~6 spikes/neuron with the interneuron path)",
    "C->NS": "assumption: as C → WDR (lamina I receives C input directly); AMPA 0.5 nS calibrated (seed 1) so NS still fire ~11 spikes to the first C volley (as before E → NS was made sparse)",
    "Adelta->WDR": "Aguiar 2010 Aδ → WDR AMPA+NMDA (8:1)",
    "Adelta->NS": "assumption: as Aδ → WDR",
    "Adelta->E": "assumption",
    "Abeta->WDR": "assumption: WDR neurons receive low-threshold input (definition of WDR)",
    "Abeta->I": "gate control: Aβ drive of inhibitory interneurons (Crodelle 2019 gABI); 0.3 nS calibrated so a brush stroke drives WDR (~10 Hz) but not NS (configs/touch.yaml, seed 1)",
    "Abeta->E": "Torsney & MacDermott 2006: polysynaptic Aβ chain to lamina I, normally gated (SCIENCE B4)",
    "E->WDR": "Aguiar 2010 interneuron → WDR AMPA+NMDA (1:0.1); magnitude calibrated (seed 1)",
    "E->NS": "Torsney & MacDermott 2006 (SCIENCE B4, V8): sparse, so that about 60 % of NS neurons have an excitatory-interneuron partner (1 − 0.985⁶⁰ ≈ 0.6), the share of lamina I neurons with polysynaptic Aβ input once inhibition is blocked; weights (AMPA 2 nS, NMDA 0.1 nS, the E → WDR 20:1 mix) calibrated on seed 1 so that one partner firing at tens of Hz drives the NS neuron once inhibition is lost but its ~1 spike per touch in the intact network does not",
    "I->WDR": "Aguiar 2010 interneuron → WDR GABA_A",
    "I->NS": "assumption: as I → WDR",
    "I->E": "Crodelle 2019 (gIE)",
}
