"""Write a file atomically: a temporary file beside the target, then one rename.

A reader never sees half a file, and a full disk or a denied permission leaves the old file (if
any) as it was. This is the only place core writes files this way (renders, pool images and
thumbnails, exports, caches).
"""
from __future__ import annotations

import errno
import os
import threading
from pathlib import Path


class AtomicWriteError(OSError):
    """A file could not be written; `str()` is a sentence a person can act on."""

    def __init__(self, path: Path, reason: str, errno_: int | None = None):
        super().__init__(errno_ or 0, f"Cannot write {path}: {reason}")
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"Cannot write {self.path}: {self.reason}"


def explain_os_error(e: OSError) -> str:
    """What went wrong writing a file, said so a person knows what to do."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full. Free some space and try again; nothing was overwritten."
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied. Choose a folder you can write to."
    if e.errno == errno.EROFS:
        return "the disk is read-only. Choose another folder."
    if e.errno == errno.ENOENT:
        return "the folder does not exist."
    if e.errno == errno.EISDIR:
        return "a folder has that name."
    if e.errno in (errno.ENOTDIR, errno.EEXIST):
        return "a file stands where a folder is needed. Choose another place."
    return f"{e.strerror or e}."


def temp_path_for(path: Path) -> Path:
    """The temporary file `write_atomic` writes first (hidden, beside the target)."""
    # pid and thread in the name: two writers of the same content never share a temporary file
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def write_atomic(path: Path | str, data: bytes, *, durable: bool = False, make_parents: bool = True) -> Path:
    """Write `data` to `path` via a temporary file and a rename; AtomicWriteError leaves `path` as it was.

    `durable` fsyncs before the rename (exports a user keeps); caches skip it for speed.
    """
    path = Path(path)
    if path.is_dir():
        raise AtomicWriteError(path, explain_os_error(OSError(errno.EISDIR, "is a directory")), errno.EISDIR)
    tmp = temp_path_for(path)
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())  # a full disk can first show up here, not in write()
        os.replace(tmp, path)
    except OSError as e:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the folder itself is unwritable: there is no temporary file to clean up
        raise AtomicWriteError(path, explain_os_error(e), e.errno) from e
    return path
