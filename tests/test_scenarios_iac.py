"""Issue scenarios where infrastructure-as-code evidence changes the verdict."""

from __future__ import annotations

from pathlib import Path

from blastscan.scanner.models import ScanResult, Severity

from support import scan

AWS_ID, AWS_SECRET = "AKIAIQPBV3UE3HEBPE6G", "qJxIpQ6+XAwoshYMz/x2W5gCmFhDMhF2kTMxT60P"
ENV = f"AWS_ACCESS_KEY_ID={AWS_ID}\nAWS_SECRET_ACCESS_KEY={AWS_SECRET}\n"
ADMIN = '''
resource "aws_iam_user" "deployer" { name = "deployer" }
resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.deployer.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
'''
RDS = '''
resource "aws_db_instance" "main" {
  identifier          = "prod-bookings"
  engine              = "postgres"
  skip_final_snapshot = true
  tags = { Environment = "production" }
}
'''
PROTECTED_RDS = RDS.replace("skip_final_snapshot = true",
                            "skip_final_snapshot = false\n  deletion_protection = true")


def _repo(root: Path, files: dict[str, str]) -> ScanResult:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return scan(root)


def _rds_path(result: ScanResult) -> list[str]:
    return [f"{p.severity}:{p.environment}" for p in result.paths
            if p.action == "aws.rds.delete_db_instance"]


def test_admin_key_and_unprotected_production_rds_is_critical_with_backups(tmp_path: Path) -> None:
    result = _repo(tmp_path, {".env.production": ENV, "infra/main.tf": ADMIN + RDS})
    (item,) = result.credentials
    assert any("AdministratorAccess" in e.reason for e in item.reach.evidence)
    (path,) = [p for p in result.paths if p.action == "aws.rds.delete_db_instance"]
    assert path.severity is Severity.CRITICAL
    assert path.backups_in_blast_radius is True
    assert any("skip_final_snapshot = true" in w for w in path.why)
    assert any("delete_automated_backups" in w for w in path.why)
    assert path.mitigations == ()
    assert result.gate.failed


def test_deletion_protection_is_a_mitigation_that_lowers_severity(tmp_path: Path) -> None:
    result = _repo(tmp_path, {".env.production": ENV, "infra/main.tf": ADMIN + PROTECTED_RDS})
    (path,) = [p for p in result.paths if p.action == "aws.rds.delete_db_instance"]
    assert path.severity is Severity.HIGH
    assert any("deletion_protection = true" in m for m in path.mitigations)
    # Other operations of the same key are not mitigated by the database's protection.
    assert any(p.severity is Severity.CRITICAL for p in result.paths)


def test_prevent_destroy_alone_is_not_a_mitigation_against_an_api_key(tmp_path: Path) -> None:
    tf = RDS.replace("skip_final_snapshot = true",
                     "skip_final_snapshot = true\n  lifecycle { prevent_destroy = true }")
    result = _repo(tmp_path, {".env.production": ENV, "infra/main.tf": tf})
    assert _rds_path(result) == ["critical:production"]
