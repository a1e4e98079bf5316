"""Apply infrastructure-as-code evidence to a credential's capabilities.

IAM grants found in the repository are shown as evidence of what *a* principal there
may do. They never narrow a key's reach: nothing static links a key to the principal
it belongs to, and an unproven narrow scope is broad (design principle 3).

Protections are joined by the resource types an operation destroys. A capability is
mitigated only when every such resource in reach is protected by a setting that stops
the API call itself (``deletion_protection``, termination protection, Object Lock, a
compliance-mode vault lock, ``reclaimPolicy: Retain``); ``prevent_destroy`` and
``DeletionPolicy`` only govern Terraform and CloudFormation, not a key calling the API.
Risks on backup settings put backups in the blast radius.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from blastscan.detectors.evidence.iac.classify import destructive_operations
from blastscan.detectors.evidence.iac.model import Effect, IamGrant, Protection
from blastscan.detectors.knowledge.loader import Provider
from blastscan.scanner.models import Capability, Environment, Evidence

# Resource types holding what an operation destroys (providers.md §2.4-2.5, §10.3).
RESOURCE_TYPES: dict[str, frozenset[str]] = {
    "aws.rds.delete_db_instance": frozenset({"aws_db_instance", "aws_rds_cluster",
                                             "AWS::RDS::DBInstance", "AWS::RDS::DBCluster"}),
    "aws.s3.delete_object": frozenset({"aws_s3_bucket", "aws_s3_bucket_versioning",
                                       "aws_s3_bucket_object_lock_configuration",
                                       "AWS::S3::Bucket"}),
    "aws.dynamodb.delete_table": frozenset({"aws_dynamodb_table", "AWS::DynamoDB::Table"}),
    "aws.ec2.terminate_instances": frozenset({"aws_instance", "AWS::EC2::Instance"}),
    "aws.backup.delete_recovery_point": frozenset({"aws_backup_vault_lock_configuration",
                                                   "AWS::Backup::BackupVault"}),
    "kubernetes.namespace.delete": frozenset({"StorageClass", "PersistentVolume"}),
    "kubernetes.pvc.delete": frozenset({"StorageClass", "PersistentVolume"}),
}
# Settings that stop the delete API call itself, not only an IaC tool's destroy.
BLOCKING = frozenset({
    "deletion_protection", "deletion_protection_enabled", "DeletionProtection",
    "DeletionProtectionEnabled", "disable_api_termination", "DisableApiTermination",
    "object_lock", "object_lock_enabled", "ObjectLockEnabled", "vault_lock",
    "LockConfiguration", "reclaimPolicy", "persistentVolumeReclaimPolicy",
})
BACKUP_SETTINGS = frozenset({
    "delete_automated_backups", "backup_retention_period", "skip_final_snapshot",
    "point_in_time_recovery", "PointInTimeRecoveryEnabled", "versioning",
    "VersioningConfiguration", "vault_lock", "LockConfiguration", "reclaimPolicy",
    "persistentVolumeReclaimPolicy",
})


def grant_evidence(provider: Provider, grants: Iterable[IamGrant]) -> list[Evidence]:
    ops = [(op.id, op.names) for op in provider.operations]
    found = []
    for grant in grants:
        if grant.effect is not Effect.ALLOW or grant.provider != provider.id:
            continue
        reached = destructive_operations(grant, ops)
        if reached:
            what = grant.managed_policy or ", ".join(grant.actions) or "NotAction"
            who = grant.principal or "a principal"
            reason = f"IaC grants {who} {what}: {', '.join(reached)}"
            found.append(Evidence(grant.path, grant.line, reason))
    return found


def apply_protections(capability: Capability, protections: Iterable[Protection],
                      environments: tuple[Environment, ...]) -> Capability:
    types = RESOURCE_TYPES.get(capability.action)
    if not types:
        return capability
    wanted = {e.value for e in environments} | {Environment.UNKNOWN.value}
    by_resource: dict[str, list[Protection]] = defaultdict(list)
    for p in protections:
        if p.resource_type in types and (p.environment_hint is None or
                                         p.environment_hint in wanted or
                                         Environment.UNKNOWN in environments):
            by_resource[p.resource].append(p)
    if not by_resource:
        return capability
    why, mitigations = list(capability.why), []
    protected = all(any(p.protective and p.setting in BLOCKING for p in found)
                    for found in by_resource.values())
    backups = capability.backups_in_blast_radius
    for resource, found in sorted(by_resource.items()):
        for p in sorted(found):
            where = f"{resource} {p.setting} = {p.value} ({p.path}:{p.line})"
            if p.protective and p.setting in BLOCKING and protected:
                mitigations.append(f"{where}: {p.note}")
            elif not p.protective:
                why.append(f"{where}: {p.note}")
                if p.setting in BACKUP_SETTINGS:
                    backups = True
    return replace(capability, why=tuple(dict.fromkeys(why)), mitigations=tuple(mitigations),
                   backups_in_blast_radius=backups)
