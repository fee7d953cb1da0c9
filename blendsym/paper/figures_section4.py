r"""Figures 1–3 recomputed (Examples 1 and 2, Section 4).

* Fig. 1: :math:`\|\rho_j(t)-\rho_r\|_F`, :math:`j = 1,2,3`, for Example 1 and several
  :math:`K_c`; :math:`\rho_r` is the *computed* steady state of the blended dynamics (9).
* Fig. 2: :math:`\|\rho_j(t)-\rho_b(t)\|_F` for Example 2 and several :math:`K_c`.
* Fig. 3: the Bloch components (paper convention, footnote 1:
  :math:`\rho = \tfrac12 I + x\sigma_x + y\sigma_y + z\sigma_z`) of
  :math:`\rho_1,\rho_2,\rho_3` and :math:`\rho_b` for Example 2 at :math:`K_c = 40`.

The ``*_data`` functions return plain dictionaries of NumPy arrays (what ``blendsym verify``
checks, :mod:`blendsym.paper.verify_figures`); the ``plot_*`` functions need matplotlib (the
``plot`` extra) and return a :class:`~matplotlib.figure.Figure` in the style of
:mod:`blendsym.plot` (one colour per qubit, one panel per gain, the :math:`\eta` level and the
times :math:`T_1, T_2` the captions and the text mention marked and labelled); the ``draw_*``
functions write them as PNG files.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..numeric.evolve import simulate
from ..section4.blended import blended_reduced_state
from .examples import example1, example2

__all__ = [
    "figure1_data",
    "figure2_data",
    "figure3_data",
    "plot_figure1",
    "plot_figure2",
    "plot_figure3",
    "draw_figure1",
    "draw_figure2",
    "draw_figure3",
    "DEFAULT_KCS",
]

DEFAULT_KCS = (1.0, 5.0, 10.0, 40.0)


def _as_array(m) -> np.ndarray:
    return np.array(m.evalf().tolist(), dtype=complex) if hasattr(m, "evalf") else np.asarray(m)


def figure1_data(kcs: Sequence[float] = DEFAULT_KCS, times=None) -> dict:
    r"""Example 1: distances of the reduced states to the computed :math:`\rho_r`."""
    times = np.linspace(0.0, 10.0, 201) if times is None else np.asarray(times, dtype=float)
    net, rho0 = example1()
    b = blended_reduced_state(net)
    rho_r = _as_array(b.steady_states()[0])
    dist = np.empty((len(kcs), net.n, len(times)))
    for a, kc in enumerate(kcs):
        traj = simulate(net, rho0, times, kc=kc)
        for j in range(net.n):
            dist[a, j] = np.linalg.norm(traj.reduced(j + 1) - rho_r, axis=(1, 2))
    return {"times": times, "kcs": np.asarray(kcs, dtype=float), "rho_r": rho_r, "distances": dist}


def figure2_data(kcs: Sequence[float] = DEFAULT_KCS, times=None) -> dict:
    r"""Example 2: distances of the reduced states to :math:`\rho_b(t)`."""
    times = np.linspace(0.0, 10.0, 201) if times is None else np.asarray(times, dtype=float)
    net, rho0 = example2()
    b = blended_reduced_state(net)
    rho_b = b.evolve(b.initial_state(rho0), times)
    dist = np.empty((len(kcs), net.n, len(times)))
    for a, kc in enumerate(kcs):
        traj = simulate(net, rho0, times, kc=kc)
        for j in range(net.n):
            dist[a, j] = np.linalg.norm(traj.reduced(j + 1) - rho_b, axis=(1, 2))
    return {"times": times, "kcs": np.asarray(kcs, dtype=float), "distances": dist}


def figure3_data(kc: float = 40.0, times=None) -> dict:
    r"""Example 2: Bloch components (paper convention) of :math:`\rho_1,\rho_2,\rho_3,\rho_b`."""
    from ..model.states import bloch_vector

    times = np.linspace(0.0, 10.0, 401) if times is None else np.asarray(times, dtype=float)
    net, rho0 = example2()
    b = blended_reduced_state(net)
    traj = simulate(net, rho0, times, kc=kc)
    rho_b = b.evolve(b.initial_state(rho0), times)
    bloch = np.stack(
        [traj.bloch(j, "paper") for j in range(1, net.n + 1)] + [bloch_vector(rho_b, "paper")]
    )
    return {
        "times": times,
        "kc": float(kc),
        "bloch": bloch,
        "labels": ["rho_1", "rho_2", "rho_3", "rho_b"],
    }


def _distances_figure(
    data: dict, title: str, ylabel: str, eta: float | None, times: Sequence[tuple[str, float]]
):
    """One panel per gain (shared log axis), one line per qubit in its colour, the markers."""
    from .. import plot as bp

    dist = np.asarray(data["distances"])
    kcs, n = data["kcs"], dist.shape[1]
    fig, axes = bp.new_figure(len(kcs), panel_size=(3.0, 2.7), legend_width=1.1, sharey=True)
    handles = []
    with bp.style():
        for a, (ax, kc) in enumerate(zip(axes, kcs, strict=True)):
            for j in range(n):
                (line,) = ax.semilogy(
                    data["times"],
                    np.maximum(dist[a, j], bp.FLOOR),
                    color=bp.qubit_colour(j + 1, n),
                    label=f"qubit {j + 1}",
                )
                if a == 0:
                    handles.append(line)
            if eta is not None:
                bp.mark_eta(ax, eta)
            for name, t in times:
                bp.mark_time(ax, t, name)
            ax.set_title(f"$K_c = {kc:g}$")
            ax.set_xlabel("$t$")
        for k in range(0, len(axes), 4):
            axes[k].set_ylabel(ylabel)
        bp.figure_legend(fig, handles)
        fig.suptitle(title)
    return bp.finish_figure(fig)


def plot_figure1(data: dict, eta: float = 0.01):
    r"""Fig. 1 (Example 1): :math:`\|\rho_j(t)-\rho_r\|_F`, one panel per :math:`K_c`, one line
    per qubit, :math:`\eta` marked ("for given :math:`\eta`", caption)."""
    return _distances_figure(
        data,
        r"Fig. 1, Example 1: distance of the reduced states to the blended steady state "
        r"$\rho_r$ (computed) for several $K_c$",
        r"$\|\rho_j(t)-\rho_r\|_F$",
        eta,
        (),
    )


def plot_figure2(data: dict, eta: float = 0.01, t1: float | None = 1.0, t2: float | None = None):
    r"""Fig. 2 (Example 2): :math:`\|\rho_j(t)-\rho_b(t)\|_F`, one panel per :math:`K_c`, one
    line per qubit; :math:`\eta = 0.01` and :math:`T_2` (the caption, default the last time)
    marked, and :math:`T_1` (the text: the reduced states stay within :math:`\eta` of
    :math:`\rho_b` after :math:`T_1`; ``None`` leaves it out)."""
    t2 = float(data["times"][-1]) if t2 is None else float(t2)
    marks = ([] if t1 is None else [("T_1", float(t1))]) + [("T_2", t2)]
    return _distances_figure(
        data,
        r"Fig. 2, Example 2: distance of the reduced states to the blended trajectory "
        r"$\rho_b(t)$ for several $K_c$",
        r"$\|\rho_j(t)-\rho_b(t)\|_F$",
        eta,
        marks,
    )


def plot_figure3(data: dict):
    r"""Fig. 3 (Example 2, :math:`K_c = 40`): the Bloch components :math:`x, y, z` (paper
    convention) of :math:`\rho_1, \rho_2, \rho_3` (one colour per qubit) and :math:`\rho_b`
    (black, dashed); red dots the initial and green dots the final states (caption)."""
    from .. import plot as bp

    bloch = np.asarray(data["bloch"])
    t = np.asarray(data["times"])
    n = bloch.shape[0] - 1
    fig, axes = bp.new_figure(3, panel_size=(3.2, 2.7), legend_width=1.3)
    handles = []
    with bp.style():
        for c, ax in enumerate(axes):
            for k in range(n + 1):
                target = k == n
                (line,) = ax.plot(
                    t,
                    bloch[k, :, c],
                    color=bp.TARGET_COLOUR if target else bp.qubit_colour(k + 1, n),
                    ls="--" if target else "-",
                    label=r"$\rho_b$ (blended)" if target else rf"qubit {k + 1}: $\rho_{k + 1}$",
                    zorder=3 if target else 2,
                )
                if c == 0:
                    handles.append(line)
            for k in range(n + 1):  # the caption's red (initial) and green (final) dots
                ax.plot(t[0], bloch[k, 0, c], "o", color="red", ms=4, zorder=4, gid="initial")
                ax.plot(t[-1], bloch[k, -1, c], "o", color="green", ms=4, zorder=4, gid="final")
            ax.set_xlabel("$t$")
            ax.set_title(["$x(t)$", "$y(t)$", "$z(t)$"][c])
        from matplotlib.lines import Line2D

        dots = [
            Line2D([], [], ls="", marker="o", color=col, ms=4, label=lab)
            for col, lab in (("red", "initial state"), ("green", "final state"))
        ]
        bp.figure_legend(fig, handles + dots)
        fig.suptitle(
            rf"Fig. 3, Example 2: Bloch components of $\rho_1, \rho_2, \rho_3$ and $\rho_b$ "
            rf"at $K_c = {data['kc']:g}$"
        )
    return bp.finish_figure(fig)


def _save(fig, path):
    from ..plot import DPI

    fig.savefig(path, dpi=DPI)
    return path


def draw_figure1(data: dict, path, eta: float = 0.01):
    """Fig. 1 (:func:`plot_figure1`) written to ``path`` (format from the suffix); returns it."""
    return _save(plot_figure1(data, eta), path)


def draw_figure2(data: dict, path, eta: float = 0.01):
    """Fig. 2 (:func:`plot_figure2`) written to ``path``; returns it."""
    return _save(plot_figure2(data, eta), path)


def draw_figure3(data: dict, path):
    """Fig. 3 (:func:`plot_figure3`) written to ``path``; returns it."""
    return _save(plot_figure3(data), path)
