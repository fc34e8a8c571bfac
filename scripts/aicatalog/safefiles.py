"""Reading files that strangers control, without following links or reading too much.

An entry file (or activity.json) in a pull request may be a symbolic link (to a
file outside the catalog, to /dev/zero, to a FIFO that blocks forever) or far
too large. `read_bounded` refuses links and anything but a regular file before
reading a byte, checks the size from the open descriptor (so a file swapped in
between a check and the read cannot slip through), and never reads more than
the limit plus one byte.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .diagnostics import Diagnostic


class UnsafeFile(Exception):
    """The file was refused before (or while) reading; the message is safe to show."""

    def __init__(self, message: str, hint: str = "commit the entry as a plain file") -> None:
        super().__init__(message)
        self.hint = hint


_SIZE_HINT = "an entry needs a few hundred bytes"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises UnsafeFile for a symbolic link, a device, FIFO, socket or folder, or a
    file over `limit` bytes; FileNotFoundError when there is none; OSError otherwise.
    """
    if path.is_symlink():
        raise UnsafeFile("is a symbolic link; entries must be plain files")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile("is a symbolic link; entries must be plain files") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile("is not a regular file")
        if info.st_size > limit:
            raise UnsafeFile(f"file is {info.st_size} bytes; the limit is {limit}", _SIZE_HINT)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while we read
            raise UnsafeFile(f"file is over {limit} bytes, the limit", _SIZE_HINT)
        return b"".join(chunks)
    finally:
        os.close(fd)


def hidden_file(rel: str) -> Diagnostic:
    """A warning for a dot file among the entries (shown as `rel`): it is not read, and says so."""
    return Diagnostic(
        rel,
        1,
        1,
        "warning",
        "",
        "a file whose name starts with a dot is not read as an entry",
        "rename it to <id>.yml, or remove it",
    )
