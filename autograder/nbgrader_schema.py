"""nbgrader's cell-metadata validation, with its schema checked once per process.

nbgrader checks the ``nbgrader`` metadata of every cell with ``jsonschema.validate(metadata,
schema)``. That call first checks the *schema* against JSON Schema's metaschema, then builds a
validator, for every cell: in ``autograde``, twice per notebook (sanitizing, then grading), and
once more in ``nnfs-grade``'s own sanitizing ahead of nbgrader (:func:`autograder.dispatch.plan`).
Measured on the ch09 notebook (34 cells): one validation pass costs 0.031 s of CPU, 0.004 s
with the schema checked once, so about 0.08 s per submission over the three passes, for
nothing: the schema is nbgrader's own file, the same for the whole run.

:func:`install` makes nbgrader's validation check each schema once and reuse its validator.
Every cell is still validated against the same schema, and a bad cell raises the same
``jsonschema.ValidationError`` (the same ``best_match``) as before. It is installed by
:mod:`autograder.nbgrader_plugins`, which every course's ``nbgrader_config.py`` imports.
"""

from __future__ import annotations

import functools
import json
import types
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for


@functools.lru_cache(maxsize=16)
def _validator(schema_text: str):
    """A validator for the schema written as ``schema_text``, the schema checked once
    (``SchemaError`` if it is not a valid schema, as ``jsonschema.validate`` raises)."""
    schema = json.loads(schema_text)
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """``jsonschema.validate(instance, schema)`` for a schema seen before: the same outcome,
    without checking the schema again. The cache is keyed by the schema's content, so a schema
    changed in place is checked anew."""
    error = best_match(_validator(json.dumps(schema, sort_keys=True)).iter_errors(instance))
    if error is not None:
        raise error


class _Jsonschema(types.ModuleType):
    """``jsonschema`` as nbgrader's metadata module sees it: :func:`validate` replaced,
    everything else jsonschema's own."""

    def __getattr__(self, name: str) -> Any:
        return getattr(jsonschema, name)


def install() -> None:
    """Make nbgrader's metadata validators use :func:`validate` (idempotent)."""
    from nbgrader.nbgraderformat import common

    if isinstance(common.jsonschema, _Jsonschema):
        return
    shim = _Jsonschema("jsonschema")
    shim.validate = validate
    common.jsonschema = shim
