"""A chart as notebooks and pages show it: the PNG bytes (a palette for a large chart) and its
alt text. No matplotlib import here: the functions take a Figure already built.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PALETTE_ABOVE", "NoChart", "alt_text", "chart_png", "palette_png", "set_alt_text"]


@dataclass(frozen=True)
class NoChart:
    """What a chart of :mod:`baocao.reports.charts` is when its data are too few to draw: no value,
    a single unit, a single point or a single year. The page shows one sentence instead
    (:func:`baocao.reports.kit.as_chart`): the chart's title, what there is, and why there is no
    chart. ``items``: (label, value as the chart would print it, data coordinates of the point),
    whose values a report may rewrite with their marks (:meth:`marked`); ``notes``: what the
    report adds under a chart (how many units reported a partial figure)."""

    title: str
    lead: str  # "no data to chart" / "data for one unit only" …
    why: str = ""  # "a trend needs two years" …
    items: tuple = ()
    notes: tuple = field(default_factory=tuple)

    def marked(self, wanted: dict, notes: list) -> NoChart:
        """The sentence with each value rewritten as ``wanted`` (chart text -> [(marked text,
        provenance, coordinates)], as :func:`baocao.reports.local.marks.mark_chart` builds it)."""
        out = []
        for label, value, at in self.items:
            options = wanted.get(value)
            if options:
                near = [o for o in options if not o[2] or not at or set(o[2]) <= set(at)]
                value = (near or options)[0][0]
            out.append((label, value, at))
        return replace(self, items=tuple(out), notes=(*self.notes, *notes))

    def text(self) -> str:
        shown = "; ".join(f"{label} {value}" if label else value for label, value, _ in self.items)
        parts = [f"{self.title.rstrip('.')} — {self.lead}" + (f": {shown}" if shown else "")]
        parts += [p for p in (self.why, *self.notes) if p]
        return ". ".join(p[:1].upper() + p[1:] if i else p for i, p in enumerate(parts)) + "."

    def html(self) -> str:
        return f'<p class="no-chart">{escape(self.text(), quote=False)}</p>'

    def __repr__(self) -> str:
        return f"<no chart: {self.text()}>"


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
