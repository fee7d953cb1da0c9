r"""Reading a model file's text safely, before any of it is interpreted.

Only regular files are read (a FIFO, a device such as ``/dev/zero``, a directory or a socket
is refused before a byte is read), and at most :data:`MAX_FILE_BYTES` of them; the text must
be UTF-8 (an invalid byte is reported with its line and column).  TOML is parsed with the
standard library's :mod:`tomllib`, whose own failures (``RecursionError`` on deeply nested
arrays, ``ValueError`` on integers beyond Python's digit limit) become
:class:`~blendsym.errors.ModelFileError` pointing at the place in the text.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from pathlib import Path

from ..errors import ModelFileError
from .expressions import MAX_LITERAL_DIGITS

__all__ = ["MAX_FILE_BYTES"]

#: Largest model file (bytes; characters for :func:`loads_model`): at most this much is read
#: (tomllib alone needs about 3 s for a megabyte of numbers).
MAX_FILE_BYTES = 1024 * 1024


def _size(nbytes: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if nbytes < 1024:
            return f"{nbytes:.0f} {unit}" if unit == "bytes" else f"{nbytes:.3g} {unit}"
        nbytes /= 1024
    return f"{nbytes:.3g} PiB"


def _read_text(p: Path) -> str:
    where = f"model file {str(p)!r}"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ModelFileError(f"{where} cannot be read: {reason}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = (
                "a directory"
                if stat.S_ISDIR(st.st_mode)
                else "a FIFO"
                if stat.S_ISFIFO(st.st_mode)
                else "a character device"
                if stat.S_ISCHR(st.st_mode)
                else "a block device"
                if stat.S_ISBLK(st.st_mode)
                else "a socket"
                if stat.S_ISSOCK(st.st_mode)
                else "not a regular file"
            )
            raise ModelFileError(f"{where} is not a regular file: it is {kind}")
        if st.st_size > MAX_FILE_BYTES:
            raise ModelFileError(
                f"{where} is too large: {_size(st.st_size)} (at most {_size(MAX_FILE_BYTES)})"
            )
        chunks = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise ModelFileError(f"{where} cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        raise ModelFileError(f"{where} is too large: more than {_size(MAX_FILE_BYTES)}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ModelFileError(
            f"{where} is not UTF-8 text: invalid byte 0x{data[exc.start]:02x} at line {line}, "
            f"column {col}"
        ) from None


def _position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - (text.rfind(chr(10), 0, index) + 1) + 1}"


def _deep_nesting_at(text: str, limit: int = 100) -> int | None:
    """Index where arrays/inline tables first nest deeper than ``limit`` (strings and
    comments skipped; used only to point at the place tomllib could not parse)."""
    depth = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            triple = text.startswith(c * 3, i)
            end = text.find(c * 3 if triple else c, i + (3 if triple else 1))
            while c == '"' and end > 0 and text[end - 1] == "\\" and not triple:
                end = text.find(c, end + 1)
            i = n if end < 0 else end + (3 if triple else 1)
            continue
        if c == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if c in "[{":
            depth += 1
            if depth > limit:
                return i
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def _parse_toml(text: str, source: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        at = _deep_nesting_at(text)
        where = f" at {_position(text, at)}" if at is not None else ""
        raise ModelFileError(
            f"{source}: not valid TOML here: arrays or inline tables nested too deeply{where}"
        ) from None
    except ValueError as exc:  # an integer beyond Python's int-from-string limit
        limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
        m = re.search(rf"[0-9][0-9_]{{{limit},}}", text)
        if m is None:
            raise ModelFileError(f"{source}: not valid TOML: {exc}") from None
        raise ModelFileError(
            f"{source}: not valid TOML here: the number at {_position(text, m.start())} has "
            f"more than {limit} digits (numbers in model files have at most "
            f"{MAX_LITERAL_DIGITS} digits)"
        ) from None
