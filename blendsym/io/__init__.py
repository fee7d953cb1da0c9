"""Input and output: the safe operator-expression parser, TOML model files and LaTeX."""
