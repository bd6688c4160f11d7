"""An uploaded file of a page's form, checked before any parsing: given, of a format the page reads, and within the
upload limit (`KIZASHI_MAX_UPLOAD_BYTES`, read one byte past it, never more). Parsing is the page's, off the event
loop."""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import FormData, UploadFile

from kizashi.errors import InputError
from kizashi.files.limits import Limits, over
from kizashi.files.tabular import suffix_of
from kizashi.messages import Message


async def uploaded_file(
    form: FormData, suffixes: tuple[str, ...], *, gzip: bool = False, missing: Message | None = None
) -> tuple[str, bytes]:
    """The form's `file`: its name (without any folder) and its bytes. InputError naming the field when it is
    missing (`missing`, else which formats to give), of another format (with `gzip`, looking through a trailing .gz),
    or over the limit."""
    wanted = Message("give a {suffixes} file", suffixes=", ".join(suffixes))
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError(missing or wanted, field="file")
    shown = Path(str(upload.filename)).name
    suffix = suffix_of(Path(shown)) if gzip else Path(shown).suffix.lower()
    if suffix not in suffixes:
        raise InputError(wanted, file=shown, field="file")
    limits = Limits.current()
    content = await upload.read(limits.upload_bytes + 1)
    if len(content) > limits.upload_bytes:
        raise over(limits, "upload_bytes", shown, Message("the file"), field="file")
    return shown, content
