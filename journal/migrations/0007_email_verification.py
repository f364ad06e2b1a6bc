from django.conf import settings
from django.db import migrations, models


def hold_unconfirmed_addresses(apps, schema_editor):
    """Addresses given before confirmation existed were never checked: they wait for a link now.

    Staff addresses were set by an administrator (createsuperuser or the admin) and stay.
    """
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Profile = apps.get_model("journal", "Profile")
    for user in User.objects.exclude(email="").filter(is_staff=False).iterator():
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.new_email = user.email
        profile.save(update_fields=["new_email"])
        user.email = ""
        user.save(update_fields=["email"])


def restore_addresses(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Profile = apps.get_model("journal", "Profile")
    for profile in Profile.objects.exclude(new_email="").iterator():
        User.objects.filter(pk=profile.user_id, email="").update(email=profile.new_email)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0006_experiments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="new_email",
            field=models.EmailField(
                blank=True, max_length=254, verbose_name="e-mail address waiting to be confirmed"
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="new_email_key_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="profile",
            name="new_email_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(hold_unconfirmed_addresses, restore_addresses),
    ]
