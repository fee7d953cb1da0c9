"""LaTeX of large models: eq. (4) with collective sums and Definition 2 in operator form.

The collective form of an operator is checked by rebuilding the operator from the sums it
found (``OperatorSum.expand``) and comparing it with the original exactly; the averaged
Lindblad generator behind Definition 2 is checked against the literal average of the exact
4^n x 4^n Liouvillian over every permutation of S_G (n <= 4, exact SymPy), and its cost by
printing n = 100 models with the image enumeration switched off.
"""

import itertools

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import blendsym as bs
from blendsym.io import latex_average
from blendsym.io.latex import coherent_equation_latex, network_equation_latex
from blendsym.io.latex_average import averaged_lindblad
from blendsym.io.latex_collective import collective_form
from blendsym.model.conventions import dissipator_superop, hamiltonian_superop
from blendsym.testing import k_local_networks, permutation_invariant_networks

R = sympy.Rational


# ----------------------------------------------------------------- eq. (4): collective sums


@st.composite
def structured_operators(draw):
    """Sums of sum_sites / sum_pairs terms plus a few explicit strings (n = 2..6)."""
    n = draw(st.integers(2, 6))
    letters = st.sampled_from([bs.sigma_x, bs.sigma_y, bs.sigma_z, bs.sigma_plus, bs.sigma_minus])
    coeff = st.sampled_from([R(1), R(-1), R(1, 2), R(3, 7), sympy.I, 1 + 2 * sympy.I])
    op = bs.SiteOperator({})
    for _ in range(draw(st.integers(1, 4))):
        c = draw(coeff)
        if draw(st.booleans()):
            op = op + c * bs.sum_sites(draw(letters), n)
        else:
            order = draw(st.sampled_from(["j<k", "j>k", "j!=k"]))
            op = op + c * bs.sum_pairs(draw(letters), draw(letters), n, pairs=order)
    for _ in range(draw(st.integers(0, 3))):  # a few strings that break the symmetry
        sites = draw(st.lists(st.integers(1, n), min_size=1, max_size=2, unique=True))
        string = bs.identity()
        for s in sites:
            string = string * draw(letters)(s)
        op = op + draw(coeff) * string
    if draw(st.booleans()):
        op = op + draw(coeff)
    return n, op


@settings(max_examples=25)
@given(structured_operators())
def test_collective_form_expands_to_the_operator(case):
    n, op = case
    form = collective_form(op, n)
    assert form.expand() == op
    tex = form.latex()
    for t in form.terms:  # every term is printed
        for piece in t.latex_terms(n, form.hermitian):
            assert piece.lstrip("-") in tex


def test_collective_form_of_example3_at_n5():
    """sum_{j>k} sigma_x^(j) sigma_y^(k) is the ordered sum sum_{j<k} sigma_y^(j) sigma_x^(k)."""
    net = bs.paper.example3(n=5)[0]
    form = collective_form(net.hamiltonian, 5)
    kinds = sorted(t.kind for t in form.terms)
    assert kinds == ["local", "local", "ordered"], kinds
    assert form.expand() == net.hamiltonian
    tex = network_equation_latex(net)
    assert r"\sum_{j<k}\sigma_y^{(j)}\sigma_x^{(k)}" in tex
    assert r"\sum_{j=1}^{5}\sigma_z^{(j)}" in tex and r"K_{c} \sum_{j<k}\mathcal{D}(U_{jk})" in tex
    # below COLLECTIVE_MIN_QUBITS (and when asked) every term is written out
    assert r"\sum" not in network_equation_latex(bs.paper.example3(n=4)[0])
    assert r"\sum" not in network_equation_latex(net, collective=False)


def test_symmetric_pairs_corrections_and_edges():
    n = 7
    h = bs.sum_pairs(bs.sigma_x, bs.sigma_y, n, pairs="j!=k") + R(1, 2) * bs.sigma_x(
        1
    ) * bs.sigma_y(2)
    form = collective_form(h, n)
    tex = form.latex()
    assert r"\sum_{j\neq k}\sigma_x^{(j)}\sigma_y^{(k)}" in tex and form.expand() == h
    # a field missing on one site: the sum over the others
    f = bs.sum_sites(bs.sigma_z, n) - bs.sigma_z(4)
    assert collective_form(f, n).expand() == f
    ring = [(j, j % n + 1, 2) for j in range(1, n + 1)]
    net = bs.QuantumNetwork(n, ring, h)
    assert r"2 K_{c} \sum_{\{j,k\}\in E}\mathcal{D}(U_{jk})\rho" in network_equation_latex(net)
    uneven = [(j, j % n + 1, j) for j in range(1, n + 1)]
    net = bs.QuantumNetwork(n, uneven, h)
    assert r"\sum_{\{j,k\}\in E} a_{jk}\,\mathcal{D}(U_{jk})\rho" in network_equation_latex(net)


