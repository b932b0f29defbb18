"""New mini programs' tokens are secrets: sealed at rest when PORTAL_TOKEN_KEY is set."""

import pytest
from cryptography.fernet import Fernet

from portal import config
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.tasks import upkeep
from portal.wechat.authorizers import Vault, VaultError
from tests.conftest import CREDENTIALS
from tests.registration.facts import facts

KEY = Fernet.generate_key().decode()


def test_sealed_values_round_trip_and_plain_ones_stay_readable():
    vault = Vault(KEY)
    sealed = vault.seal("refresh@@@secret")
    assert sealed.startswith("fernet:") and "secret" not in sealed
    assert vault.open(sealed) == "refresh@@@secret"
    assert vault.open("stored-before-the-key") == "stored-before-the-key"


@pytest.mark.parametrize("vault", [Vault(""), Vault(Fernet.generate_key().decode())])
def test_a_sealed_value_needs_the_same_key(vault):
    with pytest.raises(VaultError):
        vault.open(Vault(KEY).seal("x"))


def test_the_worker_stores_sealed_tokens_and_refreshes_them(db, jobs, wechat_side):
    jobs.ctx.vault = Vault(KEY)
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S0密钥科技有限公司"))
    jobs.run_once()
    wechat_side()
    jobs.run_once()
    stored = db.execute("SELECT refresh_token, access_token FROM authorizers").fetchone()
    assert all(value.startswith("fernet:") for value in stored)
    db.execute("UPDATE authorizers SET expires_at = 0, updated_at = 0")
    db.conn.commit()
    upkeep.run(jobs.ctx, {"id": None})
    renewed = db.execute("SELECT access_token, expires_at FROM authorizers").fetchone()
    assert renewed[0] != stored[1] and renewed[0].startswith("fernet:") and renewed[1] > 0


def test_a_lost_key_is_logged_not_crashed(db, jobs, wechat_side, caplog):
    jobs.ctx.vault = Vault(KEY)
    subs.submit(db, FLAVORS["classic"], facts("沙箱S0丢钥科技有限公司"))
    jobs.run_once()
    wechat_side()
    jobs.run_once()
    db.execute("UPDATE authorizers SET expires_at = 0, updated_at = 0")
    db.conn.commit()
    jobs.ctx.vault = Vault("")
    jobs.run_once()
    assert "token unreadable" in caplog.text
    assert db.execute("SELECT state FROM authorizers").fetchone()[0] == "lost"


def test_check_config_on_the_token_key():
    good = {**config.DEFAULTS, **CREDENTIALS}
    assert (
        "PORTAL_TOKEN_KEY must be a Fernet key"
        in config.problems({**good, "TOKEN_KEY": "short"})[0]
    )
    assert config.problems({**good, "TOKEN_KEY": KEY}) == []
    production = {**good, "ENV": "production", "SECRET_KEY": "s" * 40}
    assert any("PORTAL_TOKEN_KEY is not set" in w for w in config.warnings(production))
    assert not any("TOKEN_KEY" in w for w in config.warnings({**production, "TOKEN_KEY": KEY}))
