"""The parsed TOML data files kept in the user's cache folder (`toml_cache`): never stale,
never in the way."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from tanhung_cli import toml_cache

PACKAGE = Path(__file__).resolve().parent.parent / "tanhung_cli"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(toml_cache.ENV, str(folder))
    return folder


def _catalogue(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "area.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_is_parsed_once_then_read_from_the_cache(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _catalogue(tmp_path / "i18n", '[member.gone]\nvi = "Đã đi"\nen = "Gone"\n')
    assert toml_cache.load(path) == {"member": {"gone": {"vi": "Đã đi", "en": "Gone"}}}
    assert toml_cache.cached_path(path, cache).is_file()

    def no_parsing(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", no_parsing)
    assert toml_cache.load(path)["member"]["gone"]["en"] == "Gone"


def test_an_edited_catalogue_is_read_even_with_its_size_and_time_unchanged(
    tmp_path: Path, cache: Path
) -> None:
    path = _catalogue(tmp_path / "i18n", '[a.b]\nvi = "cũ"\nen = "old"\n')
    stamp = path.stat()
    assert toml_cache.load(path)["a"]["b"]["en"] == "old"
    path.write_text('[a.b]\nvi = "cũ"\nen = "new"\n', encoding="utf-8")  # same size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same time stamp
    assert path.stat().st_size == stamp.st_size
    assert toml_cache.load(path)["a"]["b"]["en"] == "new"
    assert toml_cache.load(path)["a"]["b"]["en"] == "new"  # and the cache now says so


def test_a_cache_that_cannot_be_written_or_read_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _catalogue(tmp_path / "i18n", '[a.b]\nvi = "x"\nen = "y"\n')
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv(toml_cache.ENV, str(blocker / "cache"))
    assert toml_cache.load(path) == {"a": {"b": {"vi": "x", "en": "y"}}}
    assert toml_cache.load(path) == {"a": {"b": {"vi": "x", "en": "y"}}}
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_a_damaged_cache_file_is_parsed_over(tmp_path: Path, cache: Path) -> None:
    path = _catalogue(tmp_path / "i18n", '[a.b]\nvi = "x"\nen = "y"\n')
    target = toml_cache.cached_path(path, cache)
    target.parent.mkdir(parents=True)
    for junk in (b"", b"\x00garbage", b"\xe9" * 40):
        target.write_bytes(junk)
        assert toml_cache.load(path)["a"]["b"]["en"] == "y"
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".part")]


def test_dates_are_parsed_every_time_and_never_lost(tmp_path: Path, cache: Path) -> None:
    path = _catalogue(tmp_path / "data", "[era]\nfrom = 2021-10-26\n")
    assert str(toml_cache.load(path)["era"]["from"]) == "2021-10-26"
    assert str(toml_cache.load(path)["era"]["from"]) == "2021-10-26"


def test_windows_line_ends_read_as_before(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "crlf.toml"
    path.write_bytes(b'[a]\r\nvi = """hai\r\ndong"""\r\n')
    assert toml_cache.load(path)["a"]["vi"] == "hai\ndong"  # parsed
    assert toml_cache.load(path)["a"]["vi"] == "hai\ndong"  # from the cache


@pytest.mark.parametrize("folder", ["i18n", "i18n/help", "vocab"])
def test_every_bundled_file_reads_the_same_through_the_cache(folder: str, cache: Path) -> None:
    for path in sorted((PACKAGE / folder).glob("*.toml")):
        parsed = tomllib.loads(path.read_text(encoding="utf-8"))
        assert toml_cache.load(path) == parsed  # parsed and kept
        assert toml_cache.load(path) == parsed  # from the cache
