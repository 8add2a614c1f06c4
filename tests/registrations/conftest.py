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


@pytest.fixture
def body_dir(tmp_path, settings):
    """nginx's client_body_temp_path, believed from 127.0.0.1 (the test client's address);
    used by the upload handoff tests, with and without a real nginx."""
    folder = tmp_path / "nginx-body"
    folder.mkdir()
    settings.UPLOAD_BODY_DIR = str(folder)
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    return folder
