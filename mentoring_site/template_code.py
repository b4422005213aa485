"""Compiled templates kept on disk, so that a new worker does not compile them again.

Jinja turns each template into Python at its first use in every process: for the section's
home that was about 0.2 s of the 0.3 s a new worker took to answer it (a worker restarts after
a deploy, a crash or ``max_requests``). ``MENTORING_TEMPLATE_CACHE`` keeps the compiled code
the way Jinja's ``FileSystemBytecodeCache`` does (checked against the template source's
checksum, Jinja's and Python's versions), with two differences:

- the key holds the environment's compile options as well as the template's name and file:
  Jinja's own key is only the name and file, so two apps with different delimiters,
  extensions or autoescaping sharing one folder would run each other's code;
- a folder that cannot be read or written (a read-only container, a full disk, a damaged
  file) costs a compile and one line in the log, never an error page.

The host's own bytecode cache, where it has set one, is left alone.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import Environment
from jinja2.bccache import Bucket, FileSystemBytecodeCache


def _qualname(value: Any) -> str:
    return getattr(value, "__qualname__", None) or repr(value)


def compile_options(env: Environment, name: str | None) -> str:
    """What besides the source decides the Python Jinja makes of template ``name``."""
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    return repr((
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
        env.newline_sequence, env.keep_trailing_newline, env.optimized, env.is_async,
        bool(autoescape), sorted(env.extensions), _qualname(env.finalize),
        _qualname(type(env)), _qualname(env.code_generator_class),
    ))


class TemplateCode(FileSystemBytecodeCache):
    """``FileSystemBytecodeCache`` keyed by the compile options too, and never failing."""

    def __init__(self, directory: str, log: logging.Logger) -> None:
        super().__init__(directory, pattern="mentoring-%s.cache")
        self._log = log  # the app's: a host's logging setup may have silenced module loggers
        self._said = False

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        key = hashlib.sha1(
            f"{compile_options(environment, name)}|{name}|{filename}".encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception as error:  # a damaged or foreign file: compile as if there were none
            bucket.reset()
            self._say("не прочитан", error)

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            self._say("не записан", error)

    def _say(self, what: str, error: BaseException) -> None:
        if not self._said:  # once per app: a full disk would otherwise fill the log too
            self._said = True
            self._log.warning("Кэш скомпилированных шаблонов (%s) %s: %s; шаблоны "
                              "компилируются заново в каждом процессе.", self.directory, what,
                              error)


def folder(app: Flask) -> str | None:
    """The folder ``MENTORING_TEMPLATE_CACHE`` names: True, ``<instance folder>/
    mentoring-templates``; a path, that folder; False, none. Made (private to the site's
    user) where missing; None, with a line in the log, where it cannot be."""
    setting = app.config["MENTORING_TEMPLATE_CACHE"]
    if setting is False:
        return None
    path = Path(app.instance_path, "mentoring-templates") if setting is True else Path(setting)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError(f"нет права записи в {path}")
        mode = path.stat()
        # Its files are run as code: a folder others may write to would let them run theirs.
        if mode.st_uid != os.getuid() or mode.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise PermissionError("папка должна принадлежать пользователю сайта, и писать в "
                                  "неё не должен никто другой")
    except OSError as error:
        app.logger.warning("MENTORING_TEMPLATE_CACHE: папка %s недоступна (%s); шаблоны "
                           "компилируются заново в каждом процессе.", path, error)
        return None
    return str(path)


def install(app: Flask) -> None:
    """Keep the compiled templates of ``app`` (the section's and the host's: one environment)
    in the folder of ``MENTORING_TEMPLATE_CACHE``, unless the host has a cache of its own."""
    if app.jinja_env.bytecode_cache is not None:
        return
    directory = folder(app)
    if directory is not None:
        app.jinja_env.bytecode_cache = TemplateCode(directory, app.logger)
