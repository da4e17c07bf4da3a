"""A chart as notebooks and pages show it: the PNG bytes (a palette for a large chart) and its
alt text. No matplotlib import here: the functions take a Figure already built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PALETTE_ABOVE", "alt_text", "chart_png", "palette_png", "set_alt_text"]

# Figure attribute: what the chart shows and its key figures, in words (the image's alt text)
ALT = "baocao_alt"


def alt_text(fig: Figure) -> str:
    """What a chart of :mod:`baocao.reports.charts` shows and its key figures, in words (for the
    ``alt`` of its image); a figure without it: its title."""
    return getattr(fig, ALT, "") or (fig._suptitle.get_text().replace("\n", " ") if fig._suptitle else "")


PALETTE_ABOVE = 1_000_000  # pixels: a larger chart (tall rankings: 800 × 1 871) is stored with a palette


def chart_png(fig: Figure) -> bytes:
    """The chart as notebooks and pages show it: a PNG, the same bytes every time.

    A large chart (more than ``PALETTE_ABOVE`` pixels: the rankings of 63 provinces) is stored
    with a 256-colour palette instead of full colour: charts are flat colours and anti-aliased
    text, so nobody sees a difference, and the file is 3–4 times smaller (a 63-province ranking:
    179 kB to 53 kB), which keeps a page under 1,5 MB. It is quantised from the pixels just
    drawn, with no full-colour PNG made first. Smaller charts are full-colour PNGs (quantising
    costs time and saves little on them)."""
    import io

    width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
    buf = io.BytesIO()
    if width * height <= PALETTE_ABOVE:
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()
    fig.savefig(buf, format="raw")  # drawn as for the PNG; the RGBA pixels, nothing encoded
    return palette_png(buf.getbuffer(), *fig.canvas.get_width_height(physical=True))


def palette_png(rgba, width: int, height: int) -> bytes:
    """A PNG with a 256-colour palette (fast octree, no dithering: deterministic) of RGBA pixels
    (``width`` × ``height`` × 4 bytes, top row first); the alpha channel is dropped."""
    import io

    from PIL import Image

    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1)
    small = image.convert("RGB").quantize(
        colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    buf = io.BytesIO()
    small.save(buf, format="PNG")
    return buf.getvalue()


def set_alt_text(fig: Figure, title: str, *parts: str) -> None:
    """Give a chart its alt text: ``title: part; part.`` (empty parts left out)."""
    text = " ".join(title.split())
    details = "; ".join(p for p in parts if p)
    setattr(fig, ALT, f"{text}: {details}." if details else f"{text}.")
