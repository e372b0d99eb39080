"""The demo district's 华阳物业 was seeded with a credit code whose check character is wrong
(…Q1X; GB 32100 gives …Q1R). seed_demo now looks the company up by the right code, so a
database seeded before would get a second company: correct the stored code in place."""

from django.db import migrations

WRONG, RIGHT = "91370405MA3C5K7Q1X", "91370405MA3C5K7Q1R"


def correct(apps, schema_editor):
    company = apps.get_model("governance", "PropertyCompany")
    if not company.objects.filter(credit_code=RIGHT).exists():
        company.objects.filter(credit_code=WRONG).update(credit_code=RIGHT)


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_handling_units")]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