# ------------------------------------------------------- Definition 2: the averaged generator


def _site_permutation_map(perm, n):
    """Basis index l -> index of U_pi |l> (qubit i moved to perm[i])."""
    out = []
    for lvl in range(2**n):
        bits = [(lvl >> (n - 1 - i)) & 1 for i in range(n)]
        new = [0] * n
        for i, b in enumerate(bits):
            new[perm[i]] = b
        out.append(sum(b << (n - 1 - i) for i, b in enumerate(new)))
    return out


def dense_average(net):
    """(1/|S_G|) sum_pi (U_pi x U_pi) A_d (U_pi x U_pi)^T, literally, as a dict."""
    n, d = net.n, 2**net.n
    comps = [list(c) for c in net.graph.components]
    groups = [list(itertools.permutations(c)) for c in comps]
    a = net.local_liouvillian("sympy").todok()
    acc: dict = {}
    count = 0
    for choice in itertools.product(*groups):
        perm = list(range(n))
        for comp, img in zip(comps, choice, strict=True):
            for s, t in zip(comp, img, strict=True):
                perm[s - 1] = t - 1
        m = _site_permutation_map(perm, n)
        count += 1
        for (r, c), v in a.items():
            key = (m[r // d] * d + m[r % d], m[c // d] * d + m[c % d])
            acc[key] = acc.get(key, 0) + v
    return {k: v / count for k, v in acc.items()}


def printed_generator(net):
    """The Lindblad generator of the printed form, every sum written out."""
    avg = averaged_lindblad(net)
    n = net.n
    out = hamiltonian_superop(avg.hamiltonian.to_matrix(n, "sympy"), net.hbar, "sympy")
    for g, l_op in avg.expanded_jumps():
        out = out + g * dissipator_superop(l_op.to_matrix(n, "sympy"), "sympy")
    return out.todok()


def assert_printed_is_dense_average(net):
    a, b = dense_average(net), printed_generator(net)
    bad = [k for k in set(a) | set(b) if sympy.expand(a.get(k, 0) - b.get(k, 0)) != 0]
    assert not bad, (len(bad), bad[:3])


@settings(max_examples=6)
@given(permutation_invariant_networks(min_n=2, max_n=4, perturbed=True, disconnected=False))
def test_averaged_form_is_the_dense_average_pi(net):
    assert_printed_is_dense_average(net)


@settings(max_examples=3)
@given(permutation_invariant_networks(min_n=3, max_n=4, perturbed=True, disconnected=True))
def test_averaged_form_is_the_dense_average_disconnected(net):
    assert_printed_is_dense_average(net)


@settings(max_examples=6)
@given(k_local_networks(min_n=2, max_n=3, max_locality=3, max_jumps=2))
def test_averaged_form_is_the_dense_average_k_local(net):
    assert_printed_is_dense_average(net)


def test_the_three_cases_of_a_dissipator():
    """Invariant jump: itself; 2-site jump: 2/(m(m-1)) sum_{j<k} when symmetric; collective
    plus local: D(Lbar) + avg D(R_f) - D(Rbar), merged when Rbar is a multiple of Lbar."""
    n = 4
    s_minus = bs.sum_sites(bs.sigma_minus, n)
    jumps = [
        (1, s_minus),
        (R(1, 3), bs.sigma_minus(1) * bs.sigma_minus(2)),
        (1, s_minus + bs.sigma_minus(1)),
    ]
    net = bs.QuantumNetwork(n, [(1, 2), (2, 3), (3, 4)], bs.sigma_z(1), jumps)
    assert_printed_is_dense_average(net)
    d = averaged_lindblad(net).dissipator_terms
    texs = {(str(g), l_tex, s) for g, l_tex, s in d}
    # (s + sigma_1) averages to (1 + 2/m) D(s) + (1/m) sum_j D(sigma_j); D(s) merges with jump 0
    assert ("5/2", r"\sum_{j=1}^{4}\sigma_-^{(j)}", "") in texs, texs
    assert ("1/4", r"\sigma_-^{(j)}", r"\sum_{j=1}^{4}") in texs, texs
    assert ("1/18", r"\sum_{j<k}") in {(g, s) for g, _, s in texs}, texs
    tex = coherent_equation_latex(net)
    assert r"\frac{1}{4} \sum_{j=1}^{4}\sigma_z^{(j)}" in tex


def test_large_n_never_enumerates_images(monkeypatch):
    """n = 100: the printed form needs no image of any support (the enumeration that the
    literal average of .jumps uses is switched off) and no 4^n object."""
    monkeypatch.setattr(latex_average, "MAX_SUPPORT_IMAGES", 0)
    n = 100
    h = bs.sum_sites(bs.sigma_z, n) + R(1, 100) * bs.sum_pairs(bs.sigma_x, bs.sigma_y, n)
    h = h + bs.sigma_x(1) * bs.sigma_x(2) * bs.sigma_z(3)
    jumps = [
        (1, bs.sum_sites(bs.sigma_minus, n) + bs.sigma_z(7)),
        (R(1, 2), bs.sigma_minus(3) * bs.sigma_plus(5)),
        (1, bs.sigma_minus(9)),
    ]
    net = bs.QuantumNetwork(n, _complete(n), h, jumps)
    tex = coherent_equation_latex(net)
    assert r"\frac{1}{200} \sum_{j\neq k}\sigma_x^{(j)}\sigma_y^{(k)}" in tex
    # the 3-site term: 2 / (100 * 99 * 98) of the sum over distinct j, k, l (halved: x x z)
    assert r"\frac{1}{970200} \sum_{j,k,l\ \mathrm{distinct}}" in tex, tex
    assert r"\frac{1}{19800} \sum_{j\neq k}\mathcal{D}" in tex
    assert len(tex) < 2500


def _complete(n):
    return [(j, k) for j in range(1, n + 1) for k in range(j + 1, n + 1)]


def test_refused_naming_the_limit():
    n = 12
    long = bs.identity()
    for j in range(1, 10):
        long = long * bs.sigma_minus(j)
    net = bs.QuantumNetwork(n, _complete(n), bs.sigma_z(1), [long])
    with pytest.raises(bs.errors.SizeLimitError, match="AVERAGE_FORM_SUPPORT = 8"):
        coherent_equation_latex(net)


@st.composite
def weighted_graphs(draw):
    """Random graphs on n = 5..14 sites with more than MAX_EXPLICIT_EDGES edges."""
    from blendsym.io.latex import MAX_EXPLICIT_EDGES

    n = draw(st.integers(5, 14))
    pairs = [(j, k) for j in range(1, n + 1) for k in range(j + 1, n + 1)]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=MAX_EXPLICIT_EDGES + 1, unique=True))
    weight = st.sampled_from([R(1), R(1), R(1), R(2), R(1, 3)])
    return n, [(j, k, draw(weight)) for j, k in chosen]


