"""Writing files without ever losing what the user had (the one way phrasekit writes a file), and
reading a user's file without waiting forever or reading without end (the one way it reads one)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import Location, PhrasekitError, YamlFileError

if TYPE_CHECKING:
    from pathlib import Path

INPUT_LIMIT = 256 * 1024
"""The most phrasekit reads of a draft, a situation on standard input, a case file or the config
file. A long email is about 20 KB, so no real one comes near it, while a log, an archive or a
disk image given by mistake is refused at once instead of read for minutes (``check`` takes about
8 s on 256 KiB of text full of findings on a 2-core machine, 43 s on 1 MiB). Pack files have no
limit: a pack of a million phrases is one file of some hundred megabytes."""

_KINDS = (
    ("S_ISLNK", "a symbolic link"),
    ("S_ISDIR", "a folder"),
    ("S_ISFIFO", "a named pipe"),
    ("S_ISCHR", "a device"),
    ("S_ISBLK", "a device"),
    ("S_ISSOCK", "a socket"),
)


def shown(path: str | os.PathLike) -> str:
    """A path as it can be printed: bytes that are not UTF-8 written as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    import stat

    return next((name for test, name in _KINDS if getattr(stat, test)(mode)), "not a regular file")


def read_user_file(path: Path | str, what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of the user's file at ``path`` (a link is followed), or ``PhrasekitError``
    naming it: what cannot be opened, what is not a regular file (a named pipe waits for a
    writer that may never come, a device such as ``/dev/zero`` never ends) and, with ``limit``,
    a file larger than ``limit`` bytes."""
    import stat

    where = Location(shown(path))
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise PhrasekitError(f"cannot read {what}: it is {_kind(info.st_mode)}, not a file", where,
                                 hint="Give the name of a regular file.")  # fmt: skip
        if limit is not None and info.st_size > limit:
            raise _too_large(what, where, limit)
        with open(path, "rb") as stream:
            data = stream.read(-1 if limit is None else limit + 1)
    except OSError as exc:
        raise PhrasekitError(f"cannot read {what}: {exc.strerror or exc}", where) from None
    if limit is not None and len(data) > limit:  # it grew while being read
        raise _too_large(what, where, limit)
    return data


def _too_large(what: str, where: Location | None, limit: int) -> PhrasekitError:
    return PhrasekitError(f"{what} is larger than {limit // 1024} KiB, more than phrasekit reads", where,
                          hint="Give only the text itself (a reply, a case, a message), not a log.")  # fmt: skip


def decode_utf8(raw: bytes, display: str) -> str:
    """Decode UTF-8 (a BOM is allowed) or raise ``YamlFileError`` with the line and column of the
    first bad byte."""
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        before = raw[bom:start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlFileError(
            f"not valid UTF-8 (byte 0x{raw[start]:02x}); save the file as UTF-8",
            Location(display, line, column),
        ) from None


def read_input(source: str, what: str, limit: int = INPUT_LIMIT) -> tuple[str, str]:
    """A draft or a situation as text, and the name to report it under: ``-`` reads standard
    input (as bytes, whatever the locale). It must be UTF-8 text of at most ``limit`` bytes,
    with no NUL byte (a binary file piped in by mistake); otherwise ``PhrasekitError`` says
    where."""
    import sys

    if source == "-":
        name, display = "-", "standard input"
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode("utf-8", "replace")
        if len(raw) > limit:
            raise _too_large(what, Location(display), limit)
    else:
        name = display = source
        raw = read_user_file(source, what, limit)
    try:
        text = decode_utf8(raw, display)
    except YamlFileError as exc:  # "not valid UTF-8 (byte 0xff); save the file as UTF-8"
        message = exc.message if source != "-" else exc.message.replace("save the file as UTF-8", "send UTF-8 text")
        raise PhrasekitError(f"{what} is {message}", exc.location) from None
    if "\x00" in text:
        before = text[: text.index("\x00")]
        where = Location(display, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        raise PhrasekitError(f"{what} holds a NUL byte: it is not text", where,
                             hint="Give the text itself (a reply or a message), not a binary file.")  # fmt: skip
    return text, name


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
    what = _kind(info.st_mode)
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
    make_folder: bool = True,
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
    it (that last copy is the one step that is not atomic). With ``make_folder`` false, a folder
    that does not exist is an error rather than made (a typo in a user's path)."""
    import tempfile
    from pathlib import Path

    path = Path(path)
    mode = _existing_mode(path)
    linked = mode is not None and os.stat(path).st_nlink > 1
    if mode is not None and not force:
        raise PhrasekitError("file exists; not overwriting it", Location(str(path)), hint="Pass --force to replace it.")
    if mode is None:
        mode = 0o666 & ~_umask()
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise PhrasekitError("the folder to write into does not exist", Location(str(path.parent)),
                             hint="Check the path, or make the folder first.")  # fmt: skip
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
