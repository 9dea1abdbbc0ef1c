"""The report: one self-contained HTML page built from the public API.

>>> from allegiance.report import render_report          # doctest: +SKIP
>>> render_report(al.open(), "out/report.html")          # doctest: +SKIP
"""

from allegiance.report.render import ReportIncomplete, render_report
from allegiance.report.section import Citation, Section

__all__ = ["Citation", "ReportIncomplete", "Section", "render_report"]
