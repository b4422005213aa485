"""Alembic environment and revisions for the section's own tables only (ships in the wheel)."""
