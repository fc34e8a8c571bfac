"""The exit status of every `aicatalog` command, the same everywhere.

0 clean, 1 problems found (including an invalid catalog, whichever command read it),
2 bad usage (click's own convention; also a missing token or an unreachable API,
when nothing could be done). 3 is kept for an internal error.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    CLEAN = 0
    PROBLEMS = 1
    USAGE = 2
    #: Reserved: a bug (an unexpected exception), never a problem in the input.
    INTERNAL = 3


def exit_status(clean: str, problems: str, usage: str = "bad usage") -> str:
    """The 'Exit status:' sentence every command's --help ends with."""
    return (
        f"Exit status: {ExitCode.CLEAN:d} {clean}; {ExitCode.PROBLEMS:d} {problems}; "
        f"{ExitCode.USAGE:d} {usage}."
    )
