"""The report every import returns: what was read, accepted, repaired, rejected and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import pandas as pd

DITOLAK: Final = "ditolak"  # row not imported
DIPERBAIKI: Final = "diperbaiki"  # row imported after an automatic repair
PERINGATAN: Final = "peringatan"  # row imported as is, but worth a look


@dataclass(frozen=True)
class RowIssue:
    """One finding about one row (or the whole file when ``baris`` is None).

    ``baris`` is the row number as the user sees it in a spreadsheet (the header
    is row 1). ``jenis`` is a short machine code (e.g. ``koordinat_ditukar``),
    ``alasan`` the Indonesian sentence shown to the user.
    """

    tindakan: str  # ditolak | diperbaiki | peringatan
    jenis: str
    alasan: str
    baris: int | None = None
    kolom: str | None = None
    subjek: str | None = None  # facility code, kode_desa, ...
    lembar: str | None = None  # sheet of a workbook, when the file has several


@dataclass(frozen=True)
class ImportReport:
    """Outcome of one import, before or after it is committed."""

    jenis_impor: str  # batas | fasilitas | laporan | wilayah_kerja
    berkas: str
    sha256: str
    baris_dibaca: int
    diterima: int
    masalah: tuple[RowIssue, ...] = field(default_factory=tuple)
    catatan: tuple[str, ...] = field(default_factory=tuple)  # file-level notes
    versi: int | None = None  # set once committed

    @property
    def diperbaiki(self) -> int:
        """Rows imported after an automatic repair."""
        return len({(i.lembar, i.baris) for i in self.masalah if i.tindakan == DIPERBAIKI})

    @property
    def ditolak(self) -> int:
        """Rows not imported."""
        return sum(1 for i in self.masalah if i.tindakan == DITOLAK)

    def to_frame(self) -> pd.DataFrame:
        """The issues as a table with Indonesian column names."""
        return pd.DataFrame(
            [
                {
                    "Baris": i.baris,
                    "Kolom": i.kolom,
                    "Tindakan": i.tindakan,
                    "Jenis": i.jenis,
                    "Subjek": i.subjek,
                    "Alasan": i.alasan,
                }
                for i in self.masalah
            ],
            columns=["Baris", "Kolom", "Tindakan", "Jenis", "Subjek", "Alasan"],
        )

    def to_text(self) -> str:
        """A plain Indonesian summary, as the CLI prints it."""
        lines = [
            f"Impor {self.jenis_impor} dari {self.berkas}",
            f"  baris dibaca: {self.baris_dibaca}, diterima: {self.diterima}, "
            f"diperbaiki: {self.diperbaiki}, ditolak: {self.ditolak}",
        ]
        if self.versi is not None:
            lines.append(f"  tersimpan sebagai versi data {self.versi}")
        lines += [f"  catatan: {note}" for note in self.catatan]
        for issue in self.masalah:
            where = f"baris {issue.baris}" if issue.baris is not None else "berkas"
            if issue.kolom:
                where += f", kolom '{issue.kolom}'"
            lines.append(f"  [{issue.tindakan}] {where}: {issue.alasan}")
        return "\n".join(lines)
