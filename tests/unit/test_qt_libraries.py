"""The window's system libraries: a missing one is named with the command that installs it."""

from __future__ import annotations

import pytest

from sclerochart import cli, qt_libraries

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /opt/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibweird.so.9 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_the_missing_libraries_are_read_from_ldd_each_once() -> None:
    assert qt_libraries.missing_libraries(LDD) == [
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libxkbcommon-x11.so.0",
        "libweird.so.9",
    ]


def test_the_advice_names_the_packages_for_debian_and_fedora() -> None:
    words = qt_libraries.advice(qt_libraries.missing_libraries(LDD))
    assert "sudo apt-get install -y libxcb-cursor0 libxcb-icccm4 libxkbcommon-x11-0" in words
    assert "sudo dnf install -y libxkbcommon-x11 xcb-util-cursor xcb-util-wm" in words
    assert "libweird.so.9" in words and "--help" in words


def test_offscreen_and_wayland_need_no_x11_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    for platform in ("offscreen", "wayland", "minimal"):
        monkeypatch.setenv("QT_QPA_PLATFORM", platform)
        assert qt_libraries.check() is None


def test_opening_the_window_without_them_says_what_to_install_and_loads_no_window(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(qt_libraries, "check", lambda: qt_libraries.advice(["libxcb-cursor.so.0"]))
    opened: list[str] = []

    def run_application(db: str, *, early: bool = False) -> int:
        opened.append(db)
        return 0

    monkeypatch.setattr("sclerochart.app.run_application", run_application)
    assert cli.main([]) == 1
    assert opened == []
    assert "sudo apt-get install -y libxcb-cursor0" in capsys.readouterr().err
