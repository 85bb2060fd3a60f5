"""The ``SourceSerializer`` port: a bulletin as the text of its herald/v1 file.

The audit log keeps a bulletin's state before and after each change in this form, so a
reviewer reads the same YAML that ``herald export`` writes, and a diff of two states is
a diff of two files.
"""

from __future__ import annotations

from herald.adapters.source.writer import dump_bulletin
from herald.domain.bulletin import Bulletin


class SourceTextSerializer:
    """Writes bulletins as herald/v1 source text (``dump_bulletin``); stateless."""

    def bulletin(self, bulletin: Bulletin) -> str:
        """The text of ``bulletins/<article_id>.yaml``: the same bulletin, the same bytes."""
        return dump_bulletin(bulletin)
