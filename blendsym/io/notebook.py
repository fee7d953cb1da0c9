r"""Rich display in Jupyter: ``_repr_latex_`` and short ``_repr_html_`` summaries.

The classes (:class:`~blendsym.QuantumNetwork`, :class:`~blendsym.SiteOperator`,
:class:`~blendsym.section4.blended.BlendedReducedState`,
:class:`~blendsym.section5.coherent.BlendedCoherent`,
:class:`~blendsym.spectral.analysis.SpectralAnalysis`,
:class:`~blendsym.bounds.TheoremBound`, :class:`~blendsym.numeric.evolve.Trajectory`) call these
functions; nothing here computes more than the display needs (a trajectory's summary never
prints its arrays, a spectral analysis only what is already computed or cheap).
"""

from __future__ import annotations

import html

__all__ = [
    "display_math",
    "network_html",
    "spectral_html",
    "bound_html",
    "trajectory_html",
    "coherent_html",
]


def display_math(tex: str) -> str:
    """``tex`` as display math for Jupyter (MathJax understands ``aligned``)."""
    return f"$$\n{tex}\n$$"


def _table(title: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
        f"<td style='text-align:left'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table><caption style='text-align:left'><b>{html.escape(title)}</b></caption>{body}</table>"


def network_html(net) -> str:
    from ..section4.reduced import is_separable

    rows = [
        ("qubits", str(net.n)),
        (
            "edges",
            ", ".join(f"{j}-{k}" + ("" if a == 1 else f" ({a})") for j, k, a in net.graph.edges)
            or "none",
        ),
        ("Hamiltonian", str(net.hamiltonian)),
        ("jumps", "; ".join(f"{g}: {l_op}" for g, l_op in net.jumps) or "none"),
        ("coupling K_c", str(net.coupling)),
        ("Assumption 1 (separable)", str(is_separable(net))),
    ]
    if net.parameters:
        rows.append(("symbolic parameters", ", ".join(sorted(map(str, net.parameters)))))
    return _table("QuantumNetwork", rows)


def _short(x, limit: int = 120) -> str:
    s = str(x)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def spectral_html(spec) -> str:
    rows = [("size", str(spec.size)), ("field", _short(spec.field))]
    try:
        rows.append(("relaxing", str(spec.is_relaxing)))
        mu = spec.mu
        num = spec.mu_numeric
        rows.append(("mu", _short(mu) + ("" if num is None else f" = {num:.6g}")))
        js = spec.jordan_structure
        rows.append(("eigenvalues", str(len(js))))
        rows.append(("largest Jordan block", str(max((max(b) for b in js.values()), default=0))))
    except Exception as exc:  # noqa: BLE001 - a summary never raises
        rows.append(("not computed", _short(exc)))
    return _table("SpectralAnalysis", rows)


def bound_html(bound) -> str:
    return f"<pre>{html.escape(bound.summary())}</pre>"


def trajectory_html(traj) -> str:
    t = traj.times
    rows = [
        ("qubits", str(traj.n)),
        ("times", f"{len(t)} from {t[0]:g} to {t[-1]:g}" if len(t) else "none"),
        ("method", traj.method),
        ("holds", traj.observed),
    ]
    err = traj.info.get("error_estimate")
    if err is not None:
        rows.append(("error estimate", f"{err:.2e} ({traj.info.get('error_kind', '')})"))
    return _table("Trajectory", rows)


def coherent_html(c) -> str:
    return _table(
        "BlendedCoherent (Definition 2)",
        [("qubits", str(c.n)), ("p (components of G_d)", str(c.p))],
    )
