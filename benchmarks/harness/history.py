"""A synthetic git repository with many commits, built locally (nothing cloned or fetched)."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

from harness.trees import CACHE_DIR

FILES = 400


def synthetic(commits: int) -> Path:
    """A repository of ``commits`` commits over ``FILES`` files, built once and cached.

    A few files change per commit, a fake token appears now and then (and is deleted by
    the next change to that file, so only history holds it), with three branches and a
    tag. ``git fast-import`` writes it in seconds; committing one by one would take
    minutes for 10,000 commits.
    """
    repo = CACHE_DIR / f"history-{commits}"
    if (repo / ".git" / "bench-complete").is_file():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], check=True)
    rng = random.Random(7)  # same repository on every machine
    stream = bytearray()
    for n in range(1, commits + 1):
        message = f"commit {n}\n".encode()
        stream += b"commit refs/heads/main\nmark :%d\n" % n
        stream += b"committer t <t@x> %d +0000\ndata %d\n%s" % (
            1_600_000_000 + n, len(message), message)
        if n > 1:
            stream += b"from :%d\n" % (n - 1)
        for _ in range(rng.randint(1, 6)):
            name = f"src/mod{rng.randrange(FILES)}.py"
            body = "".join(f"value_{i} = {rng.random()!r}  # line {i}\n"
                           for i in range(rng.randint(20, 200)))
            if n % 97 == 0:
                body += f'GITHUB_TOKEN = "ghp_{rng.getrandbits(160):040x}"\n'
            data = body.encode()
            stream += b"M 100644 inline %s\ndata %d\n%s\n" % (name.encode(), len(data), data)
    subprocess.run([*git, "fast-import", "--quiet"], input=bytes(stream), check=True)
    for i, at in enumerate((commits // 4, commits // 2, 3 * commits // 4)):
        subprocess.run([*git, "branch", f"b{i}", f"main~{commits - at}"], check=True)
    subprocess.run([*git, "tag", "v1", f"main~{commits // 3}"], check=True)
    subprocess.run([*git, "reset", "-q", "--hard", "main"], check=True)
    (repo / ".git" / "bench-complete").touch()
    return repo


def history_size(repo: Path) -> tuple[int, int]:
    """Commits and unique blobs reachable from any ref: the work a history scan faces."""
    git = ["git", "-C", str(repo)]
    commits = int(subprocess.run([*git, "rev-list", "--all", "--count"], capture_output=True,
                                 text=True, check=True).stdout)
    objects = subprocess.run([*git, "rev-list", "--all", "--objects", "--no-object-names"],
                             capture_output=True, check=True).stdout
    types = subprocess.run([*git, "cat-file", "--batch-check=%(objecttype)"], input=objects,
                           capture_output=True, check=True).stdout
    return commits, types.split().count(b"blob")
