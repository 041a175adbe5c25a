"""The charts render the same in Debian's chromium and in the PDF (WeasyPrint, rasterised by pdftoppm).

Both draw the very same SVG markup with the same embedded font; the test compares the two
pictures pixel by pixel: every bar in the same place to the pixel, and the text (anti-aliased
differently by the two rasterisers) nearly identical.  Both PNGs go to test-artifacts/documents/.
"""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image, ImageChops, ImageFilter, ImageStat

from reporting.documents.charts import STATUS_COLOURS, WIDTH, IndicatorRow, indicator_chart, status_chart
from reporting.documents.kinds import font_base
from reporting.documents.pdf import render_pdf

pytestmark = pytest.mark.browser

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"
FACE = """@font-face {{ font-family: "Liberation Serif"; font-weight: {weight}; src: url("{url}"); }}"""


def page_html(svg: str, height: int, *, for_pdf: bool) -> str:
    faces = "".join(
        FACE.format(weight=weight, url=(FONTS / name).as_uri())
        for weight, name in (("normal", "LiberationSerif-Regular.ttf"), ("bold", "LiberationSerif-Bold.ttf"))
    )
    page = f"@page {{ size: {WIDTH}px {height}px; margin: 0 }}" if for_pdf else ""
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{faces}{page}"
        f"html, body {{ margin: 0; padding: 0; background: #fff; }} svg {{ display: block; }}</style></head>"
        f"<body>{svg}</body></html>"
    )


def charts() -> dict[str, tuple[str, int]]:
    rows = [
        IndicatorRow("Cơ sở dữ liệu thương mại điện tử liên vùng", "cơ sở dữ liệu", Decimal(1), Decimal(1), Decimal(1)),
        IndicatorRow("Kim ngạch xuất khẩu", "tỉ USD", Decimal("6.6"), Decimal("3.3"), Decimal("0.5")),
        IndicatorRow("Cụm công nghiệp đi vào hoạt động thêm", "cụm công nghiệp", Decimal(4), None, None),
    ]
    out = {}
    for name, svg in (
        ("status", status_chart({"on_track": 3, "done": 2, "at_risk": 1, "delayed": 1}, no_data=1)),
        ("indicators", indicator_chart(rows)),
    ):
        height = int(str(svg).split('height="', 1)[1].split('"', 1)[0])
        out[name] = (str(svg), height)
    return out


def bar_box(image: Image.Image, colour: str) -> tuple[int, int, int, int] | None:
    """Bounding box of the areas of one bar colour: exact matches, eroded so that stray anti-aliased pixels go."""
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    difference = ImageChops.difference(image, Image.new("RGB", image.size, rgb)).convert("L")
    return difference.point(lambda v: 255 * (v < 8)).filter(ImageFilter.MinFilter(3)).getbbox()


@pytest.mark.parametrize("name", ["status", "indicators"])
def test_chart_looks_the_same_in_chromium_and_in_the_pdf(page: Any, tmp_path: Path, artifacts: Path, name: str) -> None:
    svg, height = charts()[name]
    html_file = tmp_path / f"{name}.html"
    html_file.write_text(page_html(svg, height, for_pdf=False), encoding="utf-8")
    page.set_viewport_size({"width": WIDTH, "height": height})
    page.goto(html_file.as_uri())
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('12px \"Liberation Serif\"')")
    browser_png = artifacts / "documents" / f"chart-{name}-chromium.png"
    browser_png.parent.mkdir(parents=True, exist_ok=True)
    page.locator("svg").screenshot(path=str(browser_png))

    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(render_pdf(page_html(svg, height, for_pdf=True), font_base()))
    pdf_png = artifacts / "documents" / f"chart-{name}-pdf.png"
    subprocess.run(["pdftoppm", "-png", "-r", "96", "-singlefile", str(pdf), str(pdf_png.with_suffix(""))], check=True)

    chromium = Image.open(browser_png).convert("RGB")
    weasy = Image.open(pdf_png).convert("RGB")
    assert chromium.size == weasy.size == (WIDTH, height)
    for colour in [*STATUS_COLOURS.values(), "#1565c0", "#eeeeee"]:
        in_chromium, in_pdf = bar_box(chromium, colour), bar_box(weasy, colour)
        assert (in_chromium is None) == (in_pdf is None), colour
        if in_chromium is not None and in_pdf is not None:
            assert in_chromium == pytest.approx(in_pdf, abs=1), colour
    difference = ImageStat.Stat(ImageChops.difference(chromium, weasy).convert("L"))
    assert difference.mean[0] < 3, f"mean difference {difference.mean[0]:.2f} of 255"
    # text: the dark ink lands in the same places (blurred so that anti-aliasing does not count)
    ink = [
        img.convert("L").point(lambda v: 255 * (v < 128)).resize((WIDTH // 8, height // 8)) for img in (chromium, weasy)
    ]
    assert ImageStat.Stat(ImageChops.difference(*ink)).mean[0] < 12
