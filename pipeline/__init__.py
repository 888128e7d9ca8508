"""Gujarati → English / Chinese localisation pipeline: segment, translate, localise, catalogue."""

__version__ = "0.1.0"
