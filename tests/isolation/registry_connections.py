"""W2: the technical-conditions PDF of the owner's connection request in tenant A (the form's own
pages have no parameters: test_every_url and the fuzz test reach them as they are)."""

from tests.isolation.registry import covers, owned


def connection_request(world):
    def build():
        import datetime

        from django.core.files.base import ContentFile
        from django.utils import timezone

        from connections.models import ConnectionRequest
        from tests.applications.factories import ApplicationFactory
        from tests.connections.factories_gis import DistrictFactory

        application = ApplicationFactory(
            tenant=world.tenant_a,
            applicant=world.owner,
            number="TNA-2026-515151",
            kind__code="grid_connection",
        )
        request = ConnectionRequest(
            tenant=world.tenant_a,
            application=application,
            applicant_kind="household",
            object_kind="house",
            phase="single",
            power_kw="8.0",
            district=DistrictFactory(tenant=world.tenant_a, name="Hidden district"),
            registry_number="HIDDEN-REG-1",
            registration_number="HIDDEN-1",
            quote={},
            quote_total="320.00",
            phone_verified_at=timezone.now(),
            conditions_text="Hidden conditions",
            conditions_issued_on=datetime.date(2026, 11, 2),
        )
        request.conditions_pdf.save("isolation.pdf", ContentFile(b"%PDF-1.4 isolation"), save=False)
        request.save()
        return request

    return world.cached("connection_request", build)


@covers("connections:conditions_pdf")
def conditions_pdf(world):
    return owned(world, {"number": connection_request(world).application.number})
