"""Terraform protection settings and their absences (providers.md §2.5).

Each rule reads one attribute; when it is absent, the documented provider default is
reported (``delete_automated_backups`` defaults to true, so an RDS instance that never
mentions it has its automated backups inside the blast radius). A value that is not a
literal (``var.protect``) is not proof of protection and is reported as a risk.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple, Protocol

from blastscan.detectors.base import Document
from blastscan.detectors.evidence.iac import hcl, hints, notes
from blastscan.detectors.evidence.iac.model import Protection


class _Rule(NamedTuple):
    attribute: str
    protective_value: bool
    default: bool | None  # None: say nothing when the attribute is absent
    note: str


_RDS = (_Rule("deletion_protection", True, False, notes.RDS_DELETION_PROTECTION),
        _Rule("skip_final_snapshot", False, False, notes.RDS_SKIP_FINAL_SNAPSHOT))
_RULES: dict[str, tuple[_Rule, ...]] = {
    "aws_db_instance": (*_RDS, _Rule("delete_automated_backups", False, True,
                                     notes.RDS_DELETE_AUTOMATED_BACKUPS)),
    "aws_rds_cluster": _RDS,
    "aws_s3_bucket": (_Rule("force_destroy", False, None, notes.S3_FORCE_DESTROY),
                      _Rule("object_lock_enabled", True, None, notes.S3_VERSIONING)),
    "aws_dynamodb_table": (_Rule("deletion_protection_enabled", True, False,
                                 notes.DYNAMODB_DELETION_PROTECTION),),
    "aws_instance": (_Rule("disable_api_termination", True, None, notes.EC2_TERMINATION),),
}
_NAME_ATTRS = ("name", "identifier", "cluster_identifier", "bucket", "table_name")


def collect(doc: Document, blocks: tuple[hcl.Block, ...]) -> Iterator[Protection]:
    backend_keys = [str(b.attributes.get("key", "")) for t in blocks if t.type == "terraform"
                    for b in t.children("backend")]
    for block in blocks:
        if block.type == "resource" and len(block.labels) == 2:
            yield from _resource(doc, block, backend_keys)


def _resource(doc: Document, block: hcl.Block, backend_keys: list[str]) -> Iterator[Protection]:
    kind, name = block.labels
    tags = block.attributes.get("tags")
    names = [name, *(v for k in _NAME_ATTRS if isinstance(v := block.attributes.get(k), str))]
    env = hints.choose(tags if isinstance(tags, dict) else {}, [*names, *backend_keys], doc.path)
    resource = f"{kind}.{name}"

    def emit(setting: str, value: str, protective: bool, note: str, line: int,
             target: str = resource) -> Protection:
        return Protection(doc.path, line, target, kind, setting, value, protective, env, note)

    for rule in _RULES.get(kind, ()):
        raw = block.attributes.get(rule.attribute, _ABSENT)
        if raw is _ABSENT and rule.default is None:
            continue
        flag, shown = (rule.default, f"absent (default {str(rule.default).lower()})") \
            if raw is _ABSENT else (_bool(raw), _show(raw))
        note = rule.note if flag is not None else f"{rule.note}; {notes.NOT_LITERAL}"
        yield emit(rule.attribute, shown, flag is rule.protective_value, note,
                   block.line_of(rule.attribute))
    if kind in ("aws_db_instance", "aws_rds_cluster"):
        yield from _retention(block, emit, cluster=kind == "aws_rds_cluster")
    if kind == "aws_dynamodb_table":
        pitr = block.children("point_in_time_recovery")
        on = bool(pitr) and _bool(pitr[0].attributes.get("enabled")) is True
        yield emit("point_in_time_recovery", "enabled" if on else "disabled" if pitr else
                   "absent (off)", on, notes.DYNAMODB_PITR, pitr[0].line if pitr else block.line)
    if kind in ("aws_s3_bucket_versioning", "aws_s3_bucket"):
        for conf in block.children("versioning_configuration") + block.children("versioning"):
            status = conf.attributes.get("status", conf.attributes.get("enabled"))
            on = status == "Enabled" or status is True
            yield emit("versioning", _show(status), on, notes.S3_VERSIONING, conf.line,
                       _target(block, resource))
    if kind == "aws_s3_bucket_object_lock_configuration":
        modes = [_show(d.attributes.get("mode")) for r in block.children("rule")
                 for d in r.children("default_retention")]
        mode = modes[0] if modes else "enabled"
        governance = mode.upper() == "GOVERNANCE"
        yield emit("object_lock", mode, not governance,
                   notes.S3_GOVERNANCE if governance else notes.S3_VERSIONING, block.line,
                   _target(block, resource))
    if kind == "aws_backup_vault_lock_configuration":
        compliance = "changeable_for_days" in block.attributes
        yield emit("vault_lock", "compliance" if compliance else "governance", compliance,
                   notes.VAULT_COMPLIANCE if compliance else notes.VAULT_GOVERNANCE, block.line,
                   _target(block, resource, "backup_vault_name"))
    for life in block.children("lifecycle"):
        if _bool(life.attributes.get("prevent_destroy")) is True:
            yield emit("prevent_destroy", "true", True, notes.PREVENT_DESTROY,
                       life.line_of("prevent_destroy"))


def _retention(block: hcl.Block, emit: _Emit, *, cluster: bool) -> Iterator[Protection]:
    raw = block.attributes.get("backup_retention_period", _ABSENT)
    note = notes.RDS_CLUSTER_RETENTION if cluster else notes.RDS_BACKUP_RETENTION
    if raw is _ABSENT:
        if not cluster:  # only aws_db_instance's default (0) is documented in providers.md
            yield emit("backup_retention_period", "absent (default 0)", False, note, block.line)
        return
    days = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    yield emit("backup_retention_period", _show(raw), bool(days),
               note if days is not None else f"{note}; {notes.NOT_LITERAL}",
               block.line_of("backup_retention_period"))


class _Emit(Protocol):  # the shape of ``emit`` in _resource, for typing _retention
    def __call__(self, setting: str, value: str, protective: bool, note: str, line: int,
                 target: str = ...) -> Protection: ...


_ABSENT: hcl.Value = hcl.Expr("<absent>")


def _bool(value: hcl.Value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _show(value: hcl.Value) -> str:
    if isinstance(value, hcl.Expr):
        return value.text
    return str(value).lower() if isinstance(value, bool) else str(value)


def _target(block: hcl.Block, fallback: str, attribute: str = "bucket") -> str:
    """The protected resource of a companion block (``bucket = aws_s3_bucket.data.id``)."""
    value = block.attributes.get(attribute)
    if isinstance(value, hcl.Expr):
        return value.text.removesuffix(".id").removesuffix(".name").removesuffix(".bucket")
    return value if isinstance(value, str) else fallback
