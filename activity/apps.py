from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activity"
    verbose_name = _("History")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete
        from simple_history.signals import pre_create_historical_record

        from roles.models import TeamMember

        from .recording import stamp_entry, unlink_login, unset_accountable

        pre_create_historical_record.connect(stamp_entry, dispatch_uid="activity.stamp_entry")
        pre_delete.connect(unlink_login, sender=get_user_model(), dispatch_uid="activity.unlink_login")
        pre_delete.connect(unset_accountable, sender=TeamMember, dispatch_uid="activity.unset_accountable")