@settings(max_examples=25, deadline=None)
@given(weighted_graphs())
def test_edge_set_lists_the_graph(case):
    """When eq. (4) sums over {j,k} in E, the edge-set display gives exactly the graph's edges
    and weights (read back from the LaTeX), or it is absent for a complete graph with equal
    weights (the sum is over j<k)."""
    import re

    from blendsym.io.latex import edge_set_latex

    n, edges = case
    net = bs.QuantumNetwork(n, edges, bs.sigma_z(1), [])
    tex = edge_set_latex(net)
    weights = {(min(j, k), max(j, k)): w for j, k, w in edges}
    if len(edges) == n * (n - 1) // 2 and len(set(weights.values())) == 1:
        assert tex is None and r"\sum_{j<k}" in network_equation_latex(net)
        return
    assert tex is not None and r"\{j,k\}\in E" in network_equation_latex(net)
    e_part, _, a_part = tex.partition("a_{jk}")
    listed = [(int(j), int(k)) for j, k in re.findall(r"\\\{(\d+),(\d+)\\\}", e_part)]
    assert sorted(listed) == sorted(weights) and len(listed) == len(set(listed))
    if len(set(weights.values())) == 1:
        assert not a_part
        return
    value = {"1": R(1), "2": R(2), r"\frac{1}{3}": R(1, 3)}
    number = r"(\\frac\{1\}\{3\}|\d+)"
    common = value[re.match(r" =\{\}& " + number + r"\\ \\text\{except\}", a_part).group(1)]
    given_ = {}
    wide, tight = r"a_\{(\d+),(\d+)\} = ", r"a_\{(\d)(\d)\} = "  # n >= 10, n < 10
    for m in re.finditer(wide + number + "|" + tight + number, a_part):
        j, k, v = m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)
        given_[(int(j), int(k))] = value[v]
    assert given_ and all(v != common for v in given_.values())
    for edge, w in weights.items():
        assert given_.get(edge, common) == w
