"""betdb: the typed async data layer of an MLB betting analytics system."""

__version__ = "0.1.0"
