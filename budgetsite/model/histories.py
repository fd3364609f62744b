"""Revenue items over the years (issue 27 §2): which printed rows are one
item, and each item's stable address.

Rows are one item when their names are the same but for spacing (경상적
세외수입, 경상적세외수입): Korean tables space names as the column allows.
Names that differ in any other way stay apart, however alike, unless the
sources say they are one item: the content records no such statement
(재산임대수입 and 공유재산임대료 are a 항 and the 목 under it, not one item).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .figures import FigureSet, RevenueFigure
from .places import Site

# Revised Romanization of each syllable's letters, without the rules that
# join syllables: an address, not a pronunciation.
_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_MEDIAL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
           "yu", "eu", "ui", "i"]
_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
          "ng", "t", "t", "k", "t", "p", "t"]

# Folders of the revenue page itself (its tables' downloads, its charts' embed pages).
_TAKEN = frozenset({"tables", "embed", "index"})
_LONGEST = 60


def item_key(name: str) -> str:
    """What makes two printed names one item: the name without its spaces."""
    return "".join(name.split())


def romanized(name: str) -> str:
    """name in ASCII letters, digits and hyphens: Hangul romanized syllable by syllable."""
    out: list[str] = []
    for ch in name:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIAL[code // 588] + _MEDIAL[(code % 588) // 28] + _FINAL[code % 28])
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
        else:
            out.append("-")
    return re.sub(r"-+", "-", "".join(out)).strip("-")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:6]


def slugs(keys: list[str]) -> dict[str, str]:
    """Each item's address: its romanized name, or with a short hash of the
    name where two names romanize alike, where it is long or where it would
    take a folder of the revenue page. The same name always gets the same
    address while no other name romanizes like it."""
    plain = {k: romanized(k) or "item" for k in keys}
    count: dict[str, int] = {}
    for s in plain.values():
        count[s] = count.get(s, 0) + 1
    out = {}
    for k, s in plain.items():
        if count[s] > 1 or s in _TAKEN or len(s) > _LONGEST:
            s = f"{s[:_LONGEST].rstrip('-')}-{_hash(k)}"
        out[k] = s
    return out


@dataclass
class RevenueItem:
    """One revenue item: every printed row of it, in every document and table."""
    key: str
    slug: str
    figures: FigureSet
    names: list[str] = field(default_factory=list)      # as printed, most printed first
    parents: list[str] = field(default_factory=list)    # the rows it adds into, as printed
    children: list[str] = field(default_factory=list)   # keys of the rows that add into it

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def path(self) -> str:
        return f"revenue/{self.slug}/index.html"

    @property
    def rows(self) -> list[RevenueFigure]:
        return self.figures.all  # type: ignore[return-value]


def revenue_items(site: Site) -> list[RevenueItem]:
    """Every revenue item, in the order the revenue page first prints them."""
    if site.revenue is None:
        return []
    by_key: dict[str, list[RevenueFigure]] = {}
    for f in site.revenue.items:
        by_key.setdefault(item_key(f.item), []).append(f)
    addresses = slugs(list(by_key))
    items = []
    for key, rows in by_key.items():
        spellings: dict[str, int] = {}
        for f in rows:
            spellings[f.item] = spellings.get(f.item, 0) + 1
        names = sorted(spellings, key=lambda n: -spellings[n])  # stable: ties keep first-printed order
        # One name a parent item, as first printed (spellings apart only by spaces are one item).
        parents = list({item_key(f.parent): f.parent for f in reversed(rows) if f.parent}.values())[::-1]
        children = list(dict.fromkeys(item_key(f.item) for f in site.revenue.items
                                      if f.parent and item_key(f.parent) == key))
        items.append(RevenueItem(key, addresses[key], FigureSet(list(rows)), names, parents, children))
    return items

