from django.db import migrations, models


class Migration(migrations.Migration):
    """Empty until `load_guides` fills them from the content file (make run and make migrate run
    it right after migrating)."""

    dependencies = [
        ("acupressure", "0005_tool"),
    ]

    operations = [
        migrations.AddField(
            model_name="point",
            name="name_hanzi",
            field=models.CharField(
                default="",
                help_text="In simplified characters, as the WHO standard names it, e.g. 肾俞.",
                max_length=10,
                verbose_name="Chinese name",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="point",
            name="name_pinyin_tones",
            field=models.CharField(
                default="",
                help_text="The pinyin name with tone marks, e.g. Shènshū.",
                max_length=80,
                verbose_name="Pinyin with tones",
            ),
            preserve_default=False,
        ),
    ]
