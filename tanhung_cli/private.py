"""Files that hold personal data (Decree 13/2023) are readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path


def create_private(path: Path) -> None:
    """Create or empty ``path`` as an owner-only file, before anything is written to it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    # O_CREAT leaves the mode of a file that was already there as it was.
    os.chmod(path, 0o600)
