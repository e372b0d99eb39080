from accounts.api import views as accounts_views
from governance.api import views as governance_views

from .router import router

router.register("auth/token", accounts_views.TokenViewSet, basename="auth-token")
router.register("me", accounts_views.MeViewSet, basename="me")
router.register("audit-events", accounts_views.AuditEventViewSet, basename="audit-event")
router.register("areas", governance_views.AreaViewSet, basename="area")

urlpatterns = router.urls
