"""The providers.md facts quoted by each protection finding, with their source tags.

One place for the wording, so Terraform and CloudFormation findings about the same
setting explain it the same way.
"""

from __future__ import annotations

_TF_RDS = "[TF-AWS:db_instance.html.markdown] (providers.md §2.5)"
_LOCK = "[TF-AWS:backup_vault_lock_configuration.html.markdown] (providers.md §2.5)"

RDS_DELETION_PROTECTION = f"deletion_protection defaults to false {_TF_RDS}"
RDS_SKIP_FINAL_SNAPSHOT = (
    "skip_final_snapshot defaults to false; true means no final snapshot is taken when the "
    f"database is deleted {_TF_RDS}")
RDS_DELETE_AUTOMATED_BACKUPS = (
    "delete_automated_backups defaults to true: 'When you delete a DB instance, all automated "
    "backups for that instance are deleted and can't be recovered' (aws rds delete-db-instance "
    f"docs) {_TF_RDS}")
RDS_BACKUP_RETENTION = f"backup_retention_period defaults to 0 (no automated backups) {_TF_RDS}"
RDS_CLUSTER_RETENTION = (
    "backup_retention_period on aws_rds_cluster; UNCERTAIN: cluster-level automated-backup "
    "retention semantics were not re-verified (providers.md §2.5)")
S3_FORCE_DESTROY = (
    "force_destroy = true lets Terraform empty and delete a bucket (providers.md §2.5; "
    "UNCERTAIN, not re-fetched)")
S3_VERSIONING = (
    "versioning and Object Lock are protective; without them s3:DeleteObject* destroys data "
    "(providers.md §2.5)")
S3_GOVERNANCE = (
    "Object Lock in GOVERNANCE mode can be bypassed with s3:BypassGovernanceRetention "
    "(providers.md §2.4)")
DYNAMODB_DELETION_PROTECTION = (
    "DynamoDB deletion protection (Terraform deletion_protection_enabled, CloudFormation "
    "DeletionProtectionEnabled; AWS Config rule dynamodb-table-deletion-protection-enabled; "
    "providers.md §2.5)")
DYNAMODB_PITR = (
    "'Delete a table with PITR enabled' gives a system backup retained after table deletion "
    "(PointInTimeRecovery_Howitworks; providers.md §2.5); without PITR nothing survives")
EC2_TERMINATION = (
    "disable_api_termination / DisableApiTermination blocks termination until "
    "ec2:ModifyInstanceAttribute turns it off (providers.md §2.4, §2.5)")
PREVENT_DESTROY = (
    "lifecycle { prevent_destroy = true } (providers.md §2.5, Terraform generic): Terraform "
    "refuses to destroy it; API calls made directly with a key are not stopped")
VAULT_COMPLIANCE = (
    "changeable_for_days set: compliance-mode Vault Lock; after the grace time the lock is "
    f"immutable for everyone, including root {_LOCK}")
VAULT_GOVERNANCE = (
    "changeable_for_days omitted: governance-mode Vault Lock; principals with "
    f"backup:DeleteBackupVaultLockConfiguration can remove it {_LOCK}")
CFN_DELETION_POLICY = (
    "cloudformation:DeleteStack deletes every resource without a DeletionPolicy: Retain "
    "(providers.md §2.4); Retain and Snapshot keep data (providers.md §2.5)")
CFN_RDS_DELETION_PROTECTION = (
    "DeletionProtection: true on AWS::RDS::DBInstance / DBCluster (providers.md §2.5)")
K8S_RECLAIM = (
    "reclaim policy Delete 'removes both the PersistentVolume object from Kubernetes, as well "
    "as the associated storage asset'; StorageClass reclaimPolicy defaults to Delete; Retain "
    "is protective (kubernetes.io persistent-volumes; providers.md §10.3)")
NOT_LITERAL = "not a literal value, so the protection is not proven"
