"""Animations of a run: the network lighting up beside the wind-up curve, as GIF (and MP4).

Each frame is the live app's two pictures side by side (:class:`~painnet.viz.network_view.
NetworkView` and :class:`~painnet.viz.windup_view.WindupView`, 1920 × 540 px), one frame per
``every`` ms of biology, for one batch member. The GIF is written with Pillow; the MP4 needs an
``ffmpeg`` executable (on PATH, or from the ``imageio-ffmpeg`` package if installed) and is
skipped, with a note, without one.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from painnet.config.schema import ExperimentConfig
from painnet.errors import PainnetError


def find_ffmpeg() -> str | None:
    """Path of an ffmpeg executable: on PATH, else from imageio-ffmpeg; None if neither."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    return imageio_ffmpeg.get_ffmpeg_exe()


def animate(
    config: ExperimentConfig, out_dir: Path, *, every: float = 100.0, fps: int = 10
) -> list[Path]:
    """Simulate ``config`` (one member) and write ``network.gif`` (and ``network.mp4``).

    Args:
        config: the experiment.
        out_dir: folder for the files (created if missing).
        every: biological time between frames (ms); a whole number of model steps.
        fps: frames per second of the animation (10 fps at 100 ms: real time).

    Returns:
        The files written.

    Raises:
        PainnetError: if ``every`` is not a positive multiple of ``run.model_step``.
    """
    from PIL import Image

    from painnet.viz.live_model import LiveModel
    from painnet.viz.network_view import NetworkView
    from painnet.viz.windup_view import WindupView

    steps = every / config.run.model_step
    if steps < 1 or abs(steps - round(steps)) > 1e-9:
        raise PainnetError(
            f"--every: expected a whole multiple of run.model_step ({config.run.model_step:g} ms), "
            f"got {every:g} ms"
        )
    model = LiveModel(config)
    network, windup = NetworkView(model), WindupView(model, model.settings_text)
    frames: list[Image.Image] = []
    while True:
        left = Image.open(io.BytesIO(network.render(model, "png")))
        right = Image.open(io.BytesIO(windup.render(model, "png")))
        frame = Image.new(
            "RGB", (left.width + right.width, max(left.height, right.height)), "white"
        )
        frame.paste(left, (0, 0))
        frame.paste(right, (left.width, 0))
        frames.append(frame)
        if not model.running:
            break
        for _ in range(round(steps)):
            model.step()
            if not model.running:
                break

    out_dir.mkdir(parents=True, exist_ok=True)
    gif = out_dir / "network.gif"
    palette = [f.quantize(colors=128, method=Image.Quantize.FASTOCTREE) for f in frames]
    palette[0].save(
        gif, save_all=True, append_images=palette[1:], duration=round(1000 / fps), loop=0
    )
    written = [gif]
    ffmpeg = find_ffmpeg()
    if ffmpeg is not None:
        mp4 = out_dir / "network.mp4"
        _write_mp4(ffmpeg, frames, fps, mp4)
        written.append(mp4)
    return written


def _write_mp4(ffmpeg: str, frames: list, fps: int, path: Path) -> None:
    """Pipe the frames to ffmpeg as raw RGB and encode H.264 (yuv420p: plays everywhere)."""
    width, height = frames[0].size
    command = [
        ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
        "-s", f"{width}x{height}", "-r", str(fps), "-i", "-",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "23", str(path),
    ]  # fmt: skip
    data = b"".join(frame.tobytes() for frame in frames)
    result = subprocess.run(command, input=data, capture_output=True, check=False)
    if result.returncode != 0:
        raise PainnetError(
            f"ffmpeg failed writing {path}: {result.stderr.decode(errors='replace')}"
        )
