"""`python -m betdb.cli`: the same as the `betdb` console script."""

from betdb.cli.app import main

main()
