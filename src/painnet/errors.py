"""Errors painnet raises for its users: each says what is wrong, where, and how to fix it.

The command line prints a :class:`PainnetError` as ``error: <message>`` (one line per problem,
no traceback) and exits with status 2; anything else escaping painnet is a bug.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


class PainnetError(Exception):
    """A problem the user can fix (bad input, unwritable folder...), with a one-line message."""


class ConfigError(PainnetError):
    """A config that cannot be read or validated.

    Attributes:
        problems: one line per problem: the dotted key path, what was expected and what was
            given, and the fix, e.g. ``drugs.nmda_block: expected a fraction in [0, 1], got 1.5``.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)

    def __reduce__(self) -> tuple[type[ConfigError], tuple[list[str]]]:
        # keep the problem list intact when a sweep worker sends the error to its parent
        return (type(self), (self.problems,))


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """``"did you mean 'x'?"`` for the closest of ``options`` to a mistyped ``word``, else ``""``."""
    options = list(options)
    by_lower = {o.lower(): o for o in options}
    if word.lower() in by_lower and by_lower[word.lower()] != word:
        return f"did you mean {by_lower[word.lower()]!r}?"  # only the case differs
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""
