"""Checking a large file on every core, before the registry is locked.

The main process cuts a text file into blocks of whole records, without decoding it (a
workbook or a UTF-16 file it reads itself, in chunks of rows), and hands them to worker
processes (`pool`). A worker reads its block, checks each row with the import's validator,
and writes the records and the problems into a staging database of its own, in a private
temporary folder (`worker`); it sends back only where they are. The main process then
takes the write lock, attaches the staging files and copies them in, in file order
(`staged`): the copying is SQLite's, not Python's, and nothing crosses between processes
row by row.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator

from tanhung_cli import csv_records, scratch, tabular
from tanhung_cli.csv_records import NoRecordEnd
from tanhung_cli.errors import FileProblem
from tanhung_cli.importer import pool, worker
from tanhung_cli.importer.staged import Checked, Staging
from tanhung_cli.importer.worker import Job, NoScratch
from tanhung_cli.table import Row, Table

BLOCK_BYTES = 256 << 10  # ~2,500 member rows: what a worker holds at once stays small
MAX_WORKERS = 8  # their staging files are attached at once: SQLite attaches at most 10
PREFIX = "tanhung-import-"  # a staging folder: PREFIX, the importing process's id, "-", …
CHUNK_ROWS = 2000  # rows a chunk carries when the main process reads them itself


def row_chunks(rows: Iterator[Row]) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        # Plain tuples: a worker receives them three times faster than named ones.
        chunk.append(tuple(row))  # type: ignore[arg-type]
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def stage_file(
    table: Table,
    check: Callable[[list[Row]], Checked],
    workers: int,
    progress: Callable[[int, int | None], None] | None = None,
    width: int = 0,
) -> Staging:
    """Check every row of ``table`` in ``workers`` processes (fork) into staging files.

    ``width``: the longest record the check makes (0: records all have one length).
    """
    try:
        folder = scratch.make(PREFIX)  # private (0700); a killed import's are swept first
    except OSError as exc:
        raise FileProblem("import.no_scratch", folder=tempfile.gettempdir(), reason=exc) from None
    try:
        worker.job = Job(check, table.encoding, table.separator or ",", folder, width)
        try:
            if table.data_start is not None:
                blocks = csv_records.blocks(table, BLOCK_BYTES)
                return Staging(
                    folder, pool.run(blocks, workers, table.size, progress), table.header_line
                )
        except NoRecordEnd:
            # Quotes the cutting cannot follow: the csv reader cuts the file into rows.
            for leftover in folder.iterdir():
                leftover.unlink()
            table = tabular.open_table(table.path, table.encoding)
        chunks = ((chunk, table.position()) for chunk in row_chunks(table.rows))
        return Staging(folder, pool.run(chunks, workers, table.size, progress), table.header_line)
    except NoScratch as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise FileProblem("import.no_scratch", folder=folder.parent, reason=exc) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        worker.job = None
