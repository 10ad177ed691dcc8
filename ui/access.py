"""Who may see what: the roles and the one scope step applied to every view (pure: no streamlit here).

Roles (the users file's ``peran``, :mod:`loaders.users`)::

    admin                    the dinas data officer: everything, and may change data
    dinas                    everything, read only
    dinas:<kode wilayah>     one kabupaten/kota (or one provinsi), read only
    puskesmas:<kode>         the desa of that puskesmas's working area, read only

Local mode (no sign-in configured) is :data:`LOCAL`: admin rights, no user.

:func:`scope` is the same kind of step as :func:`ui.state.reconcile`, run right
after it (:func:`ui.context.prepare`): it clamps the requested view state to
what the role may see and says, with a :class:`~ui.state.Note` of kind
:data:`OUTSIDE`, what it changed. :func:`restrict_options` gives the lists the
filters offer. Both take ``area``: the kode_desa the role may see (computed by
the caller from the data, see :func:`base_state`); a restricted role without
it sees no desa (fail closed).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Final

from loaders.exceptions import InputError
from ui.scope import puskesmas_name
from ui.state import KEY_DESA, KEY_KABUPATEN, KEY_KECAMATAN, KEY_PROVINSI, KEY_PUSKESMAS, FilterOptions, Note, ViewState

ADMIN: Final = "admin"
DINAS: Final = "dinas"
PUSKESMAS: Final = "puskesmas"
KINDS: Final = (ADMIN, DINAS, PUSKESMAS)
OUTSIDE: Final = "di_luar_wilayah"  # note kind: a requested value outside the role's area
_CODE_RE: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")


@dataclass(frozen=True)
class Access:
    """What one session may see and do.

    Attributes
    ----------
    peran
        ``admin``, ``dinas`` or ``puskesmas``.
    pengguna
        The signed-in username (None in local mode).
    kode
        The area: a kabupaten/kota or provinsi code for ``dinas`` (None: everything),
        the puskesmas code for ``puskesmas``; None for ``admin``.
    """

    peran: str
    pengguna: str | None = None
    kode: str | None = None

    def __post_init__(self) -> None:
        if self.peran not in KINDS:
            raise InputError(
                f"Peran {self.peran!r} tidak dikenal; gunakan admin, dinas, dinas:<kode> atau puskesmas:<kode>."
            )
        if self.peran == PUSKESMAS and not self.kode:
            raise InputError("Peran puskesmas memerlukan kode puskesmas: tulis puskesmas:<kode>.")
        if self.peran == ADMIN and self.kode:
            raise InputError("Peran admin tidak memakai kode wilayah: tulis admin saja.")

    @property
    def can_write(self) -> bool:
        """True when this session may import, restore, change rules and targets (admin and local mode)."""
        return self.peran == ADMIN

    @property
    def is_local(self) -> bool:
        """True in local mode (no sign-in)."""
        return self.pengguna is None and self.peran == ADMIN

    @property
    def restricted(self) -> bool:
        """True when the role sees part of the data only (``dinas:<kode>``, ``puskesmas:<kode>``)."""
        return self.kode is not None

    @property
    def role(self) -> str:
        """The role as the users file writes it (``puskesmas:P3206...``)."""
        return self.peran if self.kode is None else f"{self.peran}:{self.kode}"


LOCAL: Final = Access(ADMIN)


def parse_role(text: str, *, pengguna: str | None = None) -> Access:
    """The :class:`Access` of a role written as in the users file (``admin``, ``dinas``, ``dinas:32.06``, ...).

    Raises
    ------
    InputError
        For anything else (Indonesian message naming the value and the accepted forms).
    """
    value = str(text).strip()
    kind, sep, kode = value.partition(":")
    kind = kind.strip().lower()
    kode = kode.strip()
    if kind not in KINDS or (sep and not _CODE_RE.match(kode)) or (kind == PUSKESMAS and not sep):
        raise InputError(
            f"Peran {value!r} tidak sah: tulis admin, dinas, dinas:<kode wilayah> atau puskesmas:<kode puskesmas> "
            "(kode huruf/angka/titik, tanpa spasi)."
        )
    return Access(kind, pengguna, kode if sep else None)


def base_state(access: Access, options: FilterOptions) -> ViewState | None:
    """The filters whose desa are the role's area (None: no limit). The caller turns it into ``area``.

    ``dinas:<kode>``: that kabupaten/kota (or provinsi); ``puskesmas:<kode>``: its working area.
    """
    if access.kode is None:
        return None
    if access.peran == PUSKESMAS:
        return ViewState(puskesmas=access.kode)
    if access.kode in options.kabupaten:
        return ViewState(kabupaten=access.kode)
    return ViewState(provinsi=access.kode)


def area_label(access: Access, options: FilterOptions, *, lang: str = "id") -> str:
    """The role's area as a note names it ("Puskesmas X", "Tasikmalaya"); the code when the data lacks it."""
    kode = access.kode or ""
    if access.peran == PUSKESMAS:
        return puskesmas_name(kode, options, lang=lang)
    return options.kabupaten.get(kode) or options.provinsi.get(kode) or kode


