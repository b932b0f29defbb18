import pytest

from portal.stack import FAST, running_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("stack"), env=FAST) as running:
        yield running
