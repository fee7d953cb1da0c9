r"""The size limits of blendsym, in one table.

Every limit protects one resource and is checked *before* the work starts, by the
functions of :mod:`blendsym._validate`; a request beyond it raises
:class:`~blendsym.errors.SizeLimitError` (an :class:`~blendsym.errors.InvalidArgumentError`)
whose message gives the size the request would take and the name of the limit.  The costs
quoted were measured on a shared 2-core machine with plain SymPy ground types (ranges: the
machine was loaded to different degrees); ``python -m benchmarks limits`` reproduces them.

========================================  =======  ==================================================
limit                                     value    what it protects
========================================  =======  ==================================================
:data:`NETWORK_MAX_QUBITS`                1000     qubits of a :class:`~blendsym.QuantumNetwork`: the
                                                   model is kept as Pauli strings (validated in the
                                                   Pauli basis), and everything that is dense in
                                                   :math:`2^n` (NumPy int64 basis indices and bit masks
                                                   included) has its own, smaller limit below; the
                                                   separable pipeline of Section 4 works qubit by
                                                   qubit and the blended coherent dynamics in PI
                                                   coordinates on :math:`\binom{n+3}3` coordinates
                                                   (n = 200: 1.4 M), so they have no other limit.
:data:`EXACT_DENSE_ENTRIES`               65,536   an exact dense SymPy array *created* by blendsym
                                                   from a small description (``ket``, ``basis_state``,
                                                   ``product_state``), or an exact state validated
                                                   entry by entry: :math:`2^n\times2^n` matrices for
                                                   :math:`n\le 8`, vectors for :math:`n\le 16`.  The
                                                   exact validation of an 8-qubit product state (a few
                                                   passes over its 65,536 entries) takes 1.5-6 s.
:data:`EXACT_POSITIVITY_BLOCK`            64       the dimension of a dense Hermitian block whose
                                                   positivity is decided exactly (a fraction-free
                                                   elimination, :math:`O(d^3)` exact operations on
                                                   growing integers: 1.5-5 s for a full-rank
                                                   :math:`d = 64` state over :math:`\mathbb Q(i)`,
                                                   37 s at 128; a characteristic polynomial took 16 s
                                                   and 270 s).  Product, diagonal and block-diagonal
                                                   structure is used first, so this limits only the
                                                   entangled part.
:data:`EXACT_OPERATOR_QUBITS`             16       exact sparse :math:`2^n\times2^n` operator matrices
                                                   (``SiteOperator.to_matrix(n, "sympy")``): one SymPy
                                                   entry per Pauli string and column, 2-3 s for two
                                                   strings at :math:`n = 16`.
:data:`EXACT_SUPEROPERATOR_QUBITS`        6        exact :math:`4^n\times4^n` Liouvillians (eq. (4),
                                                   ``backend="sympy"``): 2.5-4 s at :math:`n = 5`
                                                   (40,703 non-zeros for Example 3), 21 s at
                                                   :math:`n = 6`, about 8 times more per qubit.
:data:`EXACT_DECOMPOSITION_WORK`          2**20    exact full matrices given as operators
                                                   (``from_matrix`` on SymPy input): non-zeros
                                                   :math:`\times 2^n` SymPy operations, 4-7 s for a
                                                   dense :math:`n = 6` matrix (:math:`2^{18}`).
:data:`DECOMPOSITION_QUBITS`              10       any full matrix given as an operator: the
                                                   :math:`4^n` Pauli coefficients (a
                                                   :math:`2^n\times2^n` Walsh-Hadamard transform).
:data:`NUMERIC_DENSE_QUBITS`              12       dense complex :math:`2^n\times2^n` NumPy states:
                                                   :math:`16\cdot4^n` bytes, 268 MB at :math:`n = 12`
                                                   (1.07 GB at 13).
:data:`NUMERIC_OPERATOR_QUBITS`           20       sparse complex :math:`2^n\times2^n` operator
                                                   matrices: 32 MB per Pauli string at :math:`n = 20`.
:data:`PERMUTATION_QUBITS`                12       objects indexed by pairs :math:`(l, l')` (orbit
                                                   labels, :math:`\mathcal P_*`, the induced graph
                                                   :math:`G_d`): :math:`4^n` int64 labels, 134 MB each
                                                   at :math:`n = 12`.
:data:`INDEX_MAP_QUBITS`                  20       index maps :math:`l\mapsto f(l)` of permutations
                                                   (``swap_permutation``, ``permutation_action``,
                                                   ``swap_unitary``): a :math:`2^n\times n` int64 bit
                                                   table, 168 MB at :math:`n = 20`.
:data:`LITERAL_AVERAGE_QUBITS`            8        the literal :math:`n!`-term average
                                                   :math:`\mathcal P_*` (:math:`8! = 40320` products).
:data:`AVERAGED_NETWORK_QUBITS`           6        the exact permutation-averaged network
                                                   (:func:`~blendsym.coherent.permutation_averaged_network`):
                                                   :math:`n!` relabelled Hamiltonians and jumps
                                                   (:math:`6! = 720`).
:data:`AVERAGE_FORM_SUPPORT`              8        sites of the part of a jump operator that is not
                                                   invariant under the permutations of the graph's
                                                   components, in Definition 2 in operator form
                                                   (:mod:`blendsym.io.latex_average`): its average
                                                   is printed as a sum over one site index per site
                                                   (the cost is linear in the Pauli strings at any
                                                   :math:`n`; the limit keeps the LaTeX readable).
:data:`CERTIFY_MAX_QUBITS`                5        the dense :math:`4^n\times4^n` step matrices of a
                                                   certified :math:`K_c`
                                                   (:meth:`~blendsym.bounds.TheoremBound.certified_kc`,
                                                   :mod:`blendsym.bounds.certified`): 16 MB each at
                                                   :math:`n = 5`, where one certification takes 6-15 s
                                                   and a search 0.5-2 min; 256 MB and about 64 times
                                                   the time at :math:`n = 6`.
:data:`EXACT_STATIONARY_DIM`              32       the dimension :math:`d` of the states of an exact
                                                   positive stationary basis
                                                   (``positive_stationary_basis``): left and
                                                   right kernels of the exact
                                                   :math:`d^2\times d^2` generator and exact
                                                   positivity of :math:`d\times d` states
                                                   (:math:`n = 5` qubits).
:data:`NUMERIC_STATIONARY_DIM`            64       the same in double precision: one dense SVD of a
                                                   :math:`d^2\times d^2` complex matrix (268 MB
                                                   at :math:`d = 64`).
:data:`PARAMETRIC_DENSE_QUBITS`           4        dense :math:`4^n\times4^n` matrices of :math:`A_d` built
                                                   *per parameter point* (``CompiledNetwork.
                                                   local_liouvillian_dense``, the parametric
                                                   :math:`\|A_d\|` of Theorem 4): one SVD per point,
                                                   1 ms at :math:`n = 3`, 0.1-0.4 s at :math:`n = 4`,
                                                   13 s at :math:`n = 5`; beyond, use
                                                   ``theorem4(net.subs(...))`` point by point.
:data:`PRODUCT_PI_COORDINATES`            10**6    PI coordinates of a *disconnected* graph,
                                                   :math:`p=\prod_i\binom{n_i+3}3`
                                                   (:mod:`~blendsym.section5.product_basis`): a
                                                   ``(p, r, 4)`` count table, :math:`p` exact sort
                                                   keys and a sparse generator of about 40 entries
                                                   per row: 12 s and 1.2 GB peak (with a T = 10
                                                   Krylov run) at :math:`p = 592{,}704` (6+6+6).
:data:`OPERATOR_MAX_EXPONENT`             1000     the exponent ``k`` of ``op ** k`` for a
                                                   :class:`~blendsym.SiteOperator`: exact coefficients
                                                   grow like :math:`(\sum_P|c_P|)^k`.
:data:`NUMBER_MAX_MAGNITUDE`              1e300    every number of a model (coefficients, rates,
:data:`NUMBER_MIN_MAGNITUDE`              1e-300   weights, :math:`K_c`, :math:`\hbar`): zero or of
                                                   magnitude in :math:`[10^{-300}, 10^{300}]`, so that
                                                   its double-precision value is finite and non-zero
                                                   with a margin of :math:`10^{8}` for the products
                                                   (:math:`K_c a_{jk}`, :math:`\gamma\|L\|^2`,
                                                   :math:`1/\hbar`) of the numeric generators.
========================================  =======  ==================================================

Numeric propagation has limits of its own that depend on the run, not only on its size
(:mod:`blendsym.numeric.limits`): the memory a :func:`~blendsym.simulate` call would hold
(estimated by part and compared with the memory available), :data:`~blendsym.numeric.limits.MAX_NORM_TIME`
(:math:`\|\mathcal L\|_1 T` beyond which double-precision propagation is meaningless) and
:data:`~blendsym.numeric.limits.EXPM_MULTIPLY_MAX_PRODUCTS`; they raise
:class:`~blendsym.errors.ResourceLimitError`, a :class:`~blendsym.errors.SizeLimitError`.

The limits are module constants so that a test or a user with more memory can raise one
(``blendsym.limits.NUMERIC_DENSE_QUBITS = 13``); the checks read them at call time.
"""

