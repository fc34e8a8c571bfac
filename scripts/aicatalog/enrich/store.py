"""Saving activity.json so that no run, however it ends, leaves a half-written file.

The text goes to a temporary file in the same folder, is flushed to disk, then
atomically renamed over the old file: a reader (or the next run) sees either
the old file or the new one, never a mix. Saves during a run are checkpoints,
so a killed run keeps what it had collected up to its last checkpoint.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..activity import Activity, dump_activity
from ..atomicfile import write_atomic


class Checkpoints:
    """The records of a run, saved at most every `interval` seconds and once at the end."""

    def __init__(
        self,
        path: Path,
        records: dict[str, Activity],
        saved_text: str | None,
        interval: float = 10.0,
        dirty: bool = False,
    ) -> None:
        self.path = path
        self.records = records
        self.interval = interval
        #: What the file holds now, so a run that changes nothing writes nothing.
        self._saved_text = saved_text
        #: True once `records` may differ from the file (set by `changed`).
        self._dirty = dirty
        self.writes = 0
        self._last = float("-inf")

    def changed(self) -> None:
        """Call after updating `records`; saves when the last save is old enough."""
        self._dirty = True
        if time.monotonic() - self._last >= self.interval:
            self.save()

    def save(self) -> bool:
        """Write the records now unless the file already holds exactly them; True if it wrote."""
        self._last = time.monotonic()
        if not self._dirty:
            return False
        if self._saved_text is None and not self.records:
            return False  # nothing collected and no file yet: leave no empty file behind
        text = dump_activity(self.records)
        if text == self._saved_text:
            return False
        write_atomic(self.path, text)
        self._saved_text = text
        self.writes += 1
        return True
