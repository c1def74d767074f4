"""Statistical disclosure control of aggregate outputs: the cube of a cross-table with its margins,
primary rules (threshold, dominance), exact secondary suppression (a MIP solved by HiGHS), the LP
audit of each suppressed cell's feasible interval, and the evidence record that recomputes it all."""
