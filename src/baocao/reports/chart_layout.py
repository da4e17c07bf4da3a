"""Where the texts of a built chart go, in pixels: the layout run once and kept, value labels
dropped where they would collide, and labels placed around points without overlaps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.transforms import Bbox

from baocao.reports.chart_style import INK, MISSING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["drop_colliding", "place_labels", "settle"]


def settle(fig: Figure, draw: bool = False) -> Figure:
    """Run the constrained layout once and keep it, so every later render gives the same pixels.

    ``draw=True`` draws (without rendering) instead of only laying out: needed when the caller
    reads positions that only a draw settles (axes with a fixed aspect, e.g. the dot map)."""
    engine = fig.get_layout_engine()
    if draw:
        fig.draw_without_rendering()
    elif engine is not None:  # the layout part of a draw, without drawing every artist
        engine.execute(fig)
    # No layout engine at all (not "none", which keeps a placeholder engine): savefig then
    # draws once instead of twice (it runs an extra layout draw whenever an engine is set).
    fig.set_layout_engine(None)
    return fig


def drop_colliding(fig: Figure, notes: list, *, first, last) -> None:
    """Remove value labels that would overlap one already kept: the last year's and the first
    year's labels are kept first, then the others in order (long series of close values,
    e.g. a province's population, would otherwise print on top of each other)."""
    settle(fig)  # positions in pixels are final from here on
    renderer = fig.canvas.get_renderer()
    order = sorted(range(len(notes)), key=lambda i: (notes[i][0] != last, notes[i][0] != first, i))
    kept = []
    for i in order:
        box = notes[i][1].get_window_extent(renderer).padded(1)
        if any(_overlap(box, k) for k in kept):
            notes[i][1].remove()
        else:
            kept.append(box)


_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
_HA = {-1: "right", 0: "center", 1: "left"}
_VA = {-1: "top", 0: "center", 1: "bottom"}


def _overlap(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(ax, xy: np.ndarray, texts: list[str], marker_px: np.ndarray, labelled=None) -> None:
    """Annotate each point, trying 8 directions at growing distances; keep the first free spot (else the least
    bad).

    Crowded points go first; markers and placed labels are obstacles; labels stay inside the axes.
    ``labelled``: which points get their text (default: all); every point is an obstacle.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pixels = ax.transData.transform(xy)
    radii = marker_px / 2 + 1
    taken = [Bbox([[x - r, y - r], [x + r, y + r]]) for (x, y), r in zip(pixels, radii)]
    near = [(np.hypot(*(pixels - p).T) < 70).sum() for p in pixels]
    style = dict(textcoords="offset points", fontsize=9, color=INK, linespacing=1.1, annotation_clip=False)
    for i in sorted(range(len(xy)), key=lambda i: (-near[i], i)):
        if labelled is not None and not labelled[i]:
            continue
        probe = ax.annotate(texts[i], xy[i], xytext=(0, 0), **style)
        best = None
        for distance in (7, 14, 22, 32):
            for dx, dy in _DIRECTIONS:
                probe.set_position((dx * distance, dy * distance))
                probe.set_horizontalalignment(_HA[dx])
                probe.set_verticalalignment(_VA[dy])
                box = probe.get_window_extent(renderer).padded(1)
                outside = box.width * box.height - _overlap(box, frame)
                cost = sum(_overlap(box, t) for t in taken) + 10 * outside
                if best is None or cost < best[0]:
                    best = (cost, distance, dx, dy, box)
            if best[0] == 0:
                break
        probe.remove()
        _, distance, dx, dy, box = best
        leader = (
            dict(arrowstyle="-", color=MISSING, lw=0.8, shrinkA=0, shrinkB=radii[i])
            if distance > 14
            else None
        )
        ax.annotate(
            texts[i],
            xy[i],
            xytext=(dx * distance, dy * distance),
            ha=_HA[dx],
            va=_VA[dy],
            arrowprops=leader,
            **style,
        )
        taken.append(box)
