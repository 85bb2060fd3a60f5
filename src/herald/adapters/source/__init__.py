"""The YAML source format (schema ``herald/v1``): files <-> domain objects.

``load_paths`` reads files and folders into a ``SourceBundle``; ``write_bundle`` writes
one as ``publisher.yaml``, ``products/<id>.yaml`` and ``bulletins/<article_id>.yaml``;
``SourceTextSerializer`` writes one bulletin's text for the audit log.
Every problem in a file is one ``ValidationError`` reading ``file:line: field: message``.
"""

from herald.adapters.source.bundle import (
    PUBLISHER_KEY,
    Origin,
    SourceBundle,
    bulletin_key,
    product_key,
)
from herald.adapters.source.models import SCHEMA_V1
from herald.adapters.source.reader import MAX_FILE_BYTES, load_file, load_paths, source_files
from herald.adapters.source.schema import json_schema, json_schema_text
from herald.adapters.source.serializer import SourceTextSerializer
from herald.adapters.source.writer import (
    bundle_files,
    dump_bulletin,
    dump_product,
    dump_publisher,
    write_bundle,
)

__all__ = [
    "MAX_FILE_BYTES",
    "PUBLISHER_KEY",
    "SCHEMA_V1",
    "Origin",
    "SourceBundle",
    "SourceTextSerializer",
    "bulletin_key",
    "bundle_files",
    "dump_bulletin",
    "dump_product",
    "dump_publisher",
    "json_schema",
    "json_schema_text",
    "load_file",
    "load_paths",
    "product_key",
    "source_files",
    "write_bundle",
]