@dataclass(frozen=True)
class _Bounds:
    """The units a restricted role may see (codes)."""

    provinsi: frozenset[str]
    kabupaten: frozenset[str]
    kecamatan: frozenset[str]
    puskesmas: frozenset[str] | None  # None: every puskesmas serving the kabupaten
    desa: frozenset[str]


def _bounds(access: Access, options: FilterOptions, area: Collection[str] | None) -> _Bounds:
    kode = access.kode or ""
    desa = frozenset(area) if area is not None else frozenset()
    if access.peran == PUSKESMAS:
        kabs = frozenset(options.puskesmas.get(kode, ("", ()))[1])
        kecs = frozenset(options.puskesmas_kecamatan.get(kode, ()))
        return _Bounds(_provinsi_of(kabs, options), kabs, kecs, frozenset({kode}), desa)
    if kode in options.kabupaten:
        kabs = frozenset({kode})
    else:
        kabs = frozenset(k for k, p in options.kabupaten_provinsi.items() if p == kode)
    kecs = frozenset(k for k, (_, kab) in options.kecamatan.items() if kab in kabs)
    provinsi = _provinsi_of(kabs, options) if kode in options.kabupaten else frozenset({kode})
    return _Bounds(provinsi, kabs, kecs, None, desa)


def _provinsi_of(kabupaten: Collection[str], options: FilterOptions) -> frozenset[str]:
    return frozenset(p for k in kabupaten if (p := options.kabupaten_provinsi.get(k)) is not None)


def _only(codes: frozenset[str]) -> str | None:
    return next(iter(codes)) if len(codes) == 1 else None


