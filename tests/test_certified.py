"""Certified K_c*: the promise proved by interval enclosures plus a derivative bound, between
the empirical gain (simulation on a grid) and the paper's K_c*."""

import numpy as np
import pytest
import sympy

import blendsym as bs
from blendsym.errors import SizeLimitError
from blendsym.model.operators import sigma_minus, sigma_x
from blendsym.model.states import basis_state, product_state

R = sympy.Rational
RTOL = 0.05


def _two_qubits():
    net = bs.QuantumNetwork(2, [(1, 2)], R(1, 4) * sigma_x(1), [(2, sigma_minus(1))])
    return net, product_state(basis_state("0"), basis_state("1"))


def _between(bound):
    emp = bound.empirical_kc(rtol=RTOL)
    cert = bound.certified_kc(lo=emp / (1 + RTOL), rtol=RTOL)
    assert cert <= bound.kc_star
    assert cert >= emp / (1 + RTOL) ** 2  # up to the two search resolutions
    proved, worst = bound.certify(cert)
    assert proved and worst <= bound.eta
    return emp, cert


def test_certified_between_empirical_and_paper_theorem1():
    emp, cert = _between(bs.bounds.theorem1(*_two_qubits(), 0.05))
    assert cert < 100 * emp


def test_certified_between_empirical_and_paper_theorem4_example3():
    net, rho0 = bs.paper.example3()
    _between(bs.bounds.theorem4(net, rho0, 0.05, 1.0, t_final=4.0))


def test_certified_between_empirical_and_paper_theorem2():
    net, rho0 = _two_qubits()
    _between(bs.bounds.theorem2(net, rho0, 0.05, 1.0, 3.0))


def test_certificate_is_sound_and_refuses_violated_promises():
    net, rho0 = _two_qubits()
    bound = bs.bounds.theorem2(net, rho0, 0.05, 1.0, 3.0)
    emp = bound.empirical_kc(rtol=RTOL)
    # well below the empirical gain the simulation violates the promise: never "proved"
    low = emp / 3
    assert not bound.eta_holds(low)
    assert not bound.certify(low)[0]
    # where it is proved, a fine simulation agrees, and the bound dominates the distance
    kc = 1.5 * emp
    proved, worst = bound.certify(kc)
    assert proved
    times = np.linspace(1.0, 3.0, 2001)
    chk = bound.check(kc, times)
    assert chk.lhs.max() <= worst <= bound.eta
    # and it is tight: the grid and interpolation terms add at most 1 % of eta
    assert worst <= chk.lhs.max() + 0.01 * bound.eta


def _random_matrix(rng, d, hermitian):
    a = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
    return (a + a.conj().T) / 2 if hermitian else a


def test_squared_steps_bound_the_exact_exponential_in_trace_norm():
    """The midpoint of e^{2^l delta L} and its error bound eps against the exponential of
    the exact Liouvillian at 40 digits (mpmath): ||(P - mid) A||_1 <= eps ||A||_1."""
    import mpmath

    from blendsym.bounds import certified as C

    net, rho0 = _two_qubits()
    bound = bs.bounds.theorem2(net, rho0, 0.05, 1.0, 3.0)
    promise = bound._promise()
    kc = 3.0
    (lm, lr), (sm, sr) = promise.local, promise.swap
    am = lm + kc * sm
    ar = lr + kc * sr * (1 + 2 * C._U) + 2 * C._U * np.abs(am) + C._TINY
    delta = 0.5 / C._inorm_inf(am, ar)
    step = C._Step.from_enclosure(*C._expm_enclosure(am, ar, delta), 4)
    exact = net.exact()
    liou = exact.local_liouvillian("sympy") + kc * exact.swap_liouvillian("sympy")
    mpmath.mp.dps = 40
    lmp = mpmath.matrix(sympy.Matrix(liou).evalf(40).tolist())
    rng = np.random.default_rng(7)
    for level in range(8):
        assert step.level == level and step.eps < 1e-10
        p = mpmath.expm(lmp * mpmath.mpf(delta) * 2**level)
        diff = np.array((p - mpmath.matrix(step.mid.tolist())).tolist(), dtype=complex)
        for k in range(20):
            a = _random_matrix(rng, 4, hermitian=k % 2 == 0)
            out = (diff @ a.ravel()).reshape(4, 4)
            trace_norm = np.linalg.svd(out, compute_uv=False).sum()
            assert trace_norm <= step.eps * np.linalg.svd(a, compute_uv=False).sum()
        step = step.squared()


def test_grid_contains_the_window_exactly():
    from fractions import Fraction

    from blendsym.bounds.certified import _grid

    for t_a, t_b, base in [
        (1.0, 5.0, 0.013),
        (21.453928581161136, 31.453928581161136, 1e-3),
        (0.0, 10.0, 0.1),
        (0.3, 0.3000001, 1e-9),
        (1e-7, 2.0, 0.5),
    ]:
        delta, q, n = _grid(t_a, t_b, base)
        start = Fraction(q) * Fraction(delta)
        end = start + n * Fraction(delta)
        assert delta <= base and start <= Fraction(t_a) and end >= Fraction(t_b)
        assert float(Fraction(t_a) - start) <= 1e-12 * max(t_a, 1e-300) or t_a == 0
        assert end - Fraction(t_b) < Fraction(delta)


def test_log_norm_bounds_every_matrix_of_the_interval():
    from blendsym.bounds.certified import _exact_to_float, _log_norm

    rng = np.random.default_rng(3)
    for _ in range(20):
        m = _random_matrix(rng, 8, hermitian=False)
        r = np.abs(rng.standard_normal((8, 8))) * 0.1
        mu = _log_norm(m, r)
        for _ in range(5):
            a = m + r * np.exp(2j * np.pi * rng.random((8, 8))) * rng.random((8, 8))
            assert np.linalg.eigvalsh((a + a.conj().T) / 2).max() <= mu
    # the SWAP part of eq. (4): Hermitian part (W + W^T)/2 - I, W a permutation: mu <= 0
    net, _ = bs.paper.example1()
    swap = _exact_to_float(net.exact().swap_liouvillian("sympy"))
    assert _log_norm(*swap) <= 1e-10  # its rounding margin


def test_certification_refused_above_the_qubit_limit(monkeypatch):
    import blendsym.limits

    net, rho0 = _two_qubits()
    bound = bs.bounds.theorem2(net, rho0, 0.05, 1.0, 3.0)
    monkeypatch.setattr(blendsym.limits, "CERTIFY_MAX_QUBITS", 1)
    with pytest.raises(SizeLimitError, match="CERTIFY_MAX_QUBITS"):
        bound.certify(10.0)
