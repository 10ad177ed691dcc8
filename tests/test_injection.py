"""Markdown and link injection: names, headers and URL values never become images, links or HTML.

Every page runs (AppTest) on a store whose kabupaten, kecamatan, provinsi,
puskesmas, pustu, posyandu and desa names are Markdown/HTML payloads, with
the filters that put those names into the scope line; the Data page also gets
an upload whose file name and column headers are payloads, and the URL an
unknown parameter that is one. Every string Streamlit reads as Markdown
(bodies of markdown, captions, headings and alerts; labels and help texts of
widgets, metrics, tabs and expanders; radio and button-group options) must
hold no unescaped image, link, HTML, directive or bare URL.
:func:`ui.table_format.plain_markdown` is also checked case by case.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pandas as pd
import pytest
from google.protobuf.message import Message
from page_support import DATA_PAGE, DESA_PAGE, PUSKESMAS_PAGE, assert_no_exception, run_page, tiny_store
from streamlit.testing.v1 import AppTest

from geo.statuses import STATUSES
from loaders.store import ChangeRecord, Store
from ui.charts import gap_bar_chart
from ui.table_format import WORD_JOINER, plain_code, plain_markdown

HOST: Final = "198.51.100.7"
PAYLOADS: Final = (
    f"![x](http://{HOST}/a.png)",
    f"[x](http://{HOST}/)",
    f"http://{HOST}/b",
    "www.example.com",
    f"<img src=http://{HOST}/c.png>",
    ":red[x]",
    f'<a href="http://{HOST}/d">tautan</a>',
)
COMBINED: Final = " ".join(PAYLOADS)  # every payload in one name
KODE_KABUPATEN: Final = "99.01"
KODE_KECAMATAN: Final = "99.01.01"
KODE_PUSKESMAS: Final = "P9901010101"
KODE_DESA: Final = tuple(f"99.01.01.200{i}" for i in range(1, 6))
PAGES: Final = ("pages/ringkasan.py", "pages/peta.py", PUSKESMAS_PAGE, DESA_PAGE, DATA_PAGE)
SCOPE_QUERY: Final = {"kabupaten": KODE_KABUPATEN, "kecamatan": KODE_KECAMATAN, "puskesmas": KODE_PUSKESMAS}
# Element types whose strings are not Markdown (HTML/CSS we write, iframes, data, charts).
NOT_MARKDOWN_TYPES: Final = frozenset({"html", "component_instance", "iframe", "arrow_data_frame", "plotly_chart"})
MARKDOWN_FIELDS: Final = frozenset({"body", "label", "help", "tooltip"})
OPTION_TYPES: Final = frozenset({"radio", "button_group"})  # their option labels are Markdown too
ESCAPED: Final = re.compile(r"\\.", flags=re.DOTALL)
TOKENS: Final = re.compile(
    r"\\(?P<escaped>.)|(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))|(?P<other>.)", re.DOTALL
)


@pytest.fixture(autouse=True)
def _uploads_in_tmp_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "unggahan"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def write_hostile_store(path: Path) -> Store:
    """The tiny store (``page_support.tiny_store``) at ``path`` with every name replaced by a payload."""
    store = tiny_store(path)
    desa = store.read_desa()
    desa["nama_desa"] = [*PAYLOADS[:4], f"Desa {COMBINED}"]
    desa["nama_kecamatan"] = f"Kec {COMBINED}"
    desa["nama_kabupaten"] = f"Kab {COMBINED}"
    desa["nama_provinsi"] = f"Prov {COMBINED}"
    fasilitas = store.read_fasilitas()
    fasilitas["nama"] = [f"{jenis} {i} {PAYLOADS[i % len(PAYLOADS)]}" for i, jenis in enumerate(fasilitas["jenis"])]
    store.commit(
        layers={"desa": desa, "fasilitas": fasilitas},
        record=ChangeRecord(jenis_impor="demo", keterangan=f"nama berbahaya {COMBINED}"),
    )
    return store


@pytest.fixture
def hostile_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    """:func:`write_hostile_store` in a fresh folder; ``ILP_STORE`` points at it."""
    store = write_hostile_store(tmp_path / "store" / "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(store.path))
    return store


# -- what Streamlit reads as Markdown --------------------------------------------------------------
def markdown_sources(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders through its Markdown renderer."""
    return [text for node in _nodes(at._tree) for text in _node_markdown(node)]


