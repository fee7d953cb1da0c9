"""Section 4 (separable models): Assumption 1, the reduced-state equations (5) and the
blended reduced-state dynamics of Definition 1 (eq. (6))."""
