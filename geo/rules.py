"""The rules of the coverage engine, declared once with their help text.

The defaults follow ILP and RPJMN 2020-2024: a posyandu is *aktif* when it held
activities in at least 10 of the 12 months ending at the chosen month. Every
number stays configurable (CLI flags, the Data page).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Final


@dataclass(frozen=True)
class RuleHelp:
    """Label and help text of one rule, Indonesian first."""

    label_id: str
    label_en: str
    help_id: str
    help_en: str


@dataclass(frozen=True)
class Rules:
    """Settings of the coverage engine (immutable; use :meth:`replace`)."""

    posyandu_min_bulan: int = 10
    posyandu_jendela_bulan: int = 12
    puskesmas_sebagai_pustu: bool = False
    jarak_maks_pustu_km: float = 5.0
    laporan_berhenti_bulan: int = 3
    duplikat_radius_m: float = 50.0

    def __post_init__(self) -> None:
        from loaders.exceptions import InputError

        if not 1 <= self.posyandu_jendela_bulan <= 36:
            msg = f"Jendela posyandu aktif harus 1 sampai 36 bulan, bukan {self.posyandu_jendela_bulan}."
            raise InputError(msg)
        if not 0 <= self.posyandu_min_bulan <= self.posyandu_jendela_bulan:
            msg = (
                f"Minimal bulan buka posyandu ({self.posyandu_min_bulan}) harus antara 0 dan "
                f"panjang jendela ({self.posyandu_jendela_bulan})."
            )
            raise InputError(msg)
        if self.jarak_maks_pustu_km <= 0:
            msg = f"Jarak maksimum ke pustu harus lebih dari 0 km, bukan {self.jarak_maks_pustu_km}."
            raise InputError(msg)
        if self.laporan_berhenti_bulan < 1:
            msg = "Batas bulan tanpa laporan harus paling sedikit 1."
            raise InputError(msg)

    def replace(self, **changes: object) -> Rules:
        """Return a copy with ``changes`` applied (validated)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Rules(**values)  # type: ignore[arg-type]


RULE_HELP: Final[dict[str, RuleHelp]] = {
    "posyandu_min_bulan": RuleHelp(
        "Minimal bulan buka",
        "Minimum months open",
        "Posyandu dihitung aktif bila buka (ada kegiatan) paling sedikit sekian bulan dalam jendela. "
        "RPJMN 2020-2024: 10 bulan dalam setahun.",
        "A posyandu counts as active when it opened at least this many months in the window "
        "(RPJMN 2020-2024: 10 months a year).",
    ),
    "posyandu_jendela_bulan": RuleHelp(
        "Jendela (bulan)",
        "Window (months)",
        "Jumlah bulan, berakhir pada bulan terpilih, yang diperiksa untuk status aktif posyandu.",
        "Number of months, ending at the chosen month, checked for posyandu activity.",
    ),
    "puskesmas_sebagai_pustu": RuleHelp(
        "Puskesmas dihitung sebagai pustu",
        "Puskesmas counts as pustu",
        "Bila aktif, desa tempat puskesmas berdiri dianggap sudah terlayani pustu. Bawaan: tidak.",
        "When on, a desa where a puskesmas stands counts as served by a pustu. Default: off.",
    ),
    "jarak_maks_pustu_km": RuleHelp(
        "Jarak maksimum ke pustu (km)",
        "Maximum distance to a pustu (km)",
        "Desa yang jarak garis lurus ke pustu aktif terdekat melebihi batas ini ditandai jauh.",
        "Desa whose straight-line distance to the nearest active pustu exceeds this are flagged.",
    ),
    "laporan_berhenti_bulan": RuleHelp(
        "Berhenti lapor (bulan)",
        "Stopped reporting (months)",
        "Posyandu tanpa laporan selama sekian bulan terakhir masuk daftar berhenti melapor.",
        "Posyandu with no report in this many recent months are listed as stopped reporting.",
    ),
    "duplikat_radius_m": RuleHelp(
        "Radius duplikat (m)",
        "Duplicate radius (m)",
        "Dua fasilitas sejenis dengan nama sama dalam radius ini dianggap duplikat.",
        "Two facilities of one kind with the same name within this radius are flagged as duplicates.",
    ),
}
