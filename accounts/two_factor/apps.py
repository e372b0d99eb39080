from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin with the portal's site, which admits only a session that passed the
    second factor (settings name this instead of ``django.contrib.admin``)."""

    default_site = "accounts.two_factor.admin_site.PortalAdminSite"
