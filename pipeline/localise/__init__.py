"""Localise: everything between a Gujarati msgid and a finished translation."""
