"""Import of members from Excel: the template, validation, the all-or-nothing write, background runs."""

from .files import FileRefused
from .report import ImportReport, RowError
from .runs import import_progress, run_import, start_import
from .service import members_import
from .template import build_template

__all__ = [
    "FileRefused",
    "ImportReport",
    "RowError",
    "build_template",
    "import_progress",
    "members_import",
    "run_import",
    "start_import",
]
