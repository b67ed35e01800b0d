"""Isolation cases of the cabinet core: one contract's pages and its document."""

from tests.isolation.registry import covers, owned


def _contract_with_document(world):
    from django.core.files.base import ContentFile

    contract = world.contract
    if not contract.document:
        contract.document.save("isolation-contract.pdf", ContentFile(b"%PDF-1.4 isolation contract"), save=True)
    return contract


@covers("cabinet:contract_detail", "cabinet:consumer_info", "cabinet:contract_remove")
def contract_pages(world):
    # contract_remove answers GET with its confirmation page, so the control probe changes nothing.
    return owned(world, {"contract_id": world.contract.pk})


@covers("cabinet:contract_document")
def contract_document(world):
    contract = world.cached("contract_with_document", lambda: _contract_with_document(world))
    return owned(world, {"contract_id": contract.pk})
