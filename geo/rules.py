"""The rules of the coverage engine, declared once: :class:`Rules` and the registry :data:`RULES`.

The defaults follow ILP and RPJMN 2020-2024: a posyandu is *aktif* when it held
activities in at least 10 of the 12 months ending at the chosen month. Every
number stays configurable (CLI flags, the page address, the Data page).

Adding a rule: a field (with its default) on :class:`Rules`, one
:class:`RuleSpec` in :data:`RULES` (same order), the code in ``geo/`` that
uses it, and its row in the README table "Aturan". The CLI flags
(``cli.py``), the URL keys (:mod:`ui.state`), the Data page form
(:mod:`ui.rules_form`) and the cache key (:mod:`ui.data`) are derived from
:data:`RULES`; ``tests/test_registries.py`` and ``tests/test_readme.py`` check
the rest.
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

        window = RULE_BY_FIELD["posyandu_jendela_bulan"]
        if not window.within(self.posyandu_jendela_bulan):
            msg = (
                f"Jendela posyandu aktif harus {window.low:g} sampai {window.high:g} bulan, "
                f"bukan {self.posyandu_jendela_bulan}."
            )
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


_DEFAULTS: Final[dict[str, object]] = {f.name: f.default for f in fields(Rules)}


@dataclass(frozen=True)
class RuleSpec:
    """One engine rule: its :class:`Rules` field and every name and limit it has outside the engine.

    Attributes
    ----------
    field
        The attribute of :class:`Rules` (its default is read from there, never repeated).
    url_key
        The page-address parameter (:mod:`ui.state`).
    cli_flag
        The option of ``cli.py gaps``, ``summary`` and ``quality``; a yes/no rule is a flag without value.
    low, high
        The range a value given by the user (URL, Data page form, CLI) must lie in; None for a yes/no rule.
    help
        Label and help text (:class:`RuleHelp`).
    step, decimals
        The Data page input's step and decimals (decimal rules only).
    """

    field: str
    url_key: str
    cli_flag: str
    low: float | None
    high: float | None
    help: RuleHelp
    step: float | None = None
    decimals: int | None = None

    @property
    def default(self) -> int | float | bool:
        """The default value, as declared on :class:`Rules`."""
        return _DEFAULTS[self.field]  # type: ignore[return-value]

    @property
    def kind(self) -> type:
        """``bool``, ``int`` or ``float``: the type of the rule's value."""
        return type(self.default)

    def within(self, value: float) -> bool:
        """Tell whether ``value`` lies in ``[low, high]`` (always True for a yes/no rule)."""
        return self.low is None or self.high is None or self.low <= value <= self.high


RULES: Final[tuple[RuleSpec, ...]] = (
    RuleSpec(
        field="posyandu_min_bulan",
        url_key="min_bulan",
        cli_flag="--posyandu-min-bulan",
        low=0,
        high=36,
        help=RuleHelp(
            "Minimal bulan buka",
            "Minimum months open",
            "Posyandu dihitung aktif bila buka (ada kegiatan) paling sedikit sekian bulan dalam jendela. "
            "RPJMN 2020-2024: 10 bulan dalam setahun.",
            "A posyandu counts as active when it opened at least this many months in the window "
            "(RPJMN 2020-2024: 10 months a year).",
        ),
    ),
    RuleSpec(
        field="posyandu_jendela_bulan",
        url_key="jendela",
        cli_flag="--posyandu-jendela-bulan",
        low=1,
        high=36,
        help=RuleHelp(
            "Jendela (bulan)",
            "Window (months)",
            "Jumlah bulan, berakhir pada bulan terpilih, yang diperiksa untuk status aktif posyandu.",
            "Number of months, ending at the chosen month, checked for posyandu activity.",
        ),
    ),
    RuleSpec(
        field="puskesmas_sebagai_pustu",
        url_key="pkm_pustu",
        cli_flag="--puskesmas-as-pustu",
        low=None,
        high=None,
        help=RuleHelp(
            "Puskesmas dihitung sebagai pustu",
            "Puskesmas counts as pustu",
            "Bila aktif, desa tempat puskesmas berdiri dianggap sudah terlayani pustu. Bawaan: tidak.",
            "When on, a desa where a puskesmas stands counts as served by a pustu. Default: off.",
        ),
    ),
    RuleSpec(
        field="jarak_maks_pustu_km",
        url_key="jarak_km",
        cli_flag="--jarak-maks-pustu-km",
        low=0.1,
        high=100.0,
        step=0.5,
        decimals=1,
        help=RuleHelp(
            "Jarak maksimum ke pustu (km)",
            "Maximum distance to a pustu (km)",
            "Desa yang jarak garis lurus ke pustu aktif terdekat melebihi batas ini ditandai jauh.",
            "Desa whose straight-line distance to the nearest active pustu exceeds this are flagged.",
        ),
    ),
    RuleSpec(
        field="laporan_berhenti_bulan",
        url_key="berhenti",
        cli_flag="--laporan-berhenti-bulan",
        low=1,
        high=36,
        help=RuleHelp(
            "Berhenti lapor (bulan)",
            "Stopped reporting (months)",
            "Posyandu tanpa laporan selama sekian bulan terakhir masuk daftar berhenti melapor.",
            "Posyandu with no report in this many recent months are listed as stopped reporting.",
        ),
    ),
    RuleSpec(
        field="duplikat_radius_m",
        url_key="duplikat_m",
        cli_flag="--duplikat-radius-m",
        low=0.0,
        high=5000.0,
        step=10.0,
        decimals=0,  # metres: whole
        help=RuleHelp(
            "Radius duplikat (m)",
            "Duplicate radius (m)",
            "Dua fasilitas sejenis dengan nama sama dalam radius ini dianggap duplikat.",
            "Two facilities of one kind with the same name within this radius are flagged as duplicates.",
        ),
    ),
)
"""Every engine rule, in :class:`Rules` field order (= URL order = form order)."""

RULE_BY_FIELD: Final[dict[str, RuleSpec]] = {spec.field: spec for spec in RULES}
RULE_BY_URL_KEY: Final[dict[str, RuleSpec]] = {spec.url_key: spec for spec in RULES}
