"""Where the Data page keeps uploaded files, and how they are cleaned up.

Every browser session gets one private folder ``<tmp>/ilp_impor_<pid>_<random>``
(``<pid>``: the server process), made on its first upload and kept in
``st.session_state`` as an :class:`UploadFolder`; each upload is saved in a
subfolder of it (:func:`new_upload_folder`). Nothing is left behind:

* **session end**: Streamlit drops a session's state when the session ends
  (a closed tab, after its reconnect grace period; a logout). The
  :class:`UploadFolder` is then garbage-collected, and its finalizer deletes
  the folder. The same finalizer runs when the server exits normally.
* **server start**: a server that was killed (or lost power) cannot run
  finalizers. The first page run of every server process calls
  :func:`sweep_once`, which deletes the ``ilp_impor_<pid>_*`` folders whose
  process is gone, and the folders of versions before the pid was in the name.
  A folder of a live process (another server on this machine) is kept.

Only public Streamlit API is used (session state); nothing here depends on
Streamlit's runtime internals.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Final

import streamlit as st

PREFIX: Final = "ilp_impor_"
K_FOLDER: Final = "ilp_imp_folder"  # the session's UploadFolder
_NAME_RE: Final = re.compile(rf"^{PREFIX}(?:(?P<pid>[0-9]+)_)?[A-Za-z0-9_]+$")


def folder_prefix(pid: int | None = None) -> str:
    """``ilp_impor_<pid>_``: the name start of the upload folders of process ``pid`` (default: this one)."""
    return f"{PREFIX}{os.getpid() if pid is None else pid}_"


class UploadFolder:
    """A private temporary folder, deleted when this object is garbage-collected, on :meth:`cleanup`, or at exit."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=folder_prefix(), dir=root))
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.path), ignore_errors=True)

    @property
    def alive(self) -> bool:
        """True while the folder exists and has not been cleaned up."""
        return self._finalizer.alive and self.path.is_dir()

    def cleanup(self) -> None:
        """Delete the folder now (once)."""
        self._finalizer()


def session_folder() -> Path:
    """Return this session's upload folder (made on first use, or again if something deleted it)."""
    holder = st.session_state.get(K_FOLDER)
    if not isinstance(holder, UploadFolder) or not holder.alive:
        if isinstance(holder, UploadFolder):
            holder.cleanup()
        holder = UploadFolder()
        st.session_state[K_FOLDER] = holder
    return holder.path


def new_upload_folder() -> Path:
    """Make a fresh, empty folder for one upload inside this session's upload folder."""
    return Path(tempfile.mkdtemp(dir=session_folder()))


# -- after a crash: the folders of processes that are gone ---------------------------------------------
def owner_pid(name: str) -> int | None:
    """Return the server process id in an upload folder's name (None for older names without one)."""
    match = _NAME_RE.match(name)
    return int(match["pid"]) if match and match["pid"] else None


def pid_alive(pid: int) -> bool:
    """Tell whether process ``pid`` exists (also when it belongs to another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_orphans(root: str | os.PathLike[str] | None = None) -> list[Path]:
    """Delete upload folders in ``root`` (default: the temporary folder) whose server process is gone.

    A folder named ``ilp_impor_<pid>_...`` goes when ``<pid>`` is not running
    (and never when it is this process); a folder named ``ilp_impor_<random>``
    (before the pid was in the name) always goes. Anything else, symlinks and
    files included, is left alone. Returns the folders deleted.
    """
    base = Path(root) if root is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(PREFIX) or _NAME_RE.match(entry.name) is None:
            continue
        if entry.is_symlink() or not entry.is_dir():
            continue
        pid = owner_pid(entry.name)
        if pid is not None and (pid == os.getpid() or pid_alive(pid)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry)
    return removed


@functools.cache
def sweep_once() -> int:
    """:func:`sweep_orphans` once per server process (the first page run); returns how many went."""
    return len(sweep_orphans())
