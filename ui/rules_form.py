"""The engine rules on the Data page: shown with their help text, adjustable for the session.

The rules (:class:`geo.rules.Rules`) are kept in the session
(:func:`ui.session.set_rules`); :func:`ui.context.prepare` reads them on every
run, so every page computes with them. Rules that differ from the defaults
are also written into the page address (``min_bulan``, ``jendela``, ... see
:mod:`ui.state`), so a shared link computes with the same rules. Labels and
help, the input limits (the URL's too), step and decimals come from the
rule registry :data:`geo.rules.RULES`; one input per rule, in its order.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from geo.rules import RULE_BY_FIELD, RULES, Rules
from loaders.exceptions import InputError
from ui import session
from ui.access import Access, require_write
from ui.context import PageContext
from ui.fmt import fmt_num
from ui.i18n import get_language, t
from ui.table_format import plain_markdown

K_RULES_NOTE: Final = "ilp_rules_note"  # i18n key of the message to show once
K_RULES_REVISION: Final = "ilp_rules_rev"
DEFAULT_DECIMALS: Final = 1  # a decimal rule without its own decimals


def rule_label(name: str, *, lang: str | None = None) -> str:
    """Label of a rule in the interface language."""
    entry = RULE_BY_FIELD[name].help
    return entry.label_en if (lang or get_language()) == "en" else entry.label_id


def rule_help(name: str, *, lang: str | None = None) -> str:
    """Help text of a rule in the interface language."""
    entry = RULE_BY_FIELD[name].help
    return entry.help_en if (lang or get_language()) == "en" else entry.help_id


def rule_caption(name: str) -> str:
    """Help text of a rule followed by its default ("Bawaan: 12."), unless the help already states it."""
    help_text = rule_help(name)
    default_word = t("aturan.bawaan_nilai", nilai="").strip(" .")  # "Bawaan:" / "Default:"
    if default_word in help_text:
        return help_text
    return f"{help_text} {t('aturan.bawaan_nilai', nilai=rule_value_text(name, RULE_BY_FIELD[name].default))}"


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
    spec_decimals = RULE_BY_FIELD[name].decimals
    decimals = DEFAULT_DECIMALS if spec_decimals is None else spec_decimals
    if isinstance(value, float) and round(value, decimals) != value:
        decimals = max(decimals, 1)
    return value_text(value, decimals=decimals)


def changed_rules(rules: Rules) -> list[str]:
    """Names of the rules that differ from the defaults."""
    return [spec.field for spec in RULES if getattr(rules, spec.field) != spec.default]


def rules_from_values(values: dict[str, object]) -> Rules:
    """Validated :class:`Rules` from form values (InputError with the Indonesian reason)."""
    return Rules().replace(**values)


def apply_as(access: Access, rules: Rules) -> None:
    """Use ``rules`` for this session's pages (the rules form's apply); refused for non-admins.

    Raises :class:`~ui.access.WriteRefused` when ``access`` may not change data. (Rules are session
    state and part of the URL, not stored: a link's rules still apply to the view of whoever opens it.)
    """
    require_write(access)
    session.set_rules(rules)


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
        for i, spec in enumerate(RULES):
            with grid[i % 2]:
                key = f"ilp_rule_{spec.field}_{revision}"
                values[spec.field] = _rule_input(spec.field, getattr(current, spec.field), key=key)
                st.caption(rule_caption(spec.field))
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
    try:
        apply_as(ctx.access, rules)
    except InputError as exc:  # WriteRefused: not an admin
        st.error(plain_markdown(exc), icon=":material/block:")
        return
    st.session_state[K_RULES_NOTE] = "aturan.diterapkan"
    st.session_state[K_RULES_REVISION] = revision + 1
    st.rerun()


def _rule_input(name: str, value: object, *, key: str) -> object:
    """The input widget of one rule (toggle, whole or decimal number, from its RuleSpec); returns its value."""
    spec = RULE_BY_FIELD[name]
    if spec.kind is bool:
        return st.toggle(rule_label(name), value=bool(value), key=key)
    assert spec.low is not None and spec.high is not None, name  # every number rule has limits (test_registries)
    if spec.kind is int:
        low, high = int(spec.low), int(spec.high)
        return int(st.number_input(rule_label(name), min_value=low, max_value=high, value=int(value), step=1, key=key))
    decimals = DEFAULT_DECIMALS if spec.decimals is None else spec.decimals
    number = st.number_input(
        rule_label(name),
        min_value=float(spec.low),
        max_value=float(spec.high),
        value=float(value),
        step=spec.step if spec.step is not None else 10.0**-decimals,
        format=f"%.{decimals}f",
        key=key,
    )
    return float(number)


def _reset() -> None:
    session.set_rules(Rules())
    st.session_state[K_RULES_NOTE] = "aturan.dikembalikan"
    st.session_state[K_RULES_REVISION] = int(st.session_state.get(K_RULES_REVISION, 0)) + 1
