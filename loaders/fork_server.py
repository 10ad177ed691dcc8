"""A small fork server for :mod:`loaders.isolation`: clean children for a many-threaded caller.

Forking a process that runs many threads (the Streamlit server) is unsafe, and
``multiprocessing``'s own fork server and spawn re-run the caller's main
module in every child, which under Streamlit is the app script itself. This
server is a fresh single-threaded Python process (``python -m
loaders.fork_server SOCKET PARENT_PID``) that imports the importers once
(:data:`loaders.isolation.PRELOAD`) and then forks one child per request on a
Unix socket in a private folder (:class:`socketserver.ForkingMixIn` over a Unix stream server).

The wire format, both ways length-prefixed pickles over the connection:

1. the child sends its process id (so the caller can kill it at the time limit);
2. the caller sends ``(func, args, kwargs, memory_bytes)``;
3. the child limits its memory, runs ``func`` and sends the reply of
   :func:`loaders.isolation.child_reply`.

The server exits when its parent process is gone. Only the parent (same user,
socket in a ``0700`` folder) can connect.
"""

from __future__ import annotations

import importlib
import os
import pickle
import socketserver
import struct
import sys
from typing import BinaryIO, Final

_LENGTH: Final = struct.Struct("!Q")
_PID: Final = struct.Struct("!q")
POLL_SECONDS: Final = 1.0


def send_frame(stream: BinaryIO, payload: object) -> None:
    """Write one length-prefixed pickle."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO) -> object:
    """Read one length-prefixed pickle; ``EOFError`` when the other side has gone."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError("connection closed")
    (size,) = _LENGTH.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("connection closed")
    return pickle.loads(data)  # noqa: S301 - only the parent process can connect (private 0700 folder)


def send_pid(stream: BinaryIO) -> None:
    """Write this process's id."""
    stream.write(_PID.pack(os.getpid()))
    stream.flush()


def read_pid(stream: BinaryIO) -> int:
    """Read the child's process id; ``EOFError`` when it did not arrive."""
    data = stream.read(_PID.size)
    if len(data) < _PID.size:
        raise EOFError("no process id")
    return int(_PID.unpack(data)[0])


class _Handler(socketserver.StreamRequestHandler):
    """Runs in the forked child: one request, then the child exits."""

    def handle(self) -> None:
        from loaders import isolation

        send_pid(self.wfile)
        func, args, kwargs, memory_bytes = read_frame(self.rfile)  # type: ignore[misc]
        isolation.limit_memory(memory_bytes)
        reply = isolation.child_reply(func, args, kwargs)
        try:
            send_frame(self.wfile, reply)
        except MemoryError:
            send_frame(self.wfile, isolation.MEMORY_REPLY)


class _ForkingUnixServer(socketserver.ForkingMixIn, socketserver.UnixStreamServer):
    """One forked child per connection (Python 3.12 names this ``ForkingUnixStreamServer``)."""


def main(argv: list[str]) -> int:
    """Serve on ``argv[0]`` (socket path) until the process ``argv[1]`` is gone."""
    socket_path, parent = argv[0], int(argv[1])
    from loaders import isolation

    for module in isolation.PRELOAD:
        importlib.import_module(module)
    with _ForkingUnixServer(socket_path, _Handler) as server:
        server.timeout = POLL_SECONDS
        while os.getppid() == parent:
            server.handle_request()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
