"""betdb against what people would use instead, on one machine in one run.

`python -m bench [--quick] [--out DIR] [--only NAME]` (or `make bench`) runs the benchmarks
(the async flavour's, and as sync_* the SyncQuerier's on psycopg 3) on the real schema with
generated data, prints a table of ratios with the goal each one has, and
writes results.json and results.png to DIR (default build/bench/).
"""
