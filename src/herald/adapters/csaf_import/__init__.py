"""Reading another vendor's CSAF 2.0 advisory as a herald draft, and saying what was lost.

``read_source`` loads the file and validates it (schema and mandatory tests; an
invalid document is refused unless forced); ``plan_import`` maps the document onto
the stored catalog and publisher and returns a ``DraftImport`` whose report names
everything that could not be mapped. One module per part: ``products`` (the product
tree), ``vulnerabilities`` (CVEs, status, scores, severity, problem text), ``fixes``
(releases on channels and remediation texts), ``document_parts`` (notes, references,
history: the report), ``state`` (the plan the others fill in).
"""

from herald.adapters.csaf_import.mapping import plan_import
from herald.adapters.csaf_import.reading import (
    MAX_BYTES,
    SourceDocument,
    read_document,
    read_source,
)

__all__ = ["MAX_BYTES", "SourceDocument", "plan_import", "read_document", "read_source"]
