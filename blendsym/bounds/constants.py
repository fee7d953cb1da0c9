r"""The constants of Theorems 1-4 as typed, immutable records.

Each theorem returns its constants as a frozen dataclass whose fields are named as in the
paper (``C``, ``D``, ``L_c``, ``mu``, ``lambda_m``, ``norm_L``, ``M``, ``m``, ``f_T2``,
``norm_A_d``, ...).  Every field carries metadata (:meth:`TheoremConstants.describe`):

``label``
    the paper's notation, e.g. ``"lambda_m(Q)"`` or ``"f(T2)"``;
``kind``
    how trustworthy the double-precision value is:

    * ``"integer"``: an exact integer (:math:`n`, :math:`p`, :math:`m`);
    * ``"exact"``: an exactly computed quantity (SymPy), rounded to double precision;
    * ``"numeric"``: computed in double precision by a backward-stable method (relative
      accuracy about :math:`10^{-15}`), not certified;
    * ``"upper bound"``: a certified upper bound, inflated against rounding;
    * ``"derived"``: the theorem's formula evaluated in double precision from the other
      fields;
``how``
    one line on how it was computed.

For compatibility with the string-keyed dictionaries of earlier versions the records are
read-only mappings from the labels (``bound.constants["lambda_m(Q)"]``, ``.items()``,
:meth:`~TheoremConstants.as_dict`); field names are accepted as keys too.  Objects that the
theorems need internally (the blended dynamics, the numeric initial state) are not part of
the record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import sympy

from .._validate import internal_check
from ..errors import InvalidArgumentError

__all__ = [
    "ConstantInfo",
    "TheoremConstants",
    "ReducedStateConstants",
    "Theorem1Constants",
    "Theorem2Constants",
    "CoherentConstants",
    "Theorem3Constants",
    "Theorem4Constants",
]

Kind = Literal["integer", "exact", "numeric", "upper bound", "derived"]
_KINDS = ("integer", "exact", "numeric", "upper bound", "derived")


def _constant(label: str, kind: Kind, how: str):
    internal_check(kind in _KINDS, f"constant {label!r} has the unknown kind {kind!r}")
    return field(metadata={"label": label, "kind": kind, "how": how})


@dataclass(frozen=True)
class ConstantInfo:
    """The metadata of one constant: field name, the paper's label, kind and method."""

    name: str
    label: str
    kind: Kind
    how: str


@dataclass(frozen=True)
class TheoremConstants(Mapping):
    """Base class: a frozen record that also reads as a mapping ``label -> value``."""

    @classmethod
    def describe(cls) -> list[ConstantInfo]:
        """The metadata of every field, in order."""
        return [
            ConstantInfo(f.name, f.metadata["label"], f.metadata["kind"], f.metadata["how"])
            for f in dataclasses.fields(cls)
        ]

    @classmethod
    def info(cls, key: str) -> ConstantInfo:
        """The metadata of one constant, by field name or label."""
        for c in cls.describe():
            if key in (c.name, c.label):
                return c
        raise InvalidArgumentError(
            f"key must name a constant of {cls.__name__} (one of "
            f"{', '.join(c.label for c in cls.describe())}): found {key!r}"
        )

    def as_dict(self) -> dict[str, Any]:
        """``{label: value}`` in field order (the dictionary of earlier versions, without
        its private entries)."""
        return {f.metadata["label"]: getattr(self, f.name) for f in dataclasses.fields(self)}

    # Mapping protocol (labels as keys; field names accepted by __getitem__ too)
    def __getitem__(self, key: str) -> Any:
        for f in dataclasses.fields(self):
            if key == f.metadata["label"] or key == f.name:
                return getattr(self, f.name)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(f.metadata["label"] for f in dataclasses.fields(self))

    def __len__(self) -> int:
        return len(dataclasses.fields(self))


# ----------------------------------------------------------------------------- Theorems 1-2


