"""docker-compose.yml and deploy/ stay valid (checked without an engine or cluster)."""

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_deploy_check_passes():
    result = subprocess.run(["bash", "deploy/check.sh"], cwd=REPO, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
