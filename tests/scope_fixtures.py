"""The filter options of a two-provinsi store, shared by the scope and URL-state tests (not a test module)."""

from __future__ import annotations

from ui.state import FilterOptions

# Two provinsi: Jawa Barat (Tasikmalaya with two kecamatan, Garut) and Nusa Tenggara Barat (Kota Mataram).
NATION = FilterOptions(
    kabupaten={"32.06": "Kabupaten Tasikmalaya", "32.05": "Kabupaten Garut", "52.71": "Kota Mataram"},
    kecamatan={
        "32.06.01": ("Cipatujah", "32.06"),
        "32.06.02": ("Karangnunggal", "32.06"),
        "32.05.01": ("Cisewu", "32.05"),
        "52.71.01": ("Ampenan", "52.71"),
    },
    puskesmas={
        "P1": ("Puskesmas Cipatujah", ("32.06",)),
        "P2": ("Puskesmas Cisewu", ("32.05",)),
        "P3": ("Puskesmas Ampenan", ("52.71",)),
    },
    months=("2026-09", "2026-10"),
    desa=frozenset({"32.06.01.2001", "32.06.02.2001", "32.05.01.2001", "52.71.01.1001"}),
    provinsi={"32": "Jawa Barat", "52": "Nusa Tenggara Barat"},
    kabupaten_provinsi={"32.06": "32", "32.05": "32", "52.71": "52"},
    puskesmas_kecamatan={"P1": ("32.06.01",), "P2": ("32.05.01",), "P3": ("52.71.01",)},
)
