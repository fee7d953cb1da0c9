r"""Plots in one style (the ``plot`` extra: matplotlib): trajectories and the paper's figures.

:func:`plot_trajectory` draws, for one trajectory or one per coupling gain,

* the Bloch components :math:`r_x, r_y, r_z` of every qubit (each qubit its own colour; each
  gain its own line style),
* the distances :math:`\|\rho(t) - \mathcal P_*(\rho(t))\|_F` (to the permutation-invariant
  states, Section 5), :math:`\max_j\|\rho_j(t) - \rho_b(t)\|_F` (to the blended reduced state
  of Definition 1, when the network is separable and ``rho0`` is given) and
  :math:`\max_j\|\rho_j(t) - \rho_r\|_F` (to the steady state :math:`\rho_r` of (6), Theorems
  1-2), on a logarithmic axis (each distance its own colour, :data:`DISTANCE_COLOURS`; each
  gain the line style it has in the Bloch panels), with the :math:`\eta` level and the
  :math:`T_2` time marked when given.

:func:`plot_coherent_trajectory` draws a trajectory of the blended coherent dynamics
(Definition 2, :class:`~blendsym.section5.pi_dynamics.CoherentTrajectory`), or several (one
line style each, e.g. one per :math:`n`), in the same layout: the Bloch components of the
single-site marginal :math:`\rho_1(t)` of the lifted state :math:`X(t)` -- the same at every
site, since :math:`X(t)` is permutation invariant, so one curve in the colour of qubit 1 --
and, each in a panel of its own, the two-site concurrence and the purity
:math:`\mathrm{tr}\,X(t)^2` (:data:`COHERENT_MEASURE_COLOURS`).

The style, shared with the figures of :mod:`blendsym.paper.figures_section4` and
:mod:`blendsym.paper.figures_section5`:

* **qubits** are told apart by colour, :data:`QUBIT_COLOURS` (colour-blind safe, no red or
  green: those mark the initial and final states of Fig. 3), :func:`qubit_colour`;
* **targets** (:math:`\rho_b`, :math:`\rho_r`) are black and dashed;
* **gains** :math:`K_c` by panel, by line style (:data:`GAIN_STYLES`) next to qubit colours,
  or by the sequential colour map :data:`GAIN_COLORMAP` (:func:`gain_colours`) where no qubit
  is drawn;
* **markers**: :func:`mark_eta` (a horizontal line at the tolerance :math:`\eta`) and
  :func:`mark_time` (a vertical line at :math:`T_1`, :math:`T_2`), grey, each labelled on the
  figure next to the line; their :class:`~matplotlib.lines.Line2D` has ``gid`` ``"eta"`` or the
  time's name and a label starting with ``_`` (kept out of legends);
* **fonts**: :data:`FONT_SIZES` (:func:`style` for the artists drawn in a ``with`` block,
  :func:`finish_figure` for every text at the end); :func:`fit_titles` shrinks (then wraps)
  every title until its rendered extent fits the figure and its axes.

Figures are :class:`matplotlib.figure.Figure` objects built without ``pyplot`` (no global
state, no display backend needed) on an Agg canvas; save one with ``fig.savefig(path)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from .errors import InvalidArgumentError

__all__ = [
    "plot_trajectory",
    "plot_coherent_trajectory",
    "coherent_bloch",
    "distances",
    "new_figure",
    "qubit_colour",
    "gain_colours",
    "mark_eta",
    "mark_time",
    "fit_titles",
    "finish_figure",
    "figure_legend",
    "style",
    "QUBIT_COLOURS",
    "TARGET_COLOUR",
    "MARKER_COLOUR",
    "GAIN_STYLES",
    "GAIN_COLORMAP",
    "FONT_SIZES",
    "DISTANCE_COLOURS",
    "COHERENT_MEASURE_COLOURS",
    "FLOOR",
    "DPI",
]

#: One colour per qubit (Okabe-Ito blue, orange, reddish purple, sky blue, then brown and
#: olive); beyond six qubits the colours are sampled from ``turbo``.
QUBIT_COLOURS = ("#0072B2", "#E69F00", "#CC79A7", "#56B4E9", "#8C564B", "#BCBD22")
#: Colour of the targets rho_b, rho_r (dashed).
TARGET_COLOUR = "black"
#: Colour of the eta and T markers.
MARKER_COLOUR = "0.35"
#: Line styles of the gains when qubits take the colours.
GAIN_STYLES = ("-", "--", "-.", ":")
#: Colour map of the gains when no qubit is drawn.
GAIN_COLORMAP = "viridis"
#: Font sizes (points).
FONT_SIZES = {"title": 11.0, "axes_title": 10.0, "label": 9.0, "tick": 8.0, "legend": 8.0}
#: Distances are drawn no lower than this on logarithmic axes (an exact zero has no log).
FLOOR = 1e-16
#: Smallest font size :func:`fit_titles` shrinks to before it wraps a title.
MIN_TITLE_SIZE = 7.0
#: Resolution of the PNG files the figure functions write.
DPI = 120

#: Colours of the distances of :func:`plot_trajectory` (to P_*, rho_b, rho_r), Tol's muted
#: indigo, teal and wine.
DISTANCE_COLOURS = ("#332288", "#44AA99", "#882255")
#: Colours of the two-site concurrence and the purity of :func:`plot_coherent_trajectory`
#: (Tol's muted purple and olive; each has its own panel, titled below).
COHERENT_MEASURE_COLOURS = {"concurrence": "#AA4499", "purity": "#999933"}
_COHERENT_MEASURE_TITLES = {
    "concurrence": "two-site concurrence",
    "purity": r"purity $\mathrm{tr}\,\rho_*^2$ ($\rho_* = P_d\mathbf{y}_d$)",
}
_TIME_STYLES = {"T_1": (0, (1, 2)), "T_2": (0, (5, 2, 1, 2))}


def _matplotlib():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "plotting needs matplotlib, which is not installed: pip install 'blendsym[plot]'"
        ) from None
    return Figure, FigureCanvasAgg


def _rc() -> dict[str, Any]:
    return {
        "font.size": FONT_SIZES["label"],
        "axes.titlesize": FONT_SIZES["axes_title"],
        "axes.labelsize": FONT_SIZES["label"],
        "xtick.labelsize": FONT_SIZES["tick"],
        "ytick.labelsize": FONT_SIZES["tick"],
        "legend.fontsize": FONT_SIZES["legend"],
        "figure.titlesize": FONT_SIZES["title"],
        "lines.linewidth": 1.3,
        "axes.grid": True,
        "grid.alpha": 0.25,
        "grid.linewidth": 0.6,
    }


@contextmanager
def style():
    """The module's matplotlib settings (fonts, line width, grid) for the artists created
    inside the ``with`` block; :func:`finish_figure` sets the fonts of the texts again."""
    import matplotlib as mpl

    with mpl.rc_context(_rc()):
        yield


_style = style


def finish_figure(fig):
    """Give every title, axis label, tick label and legend text of ``fig`` its size in
    :data:`FONT_SIZES`, then :func:`fit_titles`; returns ``fig``."""
    if getattr(fig, "_suptitle", None) is not None:
        fig._suptitle.set_fontsize(FONT_SIZES["title"])
    for ax in fig.axes:
        ax.title.set_fontsize(FONT_SIZES["axes_title"])
        for axis in (ax.xaxis, ax.yaxis):
            axis.label.set_fontsize(FONT_SIZES["label"])
        ax.tick_params(labelsize=FONT_SIZES["tick"])
        legend = ax.get_legend()
        if legend is not None:
            for t in legend.get_texts():
                t.set_fontsize(FONT_SIZES["legend"])
    for legend in fig.legends:
        for t in legend.get_texts():
            t.set_fontsize(FONT_SIZES["legend"])
    return fit_titles(fig)


def qubit_colour(j: int, n: int):
    """The colour of qubit ``j`` (1-based) among ``n``: :data:`QUBIT_COLOURS` for
    ``n <= 6``, else ``n`` samples of ``turbo``."""
    if n <= len(QUBIT_COLOURS):
        return QUBIT_COLOURS[j - 1]
    import matplotlib as mpl

    return mpl.colormaps["turbo"](0.05 + 0.9 * (j - 1) / (n - 1))


def gain_colours(k: int) -> list:
    """``k`` colours of :data:`GAIN_COLORMAP`, dark (smallest gain) to light."""
    import matplotlib as mpl

    cmap = mpl.colormaps[GAIN_COLORMAP]
    return [cmap(0.85 * a / max(k - 1, 1)) for a in range(k)]


def new_figure(
    panels: int,
    *,
    ncols: int | None = None,
    panel_size: tuple[float, float] = (3.4, 2.8),
    legend_width: float = 0.0,
    sharey: bool = False,
):
    """``(fig, axes)``: a :class:`~matplotlib.figure.Figure` on an Agg canvas (constrained
    layout, the module's fonts) with ``panels`` axes in rows of ``ncols`` (default: all in
    one row, at most 4), ``legend_width`` inches added on the right for
    :func:`figure_legend`.  Unused grid cells are removed."""
    figure, canvas = _matplotlib()
    ncols = min(panels, 4) if ncols is None else ncols
    nrows = math.ceil(panels / ncols)
    size = (panel_size[0] * ncols + legend_width, panel_size[1] * nrows + 0.5)
    with _style():
        fig = figure(figsize=size, layout="constrained")
        canvas(fig)
        grid = fig.subplots(nrows, ncols, sharey=sharey, squeeze=False)
    axes = list(grid.ravel())
    for ax in axes[panels:]:
        ax.remove()
    return fig, axes[:panels]


def _label(ax, text: str, xy, *, gid: str, **kw) -> None:
    with _style():
        ax.annotate(
            text,
            xy,
            fontsize=FONT_SIZES["tick"],
            color=MARKER_COLOUR,
            gid=gid + "-label",
            annotation_clip=False,
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            **kw,
        )


def mark_eta(ax, eta: float, name: str = r"\eta"):
    r"""A horizontal line at :math:`\eta` on ``ax`` (dashed, grey), labelled
    ":math:`\eta = \ldots`" above its right end; returns the
    :class:`~matplotlib.lines.Line2D` (``gid="eta"``, ydata ``[eta, eta]``)."""
    text = rf"${name} = {eta:g}$"
    line = ax.axhline(eta, color=MARKER_COLOUR, lw=0.9, ls="--", label="_" + text, gid="eta")
    _label(
        ax,
        text,
        (0.99, eta),
        xycoords=ax.get_yaxis_transform(),
        ha="right",
        va="bottom",
        gid="eta",
    )
    return line


def mark_time(ax, t: float, name: str = "T_2"):
    r"""A vertical line at time ``t`` on ``ax`` (grey; dotted for :math:`T_1`, dash-dotted
    for :math:`T_2`), labelled ":math:`T_2 = \ldots`" along its top; returns the
    :class:`~matplotlib.lines.Line2D` (``gid=name``, xdata ``[t, t]``)."""
    text = rf"${name} = {t:g}$"
    ls = _TIME_STYLES.get(name, ":")
    line = ax.axvline(t, color=MARKER_COLOUR, lw=0.9, ls=ls, label="_" + text, gid=name)
    _label(
        ax,
        text,
        (t, 0.98),
        xycoords=ax.get_xaxis_transform(),
        xytext=(-2, 0),
        textcoords="offset points",
        rotation=90,
        ha="right",
        va="top",
        gid=name,
    )
    return line


def figure_legend(fig, handles: Sequence, **kw):
    """One legend for the whole figure, outside the axes on the right (centred, clear of the
    title), from ``handles`` (artists with labels)."""
    with _style():
        return fig.legend(
            handles=list(handles),
            labels=[h.get_label() for h in handles],
            loc="outside right center",
            frameon=False,
            **kw,
        )


def _tokens(text: str) -> list[str]:
    """Words of ``text``, a ``$...$`` span never split."""
    out: list[str] = []
    cur, math_mode = "", False
    for ch in text:
        if ch == "$":
            math_mode = not math_mode
        if ch == " " and not math_mode:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def _wrap(text: str, lines: int) -> str:
    words = _tokens(text.replace("\n", " "))
    if len(words) <= 1:
        return text
    target = sum(len(w) + 1 for w in words) / lines
    rows: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > target and len(rows) < lines - 1:
            rows.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    rows.append(cur)
    return "\n".join(rows)


def _fits(text, width: float, renderer) -> bool:
    return text.get_window_extent(renderer).width <= width


def fit_titles(fig, margin: float = 0.98):
    """Shrink (down to :data:`MIN_TITLE_SIZE`, then wrap onto more lines, never inside a
    ``$...$`` span) the figure's title until its rendered width is at most ``margin`` times
    the figure's, and every axes title until it fits its axes; returns ``fig``.  Measured
    with the canvas renderer after the layout (``fig.canvas.draw()``)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    jobs: list[tuple[Any, Any]] = []  # (title, the artist whose width it must fit)
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text():
        jobs.append((fig._suptitle, fig))
    for ax in fig.axes:
        for t in (getattr(ax, a, None) for a in ("title", "_left_title", "_right_title")):
            if t is not None and t.get_text():
                jobs.append((t, ax))
    for _ in range(3):  # the layout moves the axes when a title changes: measure again
        changed = False
        for text, owner in jobs:
            original = text.get_text()
            lines = original.count("\n") + 1
            most = len(_tokens(original.replace("\n", " ")))
            while not _fits(text, margin * owner.bbox.width, renderer):
                changed = True
                size = text.get_fontsize()
                if size > MIN_TITLE_SIZE:
                    text.set_fontsize(max(MIN_TITLE_SIZE, size - 0.5))
                elif lines < most:
                    lines += 1
                    text.set_text(_wrap(original, lines))
                else:  # one word wider than the space: nothing more to do
                    break
        if not changed:
            break
        fig.canvas.draw()
    return fig


