"""credsite: a static site of verifiable credentials, built from a catalog and signed awards."""

__version__ = "0.1.0"
