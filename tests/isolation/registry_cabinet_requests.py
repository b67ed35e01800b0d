"""Cabinet requests (W4): every page is about one contract of world.organization; the detail and
the attachment need a request of that contract, built once per world."""

from tests.isolation.registry import covers, owned


@covers(
    "cabinet:requests",
    "cabinet:limit_change",
    "cabinet:requisites_change",
    "cabinet:claim_new",
    "cabinet:employee_lists",
    "cabinet:employee_list_new",
)
def request_pages(world):
    return owned(world, {"contract_id": world.contract.pk})


def _claim(world):
    import uuid

    from django.core.files.base import ContentFile

    from cabinet.services.requests import submit_claim

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


@covers("cabinet:request_detail")
def request_detail(world):
    return owned(world, {"contract_id": world.contract.pk, "number": _claim(world).number})


@covers("cabinet:request_attachment")
def request_attachment(world):
    return owned(world, {"contract_id": world.contract.pk, "pk": _claim(world).attachments.get().pk})
