r"""What every theorem of the paper returns: :math:`K_c^*`, its constants, and a check.

A :class:`TheoremBound` carries the coupling-gain threshold :math:`K_c^*` of one theorem,
every constant it is made of (each computed, none assumed), the value the formula *as
printed* in the paper gives when that differs, and two numerical experiments:

* :meth:`TheoremBound.check` simulates the full network (4) at :math:`K_c^*` (or any
  gain) and evaluates the promised inequality on a time grid;
* :meth:`TheoremBound.empirical_kc` finds by bisection the smallest gain for which the
  :math:`\eta`-part of the promise holds on that grid, to show how conservative
  :math:`K_c^*` is;
* :meth:`TheoremBound.certified_kc` the smallest gain at which that promise is *proved*
  for the instance (:mod:`blendsym.bounds.certified`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_interval as _check_interval
from .._validate import check_real, check_times
from ..errors import InvalidArgumentError, NotComputableError
from .constants import TheoremConstants

__all__ = ["BoundCheck", "TheoremBound", "check_eta", "check_positive_time", "bisect_kc"]


@dataclass
class BoundCheck:
    """The promised inequality evaluated along a simulated trajectory.

    ``lhs[i]`` is the measured distance at ``times[i]``, ``rhs[i]`` the bound promised
    there (``inf`` where the theorem promises nothing).  ``holds`` is
    ``all(lhs <= rhs * (1 + rtol))``.
    """

    theorem: str
    kc: float
    times: np.ndarray
    lhs: np.ndarray
    rhs: np.ndarray
    rtol: float = 1e-9

    @property
    def holds(self) -> bool:
        return bool(np.all(self.lhs <= self.rhs * (1 + self.rtol) + 1e-14))

    @property
    def worst_ratio(self) -> float:
        """``max lhs / rhs`` over the times with a finite promise (<= 1 when it holds)."""
        finite = np.isfinite(self.rhs)
        if not finite.any():
            return 0.0
        return float(np.max(self.lhs[finite] / np.maximum(self.rhs[finite], 1e-300)))

    def __str__(self) -> str:
        verdict = "holds" if self.holds else "VIOLATED"
        return (
            f"{self.theorem} at K_c = {self.kc:.6g}: {verdict} on {len(self.times)} times "
            f"(worst lhs/bound = {self.worst_ratio:.3g})"
        )


@dataclass
class TheoremBound:
    r"""The coupling-gain threshold of one theorem, with its constants.

    Attributes
    ----------
    theorem: ``"Theorem 1"`` ... ``"Theorem 4"``.
    kc_star: :math:`K_c^*` as this library computes it (from the proof's own bound).
    constants: every constant of the formula, a typed frozen record
        (:class:`~blendsym.bounds.constants.Theorem1Constants` ...
        :class:`~blendsym.bounds.constants.Theorem4Constants`) with fields named as in the
        paper, each documented as exact, numeric, an upper bound or derived; it also reads
        as a mapping from the paper's labels (``constants["lambda_m(Q)"]``).
    kc_star_printed: :math:`K_c^*` from the formula as printed in the paper, or ``None``
        when the printed formula is the one used.
    notes: how implicit constants were obtained, and any disagreement with the text.
    """

    theorem: str
    kc_star: float
    constants: TheoremConstants
    eta: float
    window: tuple[float, float]
    kc_star_printed: float | None = None
    notes: list[str] = field(default_factory=list)
    #: The 1-based sites of the connected component the bound is for (``component=i`` of
    #: a disconnected graph), ``None`` for the whole (connected) network.
    sites: tuple[int, ...] | None = None
    #: Theorems 3-4: the connected components of G the bound was computed on (1-based site
    #: tuples; one tuple for a connected graph), whose product of symmetric groups defines
    #: P_d P_d^T and lambda_m(Q_d).  ``None`` for Theorems 1-2.
    components: tuple[tuple[int, ...], ...] | None = None
    _measure: Callable[[float, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = field(
        default=None, repr=False
    )
    _promise: Callable[[], object] | None = field(default=None, repr=False)

    def _measured(self, kc: float, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The simulated distances, refused when they are not finite (a gain so large that
        the double-precision propagation overflows) instead of read as a violation."""
        if self._measure is None:  # pragma: no cover - check() refuses it first
            raise InvalidArgumentError("this bound has no simulation attached")
        lhs, rhs = self._measure(kc, t)
        if not np.all(np.isfinite(lhs)):
            raise NotComputableError(
                f"{self.theorem}: the simulation at K_c = {kc:.6g} gave non-finite distances "
                "(double-precision overflow); the promise cannot be checked at this gain"
            )
        return lhs, rhs

    def default_times(self, num: int = 201) -> np.ndarray:
        t0, t1 = self.window
        return np.unique(np.concatenate([np.linspace(0.0, t1, num), [t0, t1]]))

    def check(self, kc: float | None = None, times=None) -> BoundCheck:
        """Simulate at ``kc`` (default :math:`K_c^*`) and evaluate the promise on ``times``."""
        if self._measure is None:  # pragma: no cover
            raise InvalidArgumentError("this bound has no simulation attached")
        kc = self.kc_star if kc is None else check_real(kc, "kc", positive=True)
        t = self.default_times() if times is None else check_times(times)
        lhs, rhs = self._measured(kc, t)
        return BoundCheck(self.theorem, kc, t, lhs, rhs)

    def eta_holds(self, kc: float, times=None) -> bool:
        """Does the distance stay below ``eta`` on the theorem's time window at gain ``kc``?"""
        kc = check_real(kc, "kc", positive=True)
        t = self.default_times() if times is None else check_times(times)
        lhs, _ = self._measured(kc, t)
        t0, t1 = self.window
        inside = (t >= t0 - 1e-12) & (t <= t1 + 1e-12)
        return bool(np.all(lhs[inside] <= self.eta))

    def empirical_kc(
        self, lo: float | None = None, hi: float | None = None, rtol: float = 0.02, times=None
    ) -> float:
        r"""Smallest gain (within ``rtol``) for which the :math:`\eta`-promise holds in simulation.

        Geometric bisection between ``lo`` (default :math:`K_c^*/10^6`) and ``hi`` (default
        :math:`K_c^*`); assumes the property is monotone in the gain over that bracket.
        """
        hi = self.kc_star if hi is None else check_real(hi, "hi", positive=True)
        lo = hi * 1e-6 if lo is None else check_real(lo, "lo", positive=True)
        from .._progress import bar

        with bar(None, f"{self.theorem}: empirical K_c") as progress:

            def ok(k):
                progress.update(1)
                return self.eta_holds(k, times)

            return bisect_kc(ok, lo, hi, rtol)

    def certify(self, kc: float) -> tuple[bool, float]:
        r"""``(proved, worst)``: is the :math:`\eta`-promise on the window *proved* at gain
        ``kc`` (interval enclosures on a grid plus a derivative bound between grid points,
        :mod:`blendsym.bounds.certified`), and the largest upper bound of the distance met."""
        from .certified import certify

        if self._promise is None:  # pragma: no cover
            raise InvalidArgumentError("this bound has no certificate attached")
        kc = check_real(kc, "kc", positive=True)
        promise = self.__dict__.get("_promise_value")
        if promise is None:
            promise = self._promise()
            self.__dict__["_promise_value"] = promise
        return certify(promise, kc)  # type: ignore[arg-type]

    def certified_kc(
        self, lo: float | None = None, hi: float | None = None, rtol: float = 0.02
    ) -> float:
        r"""Smallest gain (within ``rtol``) at which the :math:`\eta`-promise on the theorem's
        window is proved for this model and initial state by a rigorous computation
        (:meth:`certify`, :mod:`blendsym.bounds.certified`).

        It lies between :meth:`empirical_kc` (a simulation on a grid) and :attr:`kc_star`
        (the paper's bound).  The search starts at ``lo`` (default: :meth:`empirical_kc`
        divided by ``1 + rtol``), raises the gain by factors :math:`(1+r)^2, (1+r)^4, \dots`
        (at most 2) up to ``hi`` (default :attr:`kc_star`) until the promise is proved, then
        bisects geometrically; it assumes the property is monotone in the gain over that
        bracket, as :meth:`empirical_kc` does.  A progress bar (:mod:`blendsym._progress`)
        counts the certifications.
        """
        from .._progress import bar
        from .certified import certified_search

        rtol = check_real(rtol, "rtol", positive=True)
        cap = self.kc_star if hi is None else check_real(hi, "hi", positive=True)
        if lo is None:
            lo = self.empirical_kc(rtol=rtol) / (1 + rtol)
        else:
            lo = check_real(lo, "lo", positive=True)

        with bar(None, f"{self.theorem}: certified K_c") as progress:

            def ok(k: float) -> bool:
                progress.set_postfix_str(f"K_c = {k:.4g}")
                proved = self.certify(k)[0]
                progress.update(1)
                return proved

            a, b = certified_search(ok, min(lo, cap), cap, rtol)
            while b / a > 1 + rtol:
                mid = math.sqrt(a * b)
                if ok(mid):
                    b = mid
                else:
                    a = mid
        return b

    def summary(self) -> str:
        lines = [f"{self.theorem}: K_c* = {self.kc_star:.6g}"]
        if self.components is not None and len(self.components) > 1:
            lines.append(f"  components of G: {[list(c) for c in self.components]}")
        if self.kc_star_printed is not None:
            lines.append(f"  printed formula gives K_c* = {self.kc_star_printed:.6g}")
        for k, v in self.constants.items():
            lines.append(f"  {k} = {v}")
        lines.extend(f"  note: {s}" for s in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from ..io.notebook import bound_html

        return bound_html(self)


def bisect_kc(ok: Callable[[float], bool], lo: float, hi: float, rtol: float = 0.02) -> float:
    """Smallest ``k`` in ``[lo, hi]`` with ``ok(k)``, by geometric bisection.

    Returns ``lo`` when ``ok(lo)``; raises when ``ok(hi)`` is false.
    """
    lo = check_real(lo, "lo", positive=True)
    hi = check_real(hi, "hi", positive=True)
    rtol = check_real(rtol, "rtol", positive=True)
    if not lo < hi:
        raise InvalidArgumentError(f"need 0 < lo < hi: found lo={lo}, hi={hi}")
    if not ok(hi):
        raise InvalidArgumentError(f"the property does not hold at the upper gain {hi:.6g}")
    if ok(lo):
        return lo
    while hi / lo > 1 + rtol:
        mid = math.sqrt(lo * hi)
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def check_eta(eta) -> float:
    r"""The accuracy :math:`\eta > 0` of Theorems 1-4 (finite)."""
    return check_real(eta, "eta", positive=True)


def check_positive_time(t, name: str, allow_zero: bool = False) -> float:
    """A finite time, positive (or non-negative with ``allow_zero``)."""
    return check_real(t, name, positive=not allow_zero, nonnegative=allow_zero)


def check_interval(T1, T2) -> tuple[float, float]:
    """``(T1, T2)`` of Theorems 2-4 as floats: ``0 <= T1 <= T2``, ``T2 > 0``
    (:func:`blendsym._validate.check_interval`)."""
    return _check_interval(T1, T2)
