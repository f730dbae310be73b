"""syslead: a facilitation toolkit for system leadership groups."""

__version__ = "0.1.0"
