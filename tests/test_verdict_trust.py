"""Issue 13: a verdict teams can trust — no gate on documentation examples, no file name
trusted over what a key reaches. Each scenario is a small repository run through the CLI.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from blastscan.scanner.cli.main import app

REF = "qwhxkzpvbnmtrlsdfgyc"
# Random fake signature; a real-shaped JWT for one hosted project.
SIGNATURE = "k3Jq9VtQmZ0yXw7bLh2rNf5sPd8cGa1uEo4iTj6WvYz"
RAILWAY = "3f6c1d2a-8b4e-4c7a-9d2f-1e5b7a9c0d3e"
PASSWORD = "vuIdx8bscoKcJ9bh20LC"


def _b64(obj: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def _jwt(claims: dict[str, Any]) -> str:
    return f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(claims)}.{SIGNATURE}"


SERVICE_ROLE = _jwt({"iss": "supabase", "ref": REF, "role": "service_role",
                     "iat": 1700000000, "exp": 2015576000})
# The Supabase CLI's local stack prints the same demo keys to everyone (iss supabase-demo).
LOCAL_DEMO = _jwt({"iss": "supabase-demo", "role": "service_role", "exp": 1983812996})


def _scan(root: Path, files: dict[str, str]) -> tuple[int, dict[str, Any]]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    result = CliRunner().invoke(app, ["scan", str(root), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


ADMIN_TS = ('import { createClient } from "@supabase/supabase-js";\n'
            "const admin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!,\n"
            "  process.env.SUPABASE_SERVICE_ROLE_KEY!);\n"
            "export async function purge(table: string) {\n"
            '  return admin.from(table).delete().neq("id", 0);\n}\n')


def test_service_role_key_in_env_local_reaches_the_hosted_project_and_fails(
        tmp_path: Path) -> None:
    code, report = _scan(tmp_path, {
        "web/.env.local": (f"NEXT_PUBLIC_SUPABASE_URL=https://{REF}.supabase.co\n"
                           f"SUPABASE_SERVICE_ROLE_KEY={SERVICE_ROLE}\n"),
        "web/lib/admin.ts": ADMIN_TS,
    })
    assert code == 1
    (cred,) = report["credentials"]
    assert (cred["provider"], cred["kind"]) == ("supabase", "service_role_key")
    assert cred["environments"] == ["unknown"]
    failing = [p for p in report["paths"] if p["id"] in report["gate"]["failing_paths"]]
    assert failing
    mismatch = failing[0]["label_scope_mismatch"]
    assert mismatch.startswith("labelled development (path web/.env.local)")
    assert f"hosted Supabase project {REF}" in mismatch
    assert SERVICE_ROLE not in json.dumps(report)


def test_env_local_label_believed_when_production_uses_another_project(tmp_path: Path) -> None:
    other = _jwt({"iss": "supabase", "ref": "zzqmplkjhgfdsawertyu", "role": "service_role",
                  "iat": 1700000000, "exp": 2015576000})
    code, report = _scan(tmp_path, {
        "web/.env.local": f"SUPABASE_SERVICE_ROLE_KEY={SERVICE_ROLE}\n",
        "web/.env.production": f"SUPABASE_SERVICE_ROLE_KEY={other}\n",
    })
    envs = {c["locations"][0]["path"]: c["environments"] for c in report["credentials"]}
    assert envs == {"web/.env.local": ["development"], "web/.env.production": ["production"]}
    (local,) = [c for c in report["credentials"] if c["environments"] == ["development"]]
    assert any("a separate project" in w for w in local["why"])
    assert code == 1  # the production key still gates


def test_local_emulator_demo_key_passes(tmp_path: Path) -> None:
    code, report = _scan(tmp_path, {
        "web/.env.local": ("NEXT_PUBLIC_SUPABASE_URL=http://localhost:54321\n"
                           f"SUPABASE_SERVICE_ROLE_KEY={LOCAL_DEMO}\n"),
        "web/lib/admin.ts": ADMIN_TS,
    })
    assert code == 0
    assert report["credentials"] == []
    assert report["summary"]["filtered"] >= 1


MYSQLDB = '''"""MySQLdb dialect.

Connect with::

    engine = create_engine("mysql+mysqldb://scott:tiger@192.168.0.134/test")
