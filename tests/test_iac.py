"""IaC evidence: Terraform, CloudFormation, IAM JSON and Kubernetes extractors."""

from __future__ import annotations

import pytest

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac import IamGrant, Protection, collect
from blastscan.detectors.evidence.iac.classify import destructive_operations, matches, uncertainty
from blastscan.detectors.evidence.iac.model import Effect, Finding
from blastscan.detectors.knowledge.loader import load
from blastscan.scanner.errors import Unparseable

ADMIN_AND_PROD_RDS = """\
resource "aws_iam_user" "deployer" {
  name = "deployer"
}

resource "aws_iam_user_policy_attachment" "deployer_admin" {
  user       = aws_iam_user.deployer.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_db_instance" "main" {
  identifier          = "bookings"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  skip_final_snapshot = true
  tags = {
    Environment = "production"
  }
}
"""

PROTECTED_RDS = """\
resource "aws_db_instance" "orders" {
  identifier               = "orders"
  deletion_protection      = true
  delete_automated_backups = false
  backup_retention_period  = 14
  final_snapshot_identifier = "orders-final"
  lifecycle {
    prevent_destroy = true
  }
}
"""

POLICIES = """\
resource "aws_iam_policy" "cleanup" {
  name = "s3-cleanup"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:Delete*"]
        Resource = ["arn:aws:s3:::uploads", "arn:aws:s3:::uploads/*"]
      },
      {
        Effect    = "Allow"
        NotAction = ["iam:*", "organizations:*"]
        Resource  = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "ci" {
  statement {
    effect    = "Allow"
    actions   = ["dynamodb:DeleteTable", "dynamodb:Query"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["rds:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.worker.id
  policy = <<-EOT
    {"Version": "2012-10-17",
     "Statement": {"Effect": "Allow", "Action": "rds:Delete*", "Resource": "*"}}
  EOT
}
"""

STORAGE = """\
resource "aws_s3_bucket" "uploads" {
  bucket        = "acme-uploads-staging"
  force_destroy = true
}

resource "aws_s3_bucket_versioning" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_dynamodb_table" "events" {
  name = "events"
  deletion_protection_enabled = var.protect
}

resource "aws_backup_vault_lock_configuration" "compliance" {
  backup_vault_name   = aws_backup_vault.central.name
  changeable_for_days = 3
  min_retention_days  = 7
}

resource "aws_backup_vault_lock_configuration" "governance" {
  backup_vault_name  = aws_backup_vault.local.name
  min_retention_days = 7
}

resource "google_project_iam_binding" "owners" {
  project = "acme-prod"
  role    = "roles/owner"
  members = ["serviceAccount:ci@acme-prod.iam.gserviceaccount.com", "user:a@acme.io"]
}
"""

CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "deploy-${Env}"
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/PowerUserAccess
      Policies:
        - PolicyName: cleanup
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["rds:DeleteDBInstance"]
                Resource: !GetAtt ProdDatabase.Arn
  ProdDatabase:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Retain
    Properties:
      DBInstanceIdentifier: !Ref AWS::StackName
      DeletionProtection: true
      Tags:
        - Key: Environment
          Value: production
  Scratch:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: scratch
"""

IAM_JSON = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "Allow", "Action": ["ec2:TerminateInstances"], "Resource": "*"}
  ]
}
"""

RBAC = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: deployer
  namespace: ci
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: deployer-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: viewer
  namespace: ci
roleRef:
  kind: ClusterRole
  name: view
subjects:
  - kind: User
    name: jane
