"""The site as a web archive: one WARC `response` record for every file of
the built site, as GitHub Pages serves it at the site's base URL, packed by
py-wacz into a WACZ that ReplayWeb.page and pywb replay under the original
addresses. Nothing is crawled and nothing leaves the machine: the records are
made from the files on disk. Every record carries the archive's day, and its
id is derived from what it holds, so the same site archived on the same day
gives the same WARC, byte for byte."""
from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from mimetypes import MimeTypes
from pathlib import Path
from urllib.parse import quote

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# What GitHub Pages says each kind of file is; the site's text is all UTF-8.
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".png": "image/png",
    ".webmanifest": "application/manifest+json; charset=utf-8",
}
# Anything else from Python's own table only: MimeTypes() does not read the
# machine's /etc/mime.types, which differs from one computer to the next.
_OTHER_TYPES = MimeTypes()

_TITLE = re.compile(rb"<title>(.*?)</title>", re.S | re.I)
_NOINDEX = re.compile(rb"<meta name=\"robots\" content=\"[^\"]*noindex", re.I)


def content_type(rel: str) -> str:
    suffix = os.path.splitext(rel)[1].lower()
    return _TYPES.get(suffix) or _OTHER_TYPES.guess_type(rel)[0] or "application/octet-stream"


def url_of(base_url: str, rel: str) -> str:
    """Where rel (a path inside the site, with /) is served."""
    return base_url + quote(rel, safe="/")


def warc_date(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _record_id(*parts: str) -> str:
    # Not random (warcio's default): the same record gets the same id, and
    # different content (a different digest) a different one.
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ' '.join(parts))}>"


def _served(rel: str, size: int) -> StatusAndHeaders:
    return StatusAndHeaders("200 OK", [("Content-Type", content_type(rel)), ("Content-Length", str(size))],
                            protocol="HTTP/1.1")


def write_warc(site_dir: Path, files: Iterable[str], warc: Path, base_url: str, day: date,
               info: Mapping[str, str]) -> None:
    """Write warc (gzip per record): a warcinfo record saying what this is
    (info), then a response for each of files (paths inside site_dir, with /),
    at base_url + path. index.html comes first, followed by a revisit record
    for base_url itself, the address readers know: GitHub Pages serves
    index.html there too, and a revisit says so without a second copy.
    Files are streamed from disk one at a time."""
    when = warc_date(day)
    order = sorted(files, key=lambda rel: (rel != "index.html", rel))
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        record = writer.create_warcinfo_record(warc.name, dict(info))
        record.rec_headers.replace_header("WARC-Date", when)
        record.rec_headers.replace_header("WARC-Record-ID", _record_id("warcinfo", warc.name, when, *info.values()))
        writer.write_record(record)
        for rel in order:
            url = url_of(base_url, rel)
            with (site_dir / rel).open("rb") as payload:
                size = os.fstat(payload.fileno()).st_size
                record = writer.create_warc_record(url, "response", payload=payload, length=size,
                                                   http_headers=_served(rel, size), warc_headers_dict={"WARC-Date": when})
                digest = record.rec_headers.get_header("WARC-Payload-Digest")  # made by warcio as it read the file
                record.rec_headers.replace_header("WARC-Record-ID", _record_id(url, when, digest))
                writer.write_record(record)
            if rel == "index.html":
                revisit = writer.create_revisit_record(
                    base_url, digest, url, when, http_headers=_served(rel, size),
                    warc_headers_dict={"WARC-Date": when, "WARC-Record-ID": _record_id(base_url, when, digest)})
                writer.write_record(revisit)


def page_title(path: Path) -> str | None:
    """The <title> of an HTML page meant to be found; None for one that
    asks search engines not to list it (a chart's embed page)."""
    with path.open("rb") as f:
        head = f.read(16384)
    if _NOINDEX.search(head):
        return None
    m = _TITLE.search(head)
    return " ".join(html.unescape(m[1].decode("utf-8", "replace")).split()) if m else path.name


def pages_jsonl(site_dir: Path, files: Iterable[str], base_url: str, day: date, title: str) -> str:
    """The WACZ's list of pages (json-pages-1.0): the home page at base_url,
    then every other HTML page with its <title>, except 404.html and pages
    marked noindex: they are in the WARC, but no page to browse to."""
    when = warc_date(day)
    files = sorted(files)
    lines: list[dict[str, str]] = [{"format": "json-pages-1.0", "id": "pages", "title": title}]
    if "index.html" in files:
        lines.append({"url": base_url, "title": title})
    for rel in files:
        if rel.endswith(".html") and rel not in ("index.html", "404.html") and (name := page_title(site_dir / rel)):
            lines.append({"url": url_of(base_url, rel), "title": name})
    for page in lines[1:]:
        # An id of our own, or py-wacz makes a random one.
        page |= {"ts": when, "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{page['url']} {when}").hex}
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


class WaczError(RuntimeError):
    pass


def make_wacz(warc: Path, pages: Path, wacz: Path, base_url: str | None, day: date, title: str, description: str) -> None:
    """Pack warc into wacz with py-wacz (its own `wacz create`): the index
    ReplayWeb.page and pywb read, pages as given, base_url (if given: it must
    have a record) as the main page.
    Offline: py-wacz canonicalises URLs with surt, which asks tldextract for
    the public suffix list only when told to (public_suffix), and it is not."""
    # Imported here: py-wacz pulls in frictionless, slow to import, and only
    # the archive needs it.
    from wacz.main import main as wacz_main

    # --name=value: a title or description starting with "-" is no option.
    args = ["create", "-o", str(wacz), "-p", str(pages), f"--title={title}", f"--desc={description}", str(warc)]
    if base_url:
        args += [f"--url={base_url}", f"--date={warc_date(day)}"]
    said = io.StringIO()
    with contextlib.redirect_stdout(said):  # py-wacz reports each step on stdout
        status = wacz_main(args)
    if status != 0:
        raise WaczError(f"웹 아카이브(WACZ)를 만들지 못했습니다(wacz create): {' '.join(said.getvalue().split())}")
