"""A scan never loads an HTTP client: detect-secrets' ``requests`` stays a stand-in."""

from __future__ import annotations

import subprocess
import sys

from support import FIXTURES


def test_a_scan_loads_no_http_client() -> None:
    # A fresh interpreter: the test process itself may have loaded requests already.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from blastscan.scanner.pipeline import engine\n"
        "from blastscan.scanner.config.scan import ScanConfig\n"
        f"engine.run(ScanConfig(Path({str(FIXTURES / 'incident')!r}), jobs=1))\n"
        "print(sorted(m for m in ('urllib3', 'http.client', 'ssl') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_the_stand_in_loads_requests_when_used() -> None:
    code = (
        "import sys, blastscan.detectors.registry\n"
        "from requests.exceptions import RequestException\n"
        "import requests\n"
        "print(requests.codes.ok, RequestException.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["200", "requests.exceptions"]