def distances(traj, net=None, rho0=None) -> dict[str, np.ndarray]:
    r"""The distance curves :func:`plot_trajectory` draws, by label (LaTeX), each shape ``(T,)``.

    ``"P_*"`` needs the states (``observe="states"``); ``"rho_b"`` a separable ``net`` and
    ``rho0``; ``"rho_r"`` a separable ``net`` whose blended dynamics has one steady state."""
    from .model.permutations import permutation_invariant_projection
    from .section4.reduced import is_separable

    out: dict[str, np.ndarray] = {}
    if traj.observed == "states":
        out[r"$\|\rho-\mathcal{P}_*(\rho)\|_F$"] = np.array(
            [np.linalg.norm(s - permutation_invariant_projection(s)) for s in traj.states]
        )
    if net is None or traj.observed not in ("states", "reduced") or not is_separable(net):
        return out
    from .section4.blended import blended_reduced_state

    b = blended_reduced_state(net)
    red = np.stack([traj.reduced(j) for j in range(1, traj.n + 1)], axis=1)  # (T, n, 2, 2)
    if rho0 is not None and not net.parameters:
        rho_b = np.asarray(b.evolve(b.initial_state(rho0), traj.times), dtype=complex)
        out[r"max$_j\,\|\rho_j-\rho_b\|_F$"] = np.linalg.norm(
            red - rho_b[:, None], axis=(2, 3)
        ).max(axis=1)
    if not net.parameters:
        ss = b.spectral.steady_states
        if len(ss) == 1:
            rho_r = np.array(ss[0].evalf().tolist(), dtype=complex)
            out[r"max$_j\,\|\rho_j-\rho_r\|_F$"] = np.linalg.norm(red - rho_r, axis=(2, 3)).max(
                axis=1
            )
    return out


