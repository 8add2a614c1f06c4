"""Fixtures shared by the upload tests."""

import pytest


@pytest.fixture
def upload_temp_dir(tmp_path, settings):
    """Django's and our temporary upload files all go here, so a test can see leftovers."""
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def files(tmp_path):
    """A folder for the files a test uploads."""
    folder = tmp_path / "files"
    folder.mkdir()
    return folder
