"""The browser tests and course.py agree on where Chromium is and how to opt out."""

from __future__ import annotations

import pytest

from . import jupyterlab

pytestmark = pytest.mark.project


def test_same_chromium_and_variables_as_course_py(course):
    assert jupyterlab.CHROMIUM == course.CHROMIUM
    assert jupyterlab.CHROMIUM_ENV == course.CHROMIUM_ENV
    assert jupyterlab.ALLOW_NO_BROWSER_ENV == course.ALLOW_NO_BROWSER_ENV


def test_missing_chromium_message_says_how_to_install(tmp_path):
    with pytest.raises(jupyterlab.BrowserUnavailable) as raised:
        jupyterlab.chromium_executable({jupyterlab.CHROMIUM_ENV: str(tmp_path / "nothing")})
    message = str(raised.value)
    assert "sudo apt-get install chromium" in message
    assert "NNFS_ALLOW_NO_BROWSER=1" in message
    assert "python3 course.py test" in message


def test_chromium_flags_keep_it_off_the_network():
    for flag in (
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        assert flag in jupyterlab.CHROMIUM_ARGS