def _nodes(node: object) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _node_markdown(node: object) -> list[str]:
    kind = getattr(node, "type", None)
    proto = getattr(node, "proto", None)
    if kind in NOT_MARKDOWN_TYPES or not isinstance(proto, Message):
        return []
    found = list(_strings(proto, MARKDOWN_FIELDS))
    if kind in OPTION_TYPES:
        found.extend(_strings(proto, frozenset({"options", "content"})))
    return found


def _strings(message: Message, names: frozenset[str]) -> Iterator[str]:
    for field, value in message.ListFields():
        values = [value] if isinstance(value, (str, bytes, Message)) or not hasattr(value, "__iter__") else value
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, names)
            elif isinstance(item, str) and field.name in names:
                yield item


def unsafe_constructs(source: str) -> list[str]:
    """What in one Markdown source would become an image, a link, HTML, a directive or an autolink."""
    # Escaped characters and code spans are literal text: out of the structure. Autolinks look at the
    # text after parsing (escapes resolved), never inside code spans.
    structure = "".join("\x00" if m["escaped"] or m["code"] else m["other"] for m in TOKENS.finditer(source))
    decoded = "".join(m["escaped"] or ("\x00" if m["code"] else m["other"]) for m in TOKENS.finditer(source))
    problems = [c for c in ("](", "![", "<img", "<a ", ":red[", "[x]") if c in structure]
    problems += re.findall(r"(?i)https?://|\bwww\.", decoded)
    return problems


def assert_inert(at: AppTest, where: str) -> list[str]:
    """No Markdown source of the page holds an unsafe construct; returns the sources naming the payload host."""
    sources = markdown_sources(at)
    bad = {s: unsafe_constructs(s) for s in sources if unsafe_constructs(s)}
    assert not bad, f"{where}: {bad}"
    return [s for s in sources if HOST in ESCAPED.sub(lambda m: m.group(0)[1], s)]


# -- every page -------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["normal", "presentasi"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_names_inert(hostile_store: Store, page: str, mode: str) -> None:
    at = run_page(page, {**SCOPE_QUERY, "mode": mode})
    shown = assert_inert(at, page)
    scope = next(c.value for c in at.main.caption if "Kab" in c.value and "Kec" in c.value)
    assert HOST in ESCAPED.sub(lambda m: m.group(0)[1], scope), "the scope line names the hostile kabupaten"
    assert shown, f"{page}: the payload names reach the page (else the check proves nothing)"


@pytest.mark.parametrize("kode", KODE_DESA)
def test_desa_page_every_desa_name(hostile_store: Store, kode: str) -> None:
    at = run_page(DESA_PAGE, {"desa": kode})
    assert_inert(at, kode)
    heading = at.main.subheader[0].value
    name = hostile_store.read_desa().set_index("kode_desa").loc[kode, "nama_desa"]
    assert heading == plain_markdown(name)


def test_url_parameter_echoed_inert(hostile_store: Store) -> None:
    at = run_page("pages/ringkasan.py", {PAYLOADS[0]: PAYLOADS[1], "desa": PAYLOADS[4], "bulan": list(PAYLOADS[:2])})
    assert_inert(at, "URL note")
    note = at.main.warning[0].value
    assert f"`{plain_code(PAYLOADS[0])}`" in note and f"`desa={plain_code(PAYLOADS[4])}`" in note
    assert f"(`{plain_code(','.join(PAYLOADS[:2]), max_chars=60)}`)" in note  # the repeated values, in a code span


