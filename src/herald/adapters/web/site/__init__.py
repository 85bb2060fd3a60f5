"""The public wing: the knowledge-center pages, feeds, machine-readable documents, the
CSAF trusted-provider files, and the alert subscription pages anyone may use."""
