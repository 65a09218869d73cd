"""The architecture, said in imports (docs/design.md, "Package layout").

The package's source is ``generator/``, imported as ``credsite``. These tests read every module's
imports (top level and inside functions) and enforce the trust boundary:

- the trust core imports only itself and ``credsite.errors``, and never the file system;
- the content model never imports the issuer's operations, the build or the CLI;
- the build never imports the issuer's operations or the CLI;
- nothing but the issuer's operations and the CLI reaches the private-key module, not even
  through another module (the build and the verifier can run where no key exists).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "generator"
KEYS = "credsite.issuer.keys"
FILE_SYSTEM = {"os", "shutil", "tempfile", "glob", "io", "pathlib.Path"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("credsite", *parts))


def imports_of(path: Path) -> set[str]:
    """Every module or ``module.name`` that ``path`` imports, wherever the import statement is."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SOURCE.rglob("*.py")}
    return {name: {i for i in imports_of(path) if i in modules or i.startswith(("os", "pathlib"))
                   or i in FILE_SYSTEM or i.split(".")[0] in {"shutil", "tempfile", "glob", "io"}}
            for name, path in modules.items()}


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        for dep in graph.get(name, ()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Every import that breaks a rule of the module docstring, as ``importer -> imported``."""
    found = []
    for name, deps in sorted(graph.items()):
        for dep in sorted(deps):
            internal = dep.startswith("credsite")
            if name.startswith("credsite.trust") and (
                (internal and not dep.startswith(("credsite.trust", "credsite.errors")))
                or (not internal and (dep in FILE_SYSTEM or dep.split(".")[0] in FILE_SYSTEM))
            ):
                found.append(f"{name} -> {dep} (the trust core is pure)")
            if name.startswith("credsite.content") and dep.startswith(
                    ("credsite.issuer", "credsite.build", "credsite.cli")):
                found.append(f"{name} -> {dep} (the content model is below the build and issuer)")
            if name.startswith("credsite.build") and dep.startswith(("credsite.issuer", "credsite.cli")):
                found.append(f"{name} -> {dep} (the build needs no private key)")
        if not name.startswith(("credsite.issuer", "credsite.cli", "credsite.__main__")) \
                and KEYS in reachable(graph, name):
            found.append(f"{name} -> ... -> {KEYS} (only the issuer's side touches private keys)")
    return found


def test_the_package_keeps_its_import_rules() -> None:
    assert violations(import_graph()) == []


def test_the_subpackages_exist_as_documented() -> None:
    names = set(import_graph())
    for package in ("trust", "content", "issuer", "build", "cli"):
        assert f"credsite.{package}" in names
    assert {"credsite.trust.verify", "credsite.trust.dataintegrity", "credsite.content.status",
            "credsite.issuer.revocation", "credsite.build.pipeline", KEYS} <= names


@pytest.mark.parametrize(("graph", "expected"), [
    ({"credsite.build.pipeline": {"credsite.content.audit"},
      "credsite.content.audit": {"credsite.issuer.keys"}, KEYS: set()},
     ["credsite.build.pipeline -> ... -> credsite.issuer.keys",
      "credsite.content.audit -> credsite.issuer.keys (the content",
      "credsite.content.audit -> ... -> credsite.issuer.keys"]),
    ({"credsite.trust.verify": {"credsite.content.site"}},
     ["credsite.trust.verify -> credsite.content.site"]),
    ({"credsite.trust.did": {"pathlib.Path"}}, ["credsite.trust.did -> pathlib.Path"]),
    ({"credsite.build.render": {"credsite.cli.commands"}}, ["credsite.build.render -> credsite.cli"]),
])
def test_the_checker_finds_each_kind_of_violation(graph: dict[str, set[str]], expected: list[str]) -> None:
    found = violations(graph)
    assert len(found) == len(expected), found
    for line, start in zip(found, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_the_import_reader_sees_imports_inside_functions() -> None:
    # cli/commands.py imports the key module only inside its command functions
    source = (SOURCE / "cli" / "commands.py").read_text(encoding="utf-8")
    assert "\nfrom credsite.issuer import keys" not in source
    assert KEYS in imports_of(SOURCE / "cli" / "commands.py")


def subpackage_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Which sub-package imports which (``credsite.errors`` counts as one; the root package's
    ``__init__`` and ``__main__`` are left out)."""
    def part(name: str) -> str:
        return ".".join(name.split(".")[:2])

    edges: dict[str, set[str]] = {}
    for name, deps in graph.items():
        for dep in deps:
            if (dep in graph and part(dep) != part(name)
                    and not {part(name), part(dep)} & {"credsite", "credsite.__main__"}):
                edges.setdefault(part(name), set()).add(part(dep))
    return edges


def test_the_documented_import_graph_is_the_real_one() -> None:
    design = (SOURCE.parent / "docs" / "design.md").read_text(encoding="utf-8")
    section = design.split("## Package layout", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    documented = {left.strip(): {d.strip() for d in right.split(",")}
                  for left, right in (line.split("→") for line in section.strip().splitlines())}
    assert documented == subpackage_graph(import_graph())
