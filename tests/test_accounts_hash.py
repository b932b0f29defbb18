"""Production hashes passwords with scrypt, even though in-process tests hash cheaply."""

from werkzeug.security import check_password_hash

from tests import conftest


def test_production_hashes_with_scrypt():
    stored = conftest._production_hash("correct-horse-battery")
    assert stored.startswith("scrypt:")
    assert check_password_hash(stored, "correct-horse-battery")


def test_the_cheap_test_hash_is_still_checked():
    from portal import accounts

    stored = accounts.generate_password_hash("correct-horse-battery")
    assert stored.startswith("pbkdf2:")
    assert not check_password_hash(stored, "wrong")
