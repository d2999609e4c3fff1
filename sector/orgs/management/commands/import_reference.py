from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sector.core.context import acting_as
from sector.orgs.services import IMPORTS, ImportFileError, reference_import


class Command(BaseCommand):
    help = (
        "Import agencies (columns ori,name,county,kind[,active]) or courts (columns code,name,county,kind"
        "[,accepts_etickets]) from a CSV file. All rows or none: a bad row is reported as 'line N' and nothing "
        "from the file is imported. Re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTS))
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind, file, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        try:
            with acting_as(f"import_reference {kind} (shell)"):
                report = reference_import(kind=kind, data=data, source=file.name)
        except ImportFileError as exc:
            raise CommandError(f"{file}: {str(exc).rstrip('.')}; nothing imported") from exc
        if not report.ok:
            for line in report.errors:
                self.stderr.write(f"{file}: {line}")
            raise CommandError(f"{file}: {len(report.errors)} problem(s); nothing imported")
        self.stdout.write(f"{kind}: {report.new} new, {report.updated} updated, {report.unchanged} unchanged")
