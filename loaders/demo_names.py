"""Indonesian-sounding, invented place and facility names for the synthetic demo.

Desa names join a Javanese-style first part and ending (``Suka`` + ``rejo`` ->
``Sukarejo``). They may happen to match a real village somewhere: the demo
district itself is named "Kabupaten Contoh (sintetis)" so nothing is mistaken
for real data.
"""

from __future__ import annotations

from typing import Final

import numpy as np

AWALAN: Final = (
    "Suka", "Karang", "Sumber", "Tegal", "Wono", "Banyu", "Sido", "Margo", "Ngadi", "Kali",
    "Watu", "Gunung", "Sri", "Tirto", "Purwo", "Jati", "Mulyo", "Giri", "Rejo", "Krasak",
    "Sendang", "Pandan", "Bumi", "Candi",
)  # fmt: skip
AKHIRAN: Final = (
    "rejo", "mulyo", "harjo", "sari", "agung", "makmur", "jaya", "asri", "tani", "wangi",
    "luhur", "kencono", "manik", "arum", "sentono", "utomo", "rahayu", "dadi", "lestari",
    "kerto", "tirto", "winangun",
)  # fmt: skip
NAMA_POSYANDU: Final = (
    "Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai",
    "Seruni", "Kamboja", "Asoka", "Nusa Indah", "Sakura", "Bougenvil", "Srikandi", "Lestari",
)  # fmt: skip
NAMA_JALAN: Final = ("Jl. Raya", "Jl. Pemuda", "Jl. Merdeka", "Jl. Pahlawan", "Jl. Kesehatan", "Jl. Pendidikan")


def place_names(rng: np.random.Generator, *, count: int) -> list[str]:
    """Return ``count`` distinct invented place names, in seeded random order."""
    combos = [a + b for a in AWALAN for b in AKHIRAN if not _doubled(a, b)]
    if count > len(combos):
        msg = f"only {len(combos)} distinct demo names, {count} asked"
        raise ValueError(msg)
    order = rng.permutation(len(combos))[:count]
    return [combos[i] for i in order]


def _doubled(first: str, ending: str) -> bool:
    """True for awkward joins such as ``Rejo`` + ``rejo`` or ``Suka`` + ``asri``."""
    return first.lower().endswith(ending) or first[-1].lower() == ending[0]


def posyandu_names(rng: np.random.Generator, *, count: int) -> list[str]:
    """Return ``count`` posyandu names of one desa (``Posyandu Melati 1``, ...)."""
    base = NAMA_POSYANDU[int(rng.integers(len(NAMA_POSYANDU)))]
    others = [n for n in NAMA_POSYANDU if n != base]
    if rng.random() < 0.5:  # numbered series of one flower, as many desa do
        return [f"Posyandu {base} {i + 1}" for i in range(count)]
    picked = rng.choice(len(others), size=count, replace=False)
    return [f"Posyandu {others[i]}" for i in picked]


def street_address(rng: np.random.Generator, *, desa: str, kecamatan: str, kelurahan: bool) -> str:
    """Return an invented street address in ``desa``."""
    street = NAMA_JALAN[int(rng.integers(len(NAMA_JALAN)))]
    unit = "Kel." if kelurahan else "Desa"
    return f"{street} No. {int(rng.integers(1, 120))}, {unit} {desa}, Kec. {kecamatan}"
