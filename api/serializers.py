"""What the API sends and what it reads. Reading input is the pages' forms' job (the same
forms, so the same rules and the same sentences): the input serializers here only describe the
shape of a request for the schema and turn JSON into what a form reads."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.models import (
    AgendaItem,
    Choice,
    CouncilSession,
    ForwardEntry,
    ForwardRequest,
    Objection,
    SignedDecision,
)
from audit.models import Checkpoint, VerificationRun
from nominations.models import (
    AwardType,
    Campaign,
    ConferredAward,
    Criterion,
    Evidence,
    HoldKind,
    Nomination,
    RouteStage,
    StageDecision,
    Unit,
)
from nominations.people import display_name
from workflows.models import NominationTask

# --- small pieces ---------------------------------------------------------------------------


class Person(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


@extend_schema_field(Person)
class PersonField(serializers.Field):
    """A person as `{id, name}` (read only)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return {"id": value.pk, "name": display_name(value)}


# --- reference data -------------------------------------------------------------------------


class UnitOut(serializers.ModelSerializer):
    name = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "name_vi", "name_en", "kind", "parent", "path"]


class CriterionOut(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = [
            "id",
            "code",
            "position",
            "kind",
            "hard",
            "years",
            "rating",
            "level",
            "instrument",
            "article",
            "clause",
            "in_force_from",
            "in_force_until",
            "text_vi",
            "text_en",
        ]


class RouteStageOut(serializers.ModelSerializer):
    class Meta:
        model = RouteStage
        fields = ["position", "stage", "role", "deadline_working_days"]


class AwardTypeOut(serializers.ModelSerializer):
    name = serializers.CharField()
    route = RouteStageOut(source="stages", many=True)
    criteria = CriterionOut(many=True)

    class Meta:
        model = AwardType
        fields = [
            "id",
            "code",
            "name",
            "name_vi",
            "name_en",
            "nominee_kind",
            "level",
            "secret_ballot",
            "public_notice_days",
            "requires_registration",
            "required_documents",
            "legal_basis_vi",
            "legal_basis_en",
            "in_force_from",
            "in_force_until",
            "route",
            "criteria",
        ]


class CampaignOut(serializers.ModelSerializer):
    name = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "code",
            "name",
            "name_vi",
            "name_en",
            "agency",
            "year",
            "submissions_open",
            "submissions_close",
        ]


# --- nominations ----------------------------------------------------------------------------


class EvidenceOut(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at"]


class TaskOut(serializers.ModelSerializer):
    owner = PersonField(allow_null=True)
    nomination = serializers.IntegerField(source="nomination_id")

    class Meta:
        model = NominationTask
        fields = ["id", "nomination", "stage", "role", "status", "owner", "due_on", "created"]


class NominationSummary(serializers.ModelSerializer):
    reference = serializers.CharField()
    nominee_name = serializers.CharField()
    campaign = serializers.IntegerField(source="campaign_id")
    award_type = serializers.IntegerField(source="award_type_id")
    proposing_unit = serializers.IntegerField(source="proposing_unit_id")
    nominee_person = serializers.IntegerField(source="nominee_person_id", allow_null=True)
    nominee_unit = serializers.IntegerField(source="nominee_unit_id", allow_null=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "reference",
            "status",
            "version",
            "campaign",
            "award_type",
            "proposing_unit",
            "nominee_person",
            "nominee_unit",
            "nominee_name",
            "submitted_at",
            "status_changed_at",
        ]


class NominationOut(NominationSummary):
    evidence = EvidenceOut(many=True)
    task = TaskOut(source="open_task", allow_null=True)
    actions = serializers.ListField(source="allowed", child=serializers.CharField())

    class Meta(NominationSummary.Meta):
        fields = [
            *NominationSummary.Meta.fields,
            "achievements",
            "contributions",
            "initiatives",
            "evidence",
            "task",
            "actions",
        ]


class DossierIn(serializers.Serializer):
    """A new draft: campaign, award type, proposing unit, one nominee and the texts, as the
    dossier form asks for them; an edit: any of the dossier's fields (the campaign and the
    proposing unit are fixed once the draft exists, and ignored)."""

    campaign = serializers.IntegerField(required=False)
    proposing_unit = serializers.IntegerField(required=False)
    award_type = serializers.IntegerField(required=False)
    nominee_person = serializers.IntegerField(required=False, allow_null=True)
    nominee_unit = serializers.IntegerField(required=False, allow_null=True)
    achievements = serializers.CharField(required=False, allow_blank=True)
    contributions = serializers.CharField(required=False, allow_blank=True)
    initiatives = serializers.CharField(required=False, allow_blank=True)


class EvidenceIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    file = serializers.FileField()


class ActionIn(serializers.Serializer):
    """The action form's fields: the version the caller saw, reasons (required to return or
    reject, and to approve over criteria not met), and a coded reason where codes are in use."""

    version = serializers.IntegerField(min_value=1)
    reasons = serializers.CharField(required=False, allow_blank=True)
    reason_code = serializers.CharField(required=False, allow_blank=True)


class HoldIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=HoldKind.choices)
    reason = serializers.CharField()
    expected_end = serializers.DateField(required=False, allow_null=True)


class LiftHoldIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    resolution = serializers.CharField()


class VersionIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class DecisionRecordOut(serializers.ModelSerializer):
    actor = PersonField()
    on_behalf_of = PersonField(allow_null=True)

    class Meta:
        model = StageDecision
        fields = [
            "id",
            "stage",
            "outcome",
            "from_status",
            "role",
            "actor",
            "on_behalf_of",
            "reasons",
            "decided_at",
        ]


# --- the council and its decisions ---------------------------------------------------------


