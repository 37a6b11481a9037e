"""Sharing the journal through git: sync, the field-level merge, history, doctor."""
