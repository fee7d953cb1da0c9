"""blendsym benchmarks, run apart from the test suite: ``python -m benchmarks NAME``."""
