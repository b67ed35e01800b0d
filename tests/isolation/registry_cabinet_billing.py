"""Routes of the cabinet's billing sections (W4): every page is about one contract."""

from tests.isolation.registry import covers, owned


@covers(
    "cabinet:billing_history",
    "cabinet:payments",
    "cabinet:current_month",
    "cabinet:report",
    "cabinet:report_csv",
)
def contract_billing_pages(world):
    return owned(world, {"contract_id": world.contract.pk})


@covers("cabinet:report_pdf")
def contract_report_request(world):
    # Asking for the PDF writes a row and queues a task, so the probe posts; the GET download is
    # covered in tests/cabinet/test_billing_report.py.
    cases = owned(world, {"contract_id": world.contract.pk})
    cases.method = "post"
    cases.data = {"period": "2026-01"}
    return cases
