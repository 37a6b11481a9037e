"""The HTML report in a real browser: headless Chromium (Debian's chromium package).

Skipped, with the reason, where Chromium is not installed; .ci/run installs it.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from mdmentor.resources import example_journal

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium); .ci/run installs it",
)

HOSTILE_NOTE = (
    "Notes <script>document.title='PWNED'</script> and "
    "<img src=x onerror=\"document.title='PWNED'\"> [link](javascript:alert(1))\n"
)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[bytes]:
    """Run headless Chromium with no network chatter, as the workplace notes advise."""
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )


def png_pixels(path: Path) -> bytes:
    """The decompressed image data of a PNG file (filter bytes included)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, []
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"IDAT":
            chunks.append(data[position + 8 : position + 8 + length])
        position += 12 + length
    return zlib.decompress(b"".join(chunks))


def test_example_progress_report_renders_non_blank(tmp_path: Path, run) -> None:
    report = tmp_path / "progress.html"
    result = run(
        "--journal",
        str(example_journal()),
        "report",
        "progress",
        "--format",
        "html",
        "-o",
        str(report),
        "--as-of",
        "2026-11-24",
    )
    assert result.exit_code == 0
    shot = tmp_path / "shot.png"
    chromium(
        "--window-size=1000,1400",
        f"--screenshot={shot}",
        report.as_uri(),
        profile=tmp_path / "profile",
    )
    pixels = png_pixels(shot)
    ink = sum(1 for b in pixels[::7] if b < 200)
    assert len(pixels) > 1_000_000
    assert ink > len(pixels[::7]) // 100, "the screenshot is (nearly) blank"


def test_script_in_a_note_does_not_run(journal: Path, tmp_path: Path, run) -> None:
    session = journal / "sessions/2026/2026-03-09-first-session.md"
    session.write_text(session.read_text() + HOSTILE_NOTE)
    report = tmp_path / "prep.html"
    result = run(
        "report",
        "prep",
        "--format",
        "html",
        "-o",
        str(report),
        "--as-of",
        "2026-03-10",
        cwd=journal,
    )
    assert result.exit_code == 0
    dom = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile").stdout.decode()
    assert "<title>Prep report: Test journal</title>" in dom
    assert "PWNED</title>" not in dom
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in dom
    assert 'onerror="document.title' not in dom.replace('&lt;img src=x onerror="document.title', "")
    assert 'href="javascript:' not in dom
