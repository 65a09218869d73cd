"""Reading YAML content files strictly: UTF-8 only, no duplicate keys, errors with line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from credsite.errors import ContentError


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (YAML 1.2 §3.2.1.1 requires unique keys)."""

    line_offset = 0  # lines of the file before the YAML text (front matter starts on line 2)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1 + getattr(loader, "line_offset", 0)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be plain text or a number", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key]})", key_node.start_mark
            )
        seen[key] = line
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node, deep=deep))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_text(path: Path) -> str:
    """A content file's text; ContentError if it is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(f"cannot read: {exc.strerror}", where=str(path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            f"not UTF-8 (byte {exc.start}); save the file as UTF-8", where=f"{path}:{line}"
        ) from None


def parse_yaml(text: str, where: str, line_offset: int = 0) -> Any:
    """Parse YAML text strictly; errors name ``where`` and the line."""
    loader = _StrictLoader(text)
    loader.line_offset = line_offset  # so "first at line N" counts lines of the whole file
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1 + line_offset}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise ContentError(f"{problem}; fix the YAML", where=f"{where}{line}") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"invalid YAML: {exc}", where=where) from None
    finally:
        loader.dispose()


def load_yaml_file(path: Path) -> Any:
    return parse_yaml(read_text(path), str(path))


def split_front_matter(path: Path) -> tuple[dict[str, Any], str, int]:
    """(front matter, Markdown body, line number where the body starts) of a ``---`` file."""
    text = read_text(path)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError("must start with '---' and YAML front matter", where=f"{path}:1")
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            meta = parse_yaml("".join(lines[1:i]), str(path), line_offset=1)
            if not isinstance(meta, dict):
                raise ContentError("front matter must be a YAML mapping", where=f"{path}:2")
            return meta, "".join(lines[i + 1 :]), i + 2
    raise ContentError("front matter is not closed with '---'", where=f"{path}:1")
