"""Provider errors stored before masking may quote the whole phone number: mask them now, with
the masking the code applies to new errors (``hub.sms.masked_numbers``)."""

from django.db import migrations

from hub.sms import masked_numbers


def mask_errors(apps, schema_editor) -> int:
    """Mask the phone numbers in every stored SMS error; return how many rows changed."""
    OutgoingSms = apps.get_model("hub", "OutgoingSms")
    changed = []
    for sms in OutgoingSms.objects.exclude(error="").only("pk", "error").iterator():
        masked = masked_numbers(sms.error)
        if masked != sms.error:
            sms.error = masked
            changed.append(sms)
    OutgoingSms.objects.bulk_update(changed, ["error"], batch_size=500)
    return len(changed)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0009_outgoing_sms"),
    ]

    operations = [
        # Masking cannot be undone: going back leaves the masked text as it is.
        migrations.RunPython(mask_errors, migrations.RunPython.noop),
    ]
