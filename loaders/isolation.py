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

Where the child comes from:

- a single-threaded caller (the CLI) is forked directly: cheap, and the
  child's memory counts as the caller's child;
- a many-threaded caller (the Streamlit server) must not fork itself, so the
  child comes from :mod:`loaders.fork_server`, a clean process started once
  that has the importers loaded already.

Examples
--------
>>> from loaders.isolation import run_limited
>>> run_limited(sum, [1, 2, 3])
6
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

from loaders import fork_server
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
SERVER_START_SECONDS: Final = 60.0
_OK: Final = "ok"
_ERROR: Final = "error"
_MEMORY: Final = "memory"
_DEFECT: Final = "defect"
MEMORY_REPLY: Final = (_MEMORY, None)
Reply = tuple[str, Any]


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
    if _single_threaded():
        status, payload = _run_forked(func, args, kwargs, memory_bytes=memory_bytes, seconds=seconds)
    else:
        status, payload = _SERVER.run(func, args, kwargs, memory_bytes=memory_bytes, seconds=seconds)
    if status == _OK:
        return payload  # type: ignore[no-any-return]
    if status == _ERROR:
        raise payload
    if status == "timeout":
        msg = (
            f"Pemeriksaan {what} dihentikan setelah {seconds:.0f} detik (batas waktu impor). Berkas itu terlalu "
            "besar atau rumit untuk diperiksa; pecah menjadi beberapa berkas yang lebih kecil lalu impor satu per "
            "satu. Penyimpanan tidak berubah."
        )
        raise ImportCrashError(msg)
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


def _single_threaded() -> bool:
    """True when this process runs no other thread, so forking it is safe."""
    return threading.active_count() == 1


# -- the child -----------------------------------------------------------------------------------
def child_reply(func: Callable[..., object], args: tuple[object, ...], kwargs: dict[str, object]) -> Reply:
    """Run ``func`` in the child and say what happened, as a picklable reply."""
    try:
        return (_OK, func(*args, **kwargs))
    except PetaIlpError as exc:
        return (_ERROR, exc)
    except MemoryError:
        return MEMORY_REPLY
    except Exception as exc:  # noqa: BLE001 - a defect: reported to the parent with its type, never hidden
        return (_DEFECT, "".join(traceback.format_exception_only(exc)).strip())


def limit_memory(memory_bytes: int) -> None:
    """Let this process's address space grow by ``memory_bytes`` beyond its size now."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[0])
    ceiling = pages * os.sysconf("SC_PAGE_SIZE") + memory_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


# -- a single-threaded caller: fork directly -------------------------------------------------------------
def _run_forked(
    func: Callable[..., object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
    *,
    memory_bytes: int,
    seconds: float,
) -> Reply:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_forked_main, args=(sender, memory_bytes, func, args, kwargs), name="ilp-impor", daemon=True
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            return ("timeout", None)
        try:
            return receiver.recv()  # type: ignore[no-any-return]
        except EOFError:
            return MEMORY_REPLY  # killed by the kernel before it could say anything
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()


def _forked_main(
    sender: multiprocessing.connection.Connection,
    memory_bytes: int,
    func: Callable[..., object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> None:
    limit_memory(memory_bytes)
    reply = child_reply(func, args, kwargs)
    try:
        sender.send(reply)
    except MemoryError:
        sender.send(MEMORY_REPLY)
    finally:
        sender.close()


# -- a many-threaded caller: children from the fork server ------------------------------------------------
class _ForkServerClient:
    """Starts :mod:`loaders.fork_server` on first use and asks it for one child per call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: Path | None = None

    def run(
        self,
        func: Callable[..., object],
        args: tuple[object, ...],
        kwargs: dict[str, object],
        *,
        memory_bytes: int,
        seconds: float,
    ) -> Reply:
        path = self._socket_path()
        deadline = time.monotonic() + seconds
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(str(path))
            stream = connection.makefile("rwb")
            try:
                pid = fork_server.read_pid(stream)
                fork_server.send_frame(stream, (func, args, kwargs, memory_bytes))
                connection.settimeout(max(0.0, deadline - time.monotonic()))
                return fork_server.read_frame(stream)  # type: ignore[return-value]
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                return ("timeout", None)
            except EOFError:
                return MEMORY_REPLY  # the child died before it could answer
            finally:
                with contextlib.suppress(OSError):
                    stream.close()

    def _socket_path(self) -> Path:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            assert self._folder is not None
            return self._folder / "s"

    def _start(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="ilp_fork_"))
        path = self._folder / "s"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen(  # noqa: S603 - our own module with the running interpreter
            [sys.executable, "-m", "loaders.fork_server", str(path), str(os.getpid())],
            env=env,
            stdin=subprocess.DEVNULL,
        )
        atexit.register(self._stop, self._process, self._folder)
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not path.exists():
            if self._process.poll() is not None or time.monotonic() > deadline:
                msg = "Proses pemeriksa impor tidak dapat dimulai. Muat ulang halaman lalu coba lagi."
                raise ImportCrashError(msg)
            time.sleep(0.05)

    @staticmethod
    def _stop(process: subprocess.Popen[bytes], folder: Path) -> None:
        process.kill()
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


_SERVER: Final = _ForkServerClient()
