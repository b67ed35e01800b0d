from django.conf import settings


def portal(request):
    tenant = getattr(request, "tenant", None)
    return {
        "tenant": tenant,
        "brand_colour": tenant.brand_colour if tenant else "#0b5cab",
        "dev_outbox_enabled": settings.DEV_OUTBOX,
    }