@dataclass(frozen=True)
class ReducedStateConstants(TheoremConstants):
    r"""The constants shared by Theorems 1-2 (Section 4, Appendices A-B)."""

    n: int = _constant("n", "integer", "number of qubits")
    lambda_m: float = _constant(
        "lambda_m(Q)",
        "exact",
        "smallest non-zero eigenvalue of the graph Laplacian Q (Graph.lambda_m: exact "
        "characteristic polynomial and isolated roots), rounded",
    )
    norm_L: float = _constant(
        "||L||",
        "numeric",
        "||L|| = max_j ||L_j||_2 (eq. (19)): spectral norm of the 4 x 4 row-stacking "
        "matrix of each local generator (LAPACK SVD)",
    )
    C_Sigma: float = _constant(
        "C_Sigma",
        "numeric",
        "sqrt(sum_j ||rho_j(0) - rho_bar(0)||_F^2) from the initial reduced states",
    )


@dataclass(frozen=True)
class Theorem1Constants(ReducedStateConstants):
    r"""Theorem 1: :math:`K_c^* = \max\{\mu/\lambda_m,\ 2(1+\sqrt2)D/\eta\}`, promise (7)."""

    mu: float = _constant(
        "mu",
        "exact",
        "smallest non-zero |Re lambda| of the blended generator (6), exact spectrum, rounded",
    )
    L_c: float = _constant(
        "L_c",
        "upper bound",
        "sum over the decaying eigenvalues of ||Pi_lambda||_2 (spectral projectors, SVD), "
        "times 1 + 1e-8: ||e^(Lbar t) Pi_s x|| <= L_c e^(-mu t) ||x||",
    )
    D: float = _constant(
        "D",
        "derived",
        "L_c ||L|| / lambda_m (C_Sigma / n + ||L|| / mu) + n ||L|| / lambda_m (Appendix A)",
    )
    C: float = _constant("C", "derived", "(1 + sqrt 2)(C_Sigma + L_c)")
    T_star: float = _constant("T_star", "derived", "T* = (2 / mu) ln(C / eta), 0 when C <= eta")
    rho_r: sympy.ImmutableMatrix = _constant(
        "rho_r", "exact", "the steady state of the blended dynamics (6), exact kernel"
    )


@dataclass(frozen=True)
class Theorem2Constants(ReducedStateConstants):
    r"""Theorem 2: :math:`K_c^* = \max\{\frac{1}{T_1\lambda_m}\ln\frac{2C}{\eta},\
    \frac{2D(T_2)}{\eta}\}` with :math:`f(t) = M\sum_{j\le m}t^j`."""

    m: int = _constant(
        "m",
        "integer",
        "m + 1 = largest Jordan block of the blended generator on the imaginary axis (exact)",
    )
    M: float = _constant(
        "M",
        "upper bound",
        "certified sup over [0, T2] of ||exp(Lbar t)|| / sum_j t^j (grid plus a Lipschitz "
        "step, times 1 + 1e-9)",
    )
    f_T2: float = _constant("f(T2)", "derived", "f(T2) = M sum_{j<=m} T2^j")
    D_T2: float = _constant(
        "D(T2)",
        "derived",
        "n ||L|| / lambda_m + f(T2) ||L|| / lambda_m (C_Sigma / sqrt(n) + T2 ||L||), from (24) "
        "and (29)-(30) repaired",
    )
    D_T2_printed: float = _constant(
        "D(T2) printed",
        "derived",
        "the printed D(T2) = n ||L|| / lambda_m + f(T2) ||L|| C / (n lambda_m)",
    )
    C: float = _constant("C", "derived", "C = C_Sigma")
    K_c1: float = _constant(
        "K_c1", "derived", "ln(2C / eta) / (T1 lambda_m), 0 when 2C <= eta or C = 0"
    )


# ----------------------------------------------------------------------------- Theorems 3-4


