from django.urls import path

from . import views

urlpatterns = [
    path("", views.exchange_home, name="exchange"),
    path("import/", views.import_bundle, name="exchange_import"),
    path("import/confirm/", views.confirm, name="exchange_import_confirm"),
    path("requests/<int:pk>/bundle/", views.export_bundle, name="exchange_export"),
]
