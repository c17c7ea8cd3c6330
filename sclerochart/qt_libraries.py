"""Before the window opens on Linux: are the system libraries Qt's X11 platform needs installed?

Without them Qt aborts with its own message ("could not load the Qt platform plugin xcb") and no hint of
what to install. This reads the shared libraries the xcb plugin and its Qt library need (`ldd`), and names
the missing ones with the command that installs them on Debian/Ubuntu and on Fedora.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

# Library file -> (Debian/Ubuntu package, Fedora package).
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def missing_libraries(ldd_output: str) -> list[str]:
    """The library files `ldd` reported as not found, in order, each once."""
    found: list[str] = []
    for name in _NOT_FOUND.findall(ldd_output):
        if name not in found:
            found.append(name)
    return found


def advice(missing: list[str]) -> str:
    """What to tell the user: the missing libraries and the commands that install them."""
    debian = sorted({PACKAGES[name][0] for name in missing if name in PACKAGES})
    fedora = sorted({PACKAGES[name][1] for name in missing if name in PACKAGES})
    unknown = [name for name in missing if name not in PACKAGES]
    lines = [
        "ScleroChart cannot open its window: this computer lacks system libraries that the window needs "
        f"({', '.join(missing)}).",
        "Ask whoever looks after this computer to install them, then start ScleroChart again:",
    ]
    if debian:
        lines.append(f"  Debian or Ubuntu:  sudo apt-get install -y {' '.join(debian)}")
    if fedora:
        lines.append(f"  Fedora:            sudo dnf install -y {' '.join(fedora)}")
    if unknown:
        lines.append(f"  (and the package that provides {', '.join(unknown)} on this system)")
    lines.append("The command line (sclerochart --help) works without them.")
    return "\n".join(lines)


def _plugin_files() -> list[Path]:
    """The xcb platform plugin and the Qt library it loads, as installed with PySide6."""
    try:
        import PySide6  # the package only: no Qt library is loaded yet
    except ImportError:
        return []
    qt = Path(PySide6.__file__).parent / "Qt"
    candidates = [qt / "plugins" / "platforms" / "libqxcb.so", *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))]
    return [path for path in candidates if path.exists()][:2]


def wants_xcb() -> bool:
    """Whether Qt would use its X11 platform: Linux, and no other platform chosen (offscreen, wayland…)."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    return chosen in ("", "xcb") or chosen.startswith("xcb:")


def check() -> str | None:
    """The advice when libraries the window needs are missing; None when all are there (or it cannot tell)."""
    if not wants_xcb():
        return None
    import shutil  # not loaded when the window is not on X11
    import subprocess

    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    missing: list[str] = []
    for path in _plugin_files():
        done = subprocess.run([ldd, str(path)], capture_output=True, text=True, check=False)
        for name in missing_libraries(done.stdout):
            if name not in missing:
                missing.append(name)
    return advice(missing) if missing else None


def main() -> int:
    """`python -m sclerochart.qt_libraries`: say what is missing (exit 1) or nothing (exit 0)."""
    problem = check()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
