"""The engine rules on the Data page: shown with their help text, adjustable for the session.

The rules (:class:`geo.rules.Rules`) are kept in the session
(:func:`ui.session.set_rules`); :func:`ui.context.prepare` reads them on every
run, so every page computes with them. Rules that differ from the defaults
are also written into the page address (``min_bulan``, ``jendela``, ... see
:mod:`ui.state`), so a shared link computes with the same rules. Labels and
help come from :data:`geo.rules.RULE_HELP` in the interface language; the
input limits are the URL's (:data:`ui.state.RULE_LIMITS`).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Final

import streamlit as st

from geo.rules import RULE_HELP, Rules
from loaders.exceptions import InputError
from ui import session
from ui.context import PageContext
from ui.fmt import fmt_num
from ui.i18n import get_language, t
from ui.state import RULE_LIMITS
from ui.table_format import plain_markdown

K_RULES_NOTE: Final = "ilp_rules_note"  # i18n key of the message to show once
K_RULES_REVISION: Final = "ilp_rules_rev"
FLOAT_STEPS: Final[dict[str, float]] = {"jarak_maks_pustu_km": 0.5, "duplikat_radius_m": 10.0}
FLOAT_DECIMALS: Final[dict[str, int]] = {"jarak_maks_pustu_km": 1, "duplikat_radius_m": 0}  # metres: whole
FLOAT_FORMATS: Final[dict[str, str]] = {name: f"%.{d}f" for name, d in FLOAT_DECIMALS.items()}
INTEGER_LIMITS: Final[dict[str, tuple[int, int]]] = {
    name: (int(low), int(high)) for name, (low, high) in RULE_LIMITS.items() if name not in FLOAT_STEPS
}
FLOAT_LIMITS: Final[dict[str, tuple[float, float, float]]] = {  # min, max, step
    name: (float(RULE_LIMITS[name][0]), float(RULE_LIMITS[name][1]), step) for name, step in FLOAT_STEPS.items()
}


def rule_label(name: str, *, lang: str | None = None) -> str:
    """Label of a rule in the interface language."""
    entry = RULE_HELP[name]
    return entry.label_en if (lang or get_language()) == "en" else entry.label_id


def rule_help(name: str, *, lang: str | None = None) -> str:
    """Help text of a rule in the interface language."""
    entry = RULE_HELP[name]
    return entry.help_en if (lang or get_language()) == "en" else entry.help_id


def rule_caption(name: str) -> str:
    """Help text of a rule followed by its default ("Bawaan: 12."), unless the help already states it."""
    help_text = rule_help(name)
    default_word = t("aturan.bawaan_nilai", nilai="").strip(" .")  # "Bawaan:" / "Default:"
    if default_word in help_text:
        return help_text
    return f"{help_text} {t('aturan.bawaan_nilai', nilai=rule_value_text(name, getattr(Rules(), name)))}"


def value_text(value: object, *, decimals: int = 1) -> str:
    """A rule value for display (Ya/Tidak, Indonesian decimals)."""
    if isinstance(value, bool):
        return t("umum.ya") if value else t("umum.tidak")
    if isinstance(value, float):
        return fmt_num(value, decimals=decimals)
    return str(value)


def rule_value_text(name: str, value: object) -> str:
    """The value of rule ``name`` as its input shows it (whole metres, kilometres with one decimal).

    A value with more decimals than its input shows (e.g. ``duplikat_m=125.5`` from a link) keeps one.
    """
    decimals = FLOAT_DECIMALS.get(name, 1)
    if isinstance(value, float) and round(value, decimals) != value:
        decimals = max(decimals, 1)
    return value_text(value, decimals=decimals)


def changed_rules(rules: Rules) -> list[str]:
    """Names of the rules that differ from the defaults."""
    default = Rules()
    return [f.name for f in fields(Rules) if getattr(rules, f.name) != getattr(default, f.name)]


def rules_from_values(values: dict[str, object]) -> Rules:
    """Validated :class:`Rules` from form values (InputError with the Indonesian reason)."""
    return Rules().replace(**values)


def render(ctx: PageContext) -> None:
    """Draw the rules form; applying valid rules reruns every computation with them."""
    note = st.session_state.pop(K_RULES_NOTE, None)
    if note:
        st.success(t(note), icon=":material/tune:")
    current = ctx.rules
    st.caption(t("aturan.help"))
    changed = changed_rules(current)
    if changed:
        listed = ", ".join(f"{rule_label(n)}: {rule_value_text(n, getattr(current, n))}" for n in changed)
        st.info(t("aturan.berubah", daftar=listed), icon=":material/tune:")
    revision = int(st.session_state.get(K_RULES_REVISION, 0))
    with st.form(f"ilp_rules_form_{revision}"):
        values: dict[str, object] = {}
        grid = st.columns(2, gap="large")
        for i, spec in enumerate(fields(Rules)):
            with grid[i % 2]:
                key = f"ilp_rule_{spec.name}_{revision}"
                values[spec.name] = _rule_input(spec.name, getattr(current, spec.name), key=key)
                st.caption(rule_caption(spec.name))
        submitted = st.form_submit_button(t("aturan.terapkan"), icon=":material/check:", type="primary")
    st.button(t("aturan.bawaan"), on_click=_reset, disabled=not changed, key="ilp_rules_reset", icon=":material/undo:")
    if not submitted:
        return
    try:
        rules = rules_from_values(values)
    except InputError as exc:
        st.error(t("aturan.tidak_sah", pesan=plain_markdown(exc)), icon=":material/error:")
        return
    if rules == current:
        st.caption(t("aturan.sama"))
        return
    session.set_rules(rules)
    st.session_state[K_RULES_NOTE] = "aturan.diterapkan"
    st.session_state[K_RULES_REVISION] = revision + 1
    st.rerun()


def _rule_input(name: str, value: object, *, key: str) -> object:
    """The input widget of one rule; returns its value."""
    if isinstance(value, bool):
        return st.toggle(rule_label(name), value=value, key=key)
    if name in INTEGER_LIMITS:
        low, high = INTEGER_LIMITS[name]
        return int(st.number_input(rule_label(name), min_value=low, max_value=high, value=int(value), step=1, key=key))
    low_f, high_f, step = FLOAT_LIMITS[name]
    number = st.number_input(
        rule_label(name), min_value=low_f, max_value=high_f, value=float(value), step=step, format=FLOAT_FORMATS[name],
        key=key,
    )
    return float(number)


def _reset() -> None:
    session.set_rules(Rules())
    st.session_state[K_RULES_NOTE] = "aturan.dikembalikan"
    st.session_state[K_RULES_REVISION] = int(st.session_state.get(K_RULES_REVISION, 0)) + 1
