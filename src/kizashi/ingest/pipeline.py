"""Reading in a second process: parsing and extraction run on one core while the loader writes on another.

Parsing JSON and building records is CPU work in Python; so are the SQL and Parquet writes. In one process they add
up; in two they overlap, which is what lets a large OpenAlex import keep up with plain JSON parsing
(benchmarks/ingest.py). The child only reads files; every write stays in the parent's one transaction, so the
all-or-nothing guarantee of an import is unchanged. A child whose parent dies is stopped by the broken pipe.
"""

from __future__ import annotations

import base64
import multiprocessing
import os
import pickle
import queue
import threading
from collections import deque
from dataclasses import asdict, dataclass
from datetime import date
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

import orjson
from sqlalchemy import Date

from kizashi.errors import InputError, KizashiError
from kizashi.files.limits import TooLarge
from kizashi.files.tabular import Row
from kizashi.ingest.loader import Parsed, content_hash
from kizashi.ingest.records import RowError
from kizashi.messages import Message
from kizashi.model import RECORD_KINDS

CHUNK = 256  # records per message: large enough to amortise pickling, small enough to keep both sides busy
INBOX_CHUNKS = 64  # messages buffered in the parent (about 50 MB of OpenAlex works)
AUTO_MIN_BYTES = 32 * 1024 * 1024

ReaderProcessMode = Literal["auto", "always", "never"]


def worth_a_process(paths: list[Path], mode: ReaderProcessMode) -> bool:
    """`auto`: with a spare core and inputs large enough that the start-up (a fraction of a second) pays off."""
    if mode != "auto":
        return mode == "always"
    if (os.cpu_count() or 1) < 2:
        return False
    return sum(path.stat().st_size for path in paths if path.is_file()) >= AUTO_MIN_BYTES


# The errors the child sends by name, so that the parent raises the same kind: a bad row goes on (RowError), a file
# over a limit keeps its 413 on the web (TooLarge); any other InputError as the nearest of these.
_SENT_ERRORS: dict[str, type[InputError]] = {kind.__name__: kind for kind in (InputError, RowError, TooLarge)}


@dataclass(frozen=True)
class _Failure:
    """An error in the child, sent as data: exceptions with keyword-only fields do not survive pickling intact."""

    kind: str  # a key of _SENT_ERRORS
    reason: Any  # see _as_data
    file: str | None
    row: int | None
    field: str | None

    @classmethod
    def of(cls, error: InputError) -> _Failure:
        where = error.location
        file = str(where.file) if where.file is not None else None
        kind = next(k.__name__ for k in type(error).__mro__ if k.__name__ in _SENT_ERRORS)
        return cls(kind, _as_data(error.reason), file, where.row, where.field)

    def error(self) -> InputError:
        kind = _SENT_ERRORS[self.kind]
        return kind(_from_data(self.reason), file=self.file, row=self.row, field=self.field)


def _as_data(text: str) -> Any:
    """A Message as JSON data: sent as its English alone, the reason could no longer be said in Japanese in the
    parent. Pickled (a Message pickles as its template and parameters): the child is this program's own."""
    if isinstance(text, Message):
        return {"pickled": base64.b64encode(pickle.dumps(text)).decode("ascii")}
    return text


def _from_data(data: Any) -> Any:
    if isinstance(data, dict):
        return pickle.loads(base64.b64decode(data["pickled"]))
    return data


