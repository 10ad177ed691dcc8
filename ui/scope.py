"""Where the dashboard looks: the scope's level, what the map draws, drill-down and breadcrumbs (pure).

The scope is a place in the hierarchy of :mod:`geo.levels`: the nation (no
area filter), one provinsi, one kabupaten/kota, or kecamatan, written in the
:class:`~ui.state.ViewState` filters (and so in the URL). A puskesmas filter
narrows the desa but does not change the level.

* :func:`scope_level` is the deepest area filter that is set;
* :func:`drawn_level` is what the map draws: the desa when the scope holds at
  most :data:`geo.levels.MAX_DESA_DRAWN` of them, else the units one level below
  the scope;
* :func:`drill` is the state after a click on a unit of the map;
* :func:`breadcrumbs` is the way back up, from the top of the data to the scope.

No streamlit here; names come from :class:`~ui.state.FilterOptions` as plain
text (escaping them is the renderer's job).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from geo import levels
from ui.i18n import t
from ui.state import FilterOptions, ViewState

# The levels a filter of the view state selects (the desa is opened, not filtered on), top down.
AREA_LEVELS: Final[tuple[str, ...]] = (levels.PROVINSI, levels.KABUPATEN, levels.KECAMATAN)


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumbs.

    ``level`` None and ``kode`` None: the nation. ``kode`` of a kecamatan step
    with several kecamatan chosen: their codes comma separated (as in the URL).
    ``nama``: plain text. ``state``: the view state a click on the step gives.
    """

    level: str | None
    kode: str | None
    nama: str
    state: ViewState


def scope_level(state: ViewState) -> str | None:
    """The deepest area filter set: ``kecamatan``, ``kabupaten``, ``provinsi``, or None (the nation)."""
    if state.kecamatan:
        return levels.KECAMATAN
    if state.kabupaten:
        return levels.KABUPATEN
    if state.provinsi:
        return levels.PROVINSI
    return None


def drawn_level(state: ViewState, *, n_desa: int) -> str:
    """The level the map draws for a scope of ``n_desa`` desa.

    ``desa`` when ``n_desa`` is at most :data:`geo.levels.MAX_DESA_DRAWN`,
    else the level below the scope's (a kecamatan scope is always drawn as desa).
    """
    if n_desa <= levels.MAX_DESA_DRAWN:
        return levels.DESA
    return levels.below(scope_level(state))


def _provinsi_of_kecamatan(kode: str, options: FilterOptions) -> tuple[str | None, str | None]:
    """(kode_kabupaten, kode_provinsi) of kecamatan ``kode`` in the data (None where unknown)."""
    entry = options.kecamatan.get(kode)
    kabupaten = entry[1] if entry is not None else None
    return kabupaten, options.kabupaten_provinsi.get(kabupaten) if kabupaten is not None else None


def _puskesmas_inside(state: ViewState, options: FilterOptions) -> str | None:
    """The puskesmas of ``state`` when it serves desa inside the state's area, else None."""
    code = state.puskesmas
    if code is None:
        return None
    if state.kecamatan:
        served = set(options.puskesmas_kecamatan.get(code, ()))
        return code if served.intersection(state.kecamatan) else None
    return code if code in set(options.puskesmas_in(state.kabupaten, provinsi=state.provinsi)) else None


