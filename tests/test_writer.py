"""The build's file writer: every file lands whole, replacing what was there."""

from pathlib import Path

import pytest

from credsite.build.writer import write_file


@pytest.mark.parametrize("size", [0, 1, 4096, 3_000_000])
def test_a_file_is_written_whole_and_replaces_a_longer_one(tmp_path: Path, size: int) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"x" * (size + 100))
    data = bytes(i % 251 for i in range(size))
    write_file(str(path), data)
    assert path.read_bytes() == data


def test_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_file(str(tmp_path / "missing" / "page.html"), b"x")
