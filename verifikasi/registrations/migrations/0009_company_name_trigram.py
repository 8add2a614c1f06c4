from django.db import migrations

# PostgreSQL only: a trigram index lets the queue's company-name search
# (UPPER(company_name) LIKE UPPER('%…%'), Django's icontains) use an index
# instead of reading every row. SQLite scans the narrow (office, company_name)
# index instead (see registrations.selectors._search).
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS registration_company_name_trgm "
    "ON registrations_registration USING gin (UPPER(company_name) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS registration_company_name_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("registrations", "0008_queue_search_indexes")]
    operations = [migrations.RunPython(run(CREATE), run(DROP))]
