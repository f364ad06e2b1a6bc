from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .language import remember_language
from .middleware import remember_time_zone
from .models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, **kwargs):
    if created:
        Profile.objects.get_or_create(user=instance)


@receiver(user_logged_in)
def remember_time_zone_at_login(sender, request, user, **kwargs):
    profile, _ = Profile.objects.get_or_create(user=user)
    remember_time_zone(request, profile.time_zone)
    remember_language(request, profile.language)
