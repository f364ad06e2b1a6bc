# One pregnancy level per point instead of a yes/no flag (issue 15).
#
# The old flag maps to the nearest level (True -> avoid, False -> no special caution), so a
# database keeps sensible values until `load_guides` writes the content file's levels.

import django.core.validators
from django.db import migrations, models


def flag_to_level(apps, schema_editor):
    Point = apps.get_model("acupressure", "Point")
    Point.objects.filter(avoid_in_pregnancy=True).update(pregnancy="avoid")
    Point.objects.filter(avoid_in_pregnancy=False).update(pregnancy="none")


def level_to_flag(apps, schema_editor):
    Point = apps.get_model("acupressure", "Point")
    Point.objects.update(avoid_in_pregnancy=False)
    Point.objects.filter(pregnancy="avoid").update(avoid_in_pregnancy=True)


class Migration(migrations.Migration):
    dependencies = [
        ("acupressure", "0003_content_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="point",
            name="pregnancy",
            field=models.CharField(
                choices=[
                    ("avoid", "Avoid in pregnancy"),
                    ("ask-midwife", "Ask your midwife first"),
                    ("none", "No special caution"),
                ],
                default="none",
                help_text=(
                    "Drives the badge, the pregnancy caution, the routine warning and the log "
                    "form's hint."
                ),
                max_length=12,
            ),
        ),
        migrations.RunPython(flag_to_level, level_to_flag),
        migrations.RemoveField(
            model_name="point",
            name="avoid_in_pregnancy",
        ),
        migrations.AlterField(
            model_name="point",
            name="pregnancy_note",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Why, for this point, in a sentence or two; it must agree with the level. "
                    "Leave empty when the level is no special caution."
                ),
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="routine",
            name="pregnancy_note",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Pregnancy advice for the routine as a whole, e.g. about positions. The "
                    "warning about its points comes from each point's pregnancy level."
                ),
            ),
        ),
        # Steps over 10 minutes are refused from now on (forms, content file, admin). The
        # database check stays at an hour so routines saved earlier keep loading and playing.
        migrations.AlterField(
            model_name="routinestep",
            name="seconds",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(5),
                    django.core.validators.MaxValueValidator(600),
                ]
            ),
        ),
    ]
