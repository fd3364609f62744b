"""What one build keeps for the next in the same process: the one place that
holds state between builds (serve, the benchmark). A Builder owns one;
a one-off build makes a fresh one and drops it with the process.

Every store here is optional speed: with an empty Memory a build reads,
checks and renders everything, and makes the same site.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Memory:
    # load: path → (signature, document, problems) of each file as last read;
    # a document carries what checks and the model made of it (checked, made).
    files: dict = field(default_factory=dict)
    # load: each content folder's last listing, and the paths made of it.
    listings: dict = field(default_factory=dict)
    # freshness: file → ((size, mtime, inode), sha256), and the input folders'
    # files as last read (so a save looks at one file, not every one).
    hashes: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    # freshness: a project file's digest → digest of what lists show of it.
    shown: dict = field(default_factory=dict)
    # validate: each department's sums of its projects' figures, and the
    # number of the last world files were checked against.
    department_sums: Any = None
    worlds: list = field(default_factory=lambda: [None, 0])
    # search: project id → what its entry was made of, and the entry.
    search_entries: dict = field(default_factory=dict)
    # pipeline: the last sitemap, by all it is made of.
    sitemaps: dict = field(default_factory=dict)

    def reset(self) -> None:
        """Forget everything, as a new process would start."""
        self.__dict__.update(Memory().__dict__)
