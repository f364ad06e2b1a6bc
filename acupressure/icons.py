"""The app's icons, made from one source image: static/favicon.svg.

``manage.py make_icons`` writes the PNGs that the web app manifest and the apple-touch-icon link
name. The same source and the same cairo give the same bytes, so the PNGs are committed and
tests/guides/test_icons.py checks that they match what the command makes now.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings

SVG_NS = "http://www.w3.org/2000/svg"
SOURCE = Path(settings.BASE_DIR) / "static" / "favicon.svg"
ICON_DIR = Path(settings.BASE_DIR) / "static" / "icons"
BACKGROUND = "#ffffff"  # the manifest's background_color

# file name -> (size in px, share of the square the artwork fills, opaque background)
ICONS = {
    "icon-192.png": (192, 1.0, False),
    "icon-512.png": (512, 1.0, False),
    # Maskable: a launcher may cut the icon to any shape inside the central circle of 80 %
    # of the width, so the artwork keeps to that and the background fills the square.
    "icon-maskable-512.png": (512, 0.8, True),
    # iOS shows transparency as black and rounds the corners itself.
    "apple-touch-icon.png": (180, 0.8, True),
}


def framed_svg(source: str, share: float, opaque: bool) -> str:
    """The source artwork centred at ``share`` of a 100-unit square, on the background."""
    ET.register_namespace("", SVG_NS)
    art = ET.fromstring(source)
    margin = (1 - share) * 50
    side = f"{share * 100:g}"
    art.attrib.update({"x": f"{margin:g}", "y": f"{margin:g}", "width": side, "height": side})
    frame = ET.Element(f"{{{SVG_NS}}}svg", {"viewBox": "0 0 100 100"})
    if opaque:
        ET.SubElement(
            frame, f"{{{SVG_NS}}}rect", {"width": "100", "height": "100", "fill": BACKGROUND}
        )
    frame.append(art)
    return ET.tostring(frame, encoding="unicode")


def render_icons(target: Path = ICON_DIR) -> list[Path]:
    import cairosvg  # a development tool only: the site serves the committed PNGs

    source = SOURCE.read_text(encoding="utf-8")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, share, opaque) in ICONS.items():
        path = target / name
        cairosvg.svg2png(
            bytestring=framed_svg(source, share, opaque).encode(),
            write_to=str(path),
            output_width=size,
            output_height=size,
        )
        written.append(path)
    return written
