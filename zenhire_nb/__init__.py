"""zenhire-nb: run and study ZenHire AI voice interviews from Jupyter."""

__version__ = "0.1.0"

__all__ = ["__version__"]
