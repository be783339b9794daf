# Layouts no longer get the certificate object (ADR 0015): rewrite the lookups that have an exact equivalent among
# the fields of `c`. Anything else a layout read through `certificate` is refused by the CMS check on the next save,
# and such a layout renders with the standard layout of its kind until it is fixed.
import re

from django.db import migrations

EQUIVALENTS = (
    (re.compile(r"\bcertificate\.context\.(\w+)"), r"c.\1"),
    (re.compile(r"\bcertificate\.(number|title)\b"), r"c.\1"),
)


def rewrite_layouts(apps, schema_editor):
    CertificateDefinition = apps.get_model("certificates", "CertificateDefinition")
    for definition in CertificateDefinition.objects.exclude(layout_html="").only("pk", "layout_html"):
        layout = definition.layout_html
        for pattern, replacement in EQUIVALENTS:
            layout = pattern.sub(replacement, layout)
        if layout != definition.layout_html:
            CertificateDefinition.objects.filter(pk=definition.pk).update(layout_html=layout)


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0004_layout_checks_job_heartbeat_pdf_claim"),
    ]

    operations = [
        migrations.RunPython(rewrite_layouts, migrations.RunPython.noop),
    ]