def plot_trajectory(
    traj,
    net=None,
    rho0=None,
    *,
    eta: float | None = None,
    t2: float | None = None,
    convention: str = "standard",
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
):
    """A :class:`~matplotlib.figure.Figure` of ``traj`` (module docstring).

    ``traj`` is a :class:`~blendsym.numeric.evolve.Trajectory` or a mapping
    ``{K_c: Trajectory}`` (one line style per gain in every panel); ``net`` and ``rho0`` add the distances to :math:`\\rho_b` and
    :math:`\\rho_r`; ``eta`` draws the tolerance level, ``t2`` the time :math:`T_2` of
    Theorems 2-4.  ``figsize`` (inches) defaults to 3.1 x 2.9 per panel plus the legend."""
    from .numeric.evolve import Trajectory

    trajs = traj if isinstance(traj, dict) else {None: traj}
    if not trajs or not all(isinstance(t, Trajectory) for t in trajs.values()):
        raise InvalidArgumentError(
            "traj must be a Trajectory or a mapping {K_c: Trajectory}: found "
            f"{type(traj).__name__}"
        )
    if any(t.observed not in ("states", "reduced") for t in trajs.values()):
        raise InvalidArgumentError(
            "plotting needs the states or the reduced states: simulate with "
            "observe='states' or 'reduced'"
        )
    fig, axes = new_figure(4, panel_size=(3.1, 2.9), legend_width=1.5)
    if figsize is not None:
        fig.set_size_inches(*figsize)
    many = len(trajs) > 1
    handles: list = []
    distance_handles: list = []
    with _style():
        for a, (kc, tr) in enumerate(trajs.items()):
            gain = "" if kc is None else f"$K_c={kc:g}$"
            style = GAIN_STYLES[a % len(GAIN_STYLES)] if many else "-"
            for j in range(1, tr.n + 1):
                r = tr.bloch(j, convention)
                label = f"qubit {j}" if a == 0 else None
                for c in range(3):
                    (ln,) = axes[c].plot(
                        tr.times, r[:, c], color=qubit_colour(j, tr.n), ls=style, label=label
                    )
                    if c == 0 and label:
                        handles.append(ln)
            if many:  # a legend entry for the gain's line style, drawn on no axes
                from matplotlib.lines import Line2D

                handles.append(Line2D([], [], color="0.2", ls=style, label=gain))
            for k, (name, d) in enumerate(distances(tr, net, rho0).items()):
                (ln,) = axes[3].semilogy(
                    tr.times,
                    np.maximum(d, FLOOR),
                    color=DISTANCE_COLOURS[k % len(DISTANCE_COLOURS)],
                    ls=style,
                    label=name if a == 0 else f"_{name} {gain}",
                )
                if a == 0:
                    distance_handles.append(ln)
        for c, lab in enumerate(["$r_x$", "$r_y$", "$r_z$", "distances"]):
            axes[c].set_title(lab)
            axes[c].set_xlabel("$t$")
        if eta is not None:
            mark_eta(axes[3], eta)
        if t2 is not None:
            for ax in axes:
                mark_time(ax, t2, "T_2")
        figure_legend(fig, handles + distance_handles)
        if title:
            fig.suptitle(title)
    return finish_figure(fig)


