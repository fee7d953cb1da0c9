r"""Figures 1–3 recomputed (Examples 1 and 2, Section 4).

* Fig. 1: :math:`\|\rho_j(t)-\rho_r\|_F`, :math:`j = 1,2,3`, for Example 1 and several
  :math:`K_c`; :math:`\rho_r` is the *computed* steady state of the blended dynamics (9).
* Fig. 2: :math:`\|\rho_j(t)-\rho_b(t)\|_F` for Example 2 and several :math:`K_c`.
* Fig. 3: the Bloch components (paper convention, footnote 1:
  :math:`\rho = \tfrac12 I + x\sigma_x + y\sigma_y + z\sigma_z`) of
  :math:`\rho_1,\rho_2,\rho_3` and :math:`\rho_b` for Example 2 at :math:`K_c = 40`.

The ``*_data`` functions return plain dictionaries of NumPy arrays; the ``draw_*``
functions need matplotlib (the ``plot`` extra) and write a PNG.
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


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _draw_distances(data: dict, path, title: str, ylabel: str, eta: float | None) -> None:
    plt = _pyplot()
    n = data["distances"].shape[1]
    fig, axes = plt.subplots(1, n, figsize=(4 * n, 3.4), sharey=True)
    colours = plt.cm.viridis(np.linspace(0, 0.9, len(data["kcs"])))
    for j, ax in enumerate(np.atleast_1d(axes)):
        for a, kc in enumerate(data["kcs"]):
            ax.semilogy(
                data["times"],
                np.maximum(data["distances"][a, j], 1e-16),
                color=colours[a],
                label=f"$K_c = {kc:g}$",
            )
        if eta is not None:
            ax.axhline(eta, color="k", ls="--", lw=0.8, label=rf"$\eta = {eta:g}$")
        ax.set_xlabel("$t$")
        ax.set_title(ylabel.format(j=j + 1))
    np.atleast_1d(axes)[0].legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def draw_figure1(data: dict, path, eta: float = 0.01) -> None:
    """Fig. 1 as a PNG: one panel per qubit, one colour per :math:`K_c`, log axis."""
    _draw_distances(
        data,
        path,
        "Example 1: distance to the blended steady state",
        r"$\|\rho_{j}(t)-\rho_r\|_F$",
        eta,
    )


def draw_figure2(data: dict, path, eta: float = 0.01) -> None:
    """Fig. 2 as a PNG."""
    _draw_distances(
        data,
        path,
        "Example 2: distance to the blended trajectory",
        r"$\|\rho_{j}(t)-\rho_b(t)\|_F$",
        eta,
    )


def draw_figure3(data: dict, path) -> None:
    """Fig. 3 as a PNG: x, y, z panels (paper convention); red start, green end markers."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    styles = ["-", "-", "-", "--"]
    for c, ax in enumerate(axes):
        for k, lab in enumerate(data["labels"]):
            comp = data["bloch"][k, :, c]
            ax.plot(data["times"], comp, ls=styles[k], label=rf"$\rho_{{{lab[4:]}}}$")
            ax.plot(data["times"][0], comp[0], "o", color="red", ms=4)
            ax.plot(data["times"][-1], comp[-1], "o", color="green", ms=4)
        ax.set_xlabel("$t$")
        ax.set_title(["$x(t)$", "$y(t)$", "$z(t)$"][c])
    axes[0].legend(fontsize=8)
    fig.suptitle(f"Example 2: Bloch components at $K_c = {data['kc']:g}$")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
