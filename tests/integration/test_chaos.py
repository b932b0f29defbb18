"""The chaos run under both APIs (tests/integration/chaos.py): kills, WeChat's faults, a
network that loses, delays, duplicates and refuses pushes, a ticket outage, expiries and
failures followed by resubmissions, and a dead webhook endpoint beside a healthy one.

CI runs one seed per API; set CHAOS_SEEDS="1 2 3 4 5" to run more locally. Each seed
must settle within chaos.SETTLE_BY and finish within chaos.BUDGET seconds.
"""

import os

import pytest

from tests.integration.chaos import run
from tests.integration.chaos_plan import ROSTER

pytestmark = pytest.mark.integration
SEEDS = [int(s) for s in os.environ.get("CHAOS_SEEDS", "1").split()]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("api", ["classic", "v2"])
def test_chaos_keeps_wechats_truth_through_kills_faults_and_a_bad_network(tmp_path, api, seed):
    figures = run(tmp_path, api, seed)  # raises with every broken invariant and its evidence
    print(figures.verdict())
    assert sum(figures.states.values()) >= len(ROSTER)
    assert sum(figures.kills.values()) >= 3 and sum(figures.faults.values()) >= 3
    assert figures.network["result lose"] + figures.network["result delay"] >= 1
