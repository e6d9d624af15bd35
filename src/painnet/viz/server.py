"""Serve the live app: ``solara run painnet.viz.app`` in a child process (``painnet live``).

The config is validated here, before the server starts, so a mistyped config fails at once with
the usual one-line errors. The child gets the config's absolute path (and the ``--set``
overrides) through environment variables, Solara's telemetry switched off (classrooms may have no
internet; MESA_NOTES §5 pitfall 13) and ``--production`` (no auto-reload, no dev tooling).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

from painnet.errors import PainnetError

APP_MODULE = "painnet.viz.app"
#: Environment variable holding the absolute path of the config to serve.
CONFIG_ENV = "PAINNET_LIVE_CONFIG"
#: Environment variable holding the ``--set`` overrides, a JSON list of ``path=value`` strings.
OVERRIDES_ENV = "PAINNET_LIVE_OVERRIDES"

_LIVE_PACKAGES = ("solara", "mesa.visualization", "PIL")


def check_live_dependencies() -> None:
    """Raise PainnetError naming the fix if the ``live`` extra is not installed."""
    missing = [name for name in _LIVE_PACKAGES if not _importable(name)]
    if missing:
        raise PainnetError(
            f"painnet live needs {', '.join(missing)}: install the live extra, "
            "pip install -e '.[live]'"
        )


def _importable(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def server_command(host: str, port: int, open_browser: bool) -> list[str]:
    """The ``solara run`` command line for the app."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--open" if open_browser else "--no-open",
    ]


def server_environment(config: Path, overrides: Sequence[str]) -> dict[str, str]:
    """The child's environment: ours plus the config, the overrides and no telemetry."""
    env = dict(os.environ)
    env[CONFIG_ENV] = str(config.resolve())
    env[OVERRIDES_ENV] = json.dumps(list(overrides))
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    return env


def serve(config: Path, overrides: Sequence[str], host: str, port: int, open_browser: bool) -> int:
    """Run the Solara server until it exits or this process is interrupted or terminated.

    Args:
        config: path of the (already validated) config.
        overrides: ``path=value`` overrides, as for ``--set``.
        host: address to listen on.
        port: port to listen on (0: any free port).
        open_browser: open the app in the default browser once it serves.

    Returns:
        The server's exit status (0 after Ctrl+C or SIGTERM).
    """
    child = subprocess.Popen(
        server_command(host, port, open_browser), env=server_environment(config, overrides)
    )

    def stop(signum, frame):  # forward SIGTERM/SIGHUP so the server never outlives us
        child.terminate()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        code = child.wait()
    except KeyboardInterrupt:  # Ctrl+C reached the child too (same process group)
        code = _stop(child)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if code in (-signal.SIGTERM, -signal.SIGINT) else code


def _stop(child: subprocess.Popen, grace: float = 10.0) -> int:
    """Terminate the server, killing it if it has not exited after ``grace`` seconds."""
    child.terminate()
    try:
        return child.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        child.kill()
        return child.wait()