@dataclass(frozen=True)
class CoherentConstants(TheoremConstants):
    r"""The constants shared by Theorems 3-4 (Section 5.3, Appendices C-D)."""

    n: int = _constant("n", "integer", "number of qubits")
    p: int = _constant(
        "p", "integer", "number of connected components of the induced graph G_d (exact)"
    )
    lambda_m: float = _constant(
        "lambda_m(Q_d)",
        "exact",
        "smallest non-zero eigenvalue of Q_d, equal to lambda_m(Q) of the n-node graph "
        "(Caputo-Liggett-Richthammer theorem; on a disconnected graph the minimum of "
        "lambda_2(Q_C) over the components with >= 2 qubits), exact, rounded",
    )
    norm_A_d: float = _constant(
        "||A_d||",
        "numeric",
        "spectral norm of the 4^n x 4^n matrix of A_d: dense LAPACK 2-norm for n <= 5 "
        "(numeric), else ARPACK svds times 1 + 1e-8 (see norm_A_d_method)",
    )
    norm_A_d_method: str = _constant(
        "||A_d|| method", "numeric", "'dense' (LAPACK SVD) or 'svds' (ARPACK, inflated)"
    )
    C: float = _constant(
        "C",
        "numeric",
        "C = ||rho(0) - P_*(rho(0))||_F (P_* the average over S_C1 x ... x S_Cr on a "
        "disconnected graph)",
    )
    lambda_m_kind: str = _constant(
        "lambda_m(Q_d) kind",
        "derived",
        "how this lambda_m was obtained: 'exact', or for n > 12 with a structured rho(0) a "
        "'lower bound' certified by exact LDL^T inertia (bounds/coherent_scale.py)",
    )
    norm_A_d_kind: str = _constant(
        "||A_d|| kind",
        "derived",
        "how this ||A_d|| was obtained: 'numeric' (dense or svds), or for n > 5 with a "
        "structured rho(0) the 'upper bound' (N.1) from the model's terms",
    )
    C_kind: str = _constant(
        "C kind",
        "derived",
        "how this C was obtained: 'numeric' (dense rho(0)), 'exact' or 'upper bound' "
        "(generating functions of a structured rho(0), section5/pi_states.py)",
    )


@dataclass(frozen=True)
class Theorem3Constants(CoherentConstants):
    r"""Theorem 3: :math:`K_c^* = \max\{K_{c1}, K_{c2}\}`, :math:`K_{c2} = 2D(T_2)/\eta`."""

    m_d: int = _constant(
        "m_d",
        "integer",
        "m_d + 1 = largest Jordan block on the imaginary axis of B = P_d^T A_d P_d (exact)",
    )
    M_d: float = _constant(
        "M_d",
        "upper bound",
        "certified sup over [0, T2] of ||exp(B t)|| / sum_j t^j (times 1 + 1e-9)",
    )
    f_d_T2: float = _constant("f_d(T2)", "derived", "f_d(T2) = M_d sum_{j<=m_d} T2^j")
    D_T2: float = _constant(
        "D(T2)",
        "derived",
        "||A_d|| / lambda_m + f_d(T2) ||A_d|| / lambda_m (C + T2 ||A_d||) (Appendix C)",
    )
    K_c1: float = _constant(
        "K_c1", "derived", "ln(2C / eta) / (T1 lambda_m), 0 when 2C <= eta or C = 0"
    )
    K_c2: float = _constant("K_c2", "derived", "2 D(T2) / eta")


@dataclass(frozen=True)
class Theorem4Constants(CoherentConstants):
    r"""Theorem 4: :math:`K_c^* = \max\{K_{c1}, K_{c2}\}`,
    :math:`K_{c2} = 2\|A_d\|/(\eta\lambda_m)`."""

    K_c1: float = _constant(
        "K_c1", "derived", "ln(2C / eta) / (T1 lambda_m), 0 when 2C <= eta or C = 0"
    )
    K_c2: float = _constant("K_c2", "derived", "2 ||A_d|| / (eta lambda_m), from (35)")
