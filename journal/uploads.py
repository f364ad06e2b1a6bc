from __future__ import annotations

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
