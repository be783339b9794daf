"""Coordinators through the API: the roster, compliance for a school year, practice activities and their
verification (谁记录谁证明). Every organisation is checked through the permission service; others get 404."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization
from accounts.permissions import get_object_for_user_or_404
from core.api_errors import error_response
from hours.serializers import HoursEntrySerializer, SchoolYearQuerySerializer, school_year_param
from schools.models import ServiceActivity, ServiceParticipation, StudentProfile
from schools.selectors import compliance, roster
from schools.services import practice

EDUCATIONAL_KINDS = ("college", "school")


def organization_or_404(request, organization_id: int, action: str, *, educational: bool = True) -> Organization:
    organization = get_object_for_user_or_404(request.user, action, Organization.objects.all(), pk=organization_id)
    if educational and organization.kind not in EDUCATIONAL_KINDS:
        raise Http404
    return organization  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------------------------
# Roster and students
# ---------------------------------------------------------------------------------------------------------------


class StudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    student_number = serializers.CharField()
    volunteer_number = serializers.CharField(source="user.volunteer_number")
    name = serializers.CharField(source="user.real_name")
    grade = serializers.CharField(allow_blank=True)
    school_class = serializers.CharField(source="school_class.name", allow_null=True)
    activated = serializers.SerializerMethodField()
    guardian_consent_required = serializers.BooleanField()

    def get_activated(self, profile) -> bool:
        return not profile.activation_code


class RosterQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=64, help_text="Student number or name contains.")
    school_class = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class RosterView(GenericAPIView):
    """The organisation's students, by class and student number (coordinators who manage students)."""

    serializer_class = StudentSerializer

    @extend_schema(
        parameters=[RosterQuerySerializer],
        responses=StudentSerializer(many=True),
        operation_id="v1_organizations_students_list",
        tags=["coordinator"],
    )
    def get(self, request, organization_id: int):
        organization = organization_or_404(request, organization_id, "manage_students")
        query = RosterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        students = roster.roster(
            organization=organization,
            search=query.validated_data.get("q", ""),
            school_class_id=query.validated_data.get("school_class"),
        )
        page = self.paginate_queryset(students)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class StudentYearSerializer(serializers.Serializer):
    student = StudentSerializer()
    school_year = serializers.CharField()
    required_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    learning_hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    practice_hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    training_hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    counted_hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    status = serializers.ChoiceField(choices=list(compliance.STATUS_LABELS))
    entries = HoursEntrySerializer(many=True)


class StudentDetailView(APIView):
    """One student's hours for a school year: the school's coordinators, or the student themself."""

    @extend_schema(parameters=[SchoolYearQuerySerializer], responses=StudentYearSerializer, tags=["coordinator"])
    def get(self, request, organization_id: int, student_id: int):
        profile = get_object_for_user_or_404(
            request.user,
            "view",
            StudentProfile.objects.select_related("user", "school_class", "organization"),
            pk=student_id,
            organization_id=organization_id,
        )
        school_year = school_year_param(request)
        figures = compliance.student_compliance(profile=profile, school_year=school_year)  # type: ignore[arg-type]
        context, row = figures["context"], figures["row"]
        data = {
            "student": profile,
            "school_year": school_year,
            "required_hours": context.required_hours,
            "learning_hours": context.hours(row.learning_minutes),
            "practice_hours": context.hours(row.practice_minutes),
            "training_hours": context.hours(row.training_minutes),
            "counted_hours": context.hours(row.counted_minutes),
            "status": row.compliance_status,
            "entries": figures["entries"],
        }
        return Response(StudentYearSerializer(data).data)


# ---------------------------------------------------------------------------------------------------------------
# Compliance
# ---------------------------------------------------------------------------------------------------------------


class ClassSummarySerializer(serializers.Serializer):
    school_class_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    not_met = serializers.IntegerField()


class ComplianceSummarySerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    school_year = serializers.CharField()
    required_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    minutes_per_hour = serializers.IntegerField()
    counted_kinds = serializers.ListField(child=serializers.CharField())
    in_progress = serializers.BooleanField()
    expected_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, help_text="Below this (and not met) by today, a student is at risk."
    )
    classes = ClassSummarySerializer(many=True)


