"""Render generated .xlsx/.docx files through LibreOffice and read the PDF text back, so a test
checks what a user would see when opening the file. Skips when LibreOffice or pdftotext is
missing, except in CI (CI=true), where that fails: CI machines install them
(scripts/ensure-libreoffice.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def rendered_text(tmp_path: Path, files: dict[str, bytes]) -> dict[str, str]:
    """{file name: text of its PDF rendering (pdftotext -layout)} for `files` ({name: content})."""
    office, pdftotext = shutil.which("libreoffice"), shutil.which("pdftotext")
    if not (office and pdftotext):
        if os.environ.get("CI") == "true":
            pytest.fail("libreoffice and pdftotext are required in CI (scripts/ensure-libreoffice.sh)")
        pytest.skip("libreoffice or pdftotext is not installed (scripts/ensure-libreoffice.sh)")
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: no clash with another office
    subprocess.run(
        [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), *(str(tmp_path / name) for name in files)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    texts = {}
    for name in files:
        pdf = tmp_path / f"{Path(name).stem}.pdf"
        texts[name] = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
    return texts