class ReaderProcess:
    """An iterator of `(record, row)` read by `formats.readers` in a child process.

    Like the in-process readers it raises RowError for a bad row and goes on with the next; any other error ends it.
    Started on the first `next`, so it runs inside the loader's transaction; `close` stops it.
    """

    def __init__(self, kind: str, paths: list[Path]) -> None:
        self.kind = kind
        self.paths = paths
        self._process: BaseProcess | None = None
        self._inbox: queue.Queue[bytes | None] | None = None
        self._stop = threading.Event()
        self._drain: threading.Thread
        self._buffer: deque[Parsed | _Failure] = deque()
        table = RECORD_KINDS[kind].__table__
        self._date_columns = [column.name for column in table.columns if isinstance(column.type, Date)]
        self._finished = False

    def __iter__(self) -> ReaderProcess:
        return self

    def __next__(self) -> Parsed:
        while not self._buffer:
            if self._finished:
                self.close()
                raise StopIteration
            self._receive()
        item = self._buffer.popleft()
        if isinstance(item, _Failure):
            raise item.error()
        return item

    def _receive(self) -> None:
        if self._inbox is None:
            self._start()
        assert self._inbox is not None
        blob = self._inbox.get()
        if blob is None:
            self.close()
            raise KizashiError(Message("the reader process ended without finishing (out of memory?)"))
        tag, payload = orjson.loads(blob)
        if tag == "records":
            self._buffer.extend(self._decoded(item) for item in payload)
        elif tag == "failed":
            self._finished = True
            self._buffer.append(_Failure(**payload))
        elif tag == "crashed":
            self.close()
            raise KizashiError(Message("the reader process failed: {problem}", problem=payload))
        else:
            self._finished = True

    def _decoded(self, item: Any) -> Parsed | _Failure:
        if isinstance(item, dict):
            return _Failure(**item)
        values, file, number = item
        # JSON carries dates as text; the store wants dates back.
        for name in self._date_columns:
            value = values.get(name)
            if type(value) is str:
                values[name] = date.fromisoformat(value)
        return values, Row(Path(file), number, {})

    def _start(self) -> None:
        # fork shares the imported modules (no second start-up); elsewhere the platform's default.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context: Any = multiprocessing.get_context(method)
        receiver, sender = context.Pipe(duplex=False)
        _widen(receiver)
        process = context.Process(target=_produce, args=(self.kind, self.paths, sender, receiver), daemon=True)
        process.start()
        sender.close()
        self._process = process
        self._inbox = queue.Queue(maxsize=INBOX_CHUNKS)
        self._stop = threading.Event()
        # A pipe holds a few kilobytes: without a thread draining it, the child would wait whenever the parent is
        # busy writing a batch, and the two processes would take turns instead of running side by side.
        self._drain = threading.Thread(target=_drain, args=(receiver, self._inbox, self._stop), daemon=True)
        self._drain.start()

    def close(self) -> None:
        if self._process is not None:
            self._stop.set()
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
            self._drain.join()


def _widen(connection: Connection) -> None:
    """Give the pipe room for a whole message where the OS allows it (Linux: up to 1 MiB by default).

    With the default 64 KiB a message takes many reads, and between two reads the draining thread waits for the
    GIL, which the busy main thread hands over only every few milliseconds: the child would spend most of its time
    blocked on a full pipe.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is None:
        return
    for size in (4 * 1024 * 1024, 1024 * 1024):
        try:
            fcntl.fcntl(connection.fileno(), set_size, size)
            return
        except OSError:
            continue


def _drain(connection: Connection, inbox: queue.Queue[bytes | None], stop: threading.Event) -> None:
    """Move messages from the pipe to the inbox as they come; None marks the end of the pipe."""
    with connection:
        while not stop.is_set():
            try:
                blob: bytes | None = connection.recv_bytes()
            except (EOFError, OSError):
                blob = None
            while not stop.is_set():
                try:
                    inbox.put(blob, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if blob is None:
                return


def _produce(kind: str, paths: list[Path], connection: Connection, parents_end: Connection) -> None:
    from kizashi.ingest.formats import readers

    # A forked child holds a copy of the parent's end of the pipe; closed here, so that when the parent dies (even
    # by SIGKILL) the pipe breaks and this process stops at its next send instead of waiting forever.
    parents_end.close()

    def send(tag: str, payload: Any) -> None:
        connection.send_bytes(orjson.dumps((tag, payload)))

    # Records travel as JSON (several times faster than pickle both ways) with their content hash already taken,
    # which moves that work to this side too.
    chunk: list[Any] = []
    try:
        iterator = readers(kind, paths)
        while True:
            try:
                values, row = next(iterator)
            except StopIteration:
                break
            except RowError as error:
                chunk.append(asdict(_Failure.of(error)))
            else:
                values["content_hash"] = content_hash(values)
                chunk.append((values, str(row.file), row.number))
            if len(chunk) >= CHUNK:
                send("records", chunk)
                chunk = []
        send("records", chunk)
        send("done", None)
    except InputError as error:
        send("records", chunk)
        send("failed", asdict(_Failure.of(error)))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent is gone: nothing to do but stop
    except Exception as error:  # the parent turns this into an error of its own; no traceback is lost silently
        send("crashed", f"{type(error).__name__}: {error}")
    finally:
        connection.close()
