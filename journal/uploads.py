"""Limits on the import's uploads: the size of a file, and how many a person sends in an hour."""

from __future__ import annotations

import math
import time

from django.core.cache import cache
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

# Room for the multipart boundaries and the form's other fields around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file as soon as it is known to be larger than ``max_bytes``.

    Goes first in ``request.upload_handlers``; the later handlers never see a file it skips, so a
    large file is neither held in memory nor written to disk. ``too_large`` tells the view why the
    file is missing.
    """

    def __init__(self, request, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.declared_too_large = False
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared_too_large = content_length > self.max_bytes + MULTIPART_OVERHEAD
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.declared_too_large:
            self._skip()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            self._skip()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _skip(self):
        self.too_large = True
        raise SkipFile


class HourlyUploadLimit:
    """At most ``limit`` uploads per person in any hour (0: no limit).

    Counted in the default cache, as the API's throttles are: the times of the person's uploads in
    the last hour, under one key per user. With several processes and the default per-process
    cache each process counts on its own; a shared cache (CACHE_URL) makes it one count.
    """

    WINDOW = 3600  # seconds

    def __init__(self, user, limit: int):
        self.key = f"import-uploads:{user.pk}"
        self.limit = limit

    def _recent(self, now: float) -> list[float]:
        return [t for t in cache.get(self.key, []) if t > now - self.WINDOW]

    def wait_seconds(self) -> int:
        """0 if another upload may go ahead now; else the seconds until one may."""
        if self.limit <= 0:
            return 0
        now = time.time()
        recent = self._recent(now)
        if len(recent) < self.limit:
            return 0
        return max(1, math.ceil(recent[-self.limit] + self.WINDOW - now))

    def record(self) -> None:
        if self.limit <= 0:
            return
        now = time.time()
        cache.set(self.key, [*self._recent(now)[-self.limit :], now], timeout=self.WINDOW)
