"""Where every report, graph and baseline leaves the process: stdout or a file.

A file is written whole or not at all: the text goes to a temporary file beside the
target, is flushed and fsynced, and only then renamed over it (``os.replace`` is atomic
on POSIX), so a full disk or a cancelled job leaves the old file or none, never an empty
or half-written one (an empty baseline used to make the next ``baseline create`` refuse).

Every write failure, stdout's included (EPIPE, ENOSPC, EBADF), becomes an
:class:`OutputError`: one line and exit 2, never a traceback or the gate's exit 1. A
failed stdout is then pointed at ``/dev/null``, as the Python docs' "Note on SIGPIPE"
does, so that the interpreter's own flush at exit cannot fail a second time.

Reports are str; one that still holds a name that is not UTF-8 (see
:mod:`blastscan.scanner.names`) is written readable rather than not at all.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from blastscan.scanner import names
from blastscan.scanner.errors import OutputError

#: Temporary files being written, for the signal handler to remove (``cli.signals``).
PENDING: set[str] = set()


def write(text: str, output: Path | None) -> None:
    """``text`` to ``output``, or to stdout when it is None."""
    data = names.readable(text).encode("utf-8")
    if output is None:
        write_stdout(data)
    else:
        write_file(output, data)


def write_stdout(data: bytes) -> None:
    stream = sys.stdout
    if stream is None:  # started with stdout closed (``>&-``)
        raise OutputError("cannot write to stdout: it is closed")
    try:
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is None:  # a text-only stream (a test harness's)
            stream.write(data.decode("utf-8"))
        else:
            buffer.write(data)
            buffer.flush()
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        silence_stdout()
        raise OutputError(f"cannot write to stdout: {_reason(exc)}") from exc


def silence_stdout() -> None:
    """Point fd 1 at /dev/null: what is still buffered can then be flushed harmlessly."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def write_file(target: Path, data: bytes) -> None:
    """``data`` to ``target`` atomically: the old file or the whole new one, never less."""
    # Through a symlink to the file it names (replacing the link would cut it), and
    # straight into what is not a regular file: ``-o /dev/stdout`` or a FIFO is a stream,
    # and renaming over ``/dev/null`` would replace the device.
    if target.exists() and not target.is_file():
        _write_stream(target, data)
        return
    real = Path(os.path.realpath(target))
    try:
        fd, temporary = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.",
                                         suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc
    PENDING.add(temporary)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode(real))  # mkstemp's 0600 is not what a report needs
        os.replace(temporary, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc
    finally:
        PENDING.discard(temporary)


def _write_stream(target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_reason(exc)}") from exc


def _mode(target: Path) -> int:
    """The replaced file's permissions, else what ``open(..., "w")`` would have created."""
    with contextlib.suppress(OSError):
        return os.stat(target).st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
