r"""States of many qubits that are never stored as :math:`2^n\times2^n` matrices.

* :class:`ProductState`: :math:`\rho = \rho_1\otimes\cdots\otimes\rho_n` kept as its ``n``
  factors (what :func:`blendsym.product_state` returns for more than
  :data:`DENSE_MAX_QUBITS` qubits, or with ``lazy=True``);
* :class:`ProductMixture`: :math:`\rho = \sum_iw_i\,\rho^{(i)}` with product states
  :math:`\rho^{(i)}` and weights :math:`w_i\ge0`, :math:`\sum_iw_i = 1` (Example 3's initial
  state is one);
* :class:`DickeState`: the pure permutation-invariant state
  :math:`|\psi\rangle = \sum_kc_k|D_k\rangle`, :math:`|D_k\rangle = \binom nk^{-1/2}
  \sum_{|q| = k}|q\rangle` (:math:`k` qubits in :math:`|1\rangle`);
* :func:`spin_coherent_state`: :math:`(|\theta,\phi\rangle\langle\theta,\phi|)^{\otimes n}`,
  :math:`|\theta,\phi\rangle = \cos\frac\theta2|0\rangle + e^{i\phi}\sin\frac\theta2|1\rangle`.

Their PI coordinates (Definition 2's :math:`\mathbf y_d(0)`) are computed by
:mod:`blendsym.section5.pi_states` in :math:`O(np)` operations.  Entries stay exact (SymPy)
when the input is exact.  ``dense()`` builds the matrix for small ``n`` (tests, cross-checks).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sympy

from .._validate import check_int, check_scalar
from ..errors import InvalidArgumentError, InvalidStateError, NotComputableError

__all__ = [
    "ProductState",
    "ProductMixture",
    "DickeState",
    "spin_coherent_state",
    "is_structured_state",
    "DENSE_MAX_QUBITS",
]

#: Largest n for which :func:`blendsym.product_state` returns a dense matrix by default, and
#: for which ``dense()`` builds one (a complex 2^12 x 2^12 matrix takes 268 MB).
DENSE_MAX_QUBITS = 12


def _check_dense(n: int, what: str) -> None:
    if n > DENSE_MAX_QUBITS:
        raise NotComputableError(
            f"{what} on n = {n} qubits would be a 2^{n} x 2^{n} matrix: dense() is limited to "
            f"n <= {DENSE_MAX_QUBITS}; use its PI coordinates (blended_coherent(net).initial_state)"
        )


def _kron_all(mats: list):
    if all(isinstance(m, sympy.MatrixBase) for m in mats):
        out = sympy.kronecker_product(*mats) if len(mats) > 1 else sympy.Matrix(mats[0])
        return out.applyfunc(sympy.expand)
    out = np.array([[1.0 + 0j]])
    for m in mats:
        out = np.kron(
            out,
            np.asarray(m.evalf().tolist() if isinstance(m, sympy.MatrixBase) else m, dtype=complex),
        )
    return out


def _factor_key(f):
    """A hashable key of a 2x2 factor (its exact or floating entries), or None."""
    if isinstance(f, sympy.MatrixBase):
        return ("sympy", tuple(f)) if f.shape == (2, 2) else None
    if isinstance(f, np.ndarray) and f.shape == (2, 2):
        return ("numpy", f.astype(complex).tobytes())
    return None


class ProductState:
    r""":math:`\rho_1\otimes\cdots\otimes\rho_n`, kept as its factors.

    ``factors`` are 2x2 density operators (SymPy, NumPy or nested lists), each validated.
    ``exact`` is true when every factor is an exact SymPy matrix.
    """

    def __init__(self, factors: Sequence):
        from .states import validate_density

        if isinstance(factors, str | bytes) or not isinstance(factors, Sequence):
            raise InvalidArgumentError(
                f"factors must be a list of 2x2 density operators: found {type(factors).__name__}"
            )
        if len(factors) == 0:
            raise InvalidArgumentError("factors must hold at least one 2x2 density operator")
        mats = []
        seen: dict = {}  # factors are often repeated: validate each distinct one once
        for i, f in enumerate(factors):
            key = _factor_key(f)
            if key is not None and key in seen:
                mats.append(seen[key])
                continue
            m = validate_density(f, name=f"factor {i + 1}", n=1)
            m = (
                sympy.ImmutableMatrix(m)
                if isinstance(m, sympy.MatrixBase)
                else np.asarray(m, dtype=complex)
            )
            if key is not None:
                seen[key] = m
            mats.append(m)
        self.factors: tuple = tuple(mats)
        self.n: int = len(mats)
        self._numeric: np.ndarray | None = None
        self.exact: bool = all(isinstance(m, sympy.MatrixBase) for m in mats)

    @property
    def shape(self) -> tuple[int, int]:
        return (2**self.n, 2**self.n)

    def __repr__(self) -> str:
        return f"ProductState(n={self.n}, exact={self.exact})"

    def numeric_factors(self) -> np.ndarray:
        """The factors as a complex array of shape ``(n, 2, 2)`` (each distinct one converted
        once; a read-only cached array)."""
        if self._numeric is None:
            conv: dict[int, np.ndarray] = {}
            out = np.empty((self.n, 2, 2), dtype=complex)
            for i, m in enumerate(self.factors):
                if id(m) not in conv:
                    conv[id(m)] = np.asarray(
                        m.evalf().tolist() if isinstance(m, sympy.MatrixBase) else m, dtype=complex
                    )
                out[i] = conv[id(m)]
            out.setflags(write=False)
            self._numeric = out
        return self._numeric

    def dense(self):
        """The :math:`2^n\\times2^n` matrix (``n <=`` :data:`DENSE_MAX_QUBITS`)."""
        _check_dense(self.n, "a product state")
        return _kron_all(list(self.factors))

    def reduced_state(self, j: int):
        """The factor :math:`\\rho_j` (1-based)."""
        j = check_int(j, "j", minimum=1, maximum=self.n)
        return self.factors[j - 1]

    def frobenius_norm_squared(self, exact: bool | None = None):
        r""":math:`\|\rho\|_F^2 = \prod_j\mathrm{tr}\,\rho_j^2` (exact for exact factors unless
        ``exact=False``)."""
        if self.exact and exact is not False:
            return sympy.expand(sympy.Mul(*[(m * m).trace() for m in self.factors]))
        f = self.numeric_factors()
        return float(np.prod(np.einsum("sij,sji->s", f, f).real))


class ProductMixture:
    r""":math:`\sum_iw_i\,\rho^{(i)}`: a convex combination of product states.

    ``components`` is a list of ``(weight, product)`` with ``product`` a
    :class:`ProductState` or a list of ``n`` 2x2 factors.  Weights are non-negative and add
    up to one (exactly for exact weights, within ``1e-9`` otherwise).
    """

    def __init__(self, components: Sequence):
        if (
            isinstance(components, str | bytes)
            or not isinstance(components, Sequence)
            or len(components) == 0
        ):
            raise InvalidArgumentError(
                "components must be a non-empty list of (weight, product state) pairs"
            )
        weights, states = [], []
        for i, item in enumerate(components):
            if not isinstance(item, Sequence) or len(item) != 2:
                raise InvalidArgumentError(
                    f"components[{i}] must be a pair (weight, product state): found {item!r}"
                )
            w, s = item
            s = s if isinstance(s, ProductState) else ProductState(s)
            wv = check_scalar(w, f"components[{i}] weight")  # strings are never evaluated
            if not wv.is_number or wv.is_real is False or (wv.is_negative is True):
                raise InvalidStateError(
                    f"components[{i}] weight must be a non-negative real number: found {w!r}"
                )
            weights.append(wv)
            states.append(s)
        ns = {s.n for s in states}
        if len(ns) != 1:
            raise InvalidStateError(
                f"components must all have the same number of qubits: found {sorted(ns)}"
            )
        self.n: int = states[0].n
        self.exact: bool = all(s.exact for s in states) and not any(
            w.has(sympy.Float) for w in weights
        )
        total = sympy.Add(*weights)
        if self.exact:
            if sympy.simplify(total - 1) != 0:
                raise InvalidStateError(f"components: the weights must add up to 1: found {total}")
        elif abs(complex(total) - 1) > 1e-9:
            raise InvalidStateError(
                f"components: the weights must add up to 1: found {complex(total).real:.12g}"
            )
        self.weights: tuple = tuple(weights)
        self.states: tuple[ProductState, ...] = tuple(states)

    @property
    def shape(self) -> tuple[int, int]:
        return (2**self.n, 2**self.n)

    def __repr__(self) -> str:
        return f"ProductMixture(n={self.n}, components={len(self.states)}, exact={self.exact})"

    def numeric_weights(self) -> np.ndarray:
        return np.array([float(w) for w in self.weights])

    def dense(self):
        """The :math:`2^n\\times2^n` matrix (``n <=`` :data:`DENSE_MAX_QUBITS`)."""
        _check_dense(self.n, "a product mixture")
        if self.exact:
            out = sympy.zeros(*self.shape)
            for w, s in zip(self.weights, self.states, strict=True):
                out += w * s.dense()
            return out.applyfunc(sympy.expand)
        out = np.zeros(self.shape, dtype=complex)
        for w, s in zip(self.numeric_weights(), self.states, strict=True):
            out += w * np.asarray(_kron_all([np.asarray(f) for f in s.numeric_factors()]))
        return out

    def reduced_state(self, j: int):
        """:math:`\\sum_iw_i\\rho^{(i)}_j`."""
        j = check_int(j, "j", minimum=1, maximum=self.n)
        if self.exact:
            return sum(
                (w * s.factors[j - 1] for w, s in zip(self.weights, self.states, strict=True)),
                sympy.zeros(2, 2),
            )
        return sum(
            w * s.numeric_factors()[j - 1]
            for w, s in zip(self.numeric_weights(), self.states, strict=True)
        )

    def frobenius_norm_squared(self, exact: bool | None = None):
        r""":math:`\|\rho\|_F^2 = \sum_{a,b}w_aw_b\prod_j\mathrm{tr}(\rho^{(a)}_j\rho^{(b)}_j)`
        (exact for exact input unless ``exact=False``)."""
        if self.exact and exact is not False:
            total = []
            for wa, sa in zip(self.weights, self.states, strict=True):
                for wb, sb in zip(self.weights, self.states, strict=True):
                    prod = sympy.Mul(
                        *[(x * y).trace() for x, y in zip(sa.factors, sb.factors, strict=True)]
                    )
                    total.append(wa * wb * prod)
            return sympy.expand(sympy.Add(*total))
        f = np.array([s.numeric_factors() for s in self.states])  # (N, n, 2, 2)
        overlaps = np.einsum("asij,bsji->abs", f, f)
        gram = np.prod(overlaps, axis=2)
        w = self.numeric_weights()
        return float((w @ gram @ w).real)


class DickeState:
    r"""The pure PI state :math:`|\psi\rangle = \sum_kc_k|D_k\rangle` (``amplitudes = {k: c_k}``,
    normalised: :math:`\sum|c_k|^2 = 1`), :math:`|D_k\rangle` the symmetric state with
    :math:`k` qubits in :math:`|1\rangle`.  ``DickeState(n, k)`` is :math:`|D_k\rangle`."""

    def __init__(self, n: int, amplitudes):
        self.n: int = check_int(n, "n", minimum=1)
        if not isinstance(amplitudes, dict):
            amplitudes = {check_int(amplitudes, "k", minimum=0, maximum=self.n): 1}
        amps = {}
        for k, c in amplitudes.items():
            k = check_int(k, "k", minimum=0, maximum=self.n)
            cv = check_scalar(c, f"amplitude of k = {k}")  # strings are never evaluated
            if not cv.is_number:
                raise InvalidArgumentError(f"amplitude of k = {k} must be a number: found {c!r}")
            if cv != 0:
                amps[k] = cv
        norm = sympy.Add(*[c * sympy.conjugate(c) for c in amps.values()])
        self.exact: bool = not any(c.has(sympy.Float) for c in amps.values())
        if (self.exact and sympy.simplify(norm - 1) != 0) or (
            not self.exact and abs(complex(norm) - 1) > 1e-9
        ):
            raise InvalidStateError(
                f"amplitudes must be normalised (sum |c_k|^2 = 1): found {sympy.N(norm, 12)}"
            )
        self.amplitudes: dict[int, sympy.Expr] = dict(sorted(amps.items()))

    @property
    def shape(self) -> tuple[int, int]:
        return (2**self.n, 2**self.n)

    def __repr__(self) -> str:
        return f"DickeState(n={self.n}, amplitudes={self.amplitudes})"

    def frobenius_norm_squared(self, exact: bool | None = None):
        return sympy.Integer(1) if self.exact and exact is not False else 1.0

    def dense(self):
        """The :math:`2^n\\times2^n` matrix :math:`|\\psi\\rangle\\langle\\psi|`."""
        _check_dense(self.n, "a Dicke state")
        d = 2**self.n
        weight = [bin(i).count("1") for i in range(d)]
        if self.exact:
            v = sympy.zeros(d, 1)
            for i in range(d):
                c = self.amplitudes.get(weight[i], 0)
                if c != 0:
                    v[i] = c / sympy.sqrt(math.comb(self.n, weight[i]))
            return (v * v.H).applyfunc(sympy.expand)
        v = np.zeros(d, dtype=complex)
        for i in range(d):
            c = self.amplitudes.get(weight[i], 0)
            v[i] = complex(c) / math.sqrt(math.comb(self.n, weight[i]))
        return np.outer(v, v.conj())


def spin_coherent_state(n: int, theta, phi=0) -> ProductState:
    r""":math:`(|\theta,\phi\rangle\langle\theta,\phi|)^{\otimes n}` with
    :math:`|\theta,\phi\rangle = \cos\frac\theta2|0\rangle + e^{i\phi}\sin\frac\theta2|1\rangle`
    (:math:`\theta = 0` is :math:`|0\dots0\rangle`, all :math:`\sigma_z = +1`).  Exact SymPy
    angles give exact factors."""
    n = check_int(n, "n", minimum=1)
    if isinstance(theta, sympy.Basic) or isinstance(phi, sympy.Basic):
        th, ph = check_scalar(theta, "theta"), check_scalar(phi, "phi")
        if not (th.is_real and ph.is_real):
            raise InvalidArgumentError(f"theta, phi must be real: found {theta!r}, {phi!r}")
        v = sympy.Matrix([sympy.cos(th / 2), sympy.exp(sympy.I * ph) * sympy.sin(th / 2)])
        f = (v * v.H).applyfunc(lambda e: sympy.simplify(sympy.expand(e)))
    else:
        from .._validate import check_real

        th = check_real(theta, "theta")
        ph = check_real(phi, "phi")
        v = np.array([math.cos(th / 2), np.exp(1j * ph) * math.sin(th / 2)])
        f = np.outer(v, v.conj())
    return ProductState([f] * n)


def is_structured_state(x) -> bool:
    """Whether ``x`` is one of the structured states of this module."""
    return isinstance(x, ProductState | ProductMixture | DickeState)
