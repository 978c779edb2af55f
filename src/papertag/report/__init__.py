"""Survey reports from tagged papers: cross tables, trends, claims, gold-corrected counts, plots and an
HTML page (``papertag report``), and exports (``papertag export``).

Example::

    from papertag.report import build_report, write_report
    from papertag.report.load import load_papers
    from papertag.taxonomy import load_taxonomy

    rep = build_report(load_papers(["tagged.jsonl"]).papers, load_taxonomy())
    write_report(rep, "report/")
"""

from __future__ import annotations

from .build import DEFAULT_PAIRS, Report, build_report, write_report
from .frame import Filters, ReportError, apply_filters, long_frame, papers_frame, parse_where
from .tables import CrossTable, crosstab
from .trends import Trends, label_trends, rising_labels

__all__ = ["CrossTable", "DEFAULT_PAIRS", "Filters", "Report", "ReportError", "Trends", "apply_filters",
           "build_report", "crosstab", "label_trends", "long_frame", "papers_frame", "parse_where", "rising_labels",
           "write_report"]