def coherent_bloch(traj, convention: str = "standard") -> np.ndarray:
    r"""The Bloch vector of the single-site marginal of a coherent trajectory's lifted state
    :math:`X(t)` at every time, shape ``(T, 3)``: from the observable ``"rho1"`` when it was
    evolved, else from :math:`\langle J_a\rangle/(n/2)` (``"Jx" "Jy" "Jz"``; equal to
    :math:`\mathrm{tr}(\rho_1\sigma_a)` because :math:`X(t)` is permutation invariant and
    :math:`J_a = \frac12\sum_j\sigma_a^{(j)}`).  ``convention="paper"`` halves it
    (footnote 1 of the paper)."""
    from .model.states import _check_convention, bloch_vector

    scale = float(_check_convention(convention))
    obs = traj.observables
    if "rho1" in obs:
        return np.asarray(bloch_vector(np.asarray(obs["rho1"]), convention), dtype=float)
    if all(k in obs for k in ("Jx", "Jy", "Jz")):
        j = np.stack([np.asarray(obs[k], dtype=float) for k in ("Jx", "Jy", "Jz")], axis=-1)
        return scale * j / (traj.n / 2)
    raise InvalidArgumentError(
        "traj must carry the observable 'rho1' or all of 'Jx', 'Jy', 'Jz' (evolve with "
        f"observables=['rho1', ...]): found observables {sorted(obs)}"
    )


