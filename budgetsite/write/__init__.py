"""Write (the last stage): write the site into a fresh folder beside the output, then swap it in (swap);
serve replaces files one by one instead (in_place). Only a folder this generator made is written
(folder), and its files are readable by all (files).
"""
from __future__ import annotations

from .files import SiteWriter, files_under, public_folder, remove_folder, scan, signature
from .folder import MARKER, MARKER_TEXT, check_output_folder, output_lock
from .in_place import Listing, as_recorded, listing, updated_in_place
from .swap import staged_output

__all__ = [
    "SiteWriter",
    "public_folder",
    "remove_folder",
    "scan",
    "files_under",
    "MARKER",
    "MARKER_TEXT",
    "check_output_folder",
    "output_lock",
    "staged_output",
    "Listing",
    "signature",
    "listing",
    "as_recorded",
    "updated_in_place",
]
