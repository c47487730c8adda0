from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from nominations import views as nominations
from workflows import inspector
from workflows import views as workflows

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inbox", permanent=False)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("inbox/", workflows.inbox, name="inbox"),
    path("tasks/<int:task_pk>/take/", workflows.take, name="task_take"),
    path("tasks/<int:task_pk>/release/", workflows.release, name="task_release"),
    path("nominations/", nominations.nomination_list, name="nomination_list"),
    path("nominations/new/", nominations.nomination_create, name="nomination_create"),
    path("nominations/<int:pk>/", workflows.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", nominations.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/evidence/", nominations.evidence_add, name="evidence_add"),
    path(
        "nominations/<int:pk>/evidence/<int:evidence_pk>/",
        nominations.evidence_download,
        name="evidence_download",
    ),
    path(
        "nominations/<int:pk>/evidence/<int:evidence_pk>/remove/",
        nominations.evidence_remove,
        name="evidence_remove",
    ),
    path("nominations/<int:pk>/<slug:action>/", workflows.act, name="nomination_act"),
    path("delegations/", nominations.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", nominations.delegation_revoke, name="delegation_revoke"),
    path("inspector/", inspector.home, name="inspector_home"),
    path("inspector/verify/", inspector.verify_now, name="inspector_verify"),
    path("inspector/events/", inspector.events, name="inspector_events"),
    path("inspector/nominations/<int:pk>/", inspector.timeline, name="inspector_timeline"),
    path("inspector/reports/", inspector.supervision, name="inspector_reports"),
    path("admin/", admin.site.urls),
]