class ComplianceView(APIView):
    """Compliance with the yearly requirement for a school year: the rule and the count per class."""

    @extend_schema(parameters=[SchoolYearQuerySerializer], responses=ComplianceSummarySerializer, tags=["coordinator"])
    def get(self, request, organization_id: int):
        organization = organization_or_404(request, organization_id, "view_reports")
        context = compliance.compliance_context(organization=organization, school_year=school_year_param(request))
        data = {
            "organization_id": organization.pk,
            "school_year": context.school_year,
            "required_hours": context.required_hours,
            "minutes_per_hour": context.minutes_per_hour,
            "counted_kinds": list(context.counted_kinds),
            "in_progress": context.in_progress,
            "expected_hours": context.expected_hours,
            "classes": compliance.compliance_class_summary(context=context),
        }
        return Response(ComplianceSummarySerializer(data).data)


class ComplianceRowSerializer(serializers.Serializer):
    student = StudentSerializer(source="*")
    learning_hours = serializers.SerializerMethodField()
    practice_hours = serializers.SerializerMethodField()
    training_hours = serializers.SerializerMethodField()
    counted_hours = serializers.SerializerMethodField()
    status = serializers.ChoiceField(source="compliance_status", choices=list(compliance.STATUS_LABELS))

    def _hours(self, minutes: int) -> str:
        return str(self.context["compliance"].hours(minutes))

    def get_learning_hours(self, row) -> str:
        return self._hours(row.learning_minutes)

    def get_practice_hours(self, row) -> str:
        return self._hours(row.practice_minutes)

    def get_training_hours(self, row) -> str:
        return self._hours(row.training_minutes)

    def get_counted_hours(self, row) -> str:
        return self._hours(row.counted_minutes)


class ComplianceQuerySerializer(SchoolYearQuerySerializer):
    status = serializers.ChoiceField(choices=list(compliance.STATUS_LABELS), required=False)
    school_class = serializers.RegexField(
        r"^(none|[1-9][0-9]{0,9})$", required=False, help_text="A class id, or 'none' for students without a class."
    )
    q = serializers.CharField(required=False, max_length=64)


class ComplianceStudentsView(GenericAPIView):
    """Each student's 学时 for a school year and their status (met, at risk, not met); filter by status, class, q."""

    serializer_class = ComplianceRowSerializer

    @extend_schema(
        parameters=[ComplianceQuerySerializer], responses=ComplianceRowSerializer(many=True), tags=["coordinator"]
    )
    def get(self, request, organization_id: int):
        organization = organization_or_404(request, organization_id, "view_reports")
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        context = compliance.compliance_context(
            organization=organization, school_year=filters.get("school_year") or school_year_param(request)
        )
        rows = compliance.compliance_students(
            context=context,
            school_class_id=filters.get("school_class"),
            status=filters.get("status", ""),
            search=filters.get("q", ""),
        )
        page = self.paginate_queryset(rows)
        serializer = self.get_serializer(page, many=True, context={"compliance": context})
        return self.get_paginated_response(serializer.data)


# ---------------------------------------------------------------------------------------------------------------
# Practice activities
# ---------------------------------------------------------------------------------------------------------------


class ParticipationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    volunteer_number = serializers.CharField(source="user.volunteer_number")
    name = serializers.CharField(source="user.real_name")
    minutes = serializers.IntegerField()
    status = serializers.CharField(source="hours_entry.status", allow_null=True)


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organizer_id = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField()
    place = serializers.CharField()
    occurred_on = serializers.DateField()
    start_time = serializers.TimeField(allow_null=True)
    end_time = serializers.TimeField(allow_null=True)
    school_year = serializers.CharField()


class ActivityListItemSerializer(ActivitySerializer):
    participant_count = serializers.IntegerField()
    pending_count = serializers.IntegerField()


class ActivityDetailSerializer(ActivitySerializer):
    participations = ParticipationSerializer(many=True, source="participation_rows")


class ParticipantRowSerializer(serializers.Serializer):
    student_number = serializers.CharField(required=False, max_length=32, help_text="On the organiser's roster.")
    volunteer_number = serializers.CharField(required=False, max_length=20)
    minutes = serializers.IntegerField(
        required=False, min_value=1, max_value=24 * 60, help_text="Defaults to the activity's duration."
    )


class ActivityCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=128)
    content = serializers.CharField(max_length=5000)
    place = serializers.CharField(max_length=255)
    occurred_on = serializers.DateField()
    school_year = serializers.CharField(max_length=9, help_text="Like 2026-2027.")
    start_time = serializers.TimeField(required=False, allow_null=True)
    end_time = serializers.TimeField(required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=24 * 60)
    participants = ParticipantRowSerializer(many=True, allow_empty=False, max_length=2000)


