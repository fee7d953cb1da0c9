"""Write every recomputed figure of the paper (Figs. 1, 2, 3, 6, 7) to a folder."""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidArgumentError

__all__ = ["write_figures"]


def write_figures(directory) -> list[Path]:
    """Recompute and draw Figures 1, 2, 3 (Section 4) and 6, 7 (Section 5) as PNG files."""
    from . import figures_section4 as f4

    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidArgumentError(
            f"figures directory {str(out)!r} cannot be created: {exc}"
        ) from exc
    paths = []
    for name, data, draw in (
        ("figure1.png", f4.figure1_data, f4.draw_figure1),
        ("figure2.png", f4.figure2_data, f4.draw_figure2),
        ("figure3.png", f4.figure3_data, f4.draw_figure3),
    ):
        draw(data(), out / name)
        paths.append(out / name)
    try:
        from . import figures_section5 as f5
    except ImportError:  # pragma: no cover
        return paths
    for name, data, draw in (
        ("figure6.png", f5.figure6_data, f5.draw_figure6),
        ("figure7.png", f5.figure7_data, f5.draw_figure7),
    ):
        draw(data(), out / name)
        paths.append(out / name)
    return paths
