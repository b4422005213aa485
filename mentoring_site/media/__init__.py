"""Uploaded files: what a file really is (filetypes), pictures re-encoded (images),
storage on disk (storage)."""
