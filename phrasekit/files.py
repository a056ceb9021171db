"""Writing files without ever losing what the user had: the one way phrasekit writes a file."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from .errors import Location, PhrasekitError

_KINDS = (
    ("S_ISLNK", "a symbolic link"),
    ("S_ISDIR", "a folder"),
    ("S_ISFIFO", "a named pipe"),
    ("S_ISCHR", "a device"),
    ("S_ISBLK", "a device"),
    ("S_ISSOCK", "a socket"),
)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sweep(folder: Path, prefix: str, suffix: str) -> None:
    """Remove temporary files a killed write left beside its target: their names carry the
    writer's process id, and that process is gone. (POSIX only: elsewhere a signal 0 is not a
    harmless probe.)"""
    if os.name != "posix":
        return
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        writer = name[len(prefix) :].split(".", 1)[0]
        if not writer.isdigit() or int(writer) == os.getpid():
            continue
        try:
            os.kill(int(writer), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
        except OSError:  # alive, someone else's
            pass


def _existing_mode(path: Path) -> int | None:
    """The permission bits of the regular file at ``path``, ``None`` when nothing is there;
    anything else (a link, a folder, a pipe, a device) is refused, since replacing it would
    swap a thing the user set up for a plain file."""
    import stat

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    what = next((name for test, name in _KINDS if getattr(stat, test)(info.st_mode)), "not a regular file")
    raise PhrasekitError(f"{what} is in the way; not replacing it", Location(str(path)),
                         hint="Choose another file name, or move it aside first.")  # fmt: skip


def write_atomic(
    path: Path | str,
    content: str | bytes | None = None,
    *,
    force: bool = False,
    write: Callable[[Path], None] | None = None,
    prefix: str | None = None,
    suffix: str = ".tmp",
) -> Path:
    """Write ``content`` (text as UTF-8, or bytes) to ``path``, or let ``write(temp)`` fill the
    temporary file (an SQLite database, a numpy array), then move it into place with
    ``os.replace``: a reader never sees a half-written file.

    An existing file is kept unless ``force``; anything at ``path`` that is not a regular file
    is never replaced. A replaced file keeps its permission mode; a new one gets the usual
    ``0o666`` less the umask (``mkstemp``'s private ``0o600`` is not kept). The temporary file
    sits beside ``path`` (``prefix`` + process id + random + ``suffix``) and is removed on any
    failure; one left by a write that was killed is removed by the next write beside it. A file
    with other hard links is written in place once the new content is whole, so every link keeps
    it (that last copy is the one step that is not atomic)."""
    import tempfile

    path = Path(path)
    mode = _existing_mode(path)
    linked = mode is not None and os.stat(path).st_nlink > 1
    if mode is not None and not force:
        raise PhrasekitError("file exists; not overwriting it", Location(str(path)), hint="Pass --force to replace it.")
    if mode is None:
        mode = 0o666 & ~_umask()
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}." if prefix is None else prefix
    _sweep(path.parent, prefix, suffix)
    handle, name = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}.", suffix=suffix, dir=path.parent)
    temp = Path(name)
    try:
        if write is None:
            data = content.encode("utf-8") if isinstance(content, str) else bytes(content or b"")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        else:
            os.close(handle)
            write(temp)
        if linked:
            import shutil

            shutil.copyfile(temp, path)  # the same file, so its other names see the new content
            with open(path, "rb+") as stream:
                os.fsync(stream.fileno())
            os.unlink(temp)
        else:
            os.chmod(temp, mode)
            os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return path
