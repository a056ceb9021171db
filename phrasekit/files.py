"""Writing files without ever losing what the user had."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import Location, PhrasekitError


def write_atomic(path: Path | str, text: str, force: bool = False) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    An existing file is kept unless ``force``; a reader never sees a half-written file.
    """
    path = Path(path)
    if path.exists() and not force:
        raise PhrasekitError("file exists; not overwriting it", Location(str(path)), hint="Pass --force to replace it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return path