"""

def dialect():
    return None
'''


def test_scott_tiger_in_a_docstring_is_an_example_and_passes(tmp_path: Path) -> None:
    code, report = _scan(tmp_path, {"lib/dialects/mysqldb.py": MYSQLDB})
    assert code == 0
    assert report["credentials"] == []
    assert report["paths"] == []
    (example,) = report["examples"]
    assert example["locations"][0]["path"] == "lib/dialects/mysqldb.py"
    assert "Python docstring" in example["why"][0]
    assert report["summary"]["examples"] == 1
    assert ":tiger@" not in json.dumps(report)


def test_same_url_with_a_random_password_under_production_fails(tmp_path: Path) -> None:
    yml = f"production:\n  url: mysql2://scott:{PASSWORD}@192.168.0.134/shop\n"
    code, report = _scan(tmp_path, {"config/database.yml": yml})
    assert code == 1
    (cred,) = report["credentials"]
    assert cred["environments"] == ["production"]
    assert report["examples"] == []


def test_demo_value_under_a_production_label_is_not_an_example(tmp_path: Path) -> None:
    # scott:tiger on the same machine is a demo value until something deploys it (many a
    # production database listens on localhost): the label overrules.
    yml = "production:\n  url: postgres://scott:tiger@localhost/shop\n"
    code, report = _scan(tmp_path, {"config/database.yml": yml})
    assert code == 1
    (cred,) = report["credentials"]
    assert any("reads like a documentation example" in w and "production" in w
               for w in cred["why"])
    assert report["examples"] == []


def test_railway_token_labelled_in_a_readme_fails(tmp_path: Path) -> None:
    code, report = _scan(tmp_path, {
        "README.md": f"# Ops notes\n\nrailway token: {RAILWAY}\n"})
    assert code == 1
    (cred,) = report["credentials"]
    assert (cred["provider"], cred["kind"], cred["scope"]) == ("railway", "account_token",
                                                               "account")
    assert any("railway token" in w for w in cred["why"])
    assert report["examples"] == []


def test_markdown_and_html_list_examples(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "mysqldb.py").write_text(MYSQLDB)
    runner = CliRunner()
    md = runner.invoke(app, ["scan", str(tmp_path), "--format", "markdown"]).output
    assert "1 documentation examples set aside" in md
    assert "lib/dialects" not in md
    assert "lib/mysqldb.py:5" in md
    html = runner.invoke(app, ["scan", str(tmp_path), "--format", "html"]).output
    assert 'id="examples"' in html
    assert ":tiger@" not in html
    text = runner.invoke(app, ["scan", str(tmp_path)]).output
    assert "examples set aside 1" in text


def test_key_configured_against_a_local_stack_is_development(tmp_path: Path) -> None:
    # Not the CLI's demo key (a self-hosted stack's own secret), but its URL is local.
    local = _jwt({"iss": "supabase", "role": "service_role", "exp": 1983812996})
    code, report = _scan(tmp_path, {
        "web/.env.local": ("NEXT_PUBLIC_SUPABASE_URL=http://localhost:54321\n"
                           f"SUPABASE_SERVICE_ROLE_KEY={local}\n"),
        "web/lib/admin.ts": ADMIN_TS,
    })
    assert code == 0
    (cred,) = report["credentials"]
    assert cred["environments"] == ["development"]
    assert any("local Supabase stack" in w for w in cred["why"])


def test_project_url_names_the_target_of_a_key_without_ref(tmp_path: Path) -> None:
    code, report = _scan(tmp_path, {
        ".env.development": (f"SUPABASE_URL=https://{REF}.supabase.co\n"
                             "SUPABASE_SECRET_KEY=sb_secret_on240dvMxviIylMsgC2S1i1QwoGiNTCl\n"),
    })
    assert code == 1
    (cred,) = report["credentials"]
    assert cred["environments"] == ["unknown"]
    assert any(f"hosted Supabase project {REF}" in w for w in cred["why"])


def test_managed_database_host_is_not_narrowed_by_a_file_label(tmp_path: Path) -> None:
    url = f"postgres://app:{PASSWORD}@mydb.c9akciq32.us-east-1.rds.amazonaws.com:5432/app"
    code, report = _scan(tmp_path, {".env.development": f"DATABASE_URL={url}\n"})
    (cred,) = report["credentials"]
    assert cred["environments"] == ["unknown"]
    assert any(w.startswith("labelled development (path .env.development) but the key reaches "
                            "the managed PostgreSQL host mydb.") for w in cred["why"])
    assert code == 1


def test_database_label_believed_when_production_uses_another_server(tmp_path: Path) -> None:
    dev = f"postgres://app:{PASSWORD}@dev-db.c9akciq32.us-east-1.rds.amazonaws.com:5432/app"
    prod = f"postgres://app:{PASSWORD[::-1]}@db.c9akciq32.us-east-1.rds.amazonaws.com:5432/app"
    _, report = _scan(tmp_path, {".env.development": f"DATABASE_URL={dev}\n",
                                 ".env.production": f"DATABASE_URL={prod}\n"})
    envs = {c["locations"][0]["path"]: c["environments"] for c in report["credentials"]}
    assert envs == {".env.development": ["development"], ".env.production": ["production"]}
