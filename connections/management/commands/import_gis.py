"""``manage.py import_gis <tenant> <file> --kind parcels|centres``: load the utility's GIS export.

The same service as the admin's import page (connections.gis.importing); prints one line per row
that was refused (and, with -v 2, every row) and the totals. A file that cannot be read at all
stops with its reason and writes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from connections.gis.importing import CENTRES, PARCELS, REFUSED, import_gis_file
from connections.gis.parsing import ImportFileError
from portal.models import Tenant


class Command(BaseCommand):
    help = "Import parcels or power centres for a tenant from a CSV or GeoJSON export of the utility's GIS."

    def add_arguments(self, parser):
        parser.add_argument("tenant", help="the tenant's address name (slug), e.g. azerishiq")
        parser.add_argument("file", help="a .csv, .geojson or .json file")
        parser.add_argument("--kind", required=True, choices=[PARCELS, CENTRES])
        parser.add_argument("--data-version", default="", help="the export's version; default: the file's SHA-256")
        parser.add_argument("--source", default="", help="where parcels came from, stored on rows without one")
        parser.add_argument("--language", default="en", choices=[code for code, _name in settings.LANGUAGES])

    def handle(self, *args, tenant, file, kind, data_version, source, language, **options):
        tenant_row = Tenant.objects.filter(slug=tenant).first()
        if tenant_row is None:
            raise CommandError(f"No tenant with the address name {tenant!r}.")
        path = Path(file)
        limit = settings.CONNECTIONS_GIS_IMPORT_MAX_BYTES
        try:
            if path.stat().st_size > limit:
                data = b"x" * (limit + 1)  # refused by the service with its message, without reading it
            else:
                data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        with translation.override(language):
            try:
                report = import_gis_file(
                    tenant_row, kind=kind, data=data, filename=path.name, data_version=data_version, source=source
                )
            except ImportFileError as error:
                raise CommandError(" ".join(error.messages)) from None
            verbose = options["verbosity"] >= 2
            for row in report.rows:
                if verbose or row.status == REFUSED:
                    line = f"row {row.number}: {row.key or '-'}: {row.status_label}"
                    self.stdout.write(f"{line}: {row.reason}" if row.reason else line)
            counts = report.counts
            self.stdout.write(
                f"{kind} of {tenant_row.slug} ({report.file_format}, data version {report.data_version}): "
                + ", ".join(f"{count} {status}" for status, count in counts.items())
            )
