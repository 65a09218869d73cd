"""The ``credsite`` command line: thin wrappers that parse options, call the library and print."""

from credsite.cli.commands import main

__all__ = ["main"]
