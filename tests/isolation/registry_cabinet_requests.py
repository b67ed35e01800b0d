"""Cabinet requests (W4): every page is about one contract of world.organization; the detail and
the attachment need a request of that contract, built once per world."""

from tests.isolation.registry import covers, owned


@covers(
    "cabinet_requests:list",
    "cabinet_requests:limit_change",
    "cabinet_requests:requisites_change",
    "cabinet_requests:claim_new",
    "cabinet_requests:employee_lists",
    "cabinet_requests:employee_list_new",
)
def request_pages(world):
    return owned(world, {"contract_id": world.contract.pk})


def _claim(world):
    import uuid

    from django.core.files.base import ContentFile

    from applications.services_requests import submit_claim

    def build():
        pdf = ContentFile(b"%PDF-1.4 isolation", name="letter.pdf")
        return submit_claim(
            contract=world.contract,
            applicant=world.owner,
            subject="Isolated claim",
            text="Hidden text",
            files=[(pdf, "letter.pdf")],
            idempotency_key=uuid.uuid4().hex,
            language="en",
        )

    return world.cached("cabinet_claim", build)


@covers("cabinet_requests:detail")
def request_detail(world):
    return owned(world, {"contract_id": world.contract.pk, "number": _claim(world).number})


@covers("cabinet_requests:attachment")
def request_attachment(world):
    return owned(world, {"contract_id": world.contract.pk, "pk": _claim(world).attachments.get().pk})
