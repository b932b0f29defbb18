"""The files in deploy/ agree with each other: what nginx proxies to is what gunicorn
binds, and every systemd unit starts something that exists."""

from __future__ import annotations

import configparser
import re
import runpy
import shlex

import pytest

from portal.paths import ROOT

DEPLOY = ROOT / "deploy"


def gunicorn_config(lane: str) -> dict:
    return runpy.run_path(str(DEPLOY / f"gunicorn-{lane}.conf.py"))


def test_nginx_proxies_each_path_to_the_lane_that_binds_it():
    nginx = (DEPLOY / "nginx-portal.conf").read_text()
    upstreams = dict(re.findall(r"upstream (\w+) \{(?:[^}]*?\n)?\s*server ([\d.:]+)[^;]*;", nginx))
    assert upstreams["portal_events"] == gunicorn_config("events")["bind"]
    assert upstreams["portal_pages"] == gunicorn_config("pages")["bind"]
    # The pages lane answers pushes while the event lane is down.
    assert re.search(r"server 127\.0\.0\.1:8000 backup", nginx)
    events = re.search(r"location = /wechat/events \{(.*?)\}", nginx, re.S).group(1)
    assert "proxy_pass http://portal_events;" in events
    pages = re.search(r"location / \{(.*?)\n    \}", nginx, re.S).group(1)
    assert "proxy_pass http://portal_pages;" in pages
    assert 'X-Request-Start "t=${msec}"' in pages  # what PORTAL_SHED_AFTER reads
    # A location with headers of its own inherits none: each sets them all.
    for block in (events, pages):
        for header in ("Host", "X-Forwarded-For", "X-Forwarded-Proto"):
            assert f"proxy_set_header {header} " in block


def test_the_pages_lane_gives_way_and_the_event_lane_does_not():
    assert "on_starting" in gunicorn_config("pages")
    assert "on_starting" not in gunicorn_config("events")


@pytest.mark.parametrize("unit", ["portal-events", "portal-pages", "portal-worker"])
def test_each_systemd_unit_starts_a_shipped_command(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / f"{unit}.service")
    service = parser["Service"]
    assert service["Restart"] == "always"
    assert service["EnvironmentFile"] == "/etc/portal/portal.env"
    command = shlex.split(service["ExecStart"])
    assert command[0].startswith(service["WorkingDirectory"] + "/.venv/bin/")
    if "-c" in command:
        assert (ROOT / command[command.index("-c") + 1]).is_file()
        assert command[-1] == "wsgi:app"
    else:
        assert command[1:] == ["--app", "portal", "worker"]


def test_the_litestream_unit_replicates_with_the_shipped_config_and_the_portals_settings():
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "litestream.service")
    service = parser["Service"]
    assert service["Restart"] == "always" and service["User"] == "portal"
    assert service["EnvironmentFile"] == "/etc/portal/portal.env"  # credentials, mode 640
    command = shlex.split(service["ExecStart"])
    assert command[0] == service["WorkingDirectory"] + "/.venv/bin/flask"
    assert command[1:] == ["--app", "portal", "replicate"]
    from portal import cli, litestream

    assert cli.replicate_command.name == "replicate"
    assert litestream.CONFIG_FILE == DEPLOY / "litestream.yml"
