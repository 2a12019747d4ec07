"""A JSON document's one big array read item by item, in bounded memory.

Responses are a list of games (``[...]``) or an object holding one (``{"data": [...]}``,
``{"games": [...]}``). Each item is decoded with the standard library's own decoder
(``json.JSONDecoder.raw_decode``) from a window of the file, so an item means what
``json.loads`` makes of it (``NaN``, ``1e309`` and lone surrogates arrive as values for the
importer's checks to reject per record); the window holds one item at a time, at most
`max_item_bytes`, whatever the file's size. The wrapper's other values are kept in `fields`.

Why not a streaming parser library: ijson's C backend crashes the process on an integer of
5,000 digits, turns a lone surrogate into "?" silently and refuses a whole file for one
``NaN``; this reads exactly what the importers read before, one item at a time.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from betdb.importers.records import refuse_wide_encodings
from betdb.importers.report import ImportFileError
from betdb.importers.values import MAX_DEPTH

MAX_ITEM_BYTES = 16 << 20
"""The largest item (a game with every book) read, by default: 16 MiB, where a real one is
a few kilobytes."""
CHUNK = 1 << 20
WHITESPACE = " \t\n\r"
CUT_TOKEN = 16
"""Characters of a token a chunk's end may cut (-Infinity, an escape), beyond which an error
is the text's own."""
DECODER = json.JSONDecoder()


class JsonWindow:
    """The decoded text of a file from the current position on, read a chunk at a time."""

    def __init__(self, path: Path, stream: IO[bytes], limit: int) -> None:
        self.path = path
        self.stream = stream
        self.limit = limit
        self.text = ""
        self.pos = 0
        self.eof = False
        self.lines = 0
        """Line breaks in the text already dropped (for a position's line number)."""
        self.columns_before = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.bytes_read = 0
        self.first = True

    def fill(self) -> bool:
        """Read one more chunk; False at the end of the file."""
        if self.eof:
            return False
        data = self.stream.read(CHUNK)
        if self.first:
            refuse_wide_encodings(self.path, data)
            data = data.removeprefix(codecs.BOM_UTF8)
            self.first = False
        try:
            self.text += self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            before = data[: error.start]
            line = self.lines + self.text.count("\n") + before.count(b"\n") + 1
            if b"\n" in before:
                column = error.start - before.rfind(b"\n")
            else:
                tail = self.text[self.text.rfind("\n") + 1 :]
                width = len(tail.encode("utf-8", "surrogatepass"))
                column = (0 if "\n" in self.text else self.columns_before) + width + len(before) + 1
            raise ImportFileError(
                self.path,
                f"not UTF-8: byte 0x{data[error.start]:02X} (a Latin-1 file? save it as UTF-8)",
                line=line,
                column=column,
            ) from None
        self.bytes_read += len(data)
        if not data:
            self.eof = True
        return bool(data)

    def compact(self) -> None:
        """Drop the text already read, counting its lines."""
        if self.pos:
            dropped = self.text[: self.pos]
            breaks = dropped.count("\n")
            self.lines += breaks
            self.columns_before = (
                len(dropped) - dropped.rfind("\n") - 1
                if breaks
                else self.columns_before + len(dropped)
            )
            self.text = self.text[self.pos :]
            self.pos = 0

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end), not consumed."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            self.compact()
            if not self.fill():
                return ""

    def expect(self, allowed: str, what: str) -> str:
        found = self.peek()
        if not found or found not in allowed:
            self.fail(f"expecting {what}", self.pos, truncated=not found)
        self.pos += 1
        return found

    def value(self) -> object:
        """The next JSON value, decoded whole (at most `limit` characters)."""
        self.peek()
        self.compact()
        while True:
            try:
                value, end = DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                # Only an error near the window's end (or in a string) may be a cut item.
                cut = error.pos + CUT_TOKEN >= len(self.text) or error.msg.startswith(
                    "Unterminated string"
                )
                if cut and len(self.text) - self.pos > self.limit:
                    self.fail(f"an item is over the limit of {self.limit:,} bytes", self.pos)
                if cut and self.fill():
                    continue
                self.fail(error.msg, error.pos, truncated=cut)
            except RecursionError:
                self.fail(f"JSON nested deeper than {MAX_DEPTH} levels", self.pos)
            except ValueError as error:  # an integer of more digits than Python converts
                self.fail(f"not JSON betdb reads: {error}", self.pos)
            # A number or word at the end of the window may go on in the next chunk.
            if end == len(self.text) and not self.eof and self.fill():
                continue
            self.pos = end
            return value

    def fail(self, problem: str, pos: int, *, truncated: bool = False) -> None:
        before = self.text[:pos]
        line = self.lines + before.count("\n") + 1
        column = pos - before.rfind("\n") if "\n" in before else self.columns_before + pos + 1
        hint = " (truncated?)" if truncated and self.eof else ""
        raise ImportFileError(
            self.path, f"not valid JSON: {problem}{hint}", line=line, column=column
        )


class JsonStream:
    """The items of the array a document is, or holds under one of `keys`; see the module."""

    def __init__(
        self, path: Path, *, keys: tuple[str, ...] = (), max_item_bytes: int = MAX_ITEM_BYTES
    ) -> None:
        self.path = path
        self.keys = keys
        self.max_item_bytes = max_item_bytes
        self.shape = ""
        """What the document is: "array", "object", or the JSON type of a lone value."""
        self.found: str | None = None
        """Where the array was: "" for the document itself, else its key; None if nowhere."""
        self.fields: dict[str, object] = {}
        """The wrapper object's other values."""

    def __iter__(self) -> Iterator[object]:
        with self.path.open("rb") as stream:
            window = JsonWindow(self.path, stream, self.max_item_bytes)
            first = window.peek()
            if first == "[":
                self.shape, self.found = "array", ""
                yield from self._items(window)
            elif first == "{":
                self.shape = "object"
                yield from self._object(window)
            else:
                value = window.value()
                self.shape = type(value).__name__
            if window.peek():
                window.fail("extra data after the document", window.pos)

    def _object(self, window: JsonWindow) -> Iterator[object]:
        window.expect("{", "{")
        if window.peek() == "}":
            window.pos += 1
            return
        while True:
            if window.peek() != '"':
                window.fail("expecting a property name in double quotes", window.pos)
            key = window.value()
            assert isinstance(key, str)
            window.expect(":", "':'")
            if key in self.keys and self.found is None and window.peek() == "[":
                self.found = key
                yield from self._items(window)
            else:
                self.fields[key] = window.value()
            if window.expect(",}", "',' or '}'") == "}":
                return

    def _items(self, window: JsonWindow) -> Iterator[object]:
        window.expect("[", "[")
        if window.peek() == "]":
            window.pos += 1
            return
        while True:
            yield window.value()
            if window.expect(",]", "',' or ']'") == "]":
                return
