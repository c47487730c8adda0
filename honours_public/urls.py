from django.urls import path

from . import feeds, views

urlpatterns = [
    path("", views.roll, name="honour_roll"),
    path("feed/", feeds.NewlyConferred(), name="honour_feed"),
    path("verify/", views.verify, name="honour_verify"),
    path("verify/<str:code>/", views.verify, name="honour_verify_code"),
    path("d/<str:code>/decision.pdf", views.decision_pdf, name="honour_decision_pdf"),
    path(
        "d/<str:code>/certificate-<int:position>.pdf",
        views.certificate_pdf,
        name="honour_certificate_pdf",
    ),
]
