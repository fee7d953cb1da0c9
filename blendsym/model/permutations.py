r"""Qubit permutations: SWAP unitaries, :math:`U_\pi` and the permutation-invariant projection.

Conventions (fixed, see ``DESIGN.md``): qubit 1 is the leftmost tensor factor and the basis
index of :math:`|q_1 \dots q_n\rangle` is :math:`l = \sum_{i=1}^n q_i 2^{n-i}`; sites are
1-based.  ``vec`` is row stacking, :math:`\mathrm{vec}(\rho)[l\,2^n + l'] = \rho_{l l'}`.

Paper, Section 5.1
------------------
:math:`S_{jk}:\{0,1\}^n\to\{0,1\}^n` exchanges bits :math:`j` and :math:`k` of :math:`l`, and the
SWAP unitary is :math:`U_{jk}|l\rangle = |S_{jk}(l)\rangle`.  For a permutation :math:`\pi` of
:math:`\{1,\dots,n\}`

.. math::  U_\pi\,(|q_1\rangle\otimes\cdots\otimes|q_n\rangle)
           = |q_{\pi(1)}\rangle\otimes\cdots\otimes|q_{\pi(n)}\rangle ,

so that :math:`U_\pi (A_1\otimes\cdots\otimes A_n) U_\pi^\dagger = A_{\pi(1)}\otimes\cdots\otimes
A_{\pi(n)}` and :math:`U_\pi U_\sigma = U_{\sigma\circ\pi}` (an anti-homomorphism
:math:`\pi\mapsto U_\pi`; the average over the group is unaffected).  The permutation-invariant
projection is

.. math::  \mathcal P_*(\rho) = \frac{1}{n!}\sum_{\pi\in\mathbb P} U_\pi\,\rho\,U_\pi^\dagger .

Orbits instead of :math:`n!` terms
----------------------------------
:math:`(U_\pi\rho U_\pi^\dagger)_{f_\pi(l), f_\pi(l')} = \rho_{l l'}` where :math:`f_\pi` permutes
the bit *positions* of both indices in the same way.  Read the pair :math:`(l, l')` as a word of
:math:`n` letters :math:`(q_i, q'_i)\in\{00, 01, 10, 11\}`; :math:`S_n` permutes the letters, so two
pairs lie in the same orbit iff their four letter counts
:math:`(c_{00}, c_{01}, c_{10}, c_{11})` agree, and every element of an orbit :math:`O` is hit
:math:`n!/|O|` times in the sum.  Hence

.. math::  \mathcal P_*(\rho)_{l l'} = \frac{1}{|O(l,l')|}\sum_{(m,m')\in O(l,l')}\rho_{m m'},

the mean of :math:`\rho` over the orbit of :math:`(l, l')`, computed with one ``bincount``.  With
:math:`B\in\{0,1\}^{2^n\times n}` the bit table, :math:`c_{11} = B B^\top`,
:math:`c_{10} = w_l - c_{11}`, :math:`c_{01} = w_{l'} - c_{11}` (:math:`w` = Hamming weight).
There are :math:`\binom{n+3}{3}` orbits.  For a product :math:`S_{C_1}\times\cdots\times S_{C_r}` of
symmetric groups on a partition of the sites (a disconnected coupling graph), the same holds with
the counts taken inside each block :math:`C_c` (:func:`orbit_labels` with ``blocks``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import scipy.sparse as sp
import sympy

from .. import limits
from .._validate import (
    as_square_matrix,
    check_choice,
    check_int,
    check_qubits,
    check_real,
)
from .._validate import check_site as _check_site
from ..errors import InvalidArgumentError, InvalidStateError, NotComputableError

__all__ = [
    "swap_permutation",
    "swap_unitary",
    "permutation_action",
    "permutation_unitary",
    "orbit_labels",
    "permutation_invariant_projection",
    "permutation_invariant_projection_literal",
    "is_permutation_invariant",
    "MAX_QUBITS",
    "MAX_QUBITS_LITERAL",
]

Backend = Literal["sympy", "scipy"]

#: Largest number of qubits of the 4^n-sized objects here (orbit labels, P_*): the value of
#: :data:`blendsym.limits.PERMUTATION_QUBITS`, kept under its old name.
MAX_QUBITS = limits.PERMUTATION_QUBITS
#: Largest n for the literal n!-term average (:data:`blendsym.limits.LITERAL_AVERAGE_QUBITS`).
MAX_QUBITS_LITERAL = limits.LITERAL_AVERAGE_QUBITS


# ----------------------------------------------------------------------------- validation


def _as_int(x, name: str) -> int:
    return check_int(x, name)


def _check_n(n, name: str = "n") -> int:
    """A number of qubits for the 4^n-sized objects (:data:`~blendsym.limits.PERMUTATION_QUBITS`)."""
    return check_qubits(n, f"{name} (number of qubits)", limit="PERMUTATION_QUBITS")


def _check_index_n(n, name: str = "n") -> int:
    """A number of qubits for the 2^n-sized index maps (:data:`~blendsym.limits.INDEX_MAP_QUBITS`)."""
    return check_qubits(n, f"{name} (number of qubits)", limit="INDEX_MAP_QUBITS")


def _check_backend(backend) -> None:
    check_choice(backend, "backend", ("sympy", "scipy"))


def _check_pi(pi, n: int) -> tuple[int, ...]:
    if isinstance(pi, str | bytes) or not isinstance(pi, Sequence | np.ndarray):
        raise InvalidArgumentError(
            f"pi must be a sequence of the 1-based images (pi(1), ..., pi({n})): "
            f"found {type(pi).__name__}"
        )
    if isinstance(pi, np.ndarray) and pi.ndim != 1:
        raise InvalidArgumentError(f"pi must be a 1-D sequence of images: found shape {pi.shape}")
    images = tuple(_as_int(x, "pi") for x in pi)
    if len(images) != n:
        raise InvalidArgumentError(
            f"pi must have n = {n} images (pi(1), ..., pi({n})): found {len(images)}"
        )
    if sorted(images) != list(range(1, n + 1)):
        raise InvalidArgumentError(
            f"pi must be a permutation of 1..{n} (1-based images): found {images}"
        )
    return images


def _bits(n: int) -> np.ndarray:
    r"""Bit table ``B[l, i-1] = q_i`` of :math:`l = \sum_i q_i 2^{n-i}` (int64, ``2^n x n``)."""
    ls = np.arange(2**n, dtype=np.int64)
    shifts = np.arange(n - 1, -1, -1, dtype=np.int64)  # qubit i -> shift n - i
    return (ls[:, None] >> shifts[None, :]) & 1


# ----------------------------------------------------------------------------- unitaries


def permutation_action(pi: Sequence[int], n: int) -> np.ndarray:
    r"""Index map of :math:`U_\pi`: ``f[l] = m`` with :math:`U_\pi|l\rangle = |m\rangle`.

    :math:`m` has bit :math:`i` equal to bit :math:`\pi(i)` of :math:`l`
    (:math:`m_i = q_{\pi(i)}`).  ``pi`` holds the 1-based images :math:`(\pi(1),\dots,\pi(n))`.
    """
    n = _check_index_n(n)
    images = _check_pi(pi, n)
    b = _bits(n)
    permuted = b[:, [p - 1 for p in images]]
    weights = 1 << np.arange(n - 1, -1, -1, dtype=np.int64)
    return permuted @ weights


def swap_permutation(j: int, k: int, n: int) -> np.ndarray:
    r"""The bit-swap map :math:`S_{jk}` of Section 5.1 as an array: ``s[l]`` :math:`= S_{jk}(l)`.

    :math:`S_{jk}` exchanges bits :math:`j` and :math:`k` (1-based, bit 1 the most significant)
    of :math:`l\in\{0,\dots,2^n-1\}`; it is an involution and :math:`S_{jj}` is the identity.
    """
    n = _check_index_n(n)
    j = _check_site(j, n, "j")
    k = _check_site(k, n, "k")
    ls = np.arange(2**n, dtype=np.int64)
    bj = (ls >> (n - j)) & 1
    bk = (ls >> (n - k)) & 1
    diff = bj ^ bk  # flip both bits iff they differ
    return ls ^ ((diff << (n - j)) | (diff << (n - k)))


def _index_map_unitary(f: np.ndarray, backend: Backend):
    d = f.size
    if backend == "sympy":
        return sympy.SparseMatrix(d, d, {(int(f[l]), l): sympy.S.One for l in range(d)})
    return sp.csr_matrix((np.ones(d), (f, np.arange(d))), shape=(d, d))


def swap_unitary(j: int, k: int, n: int, backend: Backend = "sympy"):
    r"""SWAP unitary :math:`U_{jk}` exchanging tensor factors :math:`j` and :math:`k` (1-based).

    :math:`U_{jk}|l\rangle = |S_{jk}(l)\rangle`, so :math:`U_{jk} = U_{jk}^\top = U_{jk}^\dagger
    = U_{jk}^{-1}` and :math:`U_{jk}(A_1\otimes\cdots\otimes A_n)U_{jk}^\dagger` has :math:`A_j`
    and :math:`A_k` exchanged.  Returns an exact ``sympy.SparseMatrix`` (``backend="sympy"``) or a
    ``scipy.sparse`` CSR matrix of float64 (``backend="scipy"``), size :math:`2^n\times 2^n`.
    """
    _check_backend(backend)
    if backend == "sympy":
        check_qubits(n, "n (number of qubits)", limit="EXACT_OPERATOR_QUBITS")
    return _index_map_unitary(swap_permutation(j, k, n), backend)


def permutation_unitary(pi: Sequence[int], n: int, backend: Backend = "sympy"):
    r"""The unitary :math:`U_\pi` of Section 5.1.

    .. math::  U_\pi(|q_1\rangle\otimes\cdots\otimes|q_n\rangle)
               = |q_{\pi(1)}\rangle\otimes\cdots\otimes|q_{\pi(n)}\rangle,

    with ``pi`` the tuple of 1-based images :math:`(\pi(1),\dots,\pi(n))`.  Composition:
    :math:`U_\pi U_\sigma = U_{\sigma\circ\pi}`; conjugation:
    :math:`U_\pi(\bigotimes_i A_i)U_\pi^\dagger = \bigotimes_i A_{\pi(i)}`.
    """
    _check_backend(backend)
    if backend == "sympy":
        check_qubits(n, "n (number of qubits)", limit="EXACT_OPERATOR_QUBITS")
    return _index_map_unitary(permutation_action(pi, n), backend)


# ----------------------------------------------------------------------------- orbits


def _first_occurrence_labels(keys: np.ndarray) -> np.ndarray:
    """Relabel ``keys`` 0..p-1 in the order of their first (smallest-index) occurrence."""
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[inverse.ravel()]


def _check_blocks(blocks, n: int) -> list[list[int]]:
    if blocks is None:
        return [list(range(n))]
    if isinstance(blocks, str | bytes) or not isinstance(blocks, Sequence):
        raise InvalidArgumentError(
            f"blocks must be a sequence of sequences of 1-based sites partitioning 1..{n}: "
            f"found {type(blocks).__name__}"
        )
    out = []
    for blk in blocks:
        if isinstance(blk, str | bytes) or not isinstance(blk, Sequence | np.ndarray):
            raise InvalidArgumentError(
                f"blocks must contain sequences of sites: found {type(blk).__name__}"
            )
        out.append([_check_site(s, n, "blocks site") - 1 for s in blk])
    flat = sorted(itertools.chain.from_iterable(out))
    if flat != list(range(n)):
        raise InvalidArgumentError(
            f"blocks must partition the sites 1..{n}: found {[[s + 1 for s in b] for b in out]}"
        )
    return [b for b in out if b]


def orbit_labels(n: int, blocks: Sequence[Sequence[int]] | None = None) -> np.ndarray:
    r"""Orbit label of every pair :math:`(l, l')`, indexed by the row-stacking position.

    Returns an int array of length :math:`4^n`; entry :math:`l\,2^n + l'` is the orbit of
    :math:`(l, l')` under the simultaneous position permutations of the group
    :math:`S_{C_1}\times\cdots\times S_{C_r}` (``blocks`` = the partition :math:`C_1,\dots,C_r`
    of the 1-based sites; default: one block, the full :math:`S_n`).  Two pairs share an orbit
    iff, in every block, the counts of column letters
    :math:`(q_i, q'_i)\in\{00, 01, 10, 11\}` agree.  Orbits are numbered in the order of their
    smallest element, so there are :math:`\prod_c\binom{|C_c|+3}{3}` labels.
    """
    n = _check_n(n)
    blks = _check_blocks(blocks, n)
    b = _bits(n)
    key = np.zeros((2**n, 2**n), dtype=np.int64)
    radix_total = 1
    for blk in blks:
        bb = b[:, blk]
        nb = len(blk)
        c11 = bb @ bb.T
        w = bb.sum(axis=1)
        c10 = w[:, None] - c11
        c01 = w[None, :] - c11
        r = nb + 1
        key += radix_total * ((c01 * r + c10) * r + c11)
        radix_total *= r**3
    return _first_occurrence_labels(key.ravel())


# ----------------------------------------------------------------------------- P_*


def _is_sympy_sparse(m) -> bool:
    return isinstance(m, sympy.SparseMatrix | sympy.ImmutableSparseMatrix)


def _validate_rho(rho, name: str = "rho"):
    """Return ``(kind, matrix, n)``: kind 'sympy' (SymPy matrix) or 'numpy' (ndarray; float
    when the input was real), at most :data:`~blendsym.limits.PERMUTATION_QUBITS` qubits."""
    real = False
    if not isinstance(rho, sympy.MatrixBase):
        dtype = getattr(rho, "dtype", None)
        if dtype is None and isinstance(rho, list | tuple):
            try:
                dtype = np.asarray(rho).dtype
            except (TypeError, ValueError):
                dtype = None
        real = dtype is not None and np.dtype(dtype).kind in "iuf"
    kind, m, n = as_square_matrix(
        rho,
        name,
        error=InvalidStateError,
        type_error=InvalidArgumentError,
        limit="PERMUTATION_QUBITS",
    )
    check_qubits(n, f"{name} (qubits)", limit="PERMUTATION_QUBITS")
    if kind == "numpy" and real:
        m = m.real.copy()
    return kind, m, n


def _group_mean_numpy(arr: np.ndarray, labels: np.ndarray) -> np.ndarray:
    x = arr.ravel()
    counts = np.bincount(labels)
    if np.iscomplexobj(x):
        sums = np.bincount(labels, weights=x.real) + 1j * np.bincount(labels, weights=x.imag)
    else:
        sums = np.bincount(labels, weights=x)
    return (sums / counts)[labels].reshape(arr.shape)


def _group_mean_sympy(rho, labels: np.ndarray):
    d = rho.shape[0]
    p = int(labels.max()) + 1
    terms: list[list] = [[] for _ in range(p)]
    counts = np.bincount(labels, minlength=p)
    items = (
        rho.todok().items()
        if _is_sympy_sparse(rho)
        else (((i, j), rho[i, j]) for i in range(d) for j in range(d))
    )
    for (i, j), v in items:
        if v != 0:
            terms[labels[i * d + j]].append(v)
    means = [sympy.Add(*t) / sympy.Integer(int(c)) for t, c in zip(terms, counts, strict=True)]
    entries = {}
    for idx, lab in enumerate(labels):
        m = means[lab]
        if m != 0:
            entries[divmod(idx, d)] = m
    out = sympy.SparseMatrix(d, d, entries)
    return out if _is_sympy_sparse(rho) else sympy.Matrix(out)


def permutation_invariant_projection(rho, blocks: Sequence[Sequence[int]] | None = None):
    r"""Permutation-invariant projection :math:`\mathcal P_*(\rho)` of Section 5.1, in
    :math:`O(4^n)` operations instead of :math:`n!` matrix products.

    .. math::  \mathcal P_*(\rho) = \frac{1}{n!}\sum_{\pi} U_\pi\rho U_\pi^\dagger,\qquad
               \mathcal P_*(\rho)_{l l'} = \operatorname{mean}_{(m,m')\in O(l,l')}\rho_{m m'},

    where :math:`O(l,l')` is the :math:`S_n`-orbit of the pair (equal counts of column letters
    :math:`00, 01, 10, 11`; see the module docstring).  :math:`\mathcal P_*` is linear, so any
    square :math:`2^n\times 2^n` matrix is accepted (NumPy / SciPy sparse / SymPy).  A SymPy
    input gives an exact SymPy output; a numeric input a NumPy array (float if real).
    Together with eq. (13), :math:`P_d P_d^\top \mathrm{vec}(\rho) = \mathrm{vec}(\mathcal
    P_*(\rho))` for a connected coupling graph.

    ``blocks`` (a partition of the 1-based sites, e.g. the components of a disconnected
    coupling graph) gives the average over :math:`S_{C_1}\times\cdots\times S_{C_r}` instead,
    :math:`\mathcal P_\times(\rho) = \frac1{\prod_i|C_i|!}\sum_{\pi}U_\pi\rho U_\pi^\dagger`
    (the mean over the orbits of :func:`orbit_labels` with ``blocks``), which is
    :math:`\mathrm{vec}^{-1}(P_dP_d^\top\mathrm{vec}\,\rho)` for that graph.

    Raises :class:`~blendsym.errors.InvalidStateError` for a non-square, non-power-of-two or
    non-finite ``rho``, :class:`~blendsym.errors.InvalidArgumentError` for non-numeric input
    or ``blocks`` that do not partition the sites.
    """
    kind, m, n = _validate_rho(rho)
    labels = orbit_labels(n, blocks)
    if kind == "sympy":
        return _group_mean_sympy(m, labels)
    return _group_mean_numpy(m, labels)


def permutation_invariant_projection_literal(rho):
    r"""The literal :math:`n!`-term average :math:`\frac{1}{n!}\sum_\pi U_\pi\rho U_\pi^\dagger`.

    A reference implementation for tests: it builds every :math:`U_\pi` with
    :func:`permutation_unitary` and multiplies matrices (exact for SymPy input).  Limited to
    :math:`n\le` ``MAX_QUBITS_LITERAL``.
    """
    kind, m, n = _validate_rho(rho)
    check_qubits(
        n,
        "rho (qubits) for the literal n! average (use permutation_invariant_projection)",
        limit="LITERAL_AVERAGE_QUBITS",
    )
    perms = list(itertools.permutations(range(1, n + 1)))
    if kind == "sympy":
        dense = sympy.Matrix(m)
        acc = sympy.zeros(*dense.shape)
        for pi in perms:
            u = sympy.Matrix(permutation_unitary(pi, n, backend="sympy"))
            acc += u * dense * u.H
        out = (acc / sympy.Integer(math.factorial(n))).applyfunc(sympy.expand)
        return sympy.SparseMatrix(out) if _is_sympy_sparse(m) else out
    acc = np.zeros_like(m)
    for pi in perms:
        u = permutation_unitary(pi, n, backend="scipy").toarray()
        acc = acc + u @ m @ u.conj().T
    return acc / math.factorial(n)


def is_permutation_invariant(rho, tol: float = 1e-10) -> bool:
    r"""Whether :math:`\mathcal P_*(\rho) = \rho`.

    Numeric input: :math:`\|\rho - \mathcal P_*(\rho)\|_F \le \mathrm{tol}\cdot
    \max(1, \|\rho\|_F)`.  SymPy input: decided exactly (``tol`` is ignored); raises
    :class:`~blendsym.errors.NotComputableError` if SymPy cannot decide an entry.
    """
    tol = check_real(tol, "tol", nonnegative=True)
    kind, m, _ = _validate_rho(rho)
    proj = permutation_invariant_projection(m)
    if kind == "sympy":
        diff = sympy.Matrix(m) - sympy.Matrix(proj)
        for x in diff:
            if x == 0:
                continue
            z = sympy.simplify(x).equals(0)
            if z is None:
                raise NotComputableError(
                    f"rho: cannot decide whether the entry difference {x} is zero"
                )
            if not z:
                return False
        return True
    return bool(np.linalg.norm(m - proj) <= tol * max(1.0, float(np.linalg.norm(m))))
