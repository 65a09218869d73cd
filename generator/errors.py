"""The one exception hierarchy of credsite.

Every error a user can cause derives from :class:`CredsiteError`; the CLI prints ``str(error)`` as a
single line and exits non-zero. Messages name the file, line or record and say what to do.
"""

from __future__ import annotations


class CredsiteError(Exception):
    """Root of all credsite errors."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class ContentError(CredsiteError):
    """A content file (site.yaml, catalog, page, CSV, award batch) is malformed or inconsistent."""


class KeyFileError(CredsiteError):
    """A key file or public key cannot be read or used."""


class VerificationError(CredsiteError):
    """A credential failed a verification check.

    ``check`` names the check and ``code`` says how it failed, with the stable codes of
    docs/design.md ("Verification checklist"): code branches on ``code``, never on the message,
    which is for people."""

    def __init__(
        self, check: str, message: str, *, code: str | None = None, where: str | None = None
    ) -> None:
        self.check = check
        self.code = code
        super().__init__(f"[{check}] {message}", where=where)


class BuildError(CredsiteError):
    """The site could not be built; the previous output is left untouched."""


class ProblemList(CredsiteError):
    """Several problems found in one validation pass, reported together with a count."""

    def __init__(self, problems: list[CredsiteError], what: str = "problem") -> None:
        self.problems = problems
        count = len(problems)
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{lines}\n{count} {what}{'s' if count != 1 else ''} found")
