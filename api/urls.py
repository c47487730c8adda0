from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import pages, views

ACTIONS = ["submit", "resubmit", "approve", "return_for_revision", "reject", "withdraw"]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("tokens/", pages.tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="api_token_revoke"),
    path("award-types/", views.AwardTypes.as_view(), name="api_award_types"),
    path("campaigns/", views.Campaigns.as_view(), name="api_campaigns"),
    path("units/", views.Units.as_view(), name="api_units"),
    path("inbox/", views.Inbox.as_view(), name="api_inbox"),
    path("nominations/", views.Nominations.as_view(), name="api_nominations"),
    path("nominations/<int:pk>/", views.NominationDetail.as_view(), name="api_nomination"),
    path("nominations/<int:pk>/evidence/", views.EvidenceAdd.as_view(), name="api_evidence"),
    path(
        "nominations/<int:pk>/decisions/",
        views.StageDecisions.as_view(),
        name="api_stage_decisions",
    ),
    path("nominations/<int:pk>/hold/", views.Hold.as_view(), name="api_hold"),
    path("nominations/<int:pk>/lift_hold/", views.LiftHold.as_view(), name="api_lift_hold"),
    path("nominations/<int:pk>/take/", views.Take.as_view(), name="api_take"),
    path("nominations/<int:pk>/release/", views.Release.as_view(), name="api_release"),
    *[
        path(f"nominations/<int:pk>/{action}/", views.Act.for_action(action), name=f"api_{action}")
        for action in ACTIONS
    ],
    path("council/sessions/", views.Sessions.as_view(), name="api_sessions"),
    path("council/sessions/<int:pk>/", views.SessionDetail.as_view(), name="api_session"),
    path("council/sessions/<int:pk>/open/", views.SessionOpen.as_view(), name="api_session_open"),
    path(
        "council/sessions/<int:pk>/close/", views.SessionClose.as_view(), name="api_session_close"
    ),
    path(
        "council/sessions/<int:pk>/items/<int:item_pk>/vote/",
        views.Vote.as_view(),
        name="api_vote",
    ),
    path(
        "council/sessions/<int:pk>/items/<int:item_pk>/defer/",
        views.Defer.as_view(),
        name="api_defer",
    ),
    path(
        "council/sessions/<int:pk>/items/<int:item_pk>/written-opinion/",
        views.WrittenOpinion.as_view(),
        name="api_written_opinion",
    ),
    path(
        "council/sessions/<int:pk>/items/<int:item_pk>/not-commended/",
        views.NotCommended.as_view(),
        name="api_not_commended",
    ),
    path("council/objections/", views.Objections.as_view(), name="api_objections"),
    path("council/notice/<int:pk>/object/", views.ObjectionFile.as_view(), name="api_object"),
    path(
        "council/objections/<int:pk>/resolve/",
        views.ObjectionResolve.as_view(),
        name="api_objection_resolve",
    ),
    path("decisions/", views.Decisions.as_view(), name="api_decisions"),
    path("decisions/<int:pk>/", views.DecisionDetail.as_view(), name="api_decision"),
    path("requests/", views.ForwardRequests.as_view(), name="api_forward_requests"),
    path("requests/<int:pk>/", views.ForwardRequestDetail.as_view(), name="api_forward_request"),
    path("awards/", views.ConferredAwards.as_view(), name="api_awards"),
    path("audit/events/", views.AuditEvents.as_view(), name="api_audit_events"),
    path("audit/integrity/", views.Integrity.as_view(), name="api_integrity"),
]
