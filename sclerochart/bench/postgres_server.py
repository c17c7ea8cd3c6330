"""A throwaway PostgreSQL server on 127.0.0.1, started from the server binaries: for the tests and the benchmarks."""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

MISSING_REASON = "PostgreSQL server binaries not found: apt-get install postgresql (Debian/Ubuntu)"
SUPERUSER = "postgres"
_PREFIX = "sclerochart-pg-"
_OWNER_FILE = "owner.pid"  # the process that started the server, to find servers left by a killed run
_SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
# Durability is worthless for a server that lives as long as one test run.
_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


def find_server_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: Debian's newest /usr/lib/postgresql/N/bin, else the PATH."""
    debian = Path("/usr/lib/postgresql")
    versions = sorted(
        (entry for entry in debian.glob("*/bin") if entry.parent.name.isdigit()),
        key=lambda entry: int(entry.parent.name),
        reverse=True,
    )
    candidates = [*versions]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in _SERVER_BINARIES):
            return folder
    return None


@dataclass(frozen=True)
class _Account:
    """The unprivileged account the server runs as when the tests run as root (initdb and postgres refuse root)."""

    name: str
    uid: int
    gid: int


def _server_account() -> _Account | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return _Account(name, entry.pw_uid, entry.pw_gid)
    raise RuntimeError(
        "Running as root, but there is neither a 'postgres' nor a 'nobody' account to run PostgreSQL as."
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _temp_parent(account: _Account | None) -> str:
    """A folder for the server's own: the system temp folder, if the server's account can pass through it."""
    parent = tempfile.gettempdir()
    if account is None:
        return parent
    for folder in (Path(parent), *Path(parent).parents):
        if not folder.stat().st_mode & stat.S_IXOTH:
            return "/tmp"  # e.g. a TMPDIR under /root, which the postgres account may not enter
    return parent


@dataclass
class PostgresServer:
    """A running throwaway server: the superuser connects over 127.0.0.1 without a password (trust)."""

    bin_dir: Path
    base_dir: Path
    port: int
    account: _Account | None
    startup_seconds: float = 0.0
    _admin: psycopg.Connection[tuple[object, ...]] | None = None
    _counter: Iterator[int] = field(default_factory=itertools.count)

    @property
    def data_dir(self) -> Path:
        """The cluster's data folder."""
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        """The server's log, worth reading when it would not start."""
        return self.base_dir / "server.log"

    @classmethod
    def start(cls, bin_dir: Path) -> PostgresServer:
        """Make a new cluster in a temp folder and start it on a free port of 127.0.0.1."""
        began = time.perf_counter()
        account = _server_account()
        parent = _temp_parent(account)
        cls._stop_leftovers(bin_dir, Path(parent), account)
        base_dir = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=parent))
        (base_dir / _OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
        if account is not None:
            os.chown(base_dir, account.uid, account.gid)
        server = cls(bin_dir, base_dir, 0, account)
        try:
            server._initdb()
            server._start_on_a_free_port()
            server._admin = psycopg.connect(server.url("postgres"), autocommit=True)
        except BaseException:
            server.stop()
            raise
        atexit.register(server.stop)  # should the session end without its finaliser
        server.startup_seconds = time.perf_counter() - began
        return server

    @classmethod
    def _stop_leftovers(cls, bin_dir: Path, parent: Path, account: _Account | None) -> None:
        """Stop and remove the servers of earlier test runs that were killed before they could clean up."""
        uid = account.uid if account else os.geteuid()
        for base_dir in parent.glob(f"{_PREFIX}*"):
            try:
                owner = int((base_dir / _OWNER_FILE).read_text(encoding="ascii"))
                if base_dir.stat().st_uid != uid or _alive(owner):
                    continue
            except (OSError, ValueError):
                continue
            cls(bin_dir, base_dir, 0, account).stop()

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a server program as the server's account, in its folder, with no PG* variables of ours."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env["LC_MESSAGES"] = "C"
        return subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            cwd=self.base_dir,
            env=env,
            user=self.account.uid if self.account else None,
            group=self.account.gid if self.account else None,
            extra_groups=[] if self.account else None,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    def _initdb(self) -> None:
        common = ("initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync")
        result = self._run(*common, "--locale=C.UTF-8")  # Unicode case rules, code point order
        if result.returncode != 0 and "locale" in result.stderr.lower():
            shutil.rmtree(self.data_dir, ignore_errors=True)
            result = self._run(*common, "--no-locale")
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        settings = {**_SETTINGS, "unix_socket_directories": f"'{self.base_dir}'"}
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# The test session's throwaway server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def _start_on_a_free_port(self) -> None:
        problems = []
        for _attempt in range(3):  # another program may take the free port before the server binds it
            self.port = _free_port()
            result = self._run(
                "pg_ctl", "start", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t", "60",
                "-o", f"-p {self.port}",
            )  # fmt: skip
            if result.returncode == 0:
                return
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            problems.append(f"pg_ctl start failed ({result.returncode}): {result.stderr.strip()}\n{log[-2000:]}")
        raise RuntimeError("\n".join(problems))

    def url(self, database: str) -> str:
        """The SQLAlchemy/psycopg URL of a database on this server."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database (a copy of template1); its name."""
        assert self._admin is not None, "the server is not running"
        name = f"t_{next(self._counter)}"
        self._admin.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any connection a test left open to it."""
        assert self._admin is not None, "the server is not running"
        self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def terminate_connections(self, name: str) -> int:
        """End every connection to a database, as a server restart or a network cut would; how many."""
        assert self._admin is not None, "the server is not running"
        rows = self._admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
        return len(rows)

    def stop(self) -> None:
        """Stop the server at once (nothing in it is worth keeping) and remove its folder; safe to call twice."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", "-w", "-t", "60")
        shutil.rmtree(self.base_dir, ignore_errors=True)