from __future__ import annotations

__all__ = [
    "NETWORK_MAX_QUBITS",
    "EXACT_DENSE_ENTRIES",
    "EXACT_POSITIVITY_BLOCK",
    "EXACT_OPERATOR_QUBITS",
    "EXACT_SUPEROPERATOR_QUBITS",
    "EXACT_DECOMPOSITION_WORK",
    "DECOMPOSITION_QUBITS",
    "NUMERIC_DENSE_QUBITS",
    "NUMERIC_OPERATOR_QUBITS",
    "PERMUTATION_QUBITS",
    "INDEX_MAP_QUBITS",
    "LITERAL_AVERAGE_QUBITS",
    "AVERAGED_NETWORK_QUBITS",
    "AVERAGE_FORM_SUPPORT",
    "CERTIFY_MAX_QUBITS",
    "EXACT_STATIONARY_DIM",
    "NUMERIC_STATIONARY_DIM",
    "PARAMETRIC_DENSE_QUBITS",
    "PRODUCT_PI_COORDINATES",
    "OPERATOR_MAX_EXPONENT",
    "NUMBER_MAX_MAGNITUDE",
    "NUMBER_MIN_MAGNITUDE",
]

#: Qubits of a network (the model in Pauli strings; dense 2^n objects have their own limits).
NETWORK_MAX_QUBITS = 1000
#: Entries of an exact dense SymPy array built or scanned entry by entry (4^8 = 2^16).
EXACT_DENSE_ENTRIES = 65_536
#: Dimension of a dense Hermitian block whose positivity is decided exactly.
EXACT_POSITIVITY_BLOCK = 64
#: Qubits of an exact sparse 2^n x 2^n operator matrix.
EXACT_OPERATOR_QUBITS = 16
#: Qubits of an exact 4^n x 4^n superoperator (Liouvillian of eq. (4)).
EXACT_SUPEROPERATOR_QUBITS = 6
#: SymPy operations (non-zeros x 2^n) of the exact Pauli decomposition of a full matrix.
EXACT_DECOMPOSITION_WORK = 2**20
#: Qubits of a full matrix decomposed into Pauli strings (any input).
DECOMPOSITION_QUBITS = 10
#: Qubits of a dense complex 2^n x 2^n NumPy state (16 * 4^n bytes).
NUMERIC_DENSE_QUBITS = 12
#: Qubits of a sparse complex 2^n x 2^n operator matrix.
NUMERIC_OPERATOR_QUBITS = 20
#: Qubits of objects indexed by pairs (l, l'): orbit labels, P_*, the induced graph.
PERMUTATION_QUBITS = 12
#: Qubits of a permutation index map l -> f(l) (2^n x n bit table).
INDEX_MAP_QUBITS = 20
#: Qubits of the literal n!-term permutation average.
LITERAL_AVERAGE_QUBITS = 8
#: Qubits of the exact permutation-averaged network (n! relabelled operators).
AVERAGED_NETWORK_QUBITS = 6
#: Sites of the non-invariant part of a jump in Definition 2 in operator form.
AVERAGE_FORM_SUPPORT = 8
#: Qubits of a certified K_c (TheoremBound.certified_kc): dense 4^n x 4^n step matrices.
CERTIFY_MAX_QUBITS = 5
#: Dimension d of the d x d states of an exact positive stationary basis.
EXACT_STATIONARY_DIM = 32
#: Dimension d of the d x d states of a numeric positive stationary basis (d^2 x d^2 SVD).
NUMERIC_STATIONARY_DIM = 64
#: Qubits of the dense 4^n x 4^n A_d built per parameter point (parametric Theorem 4).
PARAMETRIC_DENSE_QUBITS = 4
#: PI coordinates of a disconnected graph (product of per-component type-count orbits).
PRODUCT_PI_COORDINATES = 1_000_000
#: Largest exponent of a SiteOperator power.
OPERATOR_MAX_EXPONENT = 1000
#: Largest magnitude of a number of a model.
NUMBER_MAX_MAGNITUDE = 1e300
#: Smallest magnitude of a non-zero number of a model.
NUMBER_MIN_MAGNITUDE = 1e-300
