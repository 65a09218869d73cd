"""The build's threaded file writer: every queued file lands whole, and errors are not lost."""

from pathlib import Path

import pytest

from generator.writer import FileWriter


def test_every_file_is_written_whole_after_flush(tmp_path: Path) -> None:
    writer = FileWriter(threads=3)
    files = {tmp_path / f"{i}.bin": bytes([i % 251]) * (i * 97) for i in range(300)}
    for path, data in files.items():
        writer.write(str(path), data)
    writer.flush()
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == files
    writer.close()


def test_a_failed_write_is_raised_by_flush_and_later_writes_still_work(tmp_path: Path) -> None:
    writer = FileWriter()
    writer.write(str(tmp_path / "missing-folder" / "x.html"), b"x")
    writer.write(str(tmp_path / "ok.html"), b"ok")
    with pytest.raises(FileNotFoundError):
        writer.flush()
    assert (tmp_path / "ok.html").read_bytes() == b"ok"
    writer.write(str(tmp_path / "after.html"), b"after")
    writer.close()
    assert (tmp_path / "after.html").read_bytes() == b"after"
