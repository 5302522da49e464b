"""Export through the real Chromium: PNG and SVG with kaleido (which finds Debian's
/usr/bin/chromium by itself: kaleido 1.x asks choreographer, which tries its own downloaded
Chrome, then $BROWSER_PATH, then ``chromium``/``chromium-browser`` on PATH, then
/usr/bin/chromium), and an HTML file that works offline (plotly.js embedded, no CDN)."""

from __future__ import annotations

import re
import struct

from zenhire_nb import charts


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def test_png_svg_and_offline_html(cohort, tmp_path):
    fig = charts.interview_length(cohort, by="role_name")
    png, svg, html = tmp_path / "length.png", tmp_path / "length.svg", tmp_path / "length.html"
    fig.write_image(png, width=900, height=500, scale=1)
    fig.write_image(svg, width=900, height=500)
    fig.write_html(html, include_plotlyjs=True, full_html=True)

    data = png.read_bytes()
    assert png_size(data) == (900, 500) and len(data) > 20_000  # drawn, not blank
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and "Interview length (min)" in text
    assert "Customer Support (n=6)" in text

    page = html.read_text(encoding="utf-8")
    assert len(page) > 3_000_000  # plotly.js itself is inside
    assert "plotly.js v" in page or "Plotly" in page
    external = re.findall(r"<script[^>]*\bsrc=[\"']([^\"']+)", page)
    assert external == [], external
    # (plotly.js itself mentions cdn.plot.ly, for geo maps' topojson: not loaded here.)
    assert not re.search(r"<script[^>]+cdn\.plot\.ly", page)
    assert "Interview length by role" in page
