"""Serve the maps' JavaScript and CSS from the app itself, never from a CDN.

folium points its maps at public CDNs (Leaflet, jQuery, Bootstrap, Font
Awesome); without internet those maps stay blank. The dashboard instead
copies Leaflet 1.9.4 from the installed PyPI package ``django-js-lib-leaflet``
into ``static/vendor/leaflet/`` (git-ignored) when the app starts, and
Streamlit serves that folder at ``/app/static/`` (``[server]
enableStaticServing = true`` in ``.streamlit/config.toml``).

How streamlit-folium 0.27 loads a map: ``st_folium`` renders the folium map
to JavaScript, *strips* every ``<script src>`` and stylesheet ``<link>`` from
the header, and instead sends the ``default_js`` / ``default_css`` URLs of
every element in the map to its component iframe, which appends them as
``<script>``/``<link>`` tags (served from the same origin as the app, so a
root-relative ``/app/static/...`` URL stays on the Streamlit server). The
component's own bundle ships inside the Python package. So pointing the
map's ``default_js``/``default_css`` at the local copies (see
:mod:`ui.maps`) and using only elements without CDN dependencies (no
``folium.Icon``, no ``RegularPolygonMarker``, no branca colormaps, no
plugins) keeps every request on the app's own host.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Final

PROJECT_DIR: Final = Path(__file__).resolve().parent.parent
STATIC_DIR: Final = PROJECT_DIR / "static"
LEAFLET_DIR: Final = STATIC_DIR / "vendor" / "leaflet"
STATIC_URL: Final = "/app/static"
LEAFLET_URL: Final = f"{STATIC_URL}/vendor/leaflet"
LEAFLET_FILES: Final = ("leaflet.js", "leaflet.css")
LEAFLET_PACKAGE: Final = "js_lib_leaflet"


def leaflet_source_dir() -> Path:
    """Folder of Leaflet's files inside the installed ``django-js-lib-leaflet`` package.

    Raises
    ------
    FileNotFoundError
        When the package (see requirements.txt) is not installed.
    """
    spec = importlib.util.find_spec(LEAFLET_PACKAGE)
    if spec is None or spec.origin is None:
        msg = (
            "Paket 'django-js-lib-leaflet' tidak terpasang, jadi Leaflet tidak dapat disajikan secara luring. "
            "Pasang dependensi dengan: pip install -r requirements.txt"
        )
        raise FileNotFoundError(msg)
    return Path(spec.origin).parent / "static" / LEAFLET_PACKAGE


def ensure_leaflet_assets(target: Path = LEAFLET_DIR) -> Path:
    """Copy leaflet.js, leaflet.css and images/ into ``target`` when missing or outdated.

    Returns ``target``. Copies are skipped when a file of the same size is
    already there, so calling this on every app start is cheap.
    """
    source = leaflet_source_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in LEAFLET_FILES:
        _copy_if_changed(source / name, target / name)
    images = source / "images"
    if images.is_dir():
        (target / "images").mkdir(exist_ok=True)
        for image in images.iterdir():
            if image.is_file():
                _copy_if_changed(image, target / "images" / image.name)
    return target


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        return
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    partial.replace(target)


def leaflet_urls(base_url_path: str = "") -> tuple[str, str]:
    """URLs of (leaflet.js, leaflet.css) as the browser requests them.

    ``base_url_path`` is Streamlit's ``server.baseUrlPath`` (empty when the
    app is served at the root).
    """
    prefix = f"/{base_url_path.strip('/')}" if base_url_path.strip("/") else ""
    return f"{prefix}{LEAFLET_URL}/leaflet.js", f"{prefix}{LEAFLET_URL}/leaflet.css"