def drill(state: ViewState, *, level: str, kode: str, options: FilterOptions) -> ViewState:
    """The state after a click on unit ``kode`` of ``level`` (provinsi, kabupaten or kecamatan).

    Sets that level's filter and the parents the data implies (a kabupaten's
    provinsi; a kecamatan's kabupaten and provinsi), clears the deeper filters
    and the selected desa, and keeps the puskesmas filter only when that
    puskesmas serves desa inside the new area. Month, status, grouping,
    language, mode and rules are kept. A code the data lacks is set as given
    (:func:`ui.state.reconcile` drops it with a note).

    Raises
    ------
    ValueError
        For ``desa`` or an unknown level (a desa is opened, not drilled into).
    """
    if level == levels.PROVINSI:
        area = replace(state, provinsi=kode, kabupaten=None, kecamatan=())
    elif level == levels.KABUPATEN:
        area = replace(state, provinsi=options.kabupaten_provinsi.get(kode), kabupaten=kode, kecamatan=())
    elif level == levels.KECAMATAN:
        kabupaten, provinsi = _provinsi_of_kecamatan(kode, options)
        area = replace(state, provinsi=provinsi, kabupaten=kabupaten, kecamatan=(kode,))
    else:
        raise ValueError(f"no drill-down into level {level!r}; expected one of {', '.join(AREA_LEVELS)}")
    return replace(area, desa=None, puskesmas=_puskesmas_inside(area, options))


def _unit_counts(options: FilterOptions) -> dict[str, int]:
    return {
        levels.PROVINSI: len(options.provinsi),
        levels.KABUPATEN: len(options.kabupaten),
        levels.KECAMATAN: len(options.kecamatan),
    }


def _folded(options: FilterOptions) -> tuple[tuple[str, ...], str | None]:
    """(the top levels folded into the root crumb, the level of the root; None: the nation).

    A level is folded when the data holds exactly one unit of it (or none: options built
    without that level); the root is the deepest folded level with one unit.
    """
    counts = _unit_counts(options)
    folded: list[str] = []
    root: str | None = None
    for code in AREA_LEVELS:
        if counts[code] > 1:
            break
        folded.append(code)
        if counts[code] == 1:
            root = code
    return tuple(folded), root


def _path(state: ViewState, options: FilterOptions) -> dict[str, str]:
    """Level -> code of the scope and the parents the data implies (levels without one left out)."""
    path: dict[str, str] = {}
    kabupaten = state.kabupaten
    if state.kecamatan:
        parents = {_provinsi_of_kecamatan(k, options)[0] for k in state.kecamatan}
        if kabupaten is None and len(parents) == 1:
            kabupaten = parents.pop()
        path[levels.KECAMATAN] = ",".join(state.kecamatan)
    if kabupaten is not None:
        path[levels.KABUPATEN] = kabupaten
    provinsi = state.provinsi or (options.kabupaten_provinsi.get(kabupaten) if kabupaten is not None else None)
    if provinsi is None and state.kecamatan:
        implied = {_provinsi_of_kecamatan(k, options)[1] for k in state.kecamatan}
        provinsi = implied.pop() if len(implied) == 1 else None
    if provinsi is not None:
        path[levels.PROVINSI] = provinsi
    return path


def _single(options: FilterOptions, level: str) -> tuple[str, str]:
    """(code, name) of the one unit of ``level`` in the data."""
    if level == levels.PROVINSI:
        return next(iter(options.provinsi.items()))
    if level == levels.KABUPATEN:
        return next(iter(options.kabupaten.items()))
    code, (name, _) = next(iter(options.kecamatan.items()))
    return code, name


def _name(level: str, kode: str, options: FilterOptions) -> str:
    if level == levels.PROVINSI:
        return options.provinsi.get(kode, kode)
    if level == levels.KABUPATEN:
        return options.kabupaten.get(kode, kode)
    return ", ".join(options.kecamatan.get(k, (k, ""))[0] for k in kode.split(","))


