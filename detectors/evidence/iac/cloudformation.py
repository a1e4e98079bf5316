"""CloudFormation templates (YAML or JSON): IAM policies and deletion settings.

IAM (providers.md §2.4): ``AWS::IAM::Policy`` / ``ManagedPolicy`` ``PolicyDocument``,
``AWS::IAM::Role`` / ``User`` / ``Group`` inline ``Policies[].PolicyDocument`` and
``ManagedPolicyArns``. Protections (providers.md §2.5): ``DeletionPolicy`` on every
resource (and its absence on stateful ones), RDS ``DeletionProtection``, DynamoDB
``DeletionProtectionEnabled`` and PITR, S3 versioning and Object Lock, EC2
``DisableApiTermination``, and ``AWS::Backup::BackupVault`` lock mode.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac import hints, notes, policy, yamldocs
from blastscan.detectors.evidence.iac.model import Finding, Protection
from blastscan.detectors.match.finishing import finishing

# Types whose deletion destroys data, so a missing DeletionPolicy is worth reporting.
_STATEFUL = frozenset({"AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::S3::Bucket",
                       "AWS::DynamoDB::Table", "AWS::EC2::Volume", "AWS::EFS::FileSystem"})
_IAM_HOLDERS = frozenset({"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"})
_NAME_PROPS = ("DBInstanceIdentifier", "DBClusterIdentifier", "BucketName", "TableName",
               "RoleName", "UserName", "BackupVaultName")


def collect(doc: Document) -> Iterator[Finding]:
    lines = yamldocs.KeyLines(doc)
    for template in _templates(doc):
        resources = yamldocs.mapping(template.get("Resources"))
        for logical, raw in resources.items():
            resource = yamldocs.mapping(raw)
            if isinstance(resource.get("Type"), str):
                yield from _resource(doc, lines, logical, resource)


def _templates(doc: Document) -> Iterator[dict[str, object]]:
    if doc.path.endswith(".json") or doc.text.lstrip().startswith("{"):
        try:
            with finishing("JSON"):  # nesting past the stack: counted, not "nothing found"
                data = json.loads(doc.text)
        except ValueError:  # malformed JSON: nothing
            return
        yield yamldocs.mapping(data)
        return
    for _line, data in yamldocs.documents(doc.text):
        yield yamldocs.mapping(data)


def _resource(doc: Document, lines: yamldocs.KeyLines, logical: str,
              resource: dict[str, object]) -> Iterator[Finding]:
    rtype = str(resource["Type"])
    props = yamldocs.mapping(resource.get("Properties"))
    line = lines.line(logical) or 1
    start = doc.line_span(line)[0]
    tags = {str(t.get("Key")): t.get("Value") for t in _list(props.get("Tags"))
            if isinstance(t, dict)}
    names = [logical, *(v for k in _NAME_PROPS if isinstance(v := props.get(k), str))]
    env = hints.choose(tags, names, doc.path)

    def emit(setting: str, value: object, protective: bool, note: str) -> Protection:
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        return Protection(doc.path, line, logical, rtype, setting, shown, protective, env, note)

    if rtype in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        holders = [str(h) for k in ("Roles", "Users", "Groups") for h in _list(props.get(k))]
        for principal in holders or [logical]:
            yield from policy.grants(props.get("PolicyDocument"), path=doc.path, line=line,
                                     principal=principal,
                                     locate=policy.text_locator(doc, start))
    if rtype in _IAM_HOLDERS:
        for inline in _list(props.get("Policies")):
            yield from policy.grants(yamldocs.mapping(inline).get("PolicyDocument"),
                                     path=doc.path, line=line, principal=logical,
                                     locate=policy.text_locator(doc, start))
        for arn in policy.strings(props.get("ManagedPolicyArns")):
            yield policy.managed(arn, path=doc.path, line=line, principal=logical)

    deletion_policy = resource.get("DeletionPolicy")
    if deletion_policy is not None or rtype in _STATEFUL:
        shown = deletion_policy if deletion_policy is not None else "absent (Delete)"
        yield emit("DeletionPolicy", shown, deletion_policy in ("Retain", "Snapshot",
                   "RetainExceptOnCreate"), notes.CFN_DELETION_POLICY)
    if rtype in ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster"):
        on = _true(props.get("DeletionProtection"))
        yield emit("DeletionProtection", props.get("DeletionProtection", "absent (false)"), on,
                   notes.CFN_RDS_DELETION_PROTECTION)
    elif rtype == "AWS::DynamoDB::Table":
        flag = props.get("DeletionProtectionEnabled", "absent (false)")
        yield emit("DeletionProtectionEnabled", flag, _true(flag),
                   notes.DYNAMODB_DELETION_PROTECTION)
        pitr = yamldocs.mapping(props.get("PointInTimeRecoverySpecification"))
        on = _true(pitr.get("PointInTimeRecoveryEnabled"))
        yield emit("PointInTimeRecoveryEnabled", "true" if on else "absent (off)"
                   if not pitr else pitr.get("PointInTimeRecoveryEnabled"), on, notes.DYNAMODB_PITR)
    elif rtype == "AWS::S3::Bucket":
        status = yamldocs.mapping(props.get("VersioningConfiguration")).get("Status")
        if status is not None:
            yield emit("VersioningConfiguration", status, status == "Enabled",
                       notes.S3_VERSIONING)
        if _true(props.get("ObjectLockEnabled")):
            yield emit("ObjectLockEnabled", "true", True, notes.S3_VERSIONING)
    elif rtype == "AWS::EC2::Instance" and "DisableApiTermination" in props:
        flag = props["DisableApiTermination"]
        yield emit("DisableApiTermination", flag, _true(flag), notes.EC2_TERMINATION)
    elif rtype == "AWS::Backup::BackupVault" and "LockConfiguration" in props:
        compliance = "ChangeableForDays" in yamldocs.mapping(props["LockConfiguration"])
        yield emit("LockConfiguration", "compliance" if compliance else "governance", compliance,
                   notes.VAULT_COMPLIANCE if compliance else notes.VAULT_GOVERNANCE)


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _true(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")
