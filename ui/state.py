"""The dashboard's view state and its URL form (pure: no streamlit here).

The view a user sees (filters, month, language, mode, selected desa) is one
:class:`ViewState`. It lives in ``st.session_state`` (see :mod:`ui.session`),
is seeded once from the address bar and written back to it on every run, so
copying the address reproduces the exact view on any page.

URL keys (codes, never names; several values comma separated)::

    provinsi=32                     one provinsi code
    kabupaten=32.06                 one kabupaten/kota code
    kecamatan=32.06.01,32.06.02     kecamatan codes
    puskesmas=P3206190201           one puskesmas code
    status=tanpa_pustu,tanpa_keduanya
    bulan=2026-10                   YYYY-MM
    banding=2025-12                 YYYY-MM: the month the Bandingkan page compares ``bulan`` with
    desa=32.06.01.2001              the desa opened on the Desa page
    kelompok=puskesmas              Ringkasan bar chart grouping (bawaan kecamatan)
    warna=tenaga                    what the Peta Kesenjangan map colours by: status (bawaan) | tenaga (pustu staffing)
    lang=en                         interface language (bawaan id)
    mode=presentasi                 presentation mode

Engine rules (:class:`geo.rules.Rules`), only when they differ from the
defaults: one key per rule, :attr:`geo.rules.RuleSpec.url_key` of
:data:`geo.rules.RULES` (e.g. ``min_bulan=9``, ``pkm_pustu=1``,
``jarak_km=2.5``; "2,5" is accepted too). A value must lie within the rule's
``low``/``high``, the limits of the Data page's rules form, so every rule a
link carries can be shown there. The rules are checked together
with :class:`~geo.rules.Rules`: a minimum above the window ignores both
``min_bulan`` and ``jendela`` (note ``aturan_bentrok``).

Two steps check a URL:

1. :func:`parse_query` checks the *form* of every parameter. Unknown keys and
   malformed values are ignored and reported as :class:`Note` objects; this
   never raises.
2. :func:`reconcile` checks the *content* against the data actually loaded
   (:class:`FilterOptions`): codes that do not exist, a kabupaten outside the
   chosen provinsi, a kecamatan outside the chosen kabupaten (or provinsi), a
   month without reports (``bulan`` or ``banding``). Those values are dropped, also
   with a note. It also fills in the default month (the latest one); ``banding``
   has no default here (the Bandingkan page takes :func:`geo.compare.default_before`).

:func:`serialise` is the inverse of :func:`parse_query`:
``parse_query(serialise(s)).state == s`` for every valid state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Final

from geo import statuses
from geo.rules import RULE_BY_FIELD, RULES, Rules
from loaders.exceptions import InputError
from loaders.limits import MAX_URL_NOTES, MAX_URL_PARAMS, MAX_URL_VALUE_CHARS, MAX_URL_VALUES
from ui.fmt import fmt_int, parse_month

STATUSES: Final = statuses.CODES  # the status registry's codes, in the one display order (filter, legends, charts)
LANGUAGES: Final = ("id", "en")
MODE_NORMAL: Final = "normal"
MODE_PRESENTASI: Final = "presentasi"
MODES: Final = (MODE_NORMAL, MODE_PRESENTASI)
GROUPINGS: Final = ("provinsi", "kabupaten", "kecamatan", "puskesmas")  # Ringkasan bars: ui.scope.groupings
WARNA_STATUS: Final = "status"  # the map colours desa by status (units by share of desa with a gap)
WARNA_TENAGA: Final = "tenaga"  # the map colours by pustu staffing (geo.staffing)
COLOURINGS: Final = (WARNA_STATUS, WARNA_TENAGA)

KEY_PROVINSI: Final = "provinsi"
KEY_KABUPATEN: Final = "kabupaten"
KEY_KECAMATAN: Final = "kecamatan"
KEY_PUSKESMAS: Final = "puskesmas"
KEY_STATUS: Final = "status"
KEY_BULAN: Final = "bulan"
KEY_BANDING: Final = "banding"
KEY_DESA: Final = "desa"
KEY_KELOMPOK: Final = "kelompok"
KEY_WARNA: Final = "warna"
KEY_LANG: Final = "lang"
KEY_MODE: Final = "mode"
VIEW_KEYS: Final = (
    KEY_PROVINSI,
    KEY_KABUPATEN,
    KEY_KECAMATAN,
    KEY_PUSKESMAS,
    KEY_STATUS,
    KEY_BULAN,
    KEY_BANDING,
    KEY_DESA,
    KEY_KELOMPOK,
    KEY_WARNA,
    KEY_LANG,
    KEY_MODE,
)
# Engine rules, derived from the registry geo.rules.RULES: URL key -> field of Rules (URL order)
KEY_MIN_BULAN: Final = RULE_BY_FIELD["posyandu_min_bulan"].url_key
KEY_JENDELA: Final = RULE_BY_FIELD["posyandu_jendela_bulan"].url_key
RULE_KEYS: Final[dict[str, str]] = {spec.url_key: spec.field for spec in RULES}
# Rules field -> (lowest, highest) value a URL (and the rules form) accepts; yes/no rules have none
RULE_LIMITS: Final[dict[str, tuple[float, float]]] = {
    spec.field: (spec.low, spec.high) for spec in RULES if spec.low is not None and spec.high is not None
}
URL_KEYS: Final = (*VIEW_KEYS, *RULE_KEYS)
MULTI_KEYS: Final = frozenset({KEY_KECAMATAN, KEY_STATUS})
# Streamlit's own parameters: passed through silently, never reported.
IGNORED_KEYS: Final = frozenset({"embed", "embed_options"})
# How many parameters the browser left out of an address too long for Streamlit (ui.layout.ADDRESS_GUARD_JS).
KEY_IGNORED: Final = "diabaikan"
_COUNT_RE: Final = re.compile(r"^[0-9]{1,9}$")

# Codes: Kemendagri dotted codes, BPS digits, puskesmas codes like P3206190201.
_CODE_RE: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")
_INT_RE: Final = re.compile(r"^[0-9]{1,4}$")
_DECIMAL_RE: Final = re.compile(r"^[0-9]{1,5}([.,][0-9]{1,6})?$")

# Note kinds
UNKNOWN_KEY: Final = "tidak_dikenal"
MALFORMED: Final = "tidak_sah"
REPEATED: Final = "berulang"
NOT_IN_DATA: Final = "tidak_ada_di_data"
RULES_CONFLICT: Final = "aturan_bentrok"
MORE: Final = "lainnya"  # the notes (and unread parameters) beyond MAX_URL_NOTES, counted in ``value``
CUT: Final = "…"  # ends a value cut at MAX_URL_VALUE_CHARS (never valid, so it is reported)


@dataclass(frozen=True)
class ViewState:
    """Everything that defines what the dashboard shows.

    ``None`` / empty tuple mean "no filter"; ``bulan`` None means "the latest
    month" until :func:`reconcile` fills it in. ``aturan`` are the engine
    rules every page computes with.
    """

    provinsi: str | None = None
    kabupaten: str | None = None
    kecamatan: tuple[str, ...] = ()
    puskesmas: str | None = None
    status: tuple[str, ...] = ()
    bulan: str | None = None
    banding: str | None = None
    desa: str | None = None
    kelompok: str = "kecamatan"
    warna: str = WARNA_STATUS
    lang: str = "id"
    mode: str = MODE_NORMAL
    aturan: Rules = Rules()

    @property
    def presentasi(self) -> bool:
        """True in presentation mode."""
        return self.mode == MODE_PRESENTASI

    def has_filters(self) -> bool:
        """True when any desa filter (not month, language or mode) is set."""
        return bool(self.provinsi or self.kabupaten or self.kecamatan or self.puskesmas or self.status)


@dataclass(frozen=True)
class Note:
    """One URL parameter (or value) that was ignored, and why.

    ``kind`` is one of ``tidak_dikenal`` (unknown key), ``tidak_sah``
    (malformed value), ``berulang`` (a single-valued key given several
    times; the last value is used), ``aturan_bentrok`` (a well-formed rule
    that contradicts another: minimum months above the window) or
    ``tidak_ada_di_data`` (a well-formed code that the loaded data does not
    contain). ``lainnya`` closes a long list: ``value`` counts the notes not
    listed and the parameters not read (:data:`~loaders.limits.MAX_URL_NOTES`,
    :data:`~loaders.limits.MAX_URL_PARAMS`); its ``key`` is empty.
    """

    kind: str
    key: str
    value: str


@dataclass(frozen=True)
class ParseResult:
    """The state read from a URL and the notes about what was ignored."""

    state: ViewState
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class FilterOptions:
    """What the loaded data offers to filter on (built by :mod:`ui.data`).

    Attributes
    ----------
    kabupaten
        kode_kabupaten -> nama_kabupaten.
    kecamatan
        kode_kecamatan -> (nama_kecamatan, kode_kabupaten).
    puskesmas
        kode_puskesmas -> (nama_puskesmas, kode_kabupaten of the desa it serves).
    months
        Report months, ascending (YYYY-MM).
    desa
        Every kode_desa.
    provinsi
        kode_provinsi -> nama_provinsi.
    kabupaten_provinsi
        kode_kabupaten -> kode_provinsi (only kabupaten whose desa name a provinsi).
    puskesmas_kecamatan
        kode_puskesmas -> kode_kecamatan of the desa it serves (sorted).
    """

    kabupaten: Mapping[str, str] = field(default_factory=dict)
    kecamatan: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    puskesmas: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    months: tuple[str, ...] = ()
    desa: frozenset[str] = frozenset()
    provinsi: Mapping[str, str] = field(default_factory=dict)
    kabupaten_provinsi: Mapping[str, str] = field(default_factory=dict)
    puskesmas_kecamatan: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def latest_month(self) -> str | None:
        """The latest report month, or None when there are no reports."""
        return self.months[-1] if self.months else None

    def kabupaten_in(self, provinsi: str | None) -> list[str]:
        """Kabupaten/kota codes of ``provinsi`` (all when None), sorted by name."""
        codes = [k for k in self.kabupaten if provinsi is None or self.kabupaten_provinsi.get(k) == provinsi]
        return sorted(codes, key=lambda k: (self.kabupaten[k], k))

    def _in_area(self, kabupaten: str, *, within: str | None, provinsi: str | None) -> bool:
        """True when ``kabupaten`` is ``within`` (when given) and lies in ``provinsi`` (when given)."""
        if within is not None and kabupaten != within:
            return False
        return provinsi is None or self.kabupaten_provinsi.get(kabupaten) == provinsi

    def kecamatan_in(self, kabupaten: str | None, *, provinsi: str | None = None) -> list[str]:
        """Kecamatan codes of ``kabupaten`` and ``provinsi`` (None: no limit), sorted by name."""
        codes = [k for k, (_, kab) in self.kecamatan.items() if self._in_area(kab, within=kabupaten, provinsi=provinsi)]
        return sorted(codes, key=lambda k: (self.kecamatan[k][0], k))

    def puskesmas_in(self, kabupaten: str | None, *, provinsi: str | None = None) -> list[str]:
        """Puskesmas codes serving desa of ``kabupaten`` and ``provinsi`` (None: no limit), sorted by name."""
        codes = [
            k
            for k, (_, kabs) in self.puskesmas.items()
            if any(self._in_area(kab, within=kabupaten, provinsi=provinsi) for kab in kabs)
            or (kabupaten is None and provinsi is None)
        ]
        return sorted(codes, key=lambda k: (self.puskesmas[k][0], k))


# -- parsing -------------------------------------------------------------------
def _bounded(text: object) -> str:
    """``text`` cut at :data:`~loaders.limits.MAX_URL_VALUE_CHARS` (ending in "…", so never valid)."""
    value = str(text)
    return value if len(value) <= MAX_URL_VALUE_CHARS else value[:MAX_URL_VALUE_CHARS] + CUT


def _values(raw: str | Sequence[str]) -> list[str]:
    """The values of one parameter: repeated occurrences and comma lists, stripped (at most MAX_URL_VALUES)."""
    values: list[str] = []
    for occurrence in _occurrences(raw):
        values.extend(part.strip() for part in occurrence.split(",", MAX_URL_VALUES)[:MAX_URL_VALUES])
    return values[:MAX_URL_VALUES]


def _occurrences(raw: str | Sequence[str]) -> list[str]:
    """The occurrences of one parameter, each bounded and stripped (at most MAX_URL_VALUES)."""
    given = [raw] if isinstance(raw, str) else list(islice(raw, MAX_URL_VALUES))
    return [_bounded(v).strip() for v in given]


def _dedupe(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _is_code(value: str) -> bool:
    return bool(_CODE_RE.match(value))


def _valid_single(key: str, value: str) -> bool:
    if key in (KEY_PROVINSI, KEY_KABUPATEN, KEY_PUSKESMAS, KEY_DESA):
        return _is_code(value)
    if key in (KEY_BULAN, KEY_BANDING):
        return parse_month(value) is not None
    if key == KEY_LANG:
        return value in LANGUAGES
    if key == KEY_MODE:
        return value in MODES
    if key == KEY_KELOMPOK:
        return value in GROUPINGS
    if key == KEY_WARNA:
        return value in COLOURINGS
    return False


def _rule_value(key: str, value: str) -> int | float | bool | None:
    """The value of rule parameter ``key`` (a :data:`RULE_KEYS` key), or None when malformed or out of range."""
    spec = RULE_BY_FIELD[RULE_KEYS[key]]
    if spec.kind is bool:
        return {"0": False, "1": True}.get(value)
    if spec.kind is int:
        number: int | float | None = int(value) if _INT_RE.match(value) else None
    else:
        number = float(value.replace(",", ".")) if _DECIMAL_RE.match(value) else None
    return number if number is not None and spec.within(number) else None


def _rules_from(given: Mapping[str, tuple[str, int | float | bool]]) -> tuple[Rules, tuple[Note, ...]]:
    """Rules from well-formed rule parameters (key -> (text, value)); conflicting ones are ignored.

    The one check across rules is the minimum months against the window:
    when it fails, both ``min_bulan`` and ``jendela`` given in the URL are
    ignored (each with a note) and the other rules are kept.
    """
    try:
        return Rules().replace(**{RULE_KEYS[k]: v for k, (_, v) in given.items()}), ()
    except InputError:
        pass
    dropped = [k for k in given if k in (KEY_MIN_BULAN, KEY_JENDELA)]
    try:
        rules = Rules().replace(**{RULE_KEYS[k]: v for k, (_, v) in given.items() if k not in dropped})
    except InputError:  # not reachable with today's Rules checks; ignore every rule rather than fail
        rules, dropped = Rules(), list(given)
    return rules, tuple(Note(RULES_CONFLICT, k, given[k][0]) for k in dropped)


def _valid_multi(key: str, value: str) -> bool:
    return value in STATUSES if key == KEY_STATUS else _is_code(value)


def parse_query(params: Mapping[str, str | Sequence[str]]) -> ParseResult:
    """Read a :class:`ViewState` from URL query parameters; never raises.

    Parameters
    ----------
    params
        Key -> value, or key -> every value of a repeated key (as
        ``st.query_params.get_all`` gives them).

    Returns
    -------
    ParseResult
        The state (defaults where a parameter is absent, empty or invalid)
        and one :class:`Note` per ignored key or value, in URL order, then
        the notes on rules that contradict each other. At most
        :data:`~loaders.limits.MAX_URL_NOTES` notes are listed; a last
        ``lainnya`` note counts the rest, with the parameters after the first
        :data:`~loaders.limits.MAX_URL_PARAMS` (not read at all).
    """
    notes: list[Note] = []
    values: dict[str, object] = {}
    rules: dict[str, tuple[str, int | float | bool]] = {}
    unread = max(len(params) - MAX_URL_PARAMS, 0)  # not read at all, only counted
    for key, raw in islice(params.items(), MAX_URL_PARAMS):
        if key in IGNORED_KEYS:
            continue
        if key == KEY_IGNORED:
            count = _occurrences(raw)[-1] if _occurrences(raw) else ""
            if _COUNT_RE.match(count):
                unread += int(count)
            else:
                notes.append(Note(MALFORMED, key, count))
            continue
        if key not in URL_KEYS:
            if len(notes) < MAX_URL_NOTES:
                notes.append(Note(UNKNOWN_KEY, _bounded(key), _bounded(",".join(_occurrences(raw)))))
            else:  # only counted: its value is never read
                unread += 1
            continue
        if key in MULTI_KEYS:
            good = [v for v in _values(raw) if v and _valid_multi(key, v)]
            notes.extend(Note(MALFORMED, key, v) for v in _values(raw) if v and not _valid_multi(key, v))
            values[key] = _dedupe(good)
            continue
        given = [v for v in _occurrences(raw) if v]
        if not given:
            continue
        if len(set(given)) > 1:
            notes.append(Note(REPEATED, key, _bounded(",".join(given))))
        value = given[-1]
        rule = _rule_value(key, value) if key in RULE_KEYS else None
        if rule is not None:
            rules[key] = (value, rule)
        elif key not in RULE_KEYS and _valid_single(key, value):
            values[key] = value
        else:
            notes.append(Note(MALFORMED, key, value))
    aturan, conflicts = _rules_from(rules)
    listed = _listed((*notes, *conflicts), unread=unread)
    return ParseResult(ViewState(**values, aturan=aturan), listed)  # type: ignore[arg-type]


def _listed(notes: Sequence[Note], *, unread: int) -> tuple[Note, ...]:
    """The first MAX_URL_NOTES notes, then one ``lainnya`` note counting the rest and the unread parameters."""
    rest = max(len(notes) - MAX_URL_NOTES, 0) + unread
    if not rest:
        return tuple(notes)
    return (*notes[:MAX_URL_NOTES], Note(MORE, "", fmt_int(rest)))


def serialise(state: ViewState) -> dict[str, str]:
    """Return the URL query parameters of ``state`` (defaults left out), in a fixed order."""
    defaults = ViewState()
    out: dict[str, str] = {}
    for key in VIEW_KEYS:
        value = getattr(state, key)
        if value == getattr(defaults, key):
            continue
        out[key] = ",".join(value) if isinstance(value, tuple) else str(value)
    for key, name in RULE_KEYS.items():
        rule = getattr(state.aturan, name)
        if rule != getattr(defaults.aturan, name):
            out[key] = _rule_text(rule)
    return out


def _rule_text(value: object) -> str:
    """A rule value in the URL: 0/1, whole numbers without ".0", else the shortest exact decimal."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