class AgendaItemOut(serializers.ModelSerializer):
    nomination = serializers.IntegerField(source="nomination_id")

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "nomination", "status", "secret"]


class SessionOut(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id")
    chair = PersonField()
    secretary = PersonField()
    items = AgendaItemOut(many=True, source="items.all")

    class Meta:
        model = CouncilSession
        fields = [
            "id",
            "campaign",
            "scheduled_on",
            "status",
            "chair",
            "secretary",
            "opened_at",
            "closed_at",
            "items",
        ]


class SessionIn(serializers.Serializer):
    campaign = serializers.IntegerField()
    scheduled_on = serializers.DateField()
    chair = serializers.IntegerField()


class AttendanceIn(serializers.Serializer):
    present = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class BallotIn(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Choice.choices)


class WrittenOpinionIn(serializers.Serializer):
    member = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=Choice.choices)


class NotCommendedIn(serializers.Serializer):
    reason_code = serializers.IntegerField()
    reasons = serializers.CharField(required=False, allow_blank=True)


class ReasonsIn(serializers.Serializer):
    reasons = serializers.CharField()


class ObjectionOut(serializers.ModelSerializer):
    nomination = serializers.IntegerField(source="nomination_id")
    filed_by = PersonField()

    class Meta:
        model = Objection
        fields = [
            "id",
            "nomination",
            "filed_by",
            "reasons",
            "filed_at",
            "status",
            "remedy",
            "resolution_reasons",
            "resolved_at",
        ]


class ResolutionIn(serializers.Serializer):
    """As the notice page's form: dismiss, or uphold and return or reject (with a coded reason
    not to commend, by its id, where codes are in use)."""

    resolution = serializers.ChoiceField(choices=["dismiss", "uphold_return", "uphold_reject"])
    reasons = serializers.CharField()
    reason_code = serializers.IntegerField(required=False, allow_null=True)


class SignIn(serializers.Serializer):
    nominations = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    title = serializers.CharField(max_length=300)
    reasons = serializers.CharField(required=False, allow_blank=True)


class SignedDecisionOut(serializers.ModelSerializer):
    reference = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id")
    signed_by = PersonField()
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)

    class Meta:
        model = SignedDecision
        fields = [
            "id",
            "reference",
            "agency",
            "year",
            "number",
            "title",
            "reasons",
            "signed_by",
            "signed_at",
            "corrects",
        ]


class ConferredAwardOut(serializers.ModelSerializer):
    nomination = serializers.IntegerField(source="nomination_id", allow_null=True)
    award_type = serializers.IntegerField(source="award_type_id")
    person = PersonField(allow_null=True)
    unit = serializers.IntegerField(source="unit_id", allow_null=True)

    class Meta:
        model = ConferredAward
        fields = [
            "id",
            "nomination",
            "award_type",
            "year",
            "person",
            "unit",
            "decision_number",
            "conferred_on",
            "revoked_at",
            "revoked_by_number",
        ]


# --- audit ------------------------------------------------------------------------------------


class AuditEventOut(serializers.Serializer):
    seq = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    action = serializers.CharField()
    label = serializers.CharField()
    actor_label = serializers.CharField()
    role = serializers.CharField()
    on_behalf_of_label = serializers.CharField()
    subject_type = serializers.CharField()
    subject_id = serializers.CharField()
    nomination_id = serializers.IntegerField(allow_null=True)
    unit_path = serializers.CharField()
    campaign_id = serializers.IntegerField(allow_null=True)
    award_type_id = serializers.IntegerField(allow_null=True)
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()
    data = serializers.DictField()
    hash = serializers.CharField()


class VerificationRunOut(serializers.ModelSerializer):
    class Meta:
        model = VerificationRun
        fields = [
            "started_at",
            "finished_at",
            "ok",
            "events",
            "checkpoints",
            "head_hash",
            "broken_seq",
            "message",
            "triggered_by",
        ]


class CheckpointOut(serializers.ModelSerializer):
    class Meta:
        model = Checkpoint
        fields = ["seq", "hash", "signed_at", "key_id", "signature"]


class IntegrityOut(serializers.Serializer):
    last_run = VerificationRunOut(allow_null=True)
    last_checkpoint = CheckpointOut(allow_null=True)


class ForwardEntryOut(serializers.ModelSerializer):
    nomination = serializers.IntegerField(source="nomination_id")
    reference = serializers.CharField(source="nomination.reference")
    nominee = serializers.CharField(source="nomination.nominee_name")
    award_type = serializers.IntegerField(source="nomination.award_type_id")
    recorded_by = PersonField(allow_null=True)

    class Meta:
        model = ForwardEntry
        fields = [
            "position",
            "nomination",
            "reference",
            "nominee",
            "award_type",
            "outcome",
            "higher_decision_number",
            "higher_decision_date",
            "reasons",
            "recorded_by",
            "recorded_at",
        ]


class ForwardRequestOut(serializers.ModelSerializer):
    """A request to the higher level (tờ trình); its number is taken when it is signed."""

    reference = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id")
    campaign = serializers.IntegerField(source="campaign_id")
    prepared_by = PersonField()
    signed_by = PersonField(allow_null=True)

    class Meta:
        model = ForwardRequest
        fields = [
            "id",
            "reference",
            "status",
            "agency",
            "campaign",
            "year",
            "number",
            "title",
            "addressed_to",
            "grounds",
            "prepared_by",
            "prepared_at",
            "signed_by",
            "signed_at",
            "settled_at",
            "letter_sha256",
        ]


class ForwardRequestDetailOut(ForwardRequestOut):
    entries = ForwardEntryOut(many=True, source="entries_shown")

    class Meta(ForwardRequestOut.Meta):
        fields = [*ForwardRequestOut.Meta.fields, "entries"]
