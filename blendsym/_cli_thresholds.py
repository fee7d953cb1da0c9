r"""The coupling-gain thresholds ``blendsym analyze`` prints: the paper's :math:`K_c^*` of
each applicable theorem and, with ``--thresholds``, next to it the certified and the
empirical one for the model's initial state and :math:`(\eta, T_1, T_2)`.

* **paper**: :attr:`~blendsym.bounds.TheoremBound.kc_star`, the theorem's bound from its
  constants (valid for every model with the same constants);
* **certified**: :meth:`~blendsym.bounds.TheoremBound.certified_kc`, the smallest gain at
  which :math:`\operatorname{dist}(t)\le\eta` on the theorem's window is *proved* for this
  instance (:mod:`blendsym.bounds.certified`; :math:`n\le`
  :data:`blendsym.limits.CERTIFY_MAX_QUBITS`);
* **empirical**: :meth:`~blendsym.bounds.TheoremBound.empirical_kc`, the smallest gain at
  which it holds in a simulation on the default grid.

The certified search starts just below the empirical gain (as ``certified_kc()`` does by
default), so the printed certified value is the one ``certified_kc(rtol=...)`` returns.
Without ``--thresholds`` one line says how to get the other two, or why they cannot be had.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .errors import BlendsymError, NotComputableError

__all__ = ["print_bounds", "certify_obstacle", "DEFAULT_KC_RTOL"]

#: Resolution of the empirical and certified searches of ``analyze --thresholds``.
DEFAULT_KC_RTOL = 0.02


def certify_obstacle(net) -> str | None:
    """Why a certified :math:`K_c^*` cannot be computed for ``net`` (``None``: it can)."""
    from . import limits

    if net.n > limits.CERTIFY_MAX_QUBITS:
        return (
            f"n = {net.n} > blendsym.limits.CERTIFY_MAX_QUBITS = {limits.CERTIFY_MAX_QUBITS} "
            f"(the proof propagates dense 4^n x 4^n = {4**net.n:,} x {4**net.n:,} matrices)"
        )
    return None


def _cost(n: int) -> str:
    return "under a second per theorem" if n <= 4 else "about 0.5-2 min per theorem"


def _g(x: float) -> str:
    return f"{x:.6g}"


def _ratio(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.3g}"


def print_bounds(
    net,
    makers: list[Callable],
    eta: float,
    t1: float,
    t2: float,
    thresholds: bool = False,
    rtol: float = DEFAULT_KC_RTOL,
) -> None:
    """The paper's :math:`K_c^*` of each theorem ``makers`` builds (those not applicable
    say why), then the side-by-side table (``thresholds``) or how to get it."""
    print(f"Coupling-gain thresholds (eta = {eta}, T1 = {t1}, T2 = {t2}):")
    bounds = []
    for make in makers:
        try:
            b = make()
        except NotComputableError as exc:
            print(f"  not applicable: {exc}")
            continue
        bounds.append(b)
        line = f"  {b.theorem}: K_c* = {b.kc_star:.6g}"
        if b.kc_star_printed is not None:
            line += f" (formula as printed: {b.kc_star_printed:.6g})"
        print(line)
        kinds = {k[: -len(" kind")]: b.constants[k] for k in b.constants if k.endswith(" kind")}
        if kinds:
            print("    " + "; ".join(f"{k} = {b.constants[k]:.6g} ({v})" for k, v in kinds.items()))
    if not bounds:
        return
    obstacle = certify_obstacle(net)
    if not thresholds:
        if obstacle is None:
            print(
                "  certified (proved) and empirical (simulated) K_c* for this initial state: "
                f"add --thresholds ({_cost(net.n)})"
            )
        else:
            print(f"  certified K_c*: not available ({obstacle}); --thresholds gives the empirical")
        return
    _print_table(bounds, obstacle, rtol)


def _print_table(bounds: list, obstacle: str | None, rtol: float) -> None:
    rows = [("theorem", "window", "paper K_c*", "certified", "empirical", "paper/cert.", "s")]
    notes: list[str] = []
    for b in bounds:
        start = time.perf_counter()
        emp = cert = None
        try:
            emp = b.empirical_kc(rtol=rtol)
        except BlendsymError as exc:
            notes.append(f"{b.theorem}: empirical K_c* not found ({exc})")
        if emp is not None and obstacle is None:
            try:
                cert = b.certified_kc(lo=emp / (1 + rtol), rtol=rtol)
            except BlendsymError as exc:
                notes.append(f"{b.theorem}: certified K_c* not found ({exc})")
        t_a, t_b = b.window
        rows.append(
            (
                b.theorem,
                f"[{t_a:.4g}, {t_b:.4g}]",
                _g(b.kc_star),
                "-" if cert is None else _g(cert),
                "-" if emp is None else _g(emp),
                "-" if cert is None else _ratio(b.kc_star / cert),
                f"{time.perf_counter() - start:.1f}",
            )
        )
    pct = f"{100 * rtol:.3g} %"
    print(
        f"paper / certified / empirical K_c* for this model and initial state (searches to {pct}):"
    )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(r[2:], widths[2:], strict=True)]
        print("  " + "  ".join(cells).rstrip())
    if obstacle is not None:
        print(f"  certified K_c*: not computed ({obstacle})")
    for note in notes:
        print(f"  {note}")
    print("  paper: the theorem's bound, from its constants")
    print("  certified: smallest gain at which dist <= eta on the window is proved")
    print("  empirical: smallest gain at which it holds in simulation (201 times)")
