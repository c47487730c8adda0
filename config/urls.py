from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from approvals import consultation_views as consultation
from approvals import forwarding_views as forwarding
from approvals import revocation_views as revocation
from approvals import views as council
from honours_public import views as honours
from nominations import list_import_views as list_import
from nominations import record_views as record
from nominations import sign_in_views as sign_in
from nominations import views as nominations
from notifications import views as notifications
from reporting import dashboard, inspector, quota_report
from reporting import statistics_views as statistics
from workflows import views as workflows

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inbox", permanent=False)),
    path("accounts/login/", sign_in.LoginView.as_view(), name="login"),
    path("accounts/logout/", sign_in.LogoutView.as_view(), name="logout"),
    path("accounts/second-factor/", sign_in.second_factor, name="second_factor"),
    path("accounts/two-factor/", sign_in.two_factor, name="two_factor"),
    path("accounts/two-factor/setup/", sign_in.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/codes/", sign_in.two_factor_codes, name="two_factor_codes"),
    path("accounts/two-factor/remove/", sign_in.two_factor_remove, name="two_factor_remove"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("inbox/", workflows.inbox, name="inbox"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/quotas/", quota_report.quota_report, name="quota_report"),
    path("reports/statistics/", statistics.statistics_index, name="statistics"),
    path("reports/statistics/<slug:slug>/", statistics.statistics_form, name="statistics_form"),
    path(
        "reports/statistics/<slug:slug>/<int:row>/<str:column>/",
        statistics.statistics_figure,
        name="statistics_figure",
    ),
    path("tasks/<int:task_pk>/take/", workflows.take, name="task_take"),
    path("tasks/<int:task_pk>/release/", workflows.release, name="task_release"),
    path("tasks/<int:task_pk>/reassign/", workflows.reassign, name="task_reassign"),
    path("nominations/", nominations.nomination_list, name="nomination_list"),
    path("nominations/import/", list_import.upload, name="nomination_import"),
    path(
        "nominations/import/template.xlsx",
        list_import.template,
        name="nomination_import_template",
    ),
    path("nominations/import/confirm/", list_import.confirm, name="nomination_import_confirm"),
    path("nominations/new/", nominations.nomination_create, name="nomination_create"),
    path("nominations/eligibility/", nominations.eligibility_preview, name="eligibility_preview"),
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
    path(
        "nominations/<int:pk>/achievement-report.pdf",
        honours.achievement_report_pdf,
        name="achievement_report_pdf",
    ),
    path(
        "nominations/<int:pk>/achievement-report.docx",
        honours.achievement_report_docx,
        name="achievement_report_docx",
    ),
    path(
        "nominations/<int:pk>/consultations/open/",
        consultation.consultation_open,
        name="consultation_open",
    ),
    path(
        "nominations/<int:pk>/consultations/opinions/<int:opinion_pk>/",
        consultation.opinion_record,
        name="consultation_opinion",
    ),
    path(
        "nominations/<int:pk>/consultations/opinions/<int:opinion_pk>/document/",
        consultation.opinion_document,
        name="consultation_document",
    ),
    path("nominations/<int:pk>/hold/", workflows.hold, name="nomination_hold"),
    path("nominations/<int:pk>/lift-hold/", workflows.lift_hold, name="nomination_lift_hold"),
    path("nominations/<int:pk>/<slug:action>/", workflows.act, name="nomination_act"),
    path("people/<int:pk>/record/", record.person_record, name="person_record"),
    path("units/<int:pk>/record/", record.unit_record, name="unit_record"),
    path("record/import/", record.record_import_upload, name="record_import"),
    path(
        "record/import/template.xlsx",
        record.record_import_template,
        name="record_import_template",
    ),
    path("record/import/confirm/", record.record_import_confirm, name="record_import_confirm"),
    path("registrations/", record.registration_list, name="registrations"),
    path("registrations/new/", record.registration_new, name="registration_new"),
    path(
        "registrations/export.xlsx",
        record.registration_export,
        {"fmt": "xlsx"},
        name="registrations_xlsx",
    ),
    path(
        "registrations/export.csv",
        record.registration_export,
        {"fmt": "csv"},
        name="registrations_csv",
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/preferences/",
        notifications.notification_preferences,
        name="notification_preferences",
    ),
    path("delegations/", nominations.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", nominations.delegation_revoke, name="delegation_revoke"),
    path("inspector/", inspector.home, name="inspector_home"),
    path("inspector/verify/", inspector.verify_now, name="inspector_verify"),
    path("inspector/events/", inspector.events, name="inspector_events"),
    path("inspector/nominations/<int:pk>/", inspector.timeline, name="inspector_timeline"),
    path("inspector/reports/", inspector.supervision, name="inspector_reports"),
    path("council/sessions/", council.session_list, name="council_sessions"),
    path("council/sessions/new/", council.session_new, name="council_session_new"),
    path("council/sessions/<int:pk>/", council.session_detail, name="council_session"),
    path("council/sessions/<int:pk>/open/", council.session_open, name="council_session_open"),
    path("council/sessions/<int:pk>/close/", council.session_close, name="council_session_close"),
    path(
        "council/sessions/<int:pk>/minutes.csv",
        council.session_minutes_export,
        {"fmt": "csv"},
        name="council_minutes_csv",
    ),
    path(
        "council/sessions/<int:pk>/minutes.xlsx",
        council.session_minutes_export,
        {"fmt": "xlsx"},
        name="council_minutes_xlsx",
    ),
    path(
        "council/sessions/<int:pk>/agenda.csv",
        council.session_agenda_export,
        {"fmt": "csv"},
        name="council_agenda_csv",
    ),
    path(
        "council/sessions/<int:pk>/agenda.xlsx",
        council.session_agenda_export,
        {"fmt": "xlsx"},
        name="council_agenda_xlsx",
    ),
    path(
        "council/sessions/<int:pk>/drafts/<slug:kind>.docx",
        council.session_draft,
        name="council_draft",
    ),
    path(
        "council/sessions/<int:pk>/drafts/<slug:kind>/upload/",
        council.session_draft_upload,
        name="council_draft_upload",
    ),
    path(
        "council/sessions/<int:pk>/drafts/file/<int:draft_pk>/",
        council.session_draft_file,
        name="council_draft_file",
    ),
    path(
        "council/sessions/<int:pk>/items/<int:item_pk>/defer/",
        council.item_defer,
        name="council_item_defer",
    ),
    path(
        "council/sessions/<int:pk>/items/<int:item_pk>/written-opinion/",
        council.written_opinion,
        name="council_written_opinion",
    ),
    path(
        "council/sessions/<int:pk>/items/<int:item_pk>/not-commended/",
        council.item_not_commended,
        name="council_not_commended",
    ),
    path("council/sessions/<int:pk>/ballot/", council.ballot_page, name="council_ballot"),
    path(
        "council/sessions/<int:pk>/items/<int:item_pk>/vote/",
        council.ballot_cast,
        name="council_vote",
    ),
    path("council/notice/", council.notice, name="council_notice"),
    path("council/notice/<int:pk>/object/", council.objection_file, name="objection_file"),
    path(
        "council/objections/<int:pk>/resolve/",
        council.objection_resolve,
        name="objection_resolve",
    ),
    path("decisions/", council.decision_list, name="decisions"),
    path("decisions/sign/", council.decision_sign, name="decision_sign"),
    path("decisions/<int:pk>/", council.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/correct/", council.decision_correct, name="decision_correct"),
    path("consultations/", consultation.consultation_list, name="consultations"),
    path("requests/", forwarding.request_list, name="forward_requests"),
    path("requests/new/", forwarding.request_new, name="forward_request_new"),
    path("requests/<int:pk>/", forwarding.request_detail, name="forward_request"),
    path("requests/<int:pk>/edit/", forwarding.request_edit, name="forward_request_edit"),
    path("requests/<int:pk>/letter/", forwarding.request_letter, name="forward_request_letter"),
    path(
        "requests/<int:pk>/letter.pdf",
        honours.request_letter_pdf,
        name="forward_request_letter_pdf",
    ),
    path(
        "requests/<int:pk>/letter/edited/",
        forwarding.request_letter_file,
        name="forward_request_letter_file",
    ),
    path(
        "requests/<int:pk>/letter/upload/",
        forwarding.request_letter_upload,
        name="forward_request_letter_upload",
    ),
    path("requests/<int:pk>/sign/", forwarding.request_sign, name="forward_request_sign"),
    path(
        "requests/<int:pk>/entries/<int:entry_pk>/outcome/",
        forwarding.entry_outcome,
        name="forward_entry_outcome",
    ),
    path(
        "requests/<int:pk>/entries/<int:entry_pk>/document/",
        forwarding.entry_document,
        name="forward_entry_document",
    ),
    path("revocations/", revocation.revocation_list, name="revocations"),
    path("revocations/<int:pk>/", revocation.revocation_detail, name="revocation_detail"),
    path("revocations/<int:pk>/council/", revocation.revocation_council, name="revocation_council"),
    path("revocations/<int:pk>/sign/", revocation.revocation_sign, name="revocation_sign"),
    path(
        "revocations/<int:pk>/recovery/",
        revocation.revocation_recovery,
        name="revocation_recovery",
    ),
    path("revocations/propose/<int:pk>/", revocation.revocation_propose, name="revocation_propose"),
    path("honours/", include("honours_public.urls")),
    path("api/", include("api.urls")),
    path("exchange/", include("exchange.urls")),
    # One door in: the admin's own login form would skip the audit trail and the second step.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/logout/", sign_in.LogoutView.as_view()),
    path("admin/", admin.site.urls),
]

# Error pages with a reference to quote (config/errors.py).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
