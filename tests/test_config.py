"""Settings: every problem explained in one line; production refuses unsafe defaults."""

import re
from pathlib import Path

import pytest

import portal
import portal.sandbox
from portal import config
from portal.config import ConfigError
from tests.conftest import CREDENTIALS

_ROOT = Path(__file__).parent.parent
#: The README and the pages in docs/ (docs/configuration.md holds the settings' table).
DOCUMENTATION = "\n".join(
    path.read_text() for path in [_ROOT / "README.md", *sorted((_ROOT / "docs").glob("*.md"))]
)
GOOD = {**config.DEFAULTS, **CREDENTIALS}


def test_complete_configuration_has_no_problems():
    assert config.problems(GOOD) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"WECHAT_COMPONENT_APPID": ""}, "APPID is missing"),
        ({"WECHAT_COMPONENT_APPID": "wx123"}, "does not look like an appid"),
        ({"WECHAT_COMPONENT_APPID": "wxABCDEF0123456789"}, "does not look like an appid"),
        ({"WECHAT_ENCODING_AES_KEY": "abc"}, "exactly 43 base64 characters"),
        ({"WECHAT_ENCODING_AES_KEY": "!" * 43}, "exactly 43 base64 characters"),
        ({"WECHAT_TOKEN": ""}, "TOKEN is missing"),
        ({"WECHAT_COMPONENT_APPSECRET": ""}, "APPSECRET is missing"),
        ({"WECHAT_API_BASE": "api.weixin.qq.com"}, "is not a URL"),
        ({"WECHAT_TIMEOUT": "ten"}, "must be a non-negative"),
        ({"SEARCH_SCHEDULE": "soon"}, "comma-separated seconds"),
        ({"ENV": "production"}, "PORTAL_SECRET_KEY must be a random value"),
        ({"ENV": "production", "SECRET_KEY": "short"}, "PORTAL_SECRET_KEY must be a random value"),
    ],
)
def test_each_problem_is_explained_in_one_line(change, expected):
    problems = config.problems({**GOOD, **change})
    assert len(problems) == 1
    assert expected in problems[0] and "\n" not in problems[0]


def test_environment_variables_are_read_and_typed():
    found = config.from_environment(
        {"PORTAL_WECHAT_TIMEOUT": "3.5", "PORTAL_DATABASE": "x", "HOME": "/"}
    )
    assert found == {"WECHAT_TIMEOUT": 3.5, "DATABASE": "x"}


def test_overrides_win_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_DATABASE", str(tmp_path / "env.sqlite"))
    app = portal.create_app({"DATABASE": str(tmp_path / "override.sqlite")})
    assert app.config["DATABASE"].endswith("override.sqlite")


def test_production_refuses_to_start_with_the_default_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        portal.create_app({**CREDENTIALS, "ENV": "production", "DATABASE": str(tmp_path / "p.db")})


def test_production_starts_with_a_real_secret_key(tmp_path):
    app = portal.create_app(
        {
            **CREDENTIALS,
            "ENV": "production",
            "SECRET_KEY": "s" * 40,
            "DATABASE": str(tmp_path / "p.db"),
        }
    )
    assert app.config["ENV"] == "production"


def test_check_config_command_lists_problems_and_fails(tmp_path):
    app = portal.create_app({"DATABASE": str(tmp_path / "c.db"), "WECHAT_COMPONENT_APPID": "nope"})
    result = app.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 1
    assert "does not look like an appid" in result.output
    lines = result.output.strip().splitlines()
    # appid, secret, token, AES key, and the phone the v2 API needs
    assert len([line for line in lines if line.startswith("✗")]) == 5
    assert any(line.startswith("· ") and "v2" in line and "2026-04-30" in line for line in lines)


def test_classic_against_the_real_wechat_is_a_warning_not_a_problem():
    real = {
        **GOOD,
        "WECHAT_API_BASE": "https://api.weixin.qq.com",
        "WECHAT_REGISTER_API": "classic",
    }
    assert config.problems(real) == []
    assert "retired on 2026-04-30" in config.warnings(real)[0]
    assert config.warnings({**real, "WECHAT_REGISTER_API": "v2"}) == []
    assert config.warnings({**real, "WECHAT_API_BASE": "http://127.0.0.1:8001"}) == []


@pytest.mark.parametrize("api, ok", [("classic", True), ("v2", True), ("v3", False), ("", True)])
def test_register_api_must_be_known(api, ok):
    assert (config.problems({**GOOD, "WECHAT_REGISTER_API": api}) == []) is ok


@pytest.mark.parametrize(
    "base, chosen, api",
    [
        ("https://api.weixin.qq.com", "", "v2"),  # the API that works against WeChat today
        ("http://127.0.0.1:8001", "", "classic"),  # the sandbox demo's default
        ("https://api.weixin.qq.com", "classic", "classic"),  # still selectable
        ("http://127.0.0.1:8001", "v2", "v2"),
    ],
)
def test_an_unset_register_api_follows_the_host(tmp_path, base, chosen, api):
    settings = {"WECHAT_API_BASE": base, "WECHAT_REGISTER_API": chosen}
    assert config.register_api({**GOOD, **settings})[0] == api
    app = portal.create_app({**settings, "DATABASE": str(tmp_path / "r.db")})
    assert app.config["REGISTER_API"] == api
    explained = app.test_cli_runner().invoke(args=["check-config"]).output
    assert f"new submissions use the {api} API" in explained


def test_v2_needs_the_platform_phone():
    problems = config.problems({**GOOD, "WECHAT_REGISTER_API": "v2", "WECHAT_COMPONENT_PHONE": ""})
    assert problems and "COMPONENT_PHONE" in problems[0]


def test_check_config_command_passes_a_complete_configuration(app):
    result = app.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 0 and "looks complete" in result.output


@pytest.mark.parametrize("key", sorted(set(config.DEFAULTS) | set(portal.sandbox.DEFAULTS)))
def test_every_setting_is_documented(key):
    assert re.search(rf"`PORTAL_{key}`", DOCUMENTATION), (
        f"PORTAL_{key} is not in the README or docs/"
    )


def test_init_db_applies_migrations_once(app):
    runner = app.test_cli_runner()
    assert "up to date" in runner.invoke(args=["init-db"]).output


def test_today_means_the_beijing_day():
    from portal.timefmt import beijing, day_start

    evening_utc = 1_795_532_800  # 2026-11-24 15:06 UTC = 23:06 in Beijing
    assert beijing(day_start(evening_utc)) == "2026-11-24 00:00"
    assert beijing(day_start(evening_utc + 3600)) == "2026-11-25 00:00"
