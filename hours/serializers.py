"""API shapes of the hours ledger, shared by the learner's and the coordinator's endpoints."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from core.school_years import current_school_year, is_school_year_name
from hours.models import HoursKind, HoursStatus


class HoursEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=HoursKind.choices)
    minutes = serializers.IntegerField()
    occurred_on = serializers.DateField()
    school_year = serializers.CharField()
    status = serializers.ChoiceField(choices=HoursStatus.choices)
    description = serializers.CharField(allow_blank=True)
    credited_organization = serializers.CharField(source="credited_organization.name", allow_null=True)
    recorded_by_organization = serializers.CharField(source="recorded_by_organization.name", allow_null=True)


class SchoolYearQuerySerializer(serializers.Serializer):
    school_year = serializers.CharField(
        required=False, max_length=9, help_text="Like 2026-2027; the current school year by default."
    )

    def validate_school_year(self, value: str) -> str:
        if not is_school_year_name(value):
            raise serializers.ValidationError(_("Choose a school year such as 2026-2027."))
        return value


def school_year_param(request) -> str:
    query = SchoolYearQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("school_year") or current_school_year()
