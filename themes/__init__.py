"""Themes shipped with the section: one folder each, with templates/ and static/."""
