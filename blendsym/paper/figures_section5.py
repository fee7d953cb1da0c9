r"""Figures 6 and 7 of Section 5 (Example 3), recomputed.

* Fig. 6: :math:`\|\rho(t) - \mathrm{vec}^{-1}(\tilde{\mathbf y}_d(t))\|_F` against :math:`t` for
  several :math:`K_c` (Theorem 3), :math:`\tilde{\mathbf y}_d = P_d\mathbf y_d` with
  :math:`\mathbf y_d` the blended coherent dynamics (17).
* Fig. 7: :math:`\|\rho(t) - \mathcal P_*(\rho(t))\|_F` against :math:`t` (Theorem 4).  The
  paper's caption of Fig. 7 repeats the quantity of Fig. 6; the text (Example 3) says Fig. 7
  shows the distance to :math:`\mathcal P_*(\rho(t))`, which is what is drawn here.

The data functions return plain ``dict`` s of NumPy arrays (``times``, ``kcs``, ``distance``
of shape ``(len(kcs), len(times))``, ``eta``); the drawing functions import matplotlib lazily
and draw on an Agg canvas (no pyplot state), log :math:`y` axis, one colour per :math:`K_c`,
:math:`\eta` dashed.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidArgumentError
from ..model.permutations import permutation_invariant_projection
from ..model.states import validate_density
from ..numeric.evolve import check_times, simulate
from ..section5.coherent import blended_coherent
from .examples import example3

__all__ = ["figure6_data", "figure7_data", "draw_figure6", "draw_figure7", "DEFAULT_KCS"]

#: Gains drawn by default.
DEFAULT_KCS = (1.0, 5.0, 10.0, 40.0)


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


def _draw(data: dict, path, ylabel: str, title: str):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 4.0))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    t = np.asarray(data["times"])
    colours = [f"C{i % 10}" for i in range(len(data["kcs"]))]
    floor = 1e-16
    for kc, dist, col in zip(data["kcs"], data["distance"], colours, strict=True):
        ax.plot(t, np.maximum(np.asarray(dist), floor), color=col, label=f"$K_c = {kc:g}$")
    ax.axhline(
        data["eta"], color="k", linestyle="--", linewidth=1.0, label=rf"$\eta = {data['eta']:g}$"
    )
    ax.set_yscale("log")
    ax.set_xlabel("$t$")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    return path


def draw_figure6(data: dict, path):
    """Draw :func:`figure6_data` to ``path`` (format from the suffix); returns ``path``."""
    return _draw(
        data,
        path,
        r"$\|\rho(t) - \mathrm{vec}^{-1}(\tilde{y}_d(t))\|_F$",
        "Fig. 6: network vs blended coherent dynamics (Example 3)",
    )


def draw_figure7(data: dict, path):
    """Draw :func:`figure7_data` to ``path``; returns ``path``."""
    return _draw(
        data,
        path,
        r"$\|\rho(t) - \mathcal{P}_*(\rho(t))\|_F$",
        "Fig. 7: distance to the permutation-invariant projection (Example 3)",
    )