# -- checking against the data ---------------------------------------------------
def reconcile(state: ViewState, options: FilterOptions) -> tuple[ViewState, tuple[Note, ...]]:
    """Drop values that the loaded data does not contain and fill in the default month.

    Parameters
    ----------
    state
        A syntactically valid state (from :func:`parse_query` or the widgets).
    options
        What the data offers.

    Returns
    -------
    tuple
        The cleaned state and one ``tidak_ada_di_data`` note per dropped value.
        A kabupaten outside the chosen provinsi, and a kecamatan or puskesmas
        outside the chosen kabupaten (or provinsi), count as not in the data.
        A month without reports becomes the latest month.
    """
    notes: list[Note] = []
    provinsi = state.provinsi
    if provinsi is not None and provinsi not in options.provinsi:
        notes.append(Note(NOT_IN_DATA, KEY_PROVINSI, provinsi))
        provinsi = None
    kabupaten = state.kabupaten
    if kabupaten is not None and kabupaten not in set(options.kabupaten_in(provinsi)):
        notes.append(Note(NOT_IN_DATA, KEY_KABUPATEN, kabupaten))
        kabupaten = None
    allowed_kec = set(options.kecamatan_in(kabupaten, provinsi=provinsi))
    kecamatan = tuple(k for k in state.kecamatan if k in allowed_kec)
    notes.extend(Note(NOT_IN_DATA, KEY_KECAMATAN, k) for k in state.kecamatan if k not in allowed_kec)
    puskesmas = state.puskesmas
    if puskesmas is not None and puskesmas not in set(options.puskesmas_in(kabupaten, provinsi=provinsi)):
        notes.append(Note(NOT_IN_DATA, KEY_PUSKESMAS, puskesmas))
        puskesmas = None
    bulan = state.bulan
    if bulan is not None and bulan not in options.months:
        notes.append(Note(NOT_IN_DATA, KEY_BULAN, bulan))
        bulan = None
    banding = state.banding
    if banding is not None and banding not in options.months:
        notes.append(Note(NOT_IN_DATA, KEY_BANDING, banding))
        banding = None
    desa = state.desa
    if desa is not None and desa not in options.desa:
        notes.append(Note(NOT_IN_DATA, KEY_DESA, desa))
        desa = None
    cleaned = replace(
        state,
        provinsi=provinsi,
        kabupaten=kabupaten,
        kecamatan=kecamatan,
        puskesmas=puskesmas,
        bulan=bulan if bulan is not None else options.latest_month,
        banding=banding,
        desa=desa,
    )
    return cleaned, tuple(notes)
