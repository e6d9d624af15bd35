"""The classroom view: the live browser app (``painnet live``) and its drawings.

* :mod:`painnet.viz.layout`: a fixed, layered layout of the network (afferents → interneurons →
  projection neurons → brain), computed once per network.
* :mod:`painnet.viz.network_view`: the network drawn with neurons coloured by activity.
* :mod:`painnet.viz.windup_view`: spikes per stimulus of the projection neurons, on fixed axes.
* :mod:`painnet.viz.pain_view`: the 0–10 pain score, now and over the run (HTML + SVG).
* :mod:`painnet.viz.drug_view`: effect-site concentrations and receptor occupancy (HTML).
* :mod:`painnet.viz.monitor_view`: the patient monitor with its alarms (HTML).
* :mod:`painnet.viz.sliders`: the app's controls, generated from the config schema.
* :mod:`painnet.viz.live_model`: :class:`~painnet.viz.live_model.LiveModel`, the model the app
  rebuilds from slider values.
* :mod:`painnet.viz.app`: the Solara page (Mesa SolaraViz), one model per browser tab.
* :mod:`painnet.viz.server`: starts ``solara run`` on the app for ``painnet live``.

Nothing here is imported by ``import painnet``; matplotlib and solara are imported only by the
modules that draw or serve (install them with the ``live`` extra: ``pip install -e ".[live]"``).
"""
