"""On PostgreSQL, the database itself refuses two overlapping contracts for one person.

SQLite has no exclusion constraint: there the check in ``insertion.contracts`` under the
person's row lock is the guard (SQLite also serialises writers).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE insertion_contract ADD CONSTRAINT insertion_contract_no_overlap
    EXCLUDE USING gist (
        beneficiary_id WITH =,
        daterange(start_date, COALESCE(ended_on, end_date), '[]') WITH &&
    );
"""
DROP = "ALTER TABLE insertion_contract DROP CONSTRAINT IF EXISTS insertion_contract_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("insertion", "0002_reference_data")]

    operations = [migrations.RunPython(create, drop)]
