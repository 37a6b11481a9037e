"""The records: reading journal files, parsing, the schemas, checking, creating and listing."""
