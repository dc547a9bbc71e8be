"""Initial reference data: the two QPV of Calais and the ASP exit reasons (both editable)."""

from django.db import migrations

from insertion.reference_data import load


def forwards(apps, schema_editor):
    load(
        apps.get_model("insertion", "PriorityNeighbourhood"),
        apps.get_model("insertion", "ExitReason"),
    )


class Migration(migrations.Migration):
    dependencies = [("insertion", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
