"""Text from files and APIs made safe to print on a terminal, in a log or in Markdown.

File names and values come from strangers: an ESC sequence in a file name could
repaint a terminal, a bidi override could reorder what a reviewer reads, and a
Markdown link or @mention in a Hub licence tag could turn a pull request's body
into someone else's message. Everything shown passes through one of these.
"""

from __future__ import annotations

import re
import unicodedata

#: C0 and C1 controls, DEL, and the bidi and zero-width format characters.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


def printable(text: str) -> str:
    """`text` with control, bidi, zero-width and surrogate characters shown as escapes."""
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def is_unsafe(char: str) -> bool:
    """True for a character `printable` escapes (or any other unassigned format character)."""
    return bool(_UNSAFE.match(char)) or unicodedata.category(char) == "Cf"


def md_code(text: str) -> str:
    """`text` as one inert Markdown code span: no links, images, HTML, emphasis or @mentions.

    The fence is one backtick longer than the longest run of backticks inside, and
    the text is padded with spaces when it starts or ends with a backtick, as
    CommonMark requires; line breaks and controls are escaped first.
    """
    safe = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", safe)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if safe.startswith("`") or safe.endswith("`") or not safe.strip() else ""
    return f"{fence}{pad}{safe}{pad}{fence}"
