"""Check a zip container (a .docx) from its central directory before anything is decompressed."""

from __future__ import annotations

import io
import zipfile

from bot.errors import ReadError

MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # a long annual report's document.xml is a few MB
MAX_ENTRIES = 2000


def check_zip(data: bytes, name: str, max_bytes: int = MAX_UNZIPPED_BYTES, max_entries: int = MAX_ENTRIES) -> None:
    """Refuse a zip whose entries would unpack to more than `max_bytes` or that has more than `max_entries`.
    The sizes come from the directory; Python's zipfile never inflates an entry beyond its declared size
    (it stops there and fails the CRC check), so a lying directory cannot get past this either."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            entries = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ReadError(f"{name} is not a valid .docx file (damaged zip: {exc}): re-save it from Word "
                        "or export it as PDF") from exc
    if len(entries) > max_entries:
        raise ReadError(f"{name} has {len(entries)} parts inside; the limit is {max_entries}: "
                        "this is not an ordinary report, re-save it from Word or export it as PDF")
    total = sum(e.file_size for e in entries)
    if total > max_bytes:
        raise ReadError(f"{name} would unpack to {total // (1024 * 1024)} MB; the limit is "
                        f"{max_bytes // (1024 * 1024)} MB: export the report as PDF or text instead")
