"""Segment: the Gujarati sentence splitter, its word lists and the limits a source must keep."""