def scope(
    access: Access, state: ViewState, options: FilterOptions, *, area: Collection[str] | None = None
) -> tuple[ViewState, tuple[Note, ...]]:
    """Clamp ``state`` to what ``access`` may see; one :data:`OUTSIDE` note per requested value changed.

    Parameters
    ----------
    access
        The session's role.
    state
        The state after :func:`ui.state.reconcile`.
    options
        What the whole data offers (not restricted).
    area
        kode_desa the role may see (:func:`base_state`'s desa); needed for restricted roles.

    Returns
    -------
    tuple
        The allowed state and the notes. ``admin`` and ``dinas`` without a code: unchanged.
        ``dinas:<kode>``: provinsi/kabupaten forced inside the area; kecamatan, puskesmas, desa outside dropped.
        ``puskesmas:<kode>``: puskesmas forced to ``kode``; provinsi/kabupaten forced to those of the working
        area; kecamatan kept only where they hold desa of it; a desa outside it dropped. Status, month,
        language, mode, grouping, colouring and rules are never touched. A note's ``value`` names the
        role's own area (never the value asked for), so the note shows nothing of another area.
    """
    if not access.restricted:
        return state, ()
    bounds = _bounds(access, options, area)
    label = area_label(access, options, lang=state.lang)
    changed: list[str] = []

    def forced(key: str, requested: str | None, allowed: frozenset[str]) -> str | None:
        if requested is not None and requested in allowed:
            return requested
        if requested is not None:
            changed.append(key)
        return _only(allowed)

    provinsi = forced(KEY_PROVINSI, state.provinsi, bounds.provinsi)
    kabupaten = forced(KEY_KABUPATEN, state.kabupaten, bounds.kabupaten)
    if access.peran == PUSKESMAS and not bounds.kabupaten:  # the data lacks the puskesmas: an area of no desa
        kabupaten = None
    kecamatan = tuple(k for k in state.kecamatan if k in bounds.kecamatan)
    if len(kecamatan) != len(state.kecamatan):
        changed.append(KEY_KECAMATAN)
    puskesmas = state.puskesmas
    if access.peran == PUSKESMAS:
        if puskesmas is not None and puskesmas != access.kode:
            changed.append(KEY_PUSKESMAS)
        puskesmas = access.kode
    elif puskesmas is not None and not set(options.puskesmas.get(puskesmas, ("", ()))[1]) & bounds.kabupaten:
        changed.append(KEY_PUSKESMAS)
        puskesmas = None
    desa = state.desa
    if desa is not None and desa not in bounds.desa:
        changed.append(KEY_DESA)
        desa = None
    allowed = replace(
        state, provinsi=provinsi, kabupaten=kabupaten, kecamatan=kecamatan, puskesmas=puskesmas, desa=desa
    )
    return allowed, tuple(Note(OUTSIDE, key, label) for key in changed)


def restrict_options(access: Access, options: FilterOptions, *, area: Collection[str] | None = None) -> FilterOptions:
    """``options`` reduced to what ``access`` may see (the sidebar's and the presentation bar's lists).

    Months are kept. A restricted role without ``area`` gets no desa.
    """
    if not access.restricted:
        return options
    bounds = _bounds(access, options, area)
    if bounds.puskesmas is None:
        puskesmas = {k: v for k, v in options.puskesmas.items() if set(v[1]) & bounds.kabupaten}
    else:
        puskesmas = {k: v for k, v in options.puskesmas.items() if k in bounds.puskesmas}
    puskesmas = {k: (name, tuple(c for c in kabs if c in bounds.kabupaten)) for k, (name, kabs) in puskesmas.items()}
    return FilterOptions(
        kabupaten={k: v for k, v in options.kabupaten.items() if k in bounds.kabupaten},
        kecamatan={k: v for k, v in options.kecamatan.items() if k in bounds.kecamatan},
        puskesmas=puskesmas,
        months=options.months,
        desa=frozenset(options.desa & bounds.desa),
        provinsi={k: v for k, v in options.provinsi.items() if k in bounds.provinsi},
        kabupaten_provinsi={k: v for k, v in options.kabupaten_provinsi.items() if k in bounds.kabupaten},
        puskesmas_kecamatan={
            k: tuple(c for c in options.puskesmas_kecamatan.get(k, ()) if c in bounds.kecamatan) for k in puskesmas
        },
    )


def can_write(access: Access) -> bool:
    """True when ``access`` may change data (:attr:`Access.can_write`)."""
    return access.can_write


class WriteRefused(InputError):
    """A write (import, restore, rules, targets) asked for by a role that may not change data."""


def require_write(access: Access) -> None:
    """Return when ``access`` may change data; else raise :class:`WriteRefused`.

    Every write path calls this at the write itself (not only by hiding its widget), so a
    forced widget or a crafted request cannot change data for a non-admin.
    """
    if not access.can_write:
        raise WriteRefused(
            f"Hanya admin yang dapat mengubah data (impor, pulihkan versi, aturan, target). Peran Anda: "
            f"{access.role}. Minta admin dinas kesehatan untuk melakukannya."
        )
