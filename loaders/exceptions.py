"""The project's exceptions, in one module.

Every error a user can cause carries an Indonesian message that names the file,
row or column and says what to do. The CLI maps :class:`InputError` to exit
code 2; the app shows the message as it is.
"""

from __future__ import annotations


class PetaIlpError(Exception):
    """Base class of every error raised by Peta ILP code."""


class InputError(PetaIlpError, ValueError):
    """An input file or argument cannot be used (the user can fix it)."""


class NoDesaError(InputError):
    """There are no desa boundaries to compute on; the caller says how to add them (CLI: which command)."""

    def __init__(self, message: str = "Belum ada batas desa di data.") -> None:
        super().__init__(message)


class StoreError(PetaIlpError):
    """The GeoPackage store cannot be read or written."""


class StoreWriteError(StoreError):
    """A write to the store failed (full disk, read-only or locked file); the store is unchanged."""


class StoreBusyError(StoreWriteError):
    """Another write held the store's lock for longer than a writer may wait."""


class StaleImportError(StoreWriteError):
    """An import was prepared against a data version that is no longer the current one."""


class ImportCrashError(PetaIlpError):
    """Reading an import stopped outside the importer's own checks (memory, time, or a defect)."""


class VersionNotFoundError(StoreError, LookupError):
    """A data version asked for does not exist in the import log."""


class EngineError(PetaIlpError):
    """The coverage engine was asked something it cannot compute."""