def _activity_detail(activity: ServiceActivity) -> dict:
    activity.participation_rows = list(  # type: ignore[attr-defined]
        activity.participations.select_related("user", "hours_entry").order_by("user__real_name", "pk")
    )
    return ActivityDetailSerializer(activity).data


class ActivitiesView(GenericAPIView):
    """Practice activities the organisation recorded (GET), and recording one (POST): each participant's minutes
    become pending practice hours; any rule broken for any participant records nothing (400 naming them)."""

    serializer_class = ActivityListItemSerializer

    @extend_schema(
        responses=ActivityListItemSerializer(many=True),
        operation_id="v1_organizations_activities_list",
        tags=["coordinator"],
    )
    def get(self, request, organization_id: int):
        organization = organization_or_404(request, organization_id, "record_practice", educational=False)
        page = self.paginate_queryset(roster.activities_of(organization=organization))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ActivityCreateSerializer, responses={201: ActivityDetailSerializer}, tags=["coordinator"])
    def post(self, request, organization_id: int):
        organization = organization_or_404(request, organization_id, "record_practice", educational=False)
        serializer = ActivityCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        participants, problems = practice.participants_resolve(organizer=organization, rows=data.pop("participants"))
        if problems:
            return error_response(code="invalid", detail="; ".join(problems), fields={"participants": problems})
        activity = practice.service_activity_record(
            organizer=organization, recorded_by=request.user, participants=participants, **data
        )
        return Response(_activity_detail(activity), status=status.HTTP_201_CREATED)


def _activity_or_404(request, organization_id: int, activity_id: int) -> ServiceActivity:
    organization = organization_or_404(request, organization_id, "record_practice", educational=False)
    activity = roster.activity_of(organization=organization, activity_id=activity_id)
    if activity is None:
        raise Http404
    return activity


class ActivityDetailView(APIView):
    @extend_schema(responses=ActivityDetailSerializer, tags=["coordinator"])
    def get(self, request, organization_id: int, activity_id: int):
        return Response(_activity_detail(_activity_or_404(request, organization_id, activity_id)))


class VerificationResultSerializer(serializers.Serializer):
    verified = serializers.IntegerField(help_text="How many pending entries this call verified.")


class ActivityVerificationView(APIView):
    """Verify every pending entry of the activity: only the organiser's coordinators (谁记录谁证明). Idempotent."""

    @extend_schema(request=None, responses=VerificationResultSerializer, tags=["coordinator"])
    def post(self, request, organization_id: int, activity_id: int):
        activity = _activity_or_404(request, organization_id, activity_id)
        count = practice.service_activity_verify(activity=activity, verifier=request.user)
        return Response({"verified": count})


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ParticipationRejectionView(APIView):
    """Reject one participant's hours, with a reason (the organiser only). Idempotent."""

    @extend_schema(request=RejectionSerializer, responses=ParticipationSerializer, tags=["coordinator"])
    def post(self, request, organization_id: int, activity_id: int, participation_id: int):
        activity = _activity_or_404(request, organization_id, activity_id)
        participation = ServiceParticipation.objects.filter(pk=participation_id, activity=activity).first()
        if participation is None:
            raise Http404
        serializer = RejectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        practice.service_participation_reject(
            participation=participation, verifier=request.user, reason=serializer.validated_data["reason"]
        )
        participation.refresh_from_db()
        return Response(ParticipationSerializer(participation).data)


urlpatterns = [
    path("organizations/<int:organization_id>/students/", RosterView.as_view(), name="org-students"),
    path(
        "organizations/<int:organization_id>/students/<int:student_id>/",
        StudentDetailView.as_view(),
        name="org-student",
    ),
    path("organizations/<int:organization_id>/compliance/", ComplianceView.as_view(), name="org-compliance"),
    path(
        "organizations/<int:organization_id>/compliance/students/",
        ComplianceStudentsView.as_view(),
        name="org-compliance-students",
    ),
    path("organizations/<int:organization_id>/activities/", ActivitiesView.as_view(), name="org-activities"),
    path(
        "organizations/<int:organization_id>/activities/<int:activity_id>/",
        ActivityDetailView.as_view(),
        name="org-activity",
    ),
    path(
        "organizations/<int:organization_id>/activities/<int:activity_id>/verification/",
        ActivityVerificationView.as_view(),
        name="org-activity-verification",
    ),
    path(
        "organizations/<int:organization_id>/activities/<int:activity_id>/participations/<int:participation_id>/"
        "rejection/",
        ParticipationRejectionView.as_view(),
        name="org-participation-rejection",
    ),
]
