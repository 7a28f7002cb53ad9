"""Shared fixtures: a temporary registry and a runner for the `tanhung` command."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

# Rich reads these when it sizes tables: pin them so output does not depend on
# the terminal the tests run in.
os.environ["COLUMNS"] = "200"
os.environ["LINES"] = "50"
os.environ.pop("TANHUNG_LANG", None)
os.environ.pop("TANHUNG_CLERK", None)

from typer.testing import CliRunner, Result  # noqa: E402

from tanhung_cli import db, i18n, migrations, registry_file  # noqa: E402
from tanhung_cli.cli import app  # noqa: E402
from tanhung_cli.db import open_db  # noqa: E402
from tanhung_cli.storage import uri  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_migrations: build new registries by running every migration"
    )


@pytest.fixture(scope="session")
def parsed_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's cache of parsed TOML files: not the user's, not in a test's folder."""
    return tmp_path_factory.mktemp("parsed-cache")


@pytest.fixture(autouse=True)
def _isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed_cache: Path
) -> Iterator[None]:
    """Each test gets its own default registry and starts in Vietnamese."""
    monkeypatch.setenv("TANHUNG_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TANHUNG_CACHE_DIR", str(parsed_cache))  # parsed catalogues (toml_cache)
    i18n.set_lang("vi")
    yield
    i18n.set_lang("vi")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry created and migrated once for the whole session."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_db(path).close()
    return path


@pytest.fixture(autouse=True)
def _new_registries_copy_the_template(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, migrated_template: Path
) -> None:
    """A registry a test creates is still created for real (`registry_file.create_registry`:
    a hidden owner-only file linked into place), but its schema is copied from the migrated
    template instead of built by every migration: ~10 ms a registry, paid by most tests.
    Tests that change the migrations (a patched ``count``) or opt out with
    ``@pytest.mark.real_migrations`` run them."""
    if request.node.get_closest_marker("real_migrations"):
        return
    real_upgrade = db.upgrade

    def upgrade(conn: sqlite3.Connection, path: Path) -> None:
        fresh = Path(path).name.startswith(registry_file.NEW_PREFIX)
        if not fresh or conn.execute("PRAGMA user_version").fetchone()[0] != 0:
            real_upgrade(conn, path)
            return
        with closing(sqlite3.connect(uri(migrated_template), uri=True)) as template:
            if template.execute("PRAGMA user_version").fetchone()[0] != migrations.count():
                real_upgrade(conn, path)
                return
            template.backup(conn)

    monkeypatch.setattr(db, "upgrade", upgrade)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Tân Hùng sample registry, built once: read it, or copy it to change it."""
    from tanhung_cli import sample

    path = tmp_path_factory.mktemp("sample") / "tanhung.db"
    conn = open_db(path)
    sample.load_sample(conn)
    conn.close()
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "registry.db"


@pytest.fixture
def conn(db_path: Path):  # type: ignore[no-untyped-def]
    connection = open_db(db_path)
    yield connection
    connection.close()


Run = Callable[..., Result]


@pytest.fixture
def run(db_path: Path) -> Run:
    """Invoke `tanhung --db <temp> ARGS…` and return the result."""
    runner = CliRunner()

    def invoke(*args: str, lang: str | None = None, input: str | None = None) -> Result:
        words = ["--db", str(db_path)]
        if lang:
            words += ["--lang", lang]
        result = runner.invoke(app, [*words, *args], input=input)
        i18n.set_lang("vi")
        return result

    return invoke


@pytest.fixture
def branches(run: Run) -> None:
    """Two hamlet branches and a sector branch."""
    for name, kind in (("Ấp Chợ", "hamlet"), ("Ấp Te Te 1", "hamlet"), ("Trường THCS", "sector")):
        assert run("branch", "add", name, "--kind", kind).exit_code == 0


DIEM = (
    "--name", "Nguyễn Thị Kiều Diễm", "--gender", "Nữ", "--born", "12/03/1975",
    "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "19/05/2000",
    "--official", "19/05/2001", "--card", "01234567", "--cccd", "084175000123",
)  # fmt: skip


def valid_cccd(serial: int, woman: bool, born_year: int) -> str:
    """A CCCD whose digits agree with the person (TT 59/2021/TT-BCA art. 7): Trà Vinh (084),
    century and sex, year of birth, then ``serial`` (unique below a million)."""
    return f"084{(born_year // 100 - 19) * 2 + woman}{born_year % 100:02d}{serial % 10**6:06d}"


def option_list(base: tuple[str, ...], **changes: str | None) -> list[str]:
    """``base`` options with some replaced (value) or dropped (None)."""
    out = list(base)
    for key, value in changes.items():
        flag = "--" + key.replace("_", "-")
        if flag in out:
            i = out.index(flag)
            del out[i : i + 2]
        if value is not None:
            out += [flag, value]
    return out


@pytest.fixture(params=["in one process", "in workers"])
def either_import_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the test's imports in this process, then as a large file: in worker processes,
    in blocks of a few rows, staged in SQLite files (`importer.staging`)."""
    if request.param == "in workers":
        from tanhung_cli.importer import machinery, staging

        monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(staging, "BLOCK_BYTES", 64)
        monkeypatch.setattr(staging, "CHUNK_ROWS", 2)
