"""Real trees to scan: pinned sdists from PyPI, and N side-by-side copies of one of them.

Everything lands under ``benchmarks/.cache/`` (gitignored) and is reused on later runs;
delete that folder to start over.
"""

from __future__ import annotations

import os
import random
import shutil
import string
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache"

# Pinned so that every run, on every machine, scans the same bytes. Chosen for variety:
# SQLAlchemy is mostly Python, ansible-core mixes Python, YAML, shell and INI, Django
# adds templates, static files and thousands of locale files, and botocore is dominated
# by large JSON service models.
SDISTS: dict[str, str] = {
    "sqlalchemy": "SQLAlchemy==2.0.36",
    "ansible-core": "ansible-core==2.18.1",
    "django": "Django==5.1.4",
    "botocore": "botocore==1.35.90",
}


def fetch_sdist(spec: str) -> Path:
    """Download and extract the sdist ``spec`` (``NAME==VERSION``); return its top folder."""
    name, sep, version = spec.partition("==")
    if not sep or not name or not version:
        sys.exit(f"error: a package must be NAME==VERSION, got {spec!r}")
    slug = f"{name}-{version}".replace("/", "_")
    dest = CACHE_DIR / "trees" / slug
    if (dest / ".extracted").is_file():
        return tree_root(dest)

    downloads = CACHE_DIR / "sdists" / slug
    downloads.mkdir(parents=True, exist_ok=True)
    if not any(downloads.iterdir()):
        print(f"downloading sdist {spec} ...", file=sys.stderr)
        # --no-binary: the sdist is the source tree a developer would have checked out;
        # a wheel would drop tests and docs.
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
             "--disable-pip-version-check", "-q", spec, "-d", str(downloads)],
            check=True,
        )
    archives = sorted(downloads.iterdir())
    if len(archives) != 1:
        sys.exit(f"error: expected one sdist in {downloads}, found {[a.name for a in archives]}")

    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    archive = archives[0]
    print(f"extracting {archive.name} ...", file=sys.stderr)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(dest)
    else:
        with tarfile.open(archive) as tf:
            tf.extractall(dest, filter="data")
    (dest / ".extracted").touch()  # written last: an interrupted extraction starts over
    return tree_root(dest)


def tree_root(dest: Path) -> Path:
    """An sdist unpacks to one top folder: scan that, not the cache folder around it."""
    entries = [p for p in dest.iterdir() if p.name != ".extracted"]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else dest


def tree_size(tree: Path) -> tuple[int, int]:
    """Regular files under ``tree`` and their total bytes (symlinks not followed).

    ``.git`` is skipped: for a repository this counts the worktree a file scan reads.
    Marker files this module writes are not counted either.
    """
    files = size = 0
    for dirpath, dirnames, filenames in os.walk(tree):
        if ".git" in dirnames:
            dirnames.remove(".git")
        for fname in filenames:
            if fname in (".extracted", ".complete"):
                continue
            path = os.path.join(dirpath, fname)
            if not os.path.islink(path) and os.path.isfile(path):
                files += 1
                size += os.path.getsize(path)
    return files, size


def warm(root: Path) -> None:
    """Read every file under ``root`` once, so no tool pays for a cold page cache."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for fname in filenames:
            path = os.path.join(dirpath, fname)
            if os.path.islink(path):
                continue
            try:
                with open(path, "rb") as fh:
                    while fh.read(1 << 20):
                        pass
            except OSError:
                pass


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def scaled_copies(tree: Path, copies: int) -> Path:
    """``.cache/scaling/<tree>/<copies>x`` holding ``copies`` copies of ``tree`` (reused).

    Hard links where the file system allows, so the copies cost no disk. A scanner reads
    a linked copy like any other file; one that skipped contents it had already seen
    would make the copies look cheaper than a real tree of that size (blastscan does not,
    for worktree files, at the time of writing).
    """
    target = CACHE_DIR / "scaling" / tree.name / f"{copies}x"
    done = target / ".complete"
    if done.exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for n in range(copies):
        shutil.copytree(tree, target / f"copy{n}", symlinks=True, copy_function=_link_or_copy)
    done.write_text("")
    return target


def generated_bundle(values: int) -> Path:
    """``.cache/generated/<values>/bundle.min.js``: one line of ``values`` distinct
    ``apiKey:"…"`` assignments of 24 random characters (seeded: the same bytes every
    time), as a minified build might hold. Every one is a generic-secret candidate, so
    the file measures what each credential costs past detection: merge, reach, the graph
    and the report."""
    target = CACHE_DIR / "generated" / str(values)
    bundle = target / "bundle.min.js"
    if bundle.is_file():
        return target
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    alphabet = string.ascii_letters + string.digits
    parts = (f't{i}={{apiKey:"{"".join(rng.choices(alphabet, k=24))}"}}' for i in range(values))
    bundle.write_text("!function(){var " + ",".join(parts) + "}();\n", encoding="utf-8")
    return target
