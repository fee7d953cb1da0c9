r"""Plots of trajectories in one style (the ``plot`` extra: matplotlib).

:func:`plot_trajectory` draws, for one trajectory or one per coupling gain,

* the Bloch components :math:`r_x, r_y, r_z` of every qubit (each qubit its own line style and
  label; each gain its own colour),
* the distances :math:`\|\rho(t) - \mathcal P_*(\rho(t))\|_F` (to the permutation-invariant
  states, Section 5), :math:`\max_j\|\rho_j(t) - \rho_b(t)\|_F` (to the blended reduced state
  of Definition 1, when the network is separable and ``rho0`` is given) and
  :math:`\max_j\|\rho_j(t) - \rho_r\|_F` (to the steady state :math:`\rho_r` of (6), Theorems
  1-2), on a logarithmic axis, with the :math:`\eta` level and the :math:`T_2` time marked when
  given.

The figure is a :class:`matplotlib.figure.Figure` built without ``pyplot`` (no global state,
no display backend needed); save it with ``fig.savefig(path)``.
"""

from __future__ import annotations

import numpy as np

from .errors import InvalidArgumentError

__all__ = ["plot_trajectory", "distances"]

_STYLES = ["-", "--", ":", "-."]


def _matplotlib():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "plotting needs matplotlib, which is not installed: pip install 'blendsym[plot]'"
        ) from None
    return Figure, FigureCanvasAgg


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
    figsize: tuple[float, float] = (13.0, 3.2),
):
    """A :class:`~matplotlib.figure.Figure` of ``traj`` (module docstring).

    ``traj`` is a :class:`~blendsym.numeric.evolve.Trajectory` or a mapping
    ``{K_c: Trajectory}`` (one colour per gain); ``net`` and ``rho0`` add the distances to
    :math:`\\rho_b` and :math:`\\rho_r`; ``eta`` draws the tolerance level, ``t2`` the time
    :math:`T_2` of Theorems 2-4."""
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
    figure, canvas = _matplotlib()
    fig = figure(figsize=figsize, layout="constrained")
    canvas(fig)
    axes = fig.subplots(1, 4)
    import matplotlib as mpl

    cmap = mpl.colormaps["viridis"]
    many = len(trajs) > 1
    for a, (kc, tr) in enumerate(trajs.items()):
        gain = "" if kc is None else f"$K_c={kc:g}$"
        base = cmap(0.85 * a / max(len(trajs) - 1, 1))
        for j in range(1, tr.n + 1):
            r = tr.bloch(j, convention)
            colour = base if many else f"C{(j - 1) % 10}"
            style = _STYLES[(j - 1) % len(_STYLES)] if many else "-"
            label = f"qubit {j}" if not many else (gain if j == 1 else None)
            for c in range(3):
                axes[c].plot(tr.times, r[:, c], color=colour, ls=style, lw=1.2, label=label)
        for k, (name, d) in enumerate(distances(tr, net, rho0).items()):
            axes[3].semilogy(
                tr.times,
                np.maximum(d, 1e-16),
                color=base if many else f"C{k}",
                ls=_STYLES[k % len(_STYLES)],
                lw=1.2,
                label=(f"{name} {gain}" if many else name),
            )
    for c, lab in enumerate(["$r_x$", "$r_y$", "$r_z$", "distances"]):
        axes[c].set_title(lab, fontsize=10)
        axes[c].set_xlabel("$t$")
    if eta is not None:
        axes[3].axhline(eta, color="0.4", lw=0.8, ls="--", label=rf"$\eta={eta:g}$")
    if t2 is not None:
        for ax in axes:
            ax.axvline(t2, color="0.6", lw=0.8, ls=":")
        axes[3].plot([], [], color="0.6", lw=0.8, ls=":", label=f"$T_2={t2:g}$")
    axes[0].legend(fontsize=7)
    if axes[3].lines:
        axes[3].legend(fontsize=7)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