def breadcrumbs(state: ViewState, options: FilterOptions) -> tuple[Crumb, ...]:
    """The steps from the top of the data down to the scope of ``state``.

    The root is the nation (``scope.nasional``, "Indonesia") when the data
    holds more than one provinsi; the top levels where the data holds exactly
    one unit fold into the root (a one-kabupaten store starts at that
    kabupaten, a store of Jawa Barat alone at "Jawa Barat"). Then one step per
    level down to :func:`scope_level`, parents implied by the data included.
    Each step's ``state`` is what clicking it gives: that area, the deeper
    filters and the selected desa cleared.
    """
    folded, root_level = _folded(options)
    everything = replace(state, provinsi=None, kabupaten=None, kecamatan=(), desa=None)
    if root_level is not None:
        kode, nama = _single(options, root_level)
        root = Crumb(root_level, kode, nama, everything)
    else:
        root = Crumb(None, None, t("scope.nasional", lang=state.lang), everything)
    path = _path(state, options)
    crumbs = [root]
    for code in AREA_LEVELS[len(folded) :]:
        if code not in path:
            continue
        kode = path[code]
        if code == levels.KECAMATAN and len(state.kecamatan) > 1:  # several kecamatan: the same scope
            clicked = replace(state, desa=None, puskesmas=_puskesmas_inside(state, options))
        else:
            clicked = drill(state, level=code, kode=kode, options=options)
        crumbs.append(Crumb(code, kode, _name(code, kode, options), clicked))
    return tuple(crumbs)


def groupings(state: ViewState) -> tuple[str, ...]:
    """How the Ringkasan bars can group the desa of ``state``'s scope: each level below it, then puskesmas.

    The nation: provinsi, kabupaten/kota, kecamatan, puskesmas; a provinsi: kabupaten/kota onwards;
    a kabupaten/kota or kecamatan: kecamatan and puskesmas.
    """
    top = scope_level(state)
    below_scope = AREA_LEVELS if top is None else AREA_LEVELS[AREA_LEVELS.index(top) + 1 :]
    return (*below_scope, levels.KECAMATAN, "puskesmas") if not below_scope else (*below_scope, "puskesmas")


MAX_KECAMATAN_NAMED: Final = 3  # more chosen kecamatan are counted ("5 kecamatan") in a title, not listed


def area_name(state: ViewState, options: FilterOptions, *, lang: str) -> str:
    """The area of ``state`` as a title names it: "Kabupaten Tasikmalaya", "Kecamatan Cikatomas", "Puskesmas X".

    The deepest area of the scope (its breadcrumb; the nation is "Indonesia"), a provinsi
    as "Provinsi <name>", one to :data:`MAX_KECAMATAN_NAMED` kecamatan by name ("Kecamatan A
    dan B"), more by their number; a puskesmas filter is named after it ("Kecamatan A,
    Puskesmas X"), or alone when it is the only filter below the top of the data. Names are
    plain text (escaping is the renderer's job).
    """
    crumbs = breadcrumbs(state, options)
    crumb = crumbs[-1]
    if crumb.level == levels.KECAMATAN:
        # the chosen kecamatan, or the data's only one (the root of the breadcrumbs) when none is chosen
        names = [options.kecamatan.get(k, (k, ""))[0] for k in state.kecamatan] or [crumb.nama]
        if len(names) > MAX_KECAMATAN_NAMED:
            area = t("scope.kecamatan_n", lang=lang, n=len(names))
        else:
            listed = names[0] if len(names) == 1 else t("area.dan", lang=lang, a=", ".join(names[:-1]), b=names[-1])
            area = t("area.kecamatan", lang=lang, nama=listed)
    elif crumb.level == levels.PROVINSI:
        area = t("area.provinsi", lang=lang, nama=crumb.nama)
    else:
        area = crumb.nama
    if state.puskesmas is None:
        return area
    named = puskesmas_name(state.puskesmas, options, lang=lang)
    return named if len(crumbs) == 1 else f"{area}, {named}"


def puskesmas_name(kode: str, options: FilterOptions, *, lang: str) -> str:
    """The name of puskesmas ``kode`` with "Puskesmas" before it (unless it starts so; the code when unknown)."""
    nama = options.puskesmas.get(kode, (kode, ()))[0]
    return nama if nama.lower().startswith("puskesmas") else t("area.puskesmas", lang=lang, nama=nama)
