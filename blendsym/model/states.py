r"""Density operators: validation, basis and product states, partial traces, Bloch vectors.

A density operator is Hermitian, positive semidefinite and of trace one (Section 2.1).
Exact (SymPy) input is checked exactly; floating-point input within a tolerance.

The reduced state of qubit :math:`j` (Section 4.1) is the partial trace over all other
qubits, :math:`\rho_j = \mathrm{Tr}_{\otimes_{k\neq j}\mathcal H_k}(\rho)`.

Bloch vectors, two conventions (DESIGN.md):

* ``"standard"``: :math:`\rho = \tfrac12 (I + r_x\sigma_x + r_y\sigma_y + r_z\sigma_z)`,
  :math:`r_a = \mathrm{tr}(\rho\,\sigma_a)`;
* ``"paper"`` (footnote 1, used for Fig. 3):
  :math:`\rho = \tfrac12 I + x\sigma_x + y\sigma_y + z\sigma_z`, i.e. :math:`x = r_x/2`.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
import sympy
from sympy.polys.matrices import DomainMatrix

from ..errors import InvalidArgumentError, InvalidStateError
from .conventions import SIGMA_X, SIGMA_Y, SIGMA_Z

__all__ = [
    "ket",
    "bra",
    "basis_state",
    "product_state",
    "validate_density",
    "is_density",
    "partial_trace",
    "reduced_state",
    "reduced_states",
    "bloch_vector",
    "state_from_bloch",
    "n_qubits_of",
    "DEFAULT_TOL",
]

#: Tolerance for floating-point checks of density operators.
DEFAULT_TOL = 1e-9

_KET_CHARS = {
    "0": [1, 0],
    "1": [0, 1],
    "+": [1 / sympy.sqrt(2), 1 / sympy.sqrt(2)],
    "-": [1 / sympy.sqrt(2), -1 / sympy.sqrt(2)],
}


def ket(bits: str) -> sympy.Matrix:
    r"""The exact column vector :math:`|q_1 q_2\dots q_n\rangle`; characters ``0 1 + -``.

    ``ket("001")`` is the basis vector with index :math:`l = 1`.
    """
    if not isinstance(bits, str) or not bits or any(c not in _KET_CHARS for c in bits):
        raise InvalidArgumentError(
            f"bits must be a non-empty string of the characters '0', '1', '+', '-': found {bits!r}"
        )
    v = sympy.Matrix([1])
    for c in bits:
        v = sympy.kronecker_product(v, sympy.Matrix(_KET_CHARS[c]))
    return v


def bra(bits: str) -> sympy.Matrix:
    r"""The row vector :math:`\langle q_1\dots q_n|`."""
    return ket(bits).H


def basis_state(bits: str) -> sympy.Matrix:
    r"""The pure density operator :math:`|q\rangle\langle q|` (exact)."""
    v = ket(bits)
    return v * v.H


def product_state(*factors, lazy: bool | None = None):
    r""":math:`\rho_1\otimes\rho_2\otimes\cdots` of single-qubit density operators.

    Each factor may be a 2x2 matrix or a string accepted by :func:`basis_state`.
    The result is exact when every factor is exact, NumPy otherwise.  Each factor
    is validated as a density operator.

    ``lazy``: ``True`` returns a :class:`~blendsym.ProductState` that keeps the factors (no
    :math:`2^n\times2^n` matrix; what :meth:`BlendedCoherent.initial_state` takes at any
    :math:`n`); ``None`` (default) does so only for more than
    :data:`~blendsym.model.structured_states.DENSE_MAX_QUBITS` qubits.  Strings of several
    characters stand for that many single-qubit factors in the lazy form.
    """
    from .structured_states import DENSE_MAX_QUBITS, ProductState

    if len(factors) == 1 and isinstance(factors[0], (list, tuple)):
        factors = tuple(factors[0])
    if not factors:
        raise InvalidArgumentError("product_state needs at least one factor")
    n_sites = sum(len(f) if isinstance(f, str) else 1 for f in factors)
    if lazy or (lazy is None and n_sites > DENSE_MAX_QUBITS):
        single = []
        for f in factors:
            if isinstance(f, str):
                single.extend(basis_state(c) for c in f)
            else:
                single.append(f)
        return ProductState(single)
    mats = []
    for i, f in enumerate(factors):
        m = basis_state(f) if isinstance(f, str) else f
        mats.append(validate_density(m, name=f"factor {i + 1}"))
    if all(isinstance(m, sympy.MatrixBase) for m in mats):
        out = sympy.kronecker_product(*mats) if len(mats) > 1 else sympy.Matrix(mats[0])
        # expanded entries keep exact states in a fast domain (e.g. Gaussian rationals)
        return out.applyfunc(sympy.expand)
    out = np.array([[1.0 + 0j]])
    for m in mats:
        out = np.kron(out, _to_numpy(m))
    return out


# ---------------------------------------------------------------------- validation


def _to_numpy(m) -> np.ndarray:
    if isinstance(m, sympy.MatrixBase):
        if m.free_symbols:
            raise InvalidStateError(
                f"state has free symbols {sorted(map(str, m.free_symbols))}; substitute values"
            )
        return np.array(m.evalf().tolist(), dtype=complex)
    if sp.issparse(m):
        return m.toarray().astype(complex)
    return np.asarray(m, dtype=complex)


def n_qubits_of(rho, name: str = "rho") -> int:
    """Number of qubits of a square ``2^n x 2^n`` matrix (raises otherwise)."""
    shape = rho.shape if hasattr(rho, "shape") else np.shape(rho)
    if len(shape) != 2 or shape[0] != shape[1]:
        raise InvalidStateError(f"{name} must be a square matrix: found shape {tuple(shape)}")
    d = int(shape[0])
    n = d.bit_length() - 1
    if d < 2 or 2**n != d:
        raise InvalidStateError(
            f"{name} must be 2^n x 2^n for some n >= 1: found shape {tuple(shape)}"
        )
    return n


def _is_exact_matrix(m) -> bool:
    return isinstance(m, sympy.MatrixBase) and not any(e.has(sympy.Float) for e in m.values())


def validate_density(rho, name: str = "rho", tol: float = DEFAULT_TOL, n: int | None = None):
    r"""Check that ``rho`` is a density operator and return it (SymPy or NumPy).

    Exact input: :math:`\rho = \rho^\dagger` and :math:`\mathrm{tr}\rho = 1` exactly, and
    positivity exactly from the characteristic polynomial (a Hermitian matrix is
    positive semidefinite iff the coefficients of :math:`\det(xI - \rho)` alternate in
    sign, computed over :math:`\mathbb Q(i)`-type domains by ``DomainMatrix``).
    Float input: the same within ``tol``.  ``n``, when given, is the expected number of
    qubits.
    """
    if isinstance(rho, (list, tuple)):
        try:
            rho = np.array(rho, dtype=complex)
        except (TypeError, ValueError):
            rho = sympy.Matrix(rho)
    if sp.issparse(rho):
        rho = rho.toarray()
    if not isinstance(rho, (sympy.MatrixBase, np.ndarray)):
        raise InvalidStateError(
            f"{name} must be a matrix (SymPy, NumPy or nested lists): found {type(rho).__name__}"
        )
    nq = n_qubits_of(rho, name)
    if n is not None and nq != n:
        raise InvalidStateError(
            f"{name} must be {2**n} x {2**n} for n = {n} qubits: found shape {tuple(rho.shape)}"
        )
    if isinstance(rho, sympy.MatrixBase):
        if rho.free_symbols:
            raise InvalidStateError(
                f"{name} has free symbols {sorted(map(str, rho.free_symbols))}: a state must be numeric"
            )
        if any(e.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) for e in rho.values()):
            raise InvalidStateError(f"{name} has NaN or infinite entries")
        if _is_exact_matrix(rho):
            rho = sympy.Matrix(rho).applyfunc(sympy.expand)
            _validate_exact(rho, name)
            return rho
        arr = _to_numpy(rho)
        _validate_numeric(arr, name, tol)
        return arr
    arr = np.asarray(rho)
    if not np.issubdtype(arr.dtype, np.number):
        raise InvalidStateError(f"{name} must be numeric: found dtype {arr.dtype}")
    arr = arr.astype(complex)
    if not np.all(np.isfinite(arr)):
        raise InvalidStateError(f"{name} has NaN or infinite entries")
    _validate_numeric(arr, name, tol)
    return arr


def _validate_numeric(arr: np.ndarray, name: str, tol: float) -> None:
    herm = np.abs(arr - arr.conj().T).max()
    if herm > tol:
        raise InvalidStateError(f"{name} is not Hermitian: max |rho - rho^dagger| = {herm:.3g}")
    tr = np.trace(arr)
    if abs(tr - 1) > tol:
        raise InvalidStateError(
            f"{name} must have trace one: found trace {tr.real:.6g}"
            + (f"{tr.imag:+.3g}i" if abs(tr.imag) > tol else "")
        )
    ev = np.linalg.eigvalsh((arr + arr.conj().T) / 2)
    if ev.min() < -tol:
        raise InvalidStateError(
            f"{name} is not positive semidefinite: smallest eigenvalue {ev.min():.3g}"
        )


def _validate_exact(m: sympy.Matrix, name: str) -> None:
    diff = (m - m.H).applyfunc(sympy.simplify)
    if not diff.is_zero_matrix:
        worst = max(abs(complex(e)) for e in diff)
        raise InvalidStateError(f"{name} is not Hermitian: max |rho - rho^dagger| = {worst:.3g}")
    tr = sympy.simplify(m.trace())
    if tr != 1:
        raise InvalidStateError(f"{name} must have trace one: found trace {tr}")
    coeffs = _charpoly_coeffs(m)
    # det(xI - m) = sum_k c_k x^(d-k), c_0 = 1; PSD iff (-1)^k c_k >= 0 for all k
    for k, c in enumerate(coeffs):
        c = sympy.nsimplify(sympy.re(c)) if sympy.im(c) == 0 else c
        val = (-1) ** k * c
        if val.is_negative:
            ev = np.linalg.eigvalsh(_to_numpy(m))
            raise InvalidStateError(
                f"{name} is not positive semidefinite: smallest eigenvalue {ev.min():.6g}"
            )
        if val.is_nonnegative is None:  # undecidable exactly: decide numerically
            ev = np.linalg.eigvalsh(_to_numpy(m))
            if ev.min() < -DEFAULT_TOL:
                raise InvalidStateError(
                    f"{name} is not positive semidefinite: smallest eigenvalue {ev.min():.6g}"
                )
            return


def _charpoly_coeffs(m: sympy.Matrix) -> list[sympy.Expr]:
    try:
        dm = DomainMatrix.from_Matrix(m)
        coeffs = dm.charpoly()
        return [dm.domain.to_sympy(c) for c in coeffs]
    except Exception:  # pragma: no cover - unusual domains
        x = sympy.Dummy("x")
        return sympy.Poly(m.charpoly(x).as_expr(), x).all_coeffs()


def is_density(rho, tol: float = DEFAULT_TOL) -> bool:
    """True when :func:`validate_density` accepts ``rho``."""
    try:
        validate_density(rho, tol=tol)
    except InvalidStateError:
        return False
    return True


# ---------------------------------------------------------------------- partial trace


def _check_qubit(j, n: int, name: str = "j") -> int:
    if isinstance(j, bool) or not isinstance(j, numbers.Integral):
        raise InvalidArgumentError(f"{name} must be an integer qubit index in 1..{n}: found {j!r}")
    if not 1 <= j <= n:
        raise InvalidArgumentError(f"{name} must be a qubit index in 1..{n} (1-based): found {j}")
    return int(j)


def partial_trace(rho, keep: Sequence[int]):
    r"""Trace out every qubit not in ``keep`` (1-based, kept in increasing order).

    Works on any square :math:`2^n\times 2^n` matrix (not only density operators):
    exact for SymPy input, NumPy otherwise.  Also accepts a stack of matrices of shape
    ``(..., 2^n, 2^n)`` (NumPy).
    """
    if isinstance(rho, sympy.MatrixBase):
        n = n_qubits_of(rho)
        keep = sorted({_check_qubit(j, n, "keep") for j in keep})
        return _partial_trace_exact(rho, n, keep)
    arr = np.asarray(rho)
    if arr.ndim < 2:
        raise InvalidStateError(f"rho must be a matrix: found shape {arr.shape}")
    n = n_qubits_of(arr[(0,) * (arr.ndim - 2)] if arr.ndim > 2 else arr)
    keep = sorted({_check_qubit(j, n, "keep") for j in keep})
    lead = arr.shape[:-2]
    t = arr.reshape(lead + (2,) * (2 * n))
    nl = len(lead)
    # einsum over the traced axes
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    lead_l = letters[:nl]
    row = list(letters[nl : nl + n])
    col = list(letters[nl + n : nl + 2 * n])
    for i in range(n):
        if (i + 1) not in keep:
            col[i] = row[i]
    out = lead_l + "".join(row[i - 1] for i in keep) + "".join(col[i - 1] for i in keep)
    res = np.einsum(lead_l + "".join(row) + "".join(col) + "->" + out, t)
    d = 2 ** len(keep)
    return res.reshape(lead + (d, d))


def _partial_trace_exact(rho: sympy.MatrixBase, n: int, keep: list[int]) -> sympy.Matrix:
    d = 2 ** len(keep)
    out = sympy.zeros(d, d)
    shifts = [n - j for j in keep]

    def sub_index(l: int) -> int:
        s = 0
        for sh in shifts:
            s = (s << 1) | ((l >> sh) & 1)
        return s

    traced_mask = sum(1 << (n - j) for j in range(1, n + 1) if j not in keep)
    items = (
        rho.todok().items()
        if hasattr(rho, "todok")
        else (((i, j), rho[i, j]) for i in range(rho.rows) for j in range(rho.cols))
    )
    for (a, b), v in items:
        if v == 0 or (a & traced_mask) != (b & traced_mask):
            continue
        out[sub_index(a), sub_index(b)] += v
    return out


def reduced_state(rho, j: int):
    r"""The reduced state :math:`\rho_j` of qubit ``j`` (1-based), a 2x2 matrix."""
    n = n_qubits_of(rho if not isinstance(rho, np.ndarray) or rho.ndim == 2 else rho[0])
    j = _check_qubit(j, n)
    return partial_trace(rho, [j])


def reduced_states(rho) -> list:
    """All reduced states ``[rho_1, ..., rho_n]``."""
    n = n_qubits_of(rho)
    return [partial_trace(rho, [j]) for j in range(1, n + 1)]


# ---------------------------------------------------------------------- Bloch vectors


def _check_convention(convention: str) -> float | sympy.Expr:
    if convention == "standard":
        return 1
    if convention == "paper":
        return sympy.Rational(1, 2)
    raise InvalidArgumentError(f"convention must be 'standard' or 'paper': found {convention!r}")


def bloch_vector(rho, convention: str = "standard"):
    r"""Bloch vector of a single-qubit operator (or a stack ``(..., 2, 2)`` of them).

    ``"standard"``: :math:`r_a = \mathrm{tr}(\rho\sigma_a)`; ``"paper"``: half of it
    (footnote 1 of the paper).  Exact SymPy input gives a SymPy ``Matrix``; NumPy input
    gives a real array of shape ``(..., 3)``.
    """
    scale = _check_convention(convention)
    if isinstance(rho, sympy.MatrixBase):
        if rho.shape != (2, 2):
            raise InvalidStateError(
                f"rho must be a single-qubit 2x2 matrix: found shape {rho.shape}"
            )
        return sympy.Matrix(
            [sympy.simplify(scale * (rho * s).trace()) for s in (SIGMA_X, SIGMA_Y, SIGMA_Z)]
        )
    arr = np.asarray(rho, dtype=complex)
    if arr.shape[-2:] != (2, 2):
        raise InvalidStateError(f"rho must be a single-qubit 2x2 matrix: found shape {arr.shape}")
    x = 2 * arr[..., 0, 1].real
    y = -2 * arr[..., 0, 1].imag
    z = (arr[..., 0, 0] - arr[..., 1, 1]).real
    return float(scale) * np.stack([x, y, z], axis=-1)


def state_from_bloch(r, convention: str = "standard"):
    r"""The single-qubit operator with Bloch vector ``r`` (inverse of :func:`bloch_vector`)."""
    scale = _check_convention(convention)
    if len(r) != 3:
        raise InvalidArgumentError(f"r must have three components: found {len(r)}")
    if all(isinstance(c, (sympy.Basic, numbers.Rational)) for c in r):
        x, y, z = (sympy.sympify(c) / scale for c in r)
        return (sympy.eye(2) + x * SIGMA_X + y * SIGMA_Y + z * SIGMA_Z) / 2
    x, y, z = (float(c) / float(scale) for c in r)
    return 0.5 * np.array([[1 + z, x - 1j * y], [x + 1j * y, 1 - z]])