def test_data_page_upload_names_and_headers_inert(hostile_store: Store) -> None:
    at = run_page(DATA_PAGE)
    at.segmented_control(key="ilp_w_impor_jenis").set_value("reports").run()
    header = ",".join(f'"{p}"' for p in PAYLOADS)
    content = f"{header}\n1,2,3,4,5,6\n".encode()
    at.file_uploader[0].set_value((f"{PAYLOADS[0]}.csv", content, "text/csv")).run()
    assert_no_exception(at)
    assert_inert(at, "data page upload")
    refusal = ESCAPED.sub(lambda m: m.group(0)[1], at.main.error[0].value).replace(WORD_JOINER, "")
    assert PAYLOADS[0] in refusal and PAYLOADS[4] in refusal  # the message quotes the headers, inert
    labels = [s.label for s in at.main.selectbox]
    assert plain_markdown(PAYLOADS[0]) in labels  # the mapping form labels each column by its header


def test_bar_chart_labels_show_names_as_typed() -> None:
    """Plotly reads <a href>, <b>, <br> in labels: names reach it HTML-escaped (it shows the entities as text)."""
    groups = pd.DataFrame(
        {
            "nama": [PAYLOADS[-1], PAYLOADS[4]],
            "desa": [2, 1],
            **{s.count_column: [1, 0] for s in STATUSES},
            **{s.pct_column: [50.0, 0.0] for s in STATUSES},
        }
    )
    labels = [y for trace in gap_bar_chart(groups).data for y in trace.y]
    assert labels and not any("<" in y for y in labels)
    assert html.unescape(labels[0]) in PAYLOADS


# -- the helper ------------------------------------------------------------------------------------
WJ = WORD_JOINER
HELPER_CASES = [
    ("Desa Sukamaju", "Desa Sukamaju"),
    ("Kota Tasikmalaya (Kab.)", "Kota Tasikmalaya (Kab.)"),
    ("rusak.csv: kode_posyandu, bulan", "rusak.csv: kode_posyandu, bulan"),
    ("![x](http://h/a.png)", f"\\!\\[x\\](http{WJ}://h/a.png)"),
    ("[x](https://h/)", f"\\[x\\](https{WJ}://h/)"),
    ("HTTP://h", f"HTTP{WJ}://h"),
    ("www.example.com", f"www{WJ}.example.com"),
    ("kontak@dinkes.go.id", f"kontak@{WJ}dinkes.go.id"),
    ("<img src=x>", "\\<img src=x\\>"),
    (":red[x]", f":{WJ}red\\[x\\]"),
    (":material/home:", f":{WJ}material/home:"),
    (":streamlit:", f":{WJ}streamlit:"),
    ("$x^2$", "\\$x^2\\$"),
    ("# Judul", "\\# Judul"),
    ("- satu", "\\- satu"),
    ("+ dua", "\\+ dua"),
    ("1. satu", "1\\. satu"),
    ("  12) dua belas", "  12\\) dua belas"),
    ("a\nb\r\nc\td", "a b  c d"),
    ("*tebal* _miring_ ~~coret~~ `kode`", "\\*tebal\\* \\_miring\\_ \\~\\~coret\\~\\~ \\`kode\\`"),
    ("a -> b <= c", f"a -{WJ}\\> b \\<{WJ}= c"),
    ("&lt;b&gt;", "\\&lt;b\\&gt;"),
    ("a\\b | c", "a\\\\b \\| c"),
    (12.5, "12.5"),
]


@pytest.mark.parametrize(("text", "expected"), HELPER_CASES)
def test_plain_markdown_cases(text: object, expected: str) -> None:
    assert plain_markdown(text) == expected
    assert not unsafe_constructs(plain_markdown(text))
    # Reading the escapes back (and dropping the joiners) gives the text, line breaks as spaces.
    decoded = ESCAPED.sub(lambda m: m.group(0)[1], plain_markdown(text)).replace(WJ, "")
    assert decoded == re.sub(r"[\r\n\t]", " ", str(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("/srv/ilp/store.gpkg", "/srv/ilp/store.gpkg"), ("a`b\nc", "a'bc"), ("x" * 70, "x" * 59 + "…")],
)
def test_plain_code_cases(text: str, expected: str) -> None:
    assert plain_code(text, max_chars=60) == expected
