"""The receiving office's import (upload, preview with nothing written, confirm) and the sending
office's export of a signed request. Who may is `nominations.policy` (`authorize_bundle_*`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing as django_signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals.models import ForwardRequest
from audit.services import Origin
from nominations import policy
from nominations.exceptions import InvalidInput
from nominations.models import Campaign
from nominations.web import refuses_domain_errors

from . import bundle, importing, selectors
from .forms import BundleImportForm
from .importing import BundleRefused

SALT = "laurel.exchange-import"
# An uploaded bundle waits here, named by its SHA-256, between its preview and its confirmation.
INCOMING = "exchange/incoming/"


def _incoming(sha256: str) -> str:
    return f"{INCOMING}{sha256}.zip"


@login_required
@require_GET
@refuses_domain_errors
def exchange_home(request):
    """The signed requests the user may export, and the bundles imported where they import."""
    exports = policy.may_export_bundles(request.user)
    imports = policy.may_import_bundles(request.user)
    if not (exports or imports):
        policy.authorize_bundle_import(request.user)  # refuses, saying who may
    return render(
        request,
        "exchange/home.html",
        {
            "requests": list(selectors.exportable_requests(request.user)[:200]) if exports else [],
            "bundles": list(selectors.imported_bundles(request.user)[:200]) if imports else [],
            "exports": exports,
            "imports": imports,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@refuses_domain_errors
def import_bundle(request):
    """The upload and its preview. Nothing but a refusal's event is written here."""
    policy.authorize_bundle_import(request.user)
    form = BundleImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload, campaign = form.cleaned_data["file"], form.cleaned_data["campaign"]
        if upload.size > importing.MAX_UNPACKED_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            data, name = upload.read(), upload.name or "bundle.zip"
            try:
                verified = importing.check(
                    data,
                    name,
                    actor=request.user,
                    campaign=campaign,
                    origin=Origin.from_request(request),
                )
            except BundleRefused as exc:
                return render(
                    request,
                    "exchange/preview.html",
                    {"refusal": exc, "file_name": name, "sha256": bundle.sha256(data)},
                    status=400,
                )
            path = _incoming(verified.sha256)
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(data))
            token = django_signing.dumps(
                {
                    "sha256": verified.sha256,
                    "name": name,
                    "campaign": campaign.pk,
                    "user": request.user.pk,
                },
                salt=SALT,
            )
            return render(request, "exchange/preview.html", {"verified": verified, "token": token})
    return render(
        request,
        "exchange/import.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@refuses_domain_errors
def confirm(request):
    policy.authorize_bundle_import(request.user)
    try:
        token = django_signing.loads(request.POST.get("token", ""), salt=SALT, max_age=3600)
        if token["user"] != request.user.pk:
            raise django_signing.BadSignature
        campaign = Campaign.objects.get(pk=token["campaign"])
        with default_storage.open(_incoming(token["sha256"]), "rb") as f:
            data = f.read()
    except (django_signing.BadSignature, KeyError, Campaign.DoesNotExist, OSError):
        raise InvalidInput(_("The preview could not be read: upload the bundle again.")) from None
    try:
        imported = importing.import_bundle(
            data,
            token["name"],
            actor=request.user,
            campaign=campaign,
            origin=Origin.from_request(request),
        )
    except BundleRefused as exc:
        # The same bytes would be refused again: the kept upload serves nothing any more.
        default_storage.delete(_incoming(token["sha256"]))
        return render(
            request,
            "exchange/preview.html",
            {"refusal": exc, "file_name": token["name"], "sha256": token["sha256"]},
            status=409,
        )
    default_storage.delete(_incoming(token["sha256"]))
    messages.success(
        request,
        _("Imported %(count)d nominations from %(partner)s's request %(reference)s.")
        % {
            "count": imported.nominations.count(),
            "partner": imported.partner,
            "reference": imported.reference,
        },
    )
    return redirect("nomination_list")


@login_required
@require_POST
@refuses_domain_errors
def export_bundle(request, pk):
    """The signed request's bundle, to download and send to the higher level."""
    forward = get_object_or_404(ForwardRequest.objects.select_related("agency"), pk=pk)
    made = bundle.export(forward, actor=request.user, origin=Origin.from_request(request))
    response = HttpResponse(made.data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.file_name}"'
    return response
