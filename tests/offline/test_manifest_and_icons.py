"""The site installs as an app: a web app manifest, linked from every page, with icons made
reproducibly from static/favicon.svg."""

import struct
from pathlib import Path

import pytest

from acupressure.icons import ICON_DIR, ICONS

STATIC = Path(__file__).resolve().parents[2] / "static"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Acupressure Journal"
    assert manifest["short_name"] == "Acupressure"
    assert manifest["description"]
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0172ad"
    assert manifest["background_color"] == "#ffffff"


def test_the_manifest_has_png_maskable_and_svg_icons(client):
    icons = client.get("/manifest.webmanifest").json()["icons"]
    declared = {
        (icon["sizes"], icon["type"], icon["purpose"]) for icon in icons if "purpose" in icon
    }
    assert ("192x192", "image/png", "any") in declared
    assert ("512x512", "image/png", "any") in declared
    assert ("512x512", "image/png", "maskable") in declared
    assert {"src": "/static/favicon.svg", "sizes": "any", "type": "image/svg+xml"} in icons


def test_every_png_icon_has_its_declared_size(client):
    for icon in client.get("/manifest.webmanifest").json()["icons"]:
        if icon["type"] != "image/png":
            continue
        width, height = (int(n) for n in icon["sizes"].split("x"))
        path = STATIC / icon["src"].removeprefix("/static/")
        assert png_size(path) == (width, height), icon["src"]


def test_the_apple_touch_icon_is_180_px():
    assert png_size(ICON_DIR / "apple-touch-icon.png") == (180, 180)


def test_the_shortcuts_log_a_session_and_start_a_routine(client):
    shortcuts = client.get("/manifest.webmanifest").json()["shortcuts"]
    assert [(s["name"], s["url"]) for s in shortcuts] == [
        ("Log a session", "/journal/new/"),
        ("Start a routine", "/guides/routines/"),
    ]


@pytest.mark.parametrize("path", ["/", "/guides/", "/safety/", "/offline/", "/accounts/login/"])
def test_every_page_links_the_manifest_icons_and_worker(client, guides, path):
    html = client.get(path).text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html
    assert '<meta name="theme-color" content="#0172ad">' in html
    assert 'data-worker="/sw.js"' in html


def test_a_journal_page_links_the_manifest_too(logged_in):
    assert '<link rel="manifest"' in logged_in.get("/journal/").text


def test_make_icons_makes_the_committed_pngs_again(tmp_path):
    try:
        from acupressure.icons import render_icons

        render_icons(tmp_path)
    except OSError as error:  # cairosvg loads the cairo library (Debian: libcairo2)
        pytest.skip(f"cairo is not installed: {error}")
    for name in ICONS:
        assert (tmp_path / name).read_bytes() == (ICON_DIR / name).read_bytes(), name
