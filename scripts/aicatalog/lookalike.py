"""Names and URLs that look the same are the same, for duplicate checks.

A second entry for a project must not slip in as `PyТorch` (a Cyrillic Т), as
`Py\u200bTorch` (a zero-width space), or with a homepage that differs only by a
trailing dot on the host, an empty query or fragment, `.git` or `#readme`.
`name_key` and `url_key` fold all of that away; `name_problem` refuses the
invisible characters in a name outright, since no project's name needs them.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from .urls import canonical

#: Letters of other scripts that look like Latin ones (lower case: keys are casefolded).
#: After Unicode's confusables list, for the Cyrillic and Greek letters that pass for Latin.
_CONFUSABLE = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "һ": "h", "і": "i", "ї": "i",
        "ј": "j", "к": "k", "л": "n", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p",
        "с": "c", "т": "t", "у": "y", "ф": "f", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q",
        "ԝ": "w", "ь": "b", "ѵ": "v", "г": "r", "и": "u", "ӏ": "l",
        # Greek
        "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k",
        "μ": "u", "ν": "v", "ο": "o", "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u",
        "χ": "x", "ω": "w",
        # Latin look-alikes
        "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ℓ": "l",
    }
)  # fmt: skip

#: Bidi controls (embeddings, overrides, isolates, marks) and zero-width characters.
_INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u180e\u00ad"
)


def _invisible(char: str) -> bool:
    return char in _INVISIBLE or unicodedata.category(char) == "Cf"


def name_problem(name: str) -> str | None:
    """Why a display name is refused for its invisible characters, or None."""
    found = sorted({f"U+{ord(c):04X}" for c in name if _invisible(c)})
    if not found:
        return None
    return f"must not contain bidi controls or zero-width characters ({', '.join(found)})"


def name_key(name: str) -> str:
    """What two names that look the same have in common (for duplicate checks only)."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(c for c in text if not _invisible(c))
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.translate(_CONFUSABLE).split())


def url_key(url: str) -> str:
    """What two URLs of the same page have in common (for duplicate checks only).

    On top of urls.canonical: no trailing dot on the host, no default port, no
    empty query, no fragment (`#readme`, `#`), no `.git` and no trailing slash.
    """
    folded = canonical(url)
    try:
        parts = urlsplit(folded)
        host = (parts.hostname or "").rstrip(".").removeprefix("www.")
        port = parts.port
    except ValueError:
        return folded
    netloc = host if port in (None, 443 if parts.scheme == "https" else 80) else f"{host}:{port}"
    path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{netloc}{path}{query}"
