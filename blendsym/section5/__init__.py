"""Section 5 (any model): the induced graph :math:`G_d` of Section 5.1 and the blended
coherent dynamics of Definition 2 (eq. (17))."""
