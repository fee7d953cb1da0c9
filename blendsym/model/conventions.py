r"""Fixed conventions: single-qubit matrices, row-stacking ``vec`` and superoperators.

Basis and matrices (paper, Section 2.4)
---------------------------------------
Qubit basis :math:`|0\rangle, |1\rangle`; qubit 1 is the leftmost tensor factor and the
basis index of :math:`|q_1 \dots q_n\rangle` is :math:`l = \sum_i q_i 2^{n-i}`.

.. math::

    \sigma_x = \begin{bmatrix}0&1\\1&0\end{bmatrix},\quad
    \sigma_y = \begin{bmatrix}0&-i\\i&0\end{bmatrix},\quad
    \sigma_z = \begin{bmatrix}1&0\\0&-1\end{bmatrix},\quad
    \sigma_+ = \begin{bmatrix}0&0\\1&0\end{bmatrix},\quad
    \sigma_- = \begin{bmatrix}0&1\\0&0\end{bmatrix}.

Vectorisation
-------------
``vec`` is *row stacking*: :math:`\mathrm{vec}(\rho)[l\,2^n + l'] = \rho_{l l'}`, NumPy's
C-order ``ravel``.  With it

.. math::  \mathrm{vec}(A X B) = (A \otimes B^{\top})\,\mathrm{vec}(X),

so the superoperators of the Lindblad equation (1) are

.. math::

    -\tfrac{i}{\hbar}[H,\cdot] &\mapsto -\tfrac{i}{\hbar}\,(H\otimes I - I\otimes H^{\top}),\\
    \mathcal D(L) &\mapsto L\otimes \bar L
        - \tfrac12\, L^\dagger L\otimes I - \tfrac12\, I\otimes (L^\dagger L)^{\top}.

Every function here exists in an exact (SymPy) and a numeric (SciPy sparse) form:
pass ``backend="sympy"`` or ``backend="scipy"``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.sparse as sp
import sympy

from .._validate import check_choice, check_positive_parameter, check_scalar, is_number_like
from ..errors import InvalidArgumentError

__all__ = [
    "SIGMA_X",
    "SIGMA_Y",
    "SIGMA_Z",
    "SIGMA_PLUS",
    "SIGMA_MINUS",
    "IDENTITY",
    "PAULI",
    "pauli_matrix",
    "vec",
    "unvec",
    "left_superop",
    "right_superop",
    "commutator_superop",
    "dissipator_superop",
    "hamiltonian_superop",
]

Backend = Literal["sympy", "scipy"]

I = sympy.I

#: Exact single-qubit matrices (immutable SymPy), paper Section 2.4.
IDENTITY = sympy.ImmutableMatrix([[1, 0], [0, 1]])
SIGMA_X = sympy.ImmutableMatrix([[0, 1], [1, 0]])
SIGMA_Y = sympy.ImmutableMatrix([[0, -I], [I, 0]])
SIGMA_Z = sympy.ImmutableMatrix([[1, 0], [0, -1]])
SIGMA_PLUS = sympy.ImmutableMatrix([[0, 0], [1, 0]])
SIGMA_MINUS = sympy.ImmutableMatrix([[0, 1], [0, 0]])

#: Name -> exact matrix.
PAULI = {
    "I": IDENTITY,
    "X": SIGMA_X,
    "Y": SIGMA_Y,
    "Z": SIGMA_Z,
    "+": SIGMA_PLUS,
    "-": SIGMA_MINUS,
}

_NUMERIC = {k: np.array(v.tolist(), dtype=complex) for k, v in PAULI.items()}


def pauli_matrix(name: str, backend: Backend = "sympy"):
    """The 2x2 matrix called ``name`` (one of ``I X Y Z + -``) in the given backend."""
    if name not in PAULI:
        raise InvalidArgumentError(f"name must be one of {sorted(PAULI)}: found {name!r}")
    _check_backend(backend)
    if backend == "sympy":
        return PAULI[name]
    return _NUMERIC[name].copy()


def _check_backend(backend: str) -> None:
    check_choice(backend, "backend", ("sympy", "scipy"))


def _square_dim(shape, name: str) -> int:
    if len(shape) != 2 or shape[0] != shape[1]:
        raise InvalidArgumentError(f"{name} must be a square matrix: found shape {tuple(shape)}")
    return int(shape[0])


def vec(rho):
    r"""Row-stacking vectorisation :math:`\mathrm{vec}(\rho)[l d + l'] = \rho_{l l'}`.

    A SymPy matrix gives a SymPy column vector (``d**2 x 1``); anything else gives a
    1-D NumPy array (C-order ``ravel``).
    """
    if isinstance(rho, sympy.MatrixBase):
        d = _square_dim(rho.shape, "rho")
        return sympy.Matrix(d * d, 1, list(rho))  # SymPy iterates row-major
    arr = np.asarray(rho)
    _square_dim(arr.shape, "rho")
    return arr.ravel(order="C")


def unvec(v):
    r"""Inverse of :func:`vec`: a vector of length :math:`d^2` back to a :math:`d\times d` matrix."""
    if isinstance(v, sympy.MatrixBase):
        n = v.shape[0] * v.shape[1]
        d = int(round(n**0.5))
        if d * d != n or min(v.shape) != 1:
            raise InvalidArgumentError(
                f"v must be a vector of square length d**2: found shape {v.shape}"
            )
        return sympy.Matrix(d, d, list(v))
    arr = np.asarray(v).ravel()
    d = int(round(arr.size**0.5))
    if d * d != arr.size:
        raise InvalidArgumentError(f"v must have a square length d**2: found length {arr.size}")
    return arr.reshape(d, d)


# --------------------------------------------------------------------------- superoperators


def _numeric_array(a, name: str = "matrix") -> np.ndarray:
    """A NumPy array of numbers from array-like input (strings are refused, never parsed)."""
    try:
        arr = np.asarray(a)
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"{name} must be a rectangular matrix: {exc}") from None
    if arr.dtype.kind == "O":
        bad = [v for v in arr.ravel().tolist() if not is_number_like(v)][:1]
        if bad:
            raise InvalidArgumentError(f"{name} must have numeric entries: found {bad[0]!r}")
    elif arr.dtype.kind not in "biufc":
        raise InvalidArgumentError(f"{name} must be numeric: found dtype {arr.dtype}")
    return arr


def _as_backend(a, backend: Backend):
    if backend == "sympy":
        if isinstance(a, sympy.MatrixBase):
            return sympy.SparseMatrix(a)
        if sp.issparse(a):
            a = a.toarray()
        arr = _numeric_array(a)
        if arr.ndim != 2:
            raise InvalidArgumentError(f"matrix must be 2-D: found shape {arr.shape}")
        return sympy.SparseMatrix(
            arr.shape[0],
            arr.shape[1],
            [check_scalar(v, "matrix entry") for v in arr.ravel().tolist()],
        )
    if isinstance(a, sympy.MatrixBase):
        try:
            a = np.array(a.evalf().tolist(), dtype=complex)
        except TypeError as exc:
            raise InvalidArgumentError(
                "matrix has free symbols and cannot be used with backend='scipy': "
                f"found {sorted(map(str, a.free_symbols))}"
            ) from exc
    if sp.issparse(a):
        return sp.csr_matrix(a, dtype=complex)
    arr = _numeric_array(a)
    try:
        return sp.csr_matrix(arr.astype(complex))
    except (TypeError, ValueError) as exc:
        raise InvalidArgumentError(f"matrix must have numeric entries: {exc}") from None


def _kron(a, b, backend: Backend):
    if backend == "sympy":
        return sparse_kron(a, b)
    return sp.kron(a, b, format="csr")


def sparse_kron(a: sympy.SparseMatrix, b: sympy.SparseMatrix) -> sympy.SparseMatrix:
    """Exact Kronecker product that only visits non-zero entries (fast for sparse operands)."""
    ra, ca = a.shape
    rb, cb = b.shape
    out = {}
    bt = b.todok()
    for (i, j), x in a.todok().items():
        for (k, m), y in bt.items():
            v = x * y
            if v != 0:
                out[(i * rb + k, j * cb + m)] = v
    return sympy.SparseMatrix(ra * rb, ca * cb, out)


def _eye(d: int, backend: Backend):
    if backend == "sympy":
        return sympy.SparseMatrix(sympy.eye(d))
    return sp.identity(d, dtype=complex, format="csr")


def left_superop(a, backend: Backend = "sympy"):
    r"""Superoperator of :math:`X \mapsto A X`, i.e. :math:`A \otimes I` (row stacking)."""
    _check_backend(backend)
    a = _as_backend(a, backend)
    d = _square_dim(a.shape, "a")
    return _kron(a, _eye(d, backend), backend)


def right_superop(b, backend: Backend = "sympy"):
    r"""Superoperator of :math:`X \mapsto X B`, i.e. :math:`I \otimes B^{\top}` (row stacking)."""
    _check_backend(backend)
    b = _as_backend(b, backend)
    d = _square_dim(b.shape, "b")
    return _kron(_eye(d, backend), b.T, backend)


def commutator_superop(a, backend: Backend = "sympy"):
    r"""Superoperator of :math:`X \mapsto [A, X]`: :math:`A\otimes I - I\otimes A^{\top}`."""
    return left_superop(a, backend) - right_superop(a, backend)


def hamiltonian_superop(h, hbar=1, backend: Backend = "sympy"):
    r"""Superoperator of :math:`X \mapsto -\tfrac{i}{\hbar}[H, X]` (first term of eq. (1))."""
    hb = check_positive_parameter(hbar, "hbar")
    c = commutator_superop(h, backend)
    if backend == "sympy":
        return ((-I / hb) * c).applyfunc(sympy.expand)
    if hb.free_symbols:
        raise InvalidArgumentError(f"hbar must be a number for backend='scipy': found {hb}")
    return (-1j / complex(hb)) * c


def dissipator_superop(l_op, backend: Backend = "sympy"):
    r"""Superoperator of the dissipator :math:`\mathcal D(L)` of eq. (1).

    .. math::  \mathcal D(L) = L\otimes\bar L - \tfrac12 L^\dagger L\otimes I
               - \tfrac12 I\otimes (L^\dagger L)^{\top}.
    """
    _check_backend(backend)
    lm = _as_backend(l_op, backend)
    d = _square_dim(lm.shape, "L")
    if backend == "sympy":
        ld = lm.H
        ldl = ld * lm
        half = sympy.Rational(1, 2)
        return (
            sparse_kron(lm, lm.conjugate())
            - half * sparse_kron(ldl, _eye(d, backend))
            - half * sparse_kron(_eye(d, backend), ldl.T)
        )
    ld = lm.conj().T
    ldl = (ld @ lm).tocsr()
    eye = _eye(d, backend)
    return (
        sp.kron(lm, lm.conj(), format="csr")
        - 0.5 * sp.kron(ldl, eye, format="csr")
        - 0.5 * sp.kron(eye, ldl.T, format="csr")
    ).tocsr()
