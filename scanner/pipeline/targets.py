"""The files one scan reads, produced as the walk finds them.

The scan pool starts on the first few hundred files while the walk goes on, instead of
waiting for a complete listing (the walk is a tenth of a second of a large tree). The
refs handed out so far stay in ``refs`` (the engine needs each result's file), and what
the walk passed over is in ``skipped`` and ``excluded`` once it is done.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from blastscan.scanner.config.scan import ScanConfig
from blastscan.scanner.errors import TargetError
from blastscan.scanner.models import SkipReason
from blastscan.scanner.pipeline import discovery, sources, staged
from blastscan.scanner.pipeline.select import FileFilter


class Targets:
    def __init__(self, config: ScanConfig) -> None:
        root = config.target
        if not root.exists():
            raise TargetError(f"target does not exist: {root}")
        if not root.is_dir():
            raise TargetError(f"target is not a directory: {root}")
        if config.home is not None and not config.home.is_dir():
            raise TargetError(f"--home is not a directory: {config.home}")
        self.config = config
        self.walk = discovery.Walk(root, max_file_size=config.max_file_size,
                                   include_deps=config.include_deps)
        self.chosen = FileFilter(config.include, config.exclude)
        self.refs: list[discovery.FileRef] = []
        self.excluded = 0

    @property
    def skipped(self) -> Counter[SkipReason]:
        return self.walk.skipped

    def __iter__(self) -> Iterator[discovery.FileRef]:
        config = self.config
        found = iter(self.walk) if config.files is None else iter(staged.refs(
            self.walk.root, config.files, max_file_size=config.max_file_size,
            include_deps=config.include_deps, skipped=self.walk.skipped))
        for ref in found:
            if self.chosen.active and not self.chosen.wants(ref.rel):
                self.excluded += 1
                continue
            self.refs.append(ref)
            yield ref
        if config.home is not None:
            for ref in sources.home_refs(config.home, config.max_file_size, self.walk.skipped):
                self.refs.append(ref)
                yield ref
