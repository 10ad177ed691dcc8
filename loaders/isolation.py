"""Run one import's reading and validation in a child process with memory and time limits.

The readers bound what they read (:mod:`loaders.limits`), but a parser can
still meet a file nobody foresaw. On a server shared by the whole dinas that
must cost one refused upload, never the server: :func:`run_limited` runs the
function in a child process whose address space may grow by at most
``memory_bytes`` beyond what it started with (``resource.RLIMIT_AS``) and
which is killed after ``seconds``. The child sends back the function's
result, or the project's own exception; a child that ran out of memory,
time, or died is reported as :class:`~loaders.exceptions.ImportCrashError`
with an Indonesian message.

The child is forked directly when the caller is single-threaded (the CLI:
cheap, and its memory counts as the CLI's child), and from a clean fork
server otherwise (the Streamlit server runs many threads, and forking a
threaded process is unsafe).

Examples
--------
>>> from loaders.isolation import run_limited
>>> run_limited(sum, [1, 2, 3])
6
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import resource
import threading
import traceback
from collections.abc import Callable
from typing import Any, Final, TypeVar

from loaders.exceptions import ImportCrashError, PetaIlpError
from loaders.limits import GIGABYTE, MAX_IMPORT_MEMORY_BYTES, MAX_IMPORT_SECONDS

T = TypeVar("T")

# Modules the fork server imports once, so that each child starts ready to read any kind of file.
PRELOAD: Final = (
    "loaders.importing",
    "loaders.boundaries",
    "loaders.facilities",
    "loaders.reports",
    "loaders.working_areas",
)
_OK: Final = "ok"
_ERROR: Final = "error"
_MEMORY: Final = "memory"
_DEFECT: Final = "defect"
_forkserver_lock = threading.Lock()
_forkserver_ready = False


def run_limited(
    func: Callable[..., T],
    /,
    *args: Any,
    memory_bytes: int = MAX_IMPORT_MEMORY_BYTES,
    seconds: float = MAX_IMPORT_SECONDS,
    what: str = "berkas",
    **kwargs: Any,
) -> T:
    """Return ``func(*args, **kwargs)`` computed in a child process with limits.

    Parameters
    ----------
    func
        A module-level function (it is sent to the child by reference); its
        arguments and result must pickle.
    *args, **kwargs
        Its arguments.
    memory_bytes
        How much the child's address space may grow.
    seconds
        Wall-time limit of the child.
    what
        The thing being read, for messages (e.g. the file name).

    Returns
    -------
    object
        What ``func`` returned.

    Raises
    ------
    PetaIlpError
        Whatever project exception ``func`` raised, unchanged.
    ImportCrashError
        The child ran out of memory or time, or stopped with a defect.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main,
        args=(sender, memory_bytes, func, args, kwargs),
        name="ilp-impor",
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            msg = (
                f"Pemeriksaan {what} dihentikan setelah {seconds:.0f} detik (batas waktu impor). Berkas itu terlalu "
                "besar atau rumit untuk diperiksa; pecah menjadi beberapa berkas yang lebih kecil lalu impor satu per "
                "satu. Penyimpanan tidak berubah."
            )
            raise ImportCrashError(msg)
        try:
            status, payload = receiver.recv()
        except EOFError:
            status, payload = _MEMORY, None  # killed by the kernel before it could say anything
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == _OK:
        return payload  # type: ignore[no-any-return]
    if status == _ERROR:
        raise payload
    if status == _MEMORY:
        size = f"{memory_bytes / GIGABYTE:.1f}".replace(".", ",").removesuffix(",0")
        msg = (
            f"Pemeriksaan {what} dihentikan karena memerlukan lebih dari {size} GB memori (batas memori impor). "
            "Berkas itu terlalu besar atau dibuat untuk menghabiskan memori; pecah menjadi beberapa berkas yang "
            "lebih kecil atau periksa isinya. Penyimpanan tidak berubah."
        )
        raise ImportCrashError(msg)
    msg = (
        f"Pemeriksaan {what} berhenti karena galat internal ({payload}). Penyimpanan tidak berubah. Laporkan ke "
        "pengelola aplikasi dan sertakan berkasnya."
    )
    raise ImportCrashError(msg)


def _context() -> multiprocessing.context.BaseContext:
    """Fork when single-threaded; otherwise a fork server started once with :data:`PRELOAD`."""
    global _forkserver_ready
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    with _forkserver_lock:
        if not _forkserver_ready:
            context.set_forkserver_preload(list(PRELOAD))
            _forkserver_ready = True
    return context


def _child_main(
    sender: multiprocessing.connection.Connection,
    memory_bytes: int,
    func: Callable[..., object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> None:
    """Body of the child: limit memory, run ``func``, send back what happened."""
    _limit_memory(memory_bytes)
    try:
        reply: tuple[str, object] = (_OK, func(*args, **kwargs))
    except PetaIlpError as exc:
        reply = (_ERROR, exc)
    except MemoryError:
        reply = (_MEMORY, None)
    except Exception as exc:  # noqa: BLE001 - a defect: reported to the parent with its type, never hidden
        reply = (_DEFECT, "".join(traceback.format_exception_only(exc)).strip())
    try:
        sender.send(reply)
    except MemoryError:
        sender.send((_MEMORY, None))
    finally:
        sender.close()


def _limit_memory(memory_bytes: int) -> None:
    """Let the address space grow by ``memory_bytes`` beyond its size now."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[0])
    ceiling = pages * os.sysconf("SC_PAGE_SIZE") + memory_bytes
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
