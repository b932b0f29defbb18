"""Never lost, never duplicated: the chaos run under both APIs (tests/integration/chaos.py).

CI runs one seed per API; set CHAOS_SEEDS="1 2 3 4 5" to run more locally.
"""

import os

import pytest

from tests.integration.chaos import run

pytestmark = pytest.mark.integration
SEEDS = [int(s) for s in os.environ.get("CHAOS_SEEDS", "1").split()]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("api", ["classic", "v2"])
def test_chaos_ends_with_one_task_and_one_authorization_per_submission(tmp_path, api, seed):
    figures = run(tmp_path, api, seed)
    print(figures.report())
    assert figures.submissions == 10
    assert sum(figures.kills.values()) >= 3 and sum(figures.faults.values()) >= 3