def plot_coherent_trajectory(
    traj,
    *,
    t2: float | None = None,
    convention: str = "standard",
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
):
    r"""A :class:`~matplotlib.figure.Figure` of a trajectory of the blended coherent dynamics
    (Definition 2; module docstring), laid out as :func:`plot_trajectory`'s.

    ``traj`` is a :class:`~blendsym.section5.pi_dynamics.CoherentTrajectory` or a mapping
    ``{label: CoherentTrajectory}`` (one line style per entry, ``str(label)`` in the legend,
    e.g. ``"$n = 100$"``).  Panels :math:`r_x, r_y, r_z` (:func:`coherent_bloch`, in the
    colour of qubit 1: every qubit has this Bloch vector), then one for each of
    ``"concurrence"`` and ``"purity"`` that a trajectory carries
    (:data:`COHERENT_MEASURE_COLOURS`; a panel of its own each, as the concurrence of a
    many-qubit symmetric state is small next to the purity), all in one row.  ``t2`` marks
    the time :math:`T_2` of Theorems 3-4.  ``figsize`` (inches) defaults to 2.8 x 2.9 per
    panel plus the legend."""
    from .section5.pi_dynamics import CoherentTrajectory

    trajs = traj if isinstance(traj, dict) else {None: traj}
    if not trajs or not all(isinstance(t, CoherentTrajectory) for t in trajs.values()):
        raise InvalidArgumentError(
            "traj must be a CoherentTrajectory or a mapping {label: CoherentTrajectory}: "
            f"found {type(traj).__name__}"
        )
    blochs = {k: coherent_bloch(t, convention) for k, t in trajs.items()}
    measures = [
        m for m in COHERENT_MEASURE_COLOURS if any(m in t.observables for t in trajs.values())
    ]
    fig, axes = new_figure(
        3 + len(measures), ncols=3 + len(measures), panel_size=(2.8, 2.9), legend_width=1.4
    )
    if figsize is not None:
        fig.set_size_inches(*figsize)
    many = len(trajs) > 1
    handles: list = []
    with _style():
        for a, (key, tr) in enumerate(trajs.items()):
            ls = GAIN_STYLES[a % len(GAIN_STYLES)] if many else "-"
            for c in range(3):
                (ln,) = axes[c].plot(
                    tr.times,
                    blochs[key][:, c],
                    color=qubit_colour(1, 1),
                    ls=ls,
                    label="every qubit" if a == 0 else f"_every qubit {key}",
                )
                if a == 0 and c == 0:
                    handles.append(ln)
            if many:  # a legend entry for the run's line style, drawn on no axes
                from matplotlib.lines import Line2D

                handles.append(Line2D([], [], color="0.2", ls=ls, label=str(key)))
            for ax, m in zip(axes[3:], measures, strict=True):
                if m in tr.observables:
                    ax.plot(
                        tr.times,
                        np.asarray(tr.observables[m], dtype=float),
                        color=COHERENT_MEASURE_COLOURS[m],
                        ls=ls,
                        label=f"_{m} {key}",
                    )
        titles = ["$r_x$", "$r_y$", "$r_z$", *(_COHERENT_MEASURE_TITLES[m] for m in measures)]
        for ax, lab in zip(axes, titles, strict=True):
            ax.set_title(lab)
            ax.set_xlabel("$t$")
        if t2 is not None:
            for ax in axes:
                mark_time(ax, t2, "T_2")
        figure_legend(fig, handles)
        if title:
            fig.suptitle(title)
    return finish_figure(fig)
