r"""Figures 6 and 7 of Section 5 (Example 3), recomputed.

* Fig. 6: :math:`\|\rho(t) - \mathrm{vec}^{-1}(\tilde{\mathbf y}_d(t))\|_F` against :math:`t` for
  several :math:`K_c` (Theorem 3), :math:`\tilde{\mathbf y}_d = P_d\mathbf y_d` with
  :math:`\mathbf y_d` the blended coherent dynamics (17).
* Fig. 7: :math:`\|\rho(t) - \mathcal P_*(\rho(t))\|_F` against :math:`t` (Theorem 4).  The
  paper's caption of Fig. 7 repeats the quantity of Fig. 6; the text (Example 3) says Fig. 7
  shows the distance to :math:`\mathcal P_*(\rho(t))`, which is what is drawn here.

The data functions return plain ``dict`` s of NumPy arrays (``times``, ``kcs``, ``distance``
of shape ``(len(kcs), len(times))``, ``eta``), what ``blendsym verify`` checks
(:mod:`blendsym.paper.verify_figures`); :func:`plot_figure6` and :func:`plot_figure7` return
a :class:`~matplotlib.figure.Figure` in the style of :mod:`blendsym.plot` (log :math:`y` axis,
one colour per :math:`K_c`, the :math:`\eta` levels and :math:`T_2` times the captions name
marked and labelled); the ``draw_*`` functions write them to a file.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidArgumentError
from ..model.permutations import permutation_invariant_projection
from ..model.states import validate_density
from ..numeric.evolve import check_times, simulate
from ..section5.coherent import blended_coherent
from .examples import example3

__all__ = [
    "figure6_data",
    "figure7_data",
    "plot_figure6",
    "plot_figure7",
    "draw_figure6",
    "draw_figure7",
    "DEFAULT_KCS",
    "FIGURE6_T2S",
    "FIGURE7_ETAS",
]

#: Gains drawn by default.
DEFAULT_KCS = (1.0, 5.0, 10.0, 40.0)
#: The horizons T_2 Fig. 6 marks ("for different given T_2", the values the figure-6 claim
#: of ``blendsym verify`` checks).
FIGURE6_T2S = (5.0, 10.0)
#: The tolerances Fig. 7 marks ("for different given eta", as the figure-7 claim checks).
FIGURE7_ETAS = (0.05, 0.01)


def _model(net, rho0):
    if net is None:
        net, default_rho0 = example3()
        rho0 = default_rho0 if rho0 is None else rho0
    rho = validate_density(rho0, name="rho0", n=net.n)
    if hasattr(rho, "evalf"):
        rho = np.array(rho.evalf().tolist(), dtype=complex)
    return net, np.asarray(rho, dtype=complex)


def _grid(kcs, times):
    t = check_times(np.linspace(0.0, 10.0, 201) if times is None else times)
    k = np.asarray(DEFAULT_KCS if kcs is None else kcs, dtype=float).ravel()
    if k.size == 0 or not np.all(np.isfinite(k)) or np.any(k <= 0):
        raise InvalidArgumentError(f"kcs must be positive finite gains: found {kcs!r}")
    return k, t


def figure6_data(kcs=None, times=None, eta: float = 0.01, net=None, rho0=None) -> dict:
    r"""Fig. 6: :math:`\|\rho(t) - \mathrm{vec}^{-1}(\tilde{\mathbf y}_d(t))\|_F` for each gain.

    Defaults: Example 3, :math:`K_c\in\{1,5,10,40\}`, 201 times on :math:`[0,10]`,
    :math:`\eta = 0.01`.  Returns ``{"times", "kcs", "distance", "eta"}``.
    """
    net, rho = _model(net, rho0)
    k, t = _grid(kcs, times)
    lifted = blended_coherent(net).evolve(rho, t)
    dist = np.empty((k.size, t.size))
    for i, kc in enumerate(k):
        states = simulate(net, rho, t, kc=float(kc)).states
        dist[i] = np.linalg.norm(states - lifted, axis=(1, 2))
    return {"times": t, "kcs": k, "distance": dist, "eta": float(eta)}


def figure7_data(kcs=None, times=None, eta: float = 0.01, net=None, rho0=None) -> dict:
    r"""Fig. 7: :math:`\|\rho(t) - \mathcal P_*(\rho(t))\|_F` for each gain (same defaults)."""
    net, rho = _model(net, rho0)
    k, t = _grid(kcs, times)
    dist = np.empty((k.size, t.size))
    for i, kc in enumerate(k):
        states = simulate(net, rho, t, kc=float(kc)).states
        dist[i] = [np.linalg.norm(s - permutation_invariant_projection(s)) for s in states]
    return {"times": t, "kcs": k, "distance": dist, "eta": float(eta)}


def _figure(data: dict, ylabel: str, title: str, etas, t2s):
    from .. import plot as bp

    fig, axes = bp.new_figure(1, panel_size=(5.6, 3.6), legend_width=1.1)
    ax = axes[0]
    t = np.asarray(data["times"])
    handles = []
    colours = bp.gain_colours(len(data["kcs"]))
    with bp.style():
        for kc, dist, col in zip(data["kcs"], data["distance"], colours, strict=True):
            (line,) = ax.semilogy(
                t, np.maximum(np.asarray(dist), bp.FLOOR), color=col, label=f"$K_c = {kc:g}$"
            )
            handles.append(line)
        for eta in etas:
            bp.mark_eta(ax, float(eta))
        for t2 in t2s:
            bp.mark_time(ax, float(t2), "T_2")
        ax.set_xlabel("$t$")
        ax.set_ylabel(ylabel)
        bp.figure_legend(fig, handles)
        fig.suptitle(title)
    return bp.finish_figure(fig)


def plot_figure6(data: dict, t2s=FIGURE6_T2S):
    r"""Fig. 6: :math:`\|\rho(t)-\mathrm{vec}^{-1}(\tilde{\mathbf y}_d(t))\|_F`, one colour per
    gain, :math:`\eta` (``data["eta"]``) and the horizons ``t2s`` marked (those beyond the
    last time are left out)."""
    t_end = float(np.asarray(data["times"])[-1])
    return _figure(
        data,
        r"$\|\rho(t) - \mathrm{vec}^{-1}(\tilde{y}_d(t))\|_F$",
        "Fig. 6, Example 3: network (4) against its blended coherent dynamics (17)",
        [data["eta"]],
        [t for t in t2s if t <= t_end],
    )


def plot_figure7(data: dict, etas=FIGURE7_ETAS):
    r"""Fig. 7: :math:`\|\rho(t)-\mathcal P_*(\rho(t))\|_F` (the quantity the text names; the
    caption repeats Fig. 6's), one colour per gain, the tolerances ``etas`` marked."""
    return _figure(
        data,
        r"$\|\rho(t) - \mathcal{P}_*(\rho(t))\|_F$",
        r"Fig. 7, Example 3: distance to the permutation-invariant projection $\mathcal{P}_*$",
        list(etas),
        [],
    )


def _save(fig, path):
    from ..plot import DPI

    fig.savefig(path, dpi=DPI)
    return path


def draw_figure6(data: dict, path):
    """Draw :func:`plot_figure6` to ``path`` (format from the suffix); returns ``path``."""
    return _save(plot_figure6(data), path)


def draw_figure7(data: dict, path):
    """Draw :func:`plot_figure7` to ``path``; returns ``path``."""
    return _save(plot_figure7(data), path)