"""

STORAGE_CLASSES = """\
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: prod-retain
provisioner: ebs.csi.aws.com
reclaimPolicy: Retain
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: ebs.csi.aws.com
"""


def run(path: str, text: str) -> list[Finding]:
    return list(collect(Document.of(path, text)))


def grants(found: list[Finding]) -> list[IamGrant]:
    return [f for f in found if isinstance(f, IamGrant)]


def settings(found: list[Finding]) -> dict[tuple[str, str], Protection]:
    return {(f.resource, f.setting): f for f in found if isinstance(f, Protection)}


def test_admin_attachment_and_unprotected_production_rds() -> None:
    found = run("infra/main.tf", ADMIN_AND_PROD_RDS)
    [grant] = grants(found)
    assert grant.managed_policy == "AdministratorAccess"
    assert grant.principal == "aws_iam_user.deployer"
    assert (grant.line, grant.provider) == (7, "aws")
    rds = settings(found)
    risks = {s for (r, s), p in rds.items() if r == "aws_db_instance.main" and not p.protective}
    assert {"skip_final_snapshot", "delete_automated_backups", "deletion_protection",
            "backup_retention_period"} <= risks
    assert rds["aws_db_instance.main", "skip_final_snapshot"].line == 14
    assert rds["aws_db_instance.main", "deletion_protection"].value == "absent (default false)"
    assert rds["aws_db_instance.main", "delete_automated_backups"].value == "absent (default true)"
    assert "[TF-AWS:db_instance.html.markdown]" in rds["aws_db_instance.main",
                                                        "delete_automated_backups"].note
    assert {p.environment_hint for p in rds.values()} == {"production"}


def test_protected_rds_with_prevent_destroy() -> None:
    rds = settings(run("envs/prod/db.tf", PROTECTED_RDS))
    wanted = {"deletion_protection", "skip_final_snapshot", "delete_automated_backups",
              "backup_retention_period", "prevent_destroy"}
    assert {s for (_, s), p in rds.items() if p.protective} == wanted
    assert rds["aws_db_instance.orders", "prevent_destroy"].line == 8
    assert rds["aws_db_instance.orders", "backup_retention_period"].value == "14"
    # The path is the only environment evidence here (providers.md §2.6).
    assert rds["aws_db_instance.orders", "deletion_protection"].environment_hint == "production"


def test_policy_jsonencode_document_and_heredoc() -> None:
    found = grants(run("iam.tf", POLICIES))
    by_principal = {(g.principal, g.actions, g.not_actions): g for g in found}
    s3 = by_principal["aws_iam_policy.cleanup", ("s3:ListBucket", "s3:Delete*"), ()]
    assert s3.resources == ("arn:aws:s3:::uploads", "arn:aws:s3:::uploads/*")
    assert s3.line == 8
    not_action = by_principal["aws_iam_policy.cleanup", (), ("iam:*", "organizations:*")]
    assert not_action.resources == ("*",)
    doc = [g for g in found if g.principal == "data.aws_iam_policy_document.ci"]
    assert [(g.actions, g.effect) for g in doc] == [
        (("dynamodb:DeleteTable", "dynamodb:Query"), Effect.ALLOW), (("rds:*",), Effect.DENY)]
    heredoc = by_principal["aws_iam_role.worker", ("rds:Delete*",), ()]
    assert heredoc.effect is Effect.ALLOW


def test_storage_vault_locks_and_gcp_bindings() -> None:
    found = run("modules/storage/main.tf", STORAGE)
    p = settings(found)
    force = p["aws_s3_bucket.uploads", "force_destroy"]
    assert (force.protective, force.environment_hint) == (False, "staging")
    assert p["aws_s3_bucket.uploads", "versioning"].protective
    ddb = p["aws_dynamodb_table.events", "deletion_protection_enabled"]
    assert (ddb.value, ddb.protective) == ("var.protect", False)  # not a literal: not proven
    assert not p["aws_dynamodb_table.events", "point_in_time_recovery"].protective
    compliance = p["aws_backup_vault.central", "vault_lock"]
    governance = p["aws_backup_vault.local", "vault_lock"]
    assert (compliance.value, compliance.protective) == ("compliance", True)
    assert (governance.value, governance.protective) == ("governance", False)
    gcp = grants(found)
    assert {g.principal for g in gcp} == {"serviceAccount:ci@acme-prod.iam.gserviceaccount.com",
                                          "user:a@acme.io"}
    assert {(g.provider, g.managed_policy, g.resources) for g in gcp} == {
        ("gcp", "roles/owner", ("project:acme-prod",))}


def test_cloudformation_tags_deletion_policy_and_policies() -> None:
    found = run("cfn/stack.yaml", CLOUDFORMATION)
    by_policy = {g.managed_policy: g for g in grants(found)}
    assert by_policy["PowerUserAccess"].principal == "DeployRole"
    inline = by_policy[None]
    assert (inline.actions, inline.resources, inline.line) == (
        ("rds:DeleteDBInstance",), ("ProdDatabase.Arn",), 18)
    p = settings(found)
    retain = p["ProdDatabase", "DeletionPolicy"]
    assert (retain.value, retain.protective, retain.line) == ("Retain", True, 20)
    assert retain.environment_hint == "production"
    assert p["ProdDatabase", "DeletionProtection"].protective
    assert not p["Scratch", "DeletionPolicy"].protective  # stateful, no DeletionPolicy
    assert not p["Scratch", "DeletionProtectionEnabled"].protective


def test_cloudformation_json_template() -> None:
    text = ('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Db": {\n'
            '"Type": "AWS::RDS::DBCluster", "DeletionPolicy": "Delete",\n'
            '"Properties": {"DeletionProtection": "false"}}}}')
    p = settings(run("template.json", text))
    assert not p["Db", "DeletionPolicy"].protective
    assert not p["Db", "DeletionProtection"].protective


def test_raw_iam_json_with_lines() -> None:
    found = grants(run("policies/ci-deployer.json", IAM_JSON))
    assert [(g.actions, g.line, g.principal) for g in found] == [
        (("s3:GetObject",), 4, "ci-deployer"), (("ec2:TerminateInstances",), 5, "ci-deployer")]


def test_cli_wrapped_iam_json() -> None:
    text = ('{"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": '
            '[{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}}')
    assert [g.actions for g in grants(run("admin.json", text))] == [("*",)]


def test_cluster_admin_binding() -> None:
    found = grants(run("k8s/rbac.yaml", RBAC))
    assert len(found) == 1  # the "view" RoleBinding is not cluster-admin
    [grant] = found
    assert (grant.provider, grant.managed_policy, grant.principal, grant.line) == (
        "kubernetes", "cluster-admin", "ServiceAccount ci/deployer", 7)
    assert grant.resources == ("*",)


def test_storage_class_reclaim_policy() -> None:
    p = settings(run("k8s/storage.yaml", STORAGE_CLASSES))
    retain = p["StorageClass/prod-retain", "reclaimPolicy"]
    assert (retain.protective, retain.line, retain.environment_hint) == (True, 6, "production")
    default = p["StorageClass/fast", "reclaimPolicy"]
    assert (default.protective, default.value) == (False, "absent (default Delete)")
    assert "providers.md §10.3" in default.note


def test_persistent_volume_delete_policy() -> None:
    text = ("kind: PersistentVolume\nmetadata:\n  name: pg-data\n"
            "spec:\n  persistentVolumeReclaimPolicy: Delete\n")
    [pv] = settings(run("pv.yml", text)).values()
    assert (pv.protective, pv.line) == (False, 5)


@pytest.mark.parametrize(("path", "text"), [
    ("broken.tf", 'resource "aws_db_instance" "x" {\n  deletion_protection = \n'),
    ("broken.tf", 'resource "aws_iam_policy" "p" { policy = "{not json" }\n'),
    ("broken.tf", 'resource "aws_iam_policy" "p" { policy = jsonencode(42) }\n'),
    ("bad.yaml", "AWSTemplateFormatVersion: x\nResources: [\n"),
    ("bad.yaml", "AWSTemplateFormatVersion: x\nResources:\n  A: 3\n  B: {Type: 4}\n"),
    ("bad.yaml", "kind: ClusterRoleBinding\nroleRef: cluster-admin\nsubjects: 7\n"),
    ("bad.yaml", "kind: ClusterRoleBinding\nroleRef: {name: cluster-admin}\nsubjects: [1, x]\n"),
    ("bad.json", '{"Version": "2012-10-17", "Statement": 5}'),
    ("bad.json", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"'),
    ("readme.md", 'resource "aws_db_instance" "x" {}'),
])
def test_malformed_or_irrelevant_input_never_raises(path: str, text: str) -> None:
    found = run(path, text)
    assert all(isinstance(f, IamGrant | Protection) for f in found)


def test_nesting_past_the_stack_is_unparseable_not_empty() -> None:
    with pytest.raises(Unparseable):
        run("bad.json", "[" * 5000 + '"Statement"')


def test_unrelated_files_are_gated_out() -> None:
    assert run("variables.tf", 'variable "region" { default = "us-east-1" }\n') == []
    assert run("package.json", '{"name": "x", "version": "1.0.0"}') == []
    assert run("compose.yaml", "services:\n  db:\n    image: postgres\n") == []


# --- classify: grants to knowledge-base operations ---------------------------------------

OPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("aws.rds.delete_db_instance", ("rds:DeleteDBInstance", "delete_db_instance",
                                    "aws rds delete-db-instance")),
    ("aws.s3.delete_object", ("s3:DeleteObject", "s3:DeleteObjectVersion", "aws s3 rm")),
    ("aws.dynamodb.delete_table", ("dynamodb:DeleteTable",)),
    ("aws.ec2.terminate_instances", ("ec2:TerminateInstances", "ec2:DeleteVolume")),
    ("aws.iam.delete_user", ("iam:DeleteUser",)),
    ("gcp.cloudsql.delete_instance", ("cloudsql.instances.delete",)),
    ("kubernetes.namespace.delete", ("kubectl delete namespace",)),
)


def grant(actions: tuple[str, ...] = (), not_actions: tuple[str, ...] = (),
          managed: str | None = None, provider: str = "aws",
          effect: Effect = Effect.ALLOW) -> IamGrant:
    return IamGrant("p.tf", 1, "", actions, not_actions, ("*",), managed, provider, effect)


@pytest.mark.parametrize(("actions", "expected"), [
    (("*",), {"aws.rds.delete_db_instance", "aws.s3.delete_object", "aws.dynamodb.delete_table",
              "aws.ec2.terminate_instances", "aws.iam.delete_user"}),
    (("s3:*",), {"aws.s3.delete_object"}),
    (("S3:delete*",), {"aws.s3.delete_object"}),  # IAM matching is case-insensitive
    (("s3:DeleteObjectVersion",), {"aws.s3.delete_object"}),
    (("s3:GetObject", "s3:List*"), set()),
    (("rds:Delete*", "ec2:Terminate?nstances"), {"aws.rds.delete_db_instance",
                                                 "aws.ec2.terminate_instances"}),
    (("rds:DeleteDBInstanceAutomatedBackup",), set()),  # no prefix match without a wildcard
    (("delete_db_instance",), set()),  # SDK/CLI names in the KB are not IAM actions
])
def test_wildcards(actions: tuple[str, ...], expected: set[str]) -> None:
    assert set(destructive_operations(grant(actions), OPS)) == expected


def test_not_action_allows_everything_else() -> None:
    found = destructive_operations(grant(not_actions=("iam:*", "s3:*")), OPS)
    assert found == ("aws.rds.delete_db_instance", "aws.dynamodb.delete_table",
                     "aws.ec2.terminate_instances")


def test_deny_grants_nothing() -> None:
    assert destructive_operations(grant(("*",), effect=Effect.DENY), OPS) == ()
    assert destructive_operations(grant(managed="AdministratorAccess", effect=Effect.DENY),
                                  OPS) == ()


@pytest.mark.parametrize(("managed", "expected"), [
    ("AdministratorAccess", {"aws.rds.delete_db_instance", "aws.s3.delete_object",
                             "aws.dynamodb.delete_table", "aws.ec2.terminate_instances",
                             "aws.iam.delete_user"}),
    ("PowerUserAccess", {"aws.rds.delete_db_instance", "aws.s3.delete_object",
                         "aws.dynamodb.delete_table", "aws.ec2.terminate_instances"}),
    ("AmazonRDSFullAccess", {"aws.rds.delete_db_instance"}),
    ("AmazonS3FullAccess", {"aws.s3.delete_object"}),
    ("AmazonDynamoDBFullAccess", {"aws.dynamodb.delete_table"}),
    ("AmazonEC2FullAccess", {"aws.ec2.terminate_instances"}),
    ("ReadOnlyAccess", set()),
    ("arn:aws:iam::123456789012:policy/custom", set()),
])
def test_managed_policies(managed: str, expected: set[str]) -> None:
    g = grant(managed=managed)
    assert set(destructive_operations(g, OPS)) == expected
    note = uncertainty(g)
    assert (note is not None) == bool(expected)
    assert note is None or "UNCERTAIN" in note


@pytest.mark.parametrize(("provider", "managed", "expected"), [
    ("gcp", "roles/owner", ("gcp.cloudsql.delete_instance",)),
    ("gcp", "roles/editor", ("gcp.cloudsql.delete_instance",)),
    ("gcp", "roles/cloudsql.admin", ("gcp.cloudsql.delete_instance",)),
    ("gcp", "roles/cloudsql.viewer", ()),
    ("gcp", "roles/storage.admin", ()),
    ("kubernetes", "cluster-admin", ("kubernetes.namespace.delete",)),
])
def test_roles_reach_only_their_provider(provider: str, managed: str,
                                         expected: tuple[str, ...]) -> None:
    assert destructive_operations(grant(managed=managed, provider=provider), OPS) == expected


def test_against_the_real_knowledge_base() -> None:
    kb = load()
    ops = [(op.id, op.names) for provider in kb.values() for op in provider.operations]
    [admin] = grants(run("main.tf", ADMIN_AND_PROD_RDS))
    reached = destructive_operations(admin, ops)
    assert "aws.rds.delete_db_instance" in reached
    assert all(op.startswith("aws.") for op in reached)


def test_matches_is_anchored() -> None:
    assert matches("s3:Delete*", "s3:DeleteBucket")
    assert not matches("s3:Delete", "s3:DeleteBucket")
    assert not matches("s3:*", "s3x:DeleteBucket")
