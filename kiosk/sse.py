"""A small Server-Sent Events parser (the WHATWG rules the kiosk needs: event, data, id, comments).

Why not a library: the kiosk reads one stream shape from one server, and a 40-line parser that is tested
against split lines, multi-line data and comments is easier to trust than another dependency.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServerEvent:
    event: str
    data: str
    id: str | None = None

    def json(self) -> Any:
        """The data as JSON; plain text comes back as a string."""
        try:
            return json.loads(self.data)
        except ValueError:
            return self.data


def parse_sse(lines: Iterable[str]) -> Iterator[ServerEvent]:
    """Turn the stream's lines (without their line endings) into events; a blank line ends an event."""
    event, data, last_id = "message", [], None
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if data:
                yield ServerEvent(event, "\n".join(data), last_id)
            event, data = "message", []
            continue
        if line.startswith(":"):
            continue  # comment / keep-alive
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            event = value or "message"
        elif field == "data":
            data.append(value)
        elif field == "id":
            last_id = value
    if data:  # a stream that ends without the final blank line still delivers its last event
        yield ServerEvent(event, "\n".join(data), last_id)
