"""The one renderer: every list and report the registry shows or writes. No queries here.

- ``values``: the one formatter of values (dates, numbers, percentages, money,
  vocabulary labels) in the clerk's language;
- ``terminal``: rich tables, and the one-pass grid for long lists;
- ``writers``: JSON and CSV of records (CSV through ``csvout``, the one CSV writer);
- ``sheet`` and ``charts``: a report in every format (terminal, CSV, Markdown, HTML, JSON);
- ``xlsx``: a workbook of rows;
- ``formats``: the one ``Format`` enum, and the subsets commands accept.

Commands pass data here; none formats on its own.
"""

from tanhung_cli.render.formats import Format
from tanhung_cli.render.terminal import grid, table, terminal_width
from tanhung_cli.render.writers import csv_text, to_csv, to_json

__all__ = ["Format", "csv_text", "grid", "table", "terminal_width", "to_csv", "to_json"]
