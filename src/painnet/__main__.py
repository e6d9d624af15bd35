"""``python -m painnet``: the painnet command line (same as the ``painnet`` command)."""

from painnet.cli import app

if __name__ == "__main__":
    app(prog_name="painnet")
