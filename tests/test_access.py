"""ui/access: roles, the scope step as a table (role x requested state -> allowed state and notes), options."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import pytest

from geo.rules import Rules
from loaders.exceptions import InputError
from ui import access
from ui.access import LOCAL, OUTSIDE, Access, WriteRefused, parse_role, require_write, restrict_options, scope
from ui.i18n import t
from ui.state import FilterOptions, ViewState

# Two kabupaten of one provinsi; puskesmas A and B in Tasikmalaya (B spans two kecamatan), C in Ciamis.
A1, A2 = "32.06.01.2001", "32.06.01.2002"
B1, B2 = "32.06.01.2003", "32.06.02.2001"
C1: Final = "32.07.01.2001"
OPTIONS: Final = FilterOptions(
    kabupaten={"32.06": "Tasikmalaya", "32.07": "Ciamis"},
    kecamatan={
        "32.06.01": ("Cikatomas", "32.06"),
        "32.06.02": ("Cipatujah", "32.06"),
        "32.07.01": ("Banjarsari", "32.07"),
    },
    puskesmas={"PA": ("Cikatomas", ("32.06",)), "PB": ("Cipatujah", ("32.06",)), "PC": ("Banjarsari", ("32.07",))},
    months=("2026-01", "2026-02"),
    desa=frozenset({A1, A2, B1, B2, C1}),
    provinsi={"32": "Jawa Barat", "33": "Jawa Tengah"},
    kabupaten_provinsi={"32.06": "32", "32.07": "32"},
    puskesmas_kecamatan={"PA": ("32.06.01",), "PB": ("32.06.01", "32.06.02"), "PC": ("32.07.01",)},
)
AREAS: Final = {
    "admin": None,
    "dinas": None,
    "dinas:32.06": frozenset({A1, A2, B1, B2}),
    "dinas:32": frozenset({A1, A2, B1, B2, C1}),
    "puskesmas:PA": frozenset({A1, A2}),
    "puskesmas:PX": frozenset(),
}
PA_AREA: Final = {"provinsi": "32", "kabupaten": "32.06", "puskesmas": "PA"}
KAB: Final = {"provinsi": "32", "kabupaten": "32.06"}

# (role, requested state, allowed state, keys of the notes)
TABLE: Final = [
    (
        "admin",
        {"kabupaten": "32.07", "puskesmas": "PC", "desa": C1},
        {"kabupaten": "32.07", "puskesmas": "PC", "desa": C1},
        (),
    ),
    (
        "dinas",
        {"kabupaten": "32.07", "kecamatan": ("32.07.01",)},
        {"kabupaten": "32.07", "kecamatan": ("32.07.01",)},
        (),
    ),
    ("dinas:32.06", {}, KAB, ()),
    ("dinas:32.06", {"kabupaten": "32.07"}, KAB, ("kabupaten",)),
    ("dinas:32.06", {"provinsi": "33"}, KAB, ("provinsi",)),
    ("dinas:32.06", {"kecamatan": ("32.06.01", "32.07.01")}, {**KAB, "kecamatan": ("32.06.01",)}, ("kecamatan",)),
    ("dinas:32.06", {"puskesmas": "PC"}, KAB, ("puskesmas",)),
    ("dinas:32.06", {"puskesmas": "PB"}, {**KAB, "puskesmas": "PB"}, ()),
    ("dinas:32.06", {"desa": C1}, KAB, ("desa",)),
    ("dinas:32.06", {"desa": B2}, {**KAB, "desa": B2}, ()),
    ("dinas:32", {"kabupaten": "32.07"}, {"provinsi": "32", "kabupaten": "32.07"}, ()),
    ("dinas:32", {"provinsi": "33"}, {"provinsi": "32"}, ("provinsi",)),
    ("puskesmas:PA", {}, PA_AREA, ()),
    ("puskesmas:PA", {"puskesmas": "PB"}, PA_AREA, ("puskesmas",)),
    ("puskesmas:PA", {"kabupaten": "32.07"}, PA_AREA, ("kabupaten",)),
    ("puskesmas:PA", {"provinsi": "33"}, PA_AREA, ("provinsi",)),
    ("puskesmas:PA", {"kecamatan": ("32.06.02",)}, PA_AREA, ("kecamatan",)),
    ("puskesmas:PA", {"kecamatan": ("32.06.01",)}, {**PA_AREA, "kecamatan": ("32.06.01",)}, ()),
    ("puskesmas:PA", {"desa": B1}, PA_AREA, ("desa",)),
    ("puskesmas:PA", {"desa": A2}, {**PA_AREA, "desa": A2}, ()),
    (
        "puskesmas:PA",
        {"kabupaten": "32.07", "kecamatan": ("32.07.01",), "puskesmas": "PC", "desa": C1},
        PA_AREA,
        ("kabupaten", "kecamatan", "puskesmas", "desa"),
    ),
    ("puskesmas:PX", {"desa": A1, "kabupaten": "32.06"}, {"puskesmas": "PX"}, ("kabupaten", "desa")),
]
UNTOUCHED: Final = {
    "status": ("tanpa_pustu",),
    "bulan": "2026-01",
    "banding": "2026-02",
    "kelompok": "puskesmas",
    "warna": "tenaga",
    "lang": "en",
    "mode": "presentasi",
    "aturan": Rules().replace(jarak_maks_pustu_km=2.5),
}


@pytest.mark.parametrize(("role", "requested", "allowed", "note_keys"), TABLE)
def test_scope_table(role: str, requested: dict, allowed: dict, note_keys: tuple[str, ...]) -> None:
    result, notes = scope(parse_role(role), ViewState(**requested), OPTIONS, area=AREAS[role])
    assert result == ViewState(**allowed)
    assert tuple(n.key for n in notes) == note_keys
    assert {n.kind for n in notes} <= {OUTSIDE}


@pytest.mark.parametrize("role", list(AREAS))
def test_scope_never_touches_status_month_language_mode_rules(role: str) -> None:
    requested = ViewState(kabupaten="32.07", **UNTOUCHED)
    result, _ = scope(parse_role(role), requested, OPTIONS, area=AREAS[role])
    assert {k: getattr(result, k) for k in UNTOUCHED} == UNTOUCHED


def test_a_note_names_the_own_area_never_the_value_asked_for() -> None:
    _, notes = scope(
        parse_role("puskesmas:PA"), ViewState(desa=B1, puskesmas="PB"), OPTIONS, area=AREAS["puskesmas:PA"]
    )
    assert [n.value for n in notes] == ["Puskesmas Cikatomas", "Puskesmas Cikatomas"]
    text = t(f"note.{notes[0].kind}", key=notes[0].key, value=notes[0].value)
    assert "Anda hanya dapat melihat wilayah Puskesmas Cikatomas" in text
    assert B1 not in text and "PB" not in text


def test_a_restricted_role_without_area_sees_no_desa() -> None:
    result, notes = scope(parse_role("puskesmas:PA"), ViewState(desa=A1), OPTIONS)
    assert result.desa is None and [n.key for n in notes] == ["desa"]
    assert restrict_options(parse_role("dinas:32.06"), OPTIONS).desa == frozenset()


def test_scope_is_idempotent() -> None:
    for role, requested, _, _ in TABLE:
        once, _ = scope(parse_role(role), ViewState(**requested), OPTIONS, area=AREAS[role])
        assert scope(parse_role(role), once, OPTIONS, area=AREAS[role]) == (once, ()), role


def test_restrict_options_puskesmas() -> None:
    got = restrict_options(parse_role("puskesmas:PA"), OPTIONS, area=AREAS["puskesmas:PA"])
    assert got.puskesmas == {"PA": ("Cikatomas", ("32.06",))}
    assert got.kabupaten == {"32.06": "Tasikmalaya"}
    assert got.kecamatan == {"32.06.01": ("Cikatomas", "32.06")}
    assert got.provinsi == {"32": "Jawa Barat"}
    assert got.desa == frozenset({A1, A2})
    assert got.months == OPTIONS.months
    assert got.puskesmas_kecamatan == {"PA": ("32.06.01",)}


def test_restrict_options_dinas_kabupaten_and_provinsi() -> None:
    kab = restrict_options(parse_role("dinas:32.06"), OPTIONS, area=AREAS["dinas:32.06"])
    assert set(kab.kabupaten) == {"32.06"} and set(kab.puskesmas) == {"PA", "PB"}
    assert set(kab.kecamatan) == {"32.06.01", "32.06.02"} and kab.desa == {A1, A2, B1, B2}
    prov = restrict_options(parse_role("dinas:32"), OPTIONS, area=AREAS["dinas:32"])
    assert set(prov.kabupaten) == {"32.06", "32.07"} and set(prov.provinsi) == {"32"}
    assert restrict_options(LOCAL, OPTIONS) is OPTIONS
    assert restrict_options(parse_role("dinas"), OPTIONS) is OPTIONS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("admin", Access("admin")),
        (" Dinas ", Access("dinas")),
        ("dinas:32.06", Access("dinas", None, "32.06")),
        ("puskesmas:P3206190201", Access("puskesmas", None, "P3206190201")),
    ],
)
def test_parse_role(text: str, expected: Access) -> None:
    assert parse_role(text) == expected
    assert parse_role(text, pengguna="budi") == replace(expected, pengguna="budi")


@pytest.mark.parametrize("text", ["", "root", "puskesmas", "puskesmas:", "admin:32", "dinas:32 06", "dinas:<x>"])
def test_parse_role_refuses(text: str) -> None:
    with pytest.raises(InputError, match="tidak sah|tidak memakai|memerlukan"):
        parse_role(text)


def test_can_write_only_admin_and_local() -> None:
    assert LOCAL.can_write and LOCAL.is_local and not LOCAL.restricted
    assert parse_role("admin", pengguna="ani").can_write
    for role in ("dinas", "dinas:32.06", "puskesmas:PA"):
        who = parse_role(role, pengguna="budi")
        assert not who.can_write and not access.can_write(who)
        with pytest.raises(WriteRefused, match=f"Hanya admin.*Peran Anda: {role}"):
            require_write(who)
    require_write(LOCAL)
