r"""Site operators: write network operators the way the paper does.

>>> from blendsym.operators import sigma_x, sigma_y, sigma_z
>>> import sympy
>>> op = sigma_x(1) * sigma_y(2) + sympy.Rational(1, 2) * sigma_z(3)
>>> sorted(op.sites)
[1, 2, 3]

Canonical form
--------------
Every operator is stored as a linear combination of Pauli strings,

.. math::  A = \sum_{P} c_P\, P, \qquad P = \bigotimes_{i} \sigma^{(i)}_{a_i},
           \quad a_i \in \{I, X, Y, Z\},

with exact (SymPy) coefficients :math:`c_P`.  The Pauli strings form an orthogonal
basis (:math:`\mathrm{tr}(P^\dagger P') = 2^n\delta_{PP'}`), so this form is unique:
two operators are equal exactly when their coefficients are, the adjoint conjugates
the coefficients, an operator is Hermitian exactly when every :math:`c_P` is real,
and the set of qubits a term acts on is read off its string.  This is what decides
Assumption 1 (separability) whatever form the user wrote the model in.

With the paper's matrices (Section 2.4) :math:`\sigma_+ = (\sigma_x - i\sigma_y)/2`
and :math:`\sigma_- = (\sigma_x + i\sigma_y)/2`.

A full :math:`2^n\times 2^n` matrix (SymPy, NumPy or SciPy sparse) is converted with
:func:`from_matrix`, using :math:`c_P = \mathrm{tr}(P A)/2^n` computed by a
Walsh–Hadamard transform for each bit-flip pattern (numeric input), or by visiting
the non-zero entries (exact input).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Mapping
from typing import cast

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import sympy

from .. import limits
from .._validate import (
    as_square_matrix,
    check_bool,
    check_choice,
    check_int,
    check_limit,
    check_qubits,
    check_scalar,
    check_substitution,
    describe,
)
from ..errors import InvalidArgumentError, InvalidOperatorError

__all__ = [
    "SiteOperator",
    "sigma_x",
    "sigma_y",
    "sigma_z",
    "sigma_plus",
    "sigma_minus",
    "identity",
    "site_operator",
    "sum_operators",
    "sum_sites",
    "sum_pairs",
    "MAX_SUM_TERMS",
    "from_matrix",
    "as_site_operator",
    "MAX_DECOMPOSITION_QUBITS",
]

#: Largest n for which a full matrix is decomposed into Pauli strings (the value of
#: :data:`blendsym.limits.DECOMPOSITION_QUBITS`, kept under its old name).
MAX_DECOMPOSITION_QUBITS = limits.DECOMPOSITION_QUBITS

Key = tuple[tuple[int, str], ...]

# Single-site Pauli products: _MUL[a, b] = (phase, c) with sigma_a sigma_b = phase sigma_c.
_I = sympy.I
_MUL: dict[tuple[str, str], tuple[sympy.Expr, str]] = {
    ("X", "X"): (sympy.Integer(1), "I"),
    ("Y", "Y"): (sympy.Integer(1), "I"),
    ("Z", "Z"): (sympy.Integer(1), "I"),
    ("X", "Y"): (_I, "Z"),
    ("Y", "X"): (-_I, "Z"),
    ("Y", "Z"): (_I, "X"),
    ("Z", "Y"): (-_I, "X"),
    ("Z", "X"): (_I, "Y"),
    ("X", "Z"): (-_I, "Y"),
}


def _to_sympy_scalar(c, name: str = "coefficient") -> sympy.Expr:
    """A Python/NumPy/SymPy scalar as a SymPy expression (:func:`blendsym._validate.check_scalar`:
    NaN, infinities and strings are refused)."""
    return check_scalar(c, name)


def _certainly_nonzero(c: sympy.Expr) -> bool:
    """A number whose value, evaluated to 30 digits, is far from zero (else ``False``)."""
    if c.is_Number:
        return c != 0
    if c.free_symbols:
        return False
    try:
        return abs(complex(c.evalf(30))) > 1e-20
    except (TypeError, ValueError):
        return False


class SiteOperator:
    r"""An operator on qubits as an exact linear combination of Pauli strings.

    Build it from :func:`sigma_x`, :func:`sigma_y`, :func:`sigma_z`,
    :func:`sigma_plus`, :func:`sigma_minus`, :func:`identity`, sums, products and
    scalar multiples (SymPy coefficients, symbols allowed), or from a full matrix with
    :func:`from_matrix`.  Sites are numbered from 1 (qubit 1 is the leftmost factor).
    """

    __slots__ = ("_terms",)

    #: NumPy defers binary operators to SiteOperator (``array * op`` is then a TypeError
    #: "unsupported operand", not an object array of operators) ...
    __array_ufunc__ = None
    #: ... and so does SymPy (``Matrix * op`` reaches ``__rmul__`` instead of a SympifyError).
    _op_priority = 20.0

    def __init__(self, terms: Mapping[Key, sympy.Expr] | None = None):
        if terms is None:
            terms = {}
        if not isinstance(terms, Mapping):
            raise InvalidArgumentError(
                "terms must be a mapping {((site, 'X'|'Y'|'Z'), ...): coefficient}: "
                f"found {describe(terms)}"
            )
        clean: dict[Key, sympy.Expr] = {}
        for key, c in terms.items():
            key = _check_key(key)
            c = sympy.expand(_to_sympy_scalar(c))
            if c != 0:
                clean[key] = clean[key] + c if key in clean else c
        self._terms = {k: c for k, c in clean.items() if c != 0}

    # ------------------------------------------------------------------ inspection
    @property
    def terms(self) -> dict[Key, sympy.Expr]:
        """Mapping ``((site, 'X'|'Y'|'Z'), ...) -> coefficient``; ``()`` is the identity."""
        return dict(self._terms)

    @property
    def sites(self) -> frozenset[int]:
        """All qubits (1-based) some term acts on non-trivially."""
        return frozenset(s for key in self._terms for s, _ in key)

    def term_sites(self) -> list[frozenset[int]]:
        """For each Pauli term, the set of qubits it acts on."""
        return [frozenset(s for s, _ in key) for key in self._terms]

    @property
    def max_site(self) -> int:
        """The largest site index used (0 for a multiple of the identity)."""
        return max(self.sites, default=0)

    @property
    def free_symbols(self) -> set[sympy.Symbol]:
        out: set[sympy.Symbol] = set()
        for c in self._terms.values():
            out |= c.free_symbols
        return out

    def is_zero(self) -> bool:
        return not self._terms

    def coefficient(self, key: Iterable[tuple[int, str]] | str) -> sympy.Expr:
        """Coefficient of one Pauli string, given as ``((1, 'X'), (3, 'Z'))`` or ``'X1 Z3'``
        (ASCII digits; ``I`` factors are ignored)."""
        if isinstance(key, str):
            pairs = []
            for part in key.split():
                m = _STRING_FACTOR.fullmatch(part)
                if m is None:
                    raise InvalidArgumentError(
                        "key must be a Pauli string such as 'X1 Z3' (letters I, X, Y, Z and "
                        f"1-based ASCII site numbers): found the factor {part!r} in {key!r}"
                    )
                if m.group(1).upper() != "I":
                    pairs.append((int(m.group(2)), m.group(1).upper()))
            key = pairs
        else:
            try:
                if isinstance(key, bytes):
                    raise TypeError
                key = tuple(key)
            except TypeError:
                raise InvalidArgumentError(
                    "key must be a Pauli string 'X1 Z3' or pairs ((1, 'X'), (3, 'Z')): "
                    f"found {describe(key)}"
                ) from None
        return self._terms.get(_check_key(tuple(key)), sympy.Integer(0))

    def is_hermitian(self) -> bool | None:
        """True/False when decidable: Hermitian iff every Pauli coefficient is real."""
        verdicts = [sympy.im(c).is_zero for c in self._terms.values()]
        if all(v is True for v in verdicts):
            return True
        if any(v is False for v in verdicts):
            return False
        return None

    def local_parts(self) -> dict[int, SiteOperator] | None:
        """Split ``c I + sum_j A_j`` into single-site operators ``{j: A_j}``.

        Returns ``None`` when some term acts on two or more qubits.  The identity
        part, if any, is kept under key ``0``.
        """
        parts: dict[int, dict[Key, sympy.Expr]] = {}
        for key, c in self._terms.items():
            if len(key) > 1:
                return None
            site = key[0][0] if key else 0
            parts.setdefault(site, {})[key] = c
        return {s: SiteOperator(t) for s, t in parts.items()}

    # ------------------------------------------------------------------ algebra
    @staticmethod
    def _refuse_matrix(other, op: str) -> None:
        """A matrix operand is a TypeError with a hint (raised here, so that NumPy does not
        try an element-wise reflected operation)."""
        if isinstance(other, np.ndarray | sympy.MatrixBase) or sp.issparse(other):
            raise TypeError(
                f"unsupported operand type(s) for {op}: 'SiteOperator' and "
                f"'{type(other).__name__}' (combine operators with numbers or SiteOperators; "
                "convert a matrix with from_matrix)"
            )

    def _coerce(self, other, op: str = "+") -> SiteOperator | None:
        self._refuse_matrix(other, op)
        if isinstance(other, SiteOperator):
            return other
        if isinstance(other, (numbers.Number, sympy.Basic, np.generic)) and not isinstance(
            other, sympy.MatrixBase
        ):
            return SiteOperator({(): _to_sympy_scalar(other)})
        return None

    @classmethod
    def _from_clean(cls, terms: dict) -> SiteOperator:
        """An operator from a dict whose coefficients are already expanded and non-zero."""
        out = cls.__new__(cls)
        out._terms = terms
        return out

    def __add__(self, other):
        o = self._coerce(other)
        if o is None:
            return NotImplemented
        # the coefficients of both operands are expanded already: only the strings they
        # share need a new expansion (so a long sum does not re-expand every term each time)
        terms = dict(self._terms)
        for k, c in o._terms.items():
            if k in terms:
                v = sympy.expand(terms[k] + c)
                if v != 0:
                    terms[k] = v
                else:
                    del terms[k]
            else:
                terms[k] = c
        return SiteOperator._from_clean(terms)

    __radd__ = __add__

    def __neg__(self):
        return SiteOperator({k: -c for k, c in self._terms.items()})

    def __sub__(self, other):
        o = self._coerce(other, "-")
        if o is None:
            return NotImplemented
        return self + (-o)

    def __rsub__(self, other):
        o = self._coerce(other, "-")
        if o is None:
            return NotImplemented
        return o + (-self)

    def __mul__(self, other):
        self._refuse_matrix(other, "*")
        if isinstance(other, SiteOperator):
            terms: dict[Key, sympy.Expr] = {}
            for k1, c1 in self._terms.items():
                for k2, c2 in other._terms.items():
                    phase, key = _multiply_strings(k1, k2)
                    terms[key] = terms.get(key, 0) + phase * c1 * c2
            return SiteOperator(terms)
        if isinstance(other, (numbers.Number, sympy.Basic, np.generic)) and not isinstance(
            other, sympy.MatrixBase
        ):
            c = _to_sympy_scalar(other)
            return SiteOperator({k: c * v for k, v in self._terms.items()})
        return NotImplemented

    def __rmul__(self, other):
        self._refuse_matrix(other, "*")
        if isinstance(other, (numbers.Number, sympy.Basic, np.generic)) and not isinstance(
            other, sympy.MatrixBase
        ):
            return self.__mul__(other)
        return NotImplemented

    def __truediv__(self, other):
        self._refuse_matrix(other, "/")
        if isinstance(other, (numbers.Number, sympy.Basic, np.generic)) and not isinstance(
            other, sympy.MatrixBase
        ):
            c = _to_sympy_scalar(other)
            if c == 0:
                raise InvalidArgumentError("divisor must be non-zero: found 0")
            return self * (1 / c)
        return NotImplemented

    def __pow__(self, k):
        k = check_int(k, "exponent", minimum=0)
        check_limit(
            k,
            "OPERATOR_MAX_EXPONENT",
            "exponent of a SiteOperator power (exact coefficients grow like (sum |c_P|)^k)",
        )
        out, base = identity(), self
        while k:  # square and multiply: O(log k) products
            if k & 1:
                out = out * base
            k >>= 1
            if k:
                base = base * base
        return out

    def dag(self) -> SiteOperator:
        """The adjoint :math:`A^\\dagger` (Pauli strings are Hermitian)."""
        return SiteOperator({k: sympy.conjugate(c) for k, c in self._terms.items()})

    adjoint = dag

    def subs(self, *args, simultaneous: bool = False) -> SiteOperator:
        """Substitute in every coefficient: ``op.subs({g: 1})``, ``op.subs(g, 1)`` or
        ``op.subs([(g, 1), (h, 2)])``.  Keys are SymPy symbols (or the name of one of the
        operator's symbols), values numbers or SymPy expressions; strings are never parsed
        (:func:`blendsym._validate.check_substitution`)."""
        if len(args) == 2:
            args = ({args[0]: args[1]},)
        if len(args) != 1:
            raise InvalidArgumentError(
                f"subs takes a mapping {{symbol: value}} or (symbol, value): found {len(args)} arguments"
            )
        mapping = check_substitution(args[0], self.free_symbols, "mapping")
        return self._substituted(mapping, check_bool(simultaneous, "simultaneous"), "operator")

    def _substituted(self, mapping: dict, simultaneous: bool, name: str) -> SiteOperator:
        """``subs`` with an already checked ``mapping``; ``name`` names the operator when a
        coefficient becomes infinite or NaN (e.g. ``1/g`` at ``g = 0``)."""
        terms = {}
        for k, c in self._terms.items():
            new = c.subs(mapping, simultaneous=simultaneous)
            terms[k] = check_scalar(new, f"{name}: the coefficient {c} after substitution")
        return SiteOperator(terms)

    def simplify(self) -> SiteOperator:
        return SiteOperator({k: sympy.simplify(c) for k, c in self._terms.items()})

    def nsimplify(self) -> SiteOperator:
        """Replace float coefficients by the nearest simple exact numbers."""
        return SiteOperator({k: sympy.nsimplify(c, rational=False) for k, c in self._terms.items()})

    def __eq__(self, other) -> bool:
        if isinstance(other, np.ndarray | sympy.MatrixBase) or sp.issparse(other):
            return NotImplemented
        try:
            o = self._coerce(other)
        except InvalidArgumentError:  # not a finite scalar (NaN, a bool, ...): not equal
            return False
        if o is None:
            return NotImplemented
        keys = set(self._terms) | set(o._terms)
        return all(sympy.simplify(self._terms.get(k, 0) - o._terms.get(k, 0)) == 0 for k in keys)

    def __hash__(self):
        # consistent with __eq__, which compares coefficients up to ``simplify``: only the
        # Pauli strings whose coefficient is a number that is certainly non-zero enter the
        # hash (a coefficient such as sin(1)**2 + cos(1)**2 - 1 survives expansion but equals
        # zero; symbolic coefficients may vanish after simplification too)
        return hash(frozenset(k for k, c in self._terms.items() if _certainly_nonzero(c)))

    def _repr_latex_(self) -> str:
        from ..io.latex import operator_latex

        return f"${operator_latex(self)}$"

    def __repr__(self) -> str:
        return f"SiteOperator({self})"

    def __str__(self) -> str:
        if not self._terms:
            return "0"
        parts = []
        for key, c in sorted(self._terms.items(), key=lambda kv: (len(kv[0]), kv[0])):
            name = "*".join(f"sigma_{p.lower()}({s})" for s, p in key) or "I"
            parts.append(f"({c})*{name}")
        return " + ".join(parts)

    # ------------------------------------------------------------------ matrices
    def to_matrix(self, n: int, backend: str = "sympy"):
        r"""The :math:`2^n\times 2^n` matrix, exact (``SparseMatrix``) or SciPy CSR.

        A Pauli string maps :math:`|l\rangle` to
        :math:`i^{|x\wedge z|}(-1)^{|l\wedge z|}\,|l\oplus x\rangle` where ``x`` and ``z``
        are its bit-flip and phase masks (``Y = i X Z``).
        """
        check_choice(backend, "backend", ("sympy", "scipy"))
        n = check_qubits(
            n,
            "n",
            limit="EXACT_OPERATOR_QUBITS" if backend == "sympy" else "NUMERIC_OPERATOR_QUBITS",
        )
        if self.max_site > n:
            raise InvalidOperatorError(
                f"operator acts on qubit {self.max_site} but the network has n = {n} qubits"
            )
        dim = 2**n
        if backend == "sympy":
            out: dict[tuple[int, int], sympy.Expr] = {}
            for key, c in self._terms.items():
                x, z, ny = _masks(key, n)
                base = c * _I**ny
                for col in range(dim):
                    sign = -1 if bin(col & z).count("1") % 2 else 1
                    rc = (col ^ x, col)
                    out[rc] = out.get(rc, 0) + sign * base
            out = {k: v for k, v in out.items() if v != 0}
            return sympy.SparseMatrix(dim, dim, out)
        if self.free_symbols:
            raise InvalidOperatorError(
                "operator has free symbols and cannot be made numeric: "
                f"found {sorted(map(str, self.free_symbols))}; substitute values first"
            )
        cols = np.arange(dim)
        rows_all, cols_all, vals_all = [], [], []
        for key, c in self._terms.items():
            x, z, ny = _masks(key, n)
            parity = _popcount(cols & z) & 1
            vals = complex(c) * (1j**ny) * (1 - 2 * parity)
            rows_all.append(cols ^ x)
            cols_all.append(cols)
            vals_all.append(vals)
        if not rows_all:
            return sp.csr_matrix((dim, dim), dtype=complex)
        m = sp.coo_matrix(
            (np.concatenate(vals_all), (np.concatenate(rows_all), np.concatenate(cols_all))),
            shape=(dim, dim),
        ).tocsr()
        m.sum_duplicates()
        m.eliminate_zeros()
        return m

    def to_numpy(self, n: int) -> np.ndarray:
        """Dense complex NumPy matrix."""
        return self.to_matrix(n, "scipy").toarray()


# ---------------------------------------------------------------------- helpers


def _check_n(n) -> int:
    """A number of qubits (kept for callers of the old helper)."""
    return check_qubits(n, "n")


def _popcount(a: np.ndarray) -> np.ndarray:
    a = a.astype(np.int64)
    out = np.zeros_like(a)
    while np.any(a):
        out += a & 1
        a = a >> 1
    return out


def _masks(key: Key, n: int) -> tuple[int, int, int]:
    """Bit-flip mask x, phase mask z and the number of Y factors of a Pauli string."""
    x = z = ny = 0
    for site, p in key:
        bit = 1 << (n - site)
        if p in ("X", "Y"):
            x |= bit
        if p in ("Z", "Y"):
            z |= bit
        if p == "Y":
            ny += 1
    return x, z, ny


def _multiply_strings(k1: Key, k2: Key) -> tuple[sympy.Expr, Key]:
    d1 = dict(k1)
    d2 = dict(k2)
    phase = sympy.Integer(1)
    out: dict[int, str] = {}
    for s in set(d1) | set(d2):
        a, b = d1.get(s), d2.get(s)
        if a is None:
            out[s] = cast(str, b)
        elif b is None:
            out[s] = a
        else:
            ph, c = _MUL[(a, b)]
            phase *= ph
            if c != "I":
                out[s] = c
    return phase, tuple(sorted(out.items()))


def _check_site(j) -> int:
    """A 1-based site: an integer >= 1 (no bool, float or string, so no Unicode digits)."""
    return check_int(j, "site (sites are 1-based)", minimum=1)


_PAULI_LETTERS = frozenset("XYZ")
_STRING_FACTOR = re.compile(r"([IXYZixyz])([0-9]+)", re.ASCII)


def _check_key(key) -> Key:
    """A Pauli-string key ``((site, 'X'|'Y'|'Z'), ...)``: sites >= 1, distinct, returned in
    increasing site order (the canonical form)."""
    if not isinstance(key, tuple):
        raise InvalidArgumentError(
            f"a Pauli-string key must be a tuple ((site, 'X'|'Y'|'Z'), ...): found {describe(key)}"
        )
    out = []
    for item in key:
        if not isinstance(item, tuple) or len(item) != 2:
            raise InvalidArgumentError(
                f"a Pauli-string key must hold pairs (site, 'X'|'Y'|'Z'): found {describe(item)}"
            )
        site, p = item
        site = check_int(site, "Pauli-string site (sites are 1-based)", minimum=1)
        if not isinstance(p, str) or p not in _PAULI_LETTERS:
            raise InvalidArgumentError(
                f"a Pauli-string letter must be 'X', 'Y' or 'Z': found {describe(p)}"
            )
        out.append((site, p))
    out.sort()
    if len({s for s, _ in out}) != len(out):
        raise InvalidArgumentError(
            f"a Pauli-string key must name each site once: found {tuple(out)}"
        )
    return tuple(out)


def sigma_x(j: int) -> SiteOperator:
    r""":math:`\sigma_x^{(j)}`."""
    return SiteOperator({((_check_site(j), "X"),): 1})


def sigma_y(j: int) -> SiteOperator:
    r""":math:`\sigma_y^{(j)}`."""
    return SiteOperator({((_check_site(j), "Y"),): 1})


def sigma_z(j: int) -> SiteOperator:
    r""":math:`\sigma_z^{(j)}`."""
    return SiteOperator({((_check_site(j), "Z"),): 1})


def sigma_plus(j: int) -> SiteOperator:
    r""":math:`\sigma_+^{(j)} = (\sigma_x^{(j)} - i\sigma_y^{(j)})/2`, matrix ``[[0,0],[1,0]]``."""
    j = _check_site(j)
    h = sympy.Rational(1, 2)
    return SiteOperator({((j, "X"),): h, ((j, "Y"),): -_I * h})


def sigma_minus(j: int) -> SiteOperator:
    r""":math:`\sigma_-^{(j)} = (\sigma_x^{(j)} + i\sigma_y^{(j)})/2`, matrix ``[[0,1],[0,0]]``."""
    j = _check_site(j)
    h = sympy.Rational(1, 2)
    return SiteOperator({((j, "X"),): h, ((j, "Y"),): _I * h})


def identity() -> SiteOperator:
    """The identity operator (on any number of qubits)."""
    return SiteOperator({(): 1})


def site_operator(matrix, j: int) -> SiteOperator:
    r"""A 2x2 matrix acting on qubit ``j``: :math:`A^{(j)} = I\otimes\cdots\otimes A\otimes\cdots`."""
    j = _check_site(j)
    shape = matrix.shape if hasattr(matrix, "shape") else np.shape(matrix)
    if tuple(shape) != (2, 2):
        raise InvalidOperatorError(
            f"matrix must be a 2x2 single-qubit operator: found shape {tuple(shape)}"
        )
    op = from_matrix(matrix, name="matrix")
    return SiteOperator({tuple((j, p) for _, p in k): c for k, c in op.terms.items()})


def _matrix_n(shape, name: str) -> int:
    if len(shape) != 2 or shape[0] != shape[1]:
        raise InvalidOperatorError(f"{name} must be a square matrix: found shape {tuple(shape)}")
    d = int(shape[0])
    n = d.bit_length() - 1
    if d < 2 or 2**n != d:
        raise InvalidOperatorError(
            f"{name} must be 2^n x 2^n for some n >= 1: found shape {tuple(shape)}"
        )
    return n


def _numeric_to_sympy(z: complex) -> sympy.Expr:
    re, im = float(z.real), float(z.imag)
    out = sympy.Float(re) if re != 0 else sympy.Integer(0)
    if im != 0:
        out += _I * sympy.Float(im)
    return out


def from_matrix(matrix, name: str = "operator") -> SiteOperator:
    r"""Decompose a full :math:`2^n\times 2^n` matrix into Pauli strings (:math:`n \le 10`).

    Exact SymPy input (and integer arrays or nested lists of integers) gives exact
    coefficients, :math:`c_P = \mathrm{tr}(PA)/2^n` summed over the non-zero entries (at most
    :data:`~blendsym.limits.EXACT_DECOMPOSITION_WORK` = non-zeros :math:`\times 2^n`
    operations); NumPy/SciPy input gives float coefficients by a Walsh-Hadamard transform
    (relative round-off below ``1e-14`` dropped), for :math:`n\le`
    :data:`~blendsym.limits.DECOMPOSITION_QUBITS`.  ``name`` is used in error messages.
    """
    if isinstance(matrix, SiteOperator):
        return matrix
    if isinstance(matrix, np.ndarray | list | tuple):
        try:
            raw = np.asarray(matrix)
        except (TypeError, ValueError):
            raw = None  # ragged: reported by as_square_matrix
        if raw is not None and raw.dtype.kind in "iu" and raw.ndim == 2:
            # integers are exact numbers: keep them exact
            n = _matrix_n(raw.shape, name)
            _check_decomposable(n, name)
            matrix = sympy.Matrix(
                raw.shape[0], raw.shape[1], [sympy.Integer(int(v)) for v in raw.ravel()]
            )
    if isinstance(matrix, sympy.MatrixBase):
        _check_decomposable(_matrix_n(matrix.shape, name), name)
    kind, m, n = as_square_matrix(
        matrix, name, error=InvalidOperatorError, limit="DECOMPOSITION_QUBITS"
    )
    _check_decomposable(n, name)
    if kind == "sympy":
        return _from_exact_matrix(m, n, name)
    return _from_numeric_matrix(m, n)


def _from_exact_matrix(matrix: sympy.MatrixBase, n: int, name: str) -> SiteOperator:
    entries = matrix.todok()
    dim = 2**n
    check_limit(
        len(entries) * dim,
        "EXACT_DECOMPOSITION_WORK",
        f"{name}: the exact Pauli decomposition of a {dim} x {dim} matrix with "
        f"{len(entries)} non-zero entries takes non-zeros x 2^n SymPy operations, "
        "pass it as a site-operator expression or as a NumPy array (float coefficients)",
    )
    acc: dict[tuple[int, int], sympy.Expr] = {}
    for (a, b), v in entries.items():
        x = a ^ b
        for z in range(dim):
            sign = -1 if bin(a & z).count("1") % 2 else 1
            ny = bin(x & z).count("1")
            acc[(x, z)] = acc.get((x, z), 0) + sign * _I**ny * v
    terms = {}
    for (x, z), c in acc.items():
        terms[_key_from_masks(x, z, n)] = c / dim
    return SiteOperator(terms)


def _from_numeric_matrix(arr: np.ndarray, n: int) -> SiteOperator:
    dim = 2**n
    had = scipy.linalg.hadamard(dim)  # had[z, m] = (-1)^{popcount(z & m)}
    m_idx = np.arange(dim)
    # w[x, m] = M[m, m ^ x]; tr(P_{x,z} M) = i^{|x&z|} sum_m (-1)^{|m&z|} M[m, m^x]
    w = arr[m_idx[None, :], m_idx[None, :] ^ m_idx[:, None]]
    coeffs = (w @ had.T) / dim  # coeffs[x, z]
    ny = _popcount(m_idx[:, None] & m_idx[None, :])
    coeffs = coeffs * (1j**ny)
    scale = np.max(np.abs(coeffs)) if coeffs.size else 0.0
    tol = 1e-14 * max(scale, 1e-300)
    terms = {}
    for x, z in zip(*np.nonzero(np.abs(coeffs) > tol), strict=True):
        c = coeffs[x, z]
        c = complex(c.real if abs(c.real) > tol else 0.0, c.imag if abs(c.imag) > tol else 0.0)
        terms[_key_from_masks(int(x), int(z), n)] = _numeric_to_sympy(c)
    return SiteOperator(terms)


def _check_decomposable(n: int, name: str) -> None:
    if n > limits.DECOMPOSITION_QUBITS:
        raise InvalidOperatorError(
            f"{name} is a full matrix on n = {n} qubits; matrices are accepted for "
            f"n <= {limits.DECOMPOSITION_QUBITS} (blendsym.limits.DECOMPOSITION_QUBITS): "
            "write it as a site-operator expression instead"
        )


def _key_from_masks(x: int, z: int, n: int) -> Key:
    key = []
    for site in range(1, n + 1):
        bit = 1 << (n - site)
        xb, zb = bool(x & bit), bool(z & bit)
        if xb and zb:
            key.append((site, "Y"))
        elif xb:
            key.append((site, "X"))
        elif zb:
            key.append((site, "Z"))
    return tuple(key)


def as_site_operator(obj, n: int, name: str) -> SiteOperator:
    """Accept a SiteOperator, a full matrix or a scalar and check it against ``n`` qubits."""
    if isinstance(obj, SiteOperator):
        op = obj
    elif isinstance(obj, (numbers.Number, sympy.Expr)) and not isinstance(obj, sympy.MatrixBase):
        op = SiteOperator({(): _to_sympy_scalar(obj, name)})
    else:
        if isinstance(obj, sympy.MatrixBase) or sp.issparse(obj):
            shape = obj.shape
        else:
            try:
                shape = np.shape(obj)
            except Exception:  # pragma: no cover
                shape = None
        if shape is None or len(shape) != 2:
            raise InvalidOperatorError(
                f"{name} must be a SiteOperator or a 2^{n} x 2^{n} matrix: found "
                f"{type(obj).__name__}" + (f" of shape {tuple(shape)}" if shape else "")
            )
        if tuple(shape) != (2**n, 2**n):
            raise InvalidOperatorError(
                f"{name} must be a {2**n} x {2**n} matrix for n = {n} qubits: "
                f"found shape {tuple(shape)}"
            )
        op = from_matrix(obj, name)
    if op.max_site > n:
        raise InvalidOperatorError(
            f"{name} acts on qubit {op.max_site} but the network has n = {n} qubits"
        )
    for c in op.terms.values():
        if c.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            raise InvalidOperatorError(f"{name} has a NaN or infinite coefficient")
    return op


# The collective sums live in their own module (they only build SiteOperators).
from .operator_sums import MAX_SUM_TERMS, sum_operators, sum_pairs, sum_sites  # noqa: E402
