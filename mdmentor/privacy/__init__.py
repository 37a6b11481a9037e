"""Confidentiality: keys, encryption, who may read what, guard rails, retention, exports."""
