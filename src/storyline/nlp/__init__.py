"""Sentence-level language analysis: parsing, quotes, claims and framing."""
