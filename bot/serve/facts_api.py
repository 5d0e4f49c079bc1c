"""The statutory-table facts over HTTP: GET /api/facts (JSON or CSV) and GET /api/facts/checks."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter
from fastapi.responses import Response

from bot.serve.state import AppState

CSV_FIELDS = ("doc_id", "body", "year", "table", "row", "row_label", "column", "value", "unit", "uncertain",
              "start", "end")


def facts_csv(facts) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for f in facts:
        writer.writerow(f.to_json())
    return "\ufeff" + out.getvalue()  # BOM: spreadsheet programs open UTF-8 Chinese correctly


def router(state: AppState) -> APIRouter:
    api = APIRouter(prefix="/api/facts", tags=["facts"])

    @api.get("")
    def facts(body: str | None = None, year: int | None = None, table: str | None = None, row: str | None = None,
              column: str | None = None, format: str = "json"):
        """Values of the statutory tables (二, 三, 四) with where each stands in its report; `format=csv` for CSV."""
        found = state.get_service().facts(body=body, year=year, table=table, row=row, column=column)
        if format == "csv":
            return Response(facts_csv(found), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": "attachment; filename=facts.csv"})
        return {"total": len(found), "facts": [f.to_json() for f in found]}

    @api.get("/checks")
    def checks() -> dict:
        """Where a report's own tables do not add up (row totals, sub-rows, 一+二=三（七）+四)."""
        found = state.get_service().fact_checks()
        return {"total": len(found), "checks": [c.to_json() for c in found]}

    return api
