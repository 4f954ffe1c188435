"""nbgrader's metadata validation with its schema checked once (autograder/nbgrader_schema.py):
a faster path must not accept what nbgrader rejects, nor word the rejection differently."""

from __future__ import annotations

import jsonschema
import pytest
from nbformat.v4 import new_code_cell
from nbgrader.nbgraderformat import MetadataValidator

import autograder.nbgrader_plugins  # noqa: F401 - installs the shared validation
from autograder import nbgrader_schema

pytestmark = [pytest.mark.grading, pytest.mark.ch09]

GOOD = {"grade": True, "solution": False, "locked": True, "grade_id": "t1", "points": 2}
BAD = [
    {**GOOD, "points": "two"},  # wrong type
    {**GOOD, "grade_id": 7},
    {**GOOD, "locked": "yes"},
]


def _cell(metadata: dict) -> object:
    return new_code_cell("x = 1", metadata={"nbgrader": {**metadata, "schema_version": 3}})


@pytest.mark.parametrize("metadata", BAD)
def test_nbgraders_validator_rejects_bad_metadata_with_jsonschemas_own_error(metadata):
    validator = MetadataValidator()
    cell = _cell(metadata)
    with pytest.raises(jsonschema.ValidationError) as expected:
        jsonschema.validate(cell.metadata["nbgrader"], validator.schema)
    with pytest.raises(jsonschema.ValidationError) as caught:
        validator.validate_cell(cell)  # through the installed shim
    assert caught.value.message == expected.value.message
    assert list(caught.value.path) == list(expected.value.path)


def test_good_metadata_passes_and_the_schema_is_checked_once(monkeypatch):
    nbgrader_schema._validator.cache_clear()
    checked = []
    original = jsonschema.Draft4Validator.check_schema.__func__

    def counting(cls, schema, *args, **kwargs):
        checked.append(cls)
        return original(cls, schema, *args, **kwargs)

    monkeypatch.setattr(jsonschema.Draft4Validator, "check_schema", classmethod(counting))
    validator = MetadataValidator()
    assert jsonschema.validators.validator_for(validator.schema) is jsonschema.Draft4Validator
    for _ in range(5):
        validator.validate_cell(_cell(GOOD))
    assert len(checked) == 1


def test_an_invalid_schema_is_still_refused():
    with pytest.raises(jsonschema.SchemaError):
        nbgrader_schema.validate({}, {"type": "no-such-type"})
