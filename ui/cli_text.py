"""argparse's own messages in Indonesian, for ``python cli.py`` (pure: never imports streamlit).

argparse writes its headings and errors ("usage:", "options", "the following
arguments are required", "invalid choice", ...) through the module globals
``argparse._`` and ``argparse.ngettext`` (:mod:`gettext`'s default domain).
:class:`IndonesianParser` swaps those two globals for :data:`CATALOGUE` only
while one of its own methods runs (building, parsing, help, errors) and puts
the originals back afterwards, so other parsers in the same process keep
argparse's English.

It lives in :mod:`ui` beside :mod:`ui.i18n` because it is interface text; it
imports only the standard library, so the CLI's ``--help`` stays quick and the
module is safe outside a Streamlit run.
"""

from __future__ import annotations

import argparse
import functools
import gettext
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final, NoReturn, TypeVar

# argparse's message ids (Python 3.11 to 3.13) -> Indonesian. A message not listed stays English.
MESSAGES: Final[Mapping[str, str]] = {
    "usage: ": "pemakaian: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "optional arguments": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "subcommands": "perintah",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "pilihan tidak sah: %(value)r (pilih salah satu: %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "pilihan tidak sah: %(value)r, mungkin maksud Anda %(closest)r? (pilih salah satu: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "nilai %r diabaikan",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "unexpected option string: %s": "opsi tak terduga: %s",
    "can't open '%(filename)s': %(error)s": "tidak dapat membuka '%(filename)s': %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)"
    ),
}
# ngettext's (singular, plural) -> Indonesian (no plural form).
PLURALS: Final[Mapping[tuple[str, str], str]] = {
    ("expected %s argument", "expected %s arguments"): "perlu %s nilai",
    ("conflicting option string: %s", "conflicting option strings: %s"): "string opsi bentrok: %s",
}


class IndonesianCatalogue(gettext.NullTranslations):
    """A gettext catalogue held in :data:`MESSAGES` and :data:`PLURALS` (no .mo file to compile or ship)."""

    def gettext(self, message: str) -> str:
        """The Indonesian text of ``message``, or ``message`` itself when it is not listed."""
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """The Indonesian text of a plural message (one form for every ``n``)."""
        return PLURALS.get((msgid1, msgid2), msgid1 if n == 1 else msgid2)


CATALOGUE: Final = IndonesianCatalogue()


@contextmanager
def indonesian_argparse() -> Iterator[None]:
    """Within the block, argparse's messages come from :data:`CATALOGUE` (the originals are restored after)."""
    saved = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    argparse._ = CATALOGUE.gettext  # type: ignore[attr-defined]
    argparse.ngettext = CATALOGUE.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


_F = TypeVar("_F", bound=Callable[..., Any])


def _in_indonesian(method: _F) -> _F:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with indonesian_argparse():
            return method(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class IndonesianParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose own texts (headings, errors) are Indonesian.

    Subparsers made by :meth:`add_subparsers` are of this class too (argparse's default).
    """

    __init__ = _in_indonesian(argparse.ArgumentParser.__init__)
    add_subparsers = _in_indonesian(argparse.ArgumentParser.add_subparsers)
    add_argument = _in_indonesian(argparse.ArgumentParser.add_argument)
    parse_args = _in_indonesian(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_indonesian(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_indonesian(argparse.ArgumentParser.format_usage)
    format_help = _in_indonesian(argparse.ArgumentParser.format_help)

    @_in_indonesian
    def error(self, message: str) -> NoReturn:
        """Print the usage and ``message`` in Indonesian, exit 2 (argparse's own behaviour)."""
        super().error(message)
