"""Nothing is downloaded at run time: the whole pipeline, relevance model included, codes with no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_NETWORK = '''
import socket

def _refuse(*args, **kwargs):
    raise OSError("network disabled by the offline test")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''


def test_offline_pipeline_codes_with_the_network_disabled(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
           "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0"}  # offline by our code, not by a library's switch
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('pypi.org', 443))"],
                           env=env, capture_output=True, text=True, check=False)
    assert probe.returncode != 0 and "network disabled" in probe.stderr
    result = subprocess.run(
        [sys.executable, "-m", "eventcoder.cli", "code", str(ROOT / "corpus" / "karabakh-2020-09-27.txt"), "-q"],
        env=env, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(0.0 <= r["confidence"] <= 1.0 for r in records)
