"""Exchange endpoints: GET .../exchange/{volunteers,service-records,training-records}/ as JSON (paginated) or,
with ?format=csv or Accept: text/csv, the whole set as one UTF-8 CSV file. Coordinators and administrators only:
what the organisations whose reports they see recorded themselves; anyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, StreamingHttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer

from core.spreadsheets import csv_stream
from exchange import selectors


class CsvRenderer(BaseRenderer):
    """Selected by ?format=csv or Accept: text/csv; the views stream the CSV themselves, so this renders only
    errors (as JSON text)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class SinceQuerySerializer(serializers.Serializer):
    since = serializers.DateField(required=False, help_text="Only records on or after this date (YYYY-MM-DD).")


FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="csv: the whole set as one CSV file (or send Accept: text/csv)."
)


class ExchangeView(GenericAPIView):
    renderer_classes = [JSONRenderer, CsvRenderer]
    fields: list[str] = []
    file_name = ""

    def organizations(self):
        if not hasattr(self, "_organizations"):
            organizations = selectors.exchange_organizations(user=self.request.user)
            if not organizations.exists():
                raise Http404
            self._organizations = organizations
        return self._organizations

    def since(self):
        query = SinceQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("since")

    def records(self, objects: list) -> list[dict]:
        raise NotImplementedError

    def respond(self, queryset):
        if self.request.accepted_renderer.format == "csv":
            rows = (record for chunk in selectors.in_chunks(queryset) for record in self.records(chunk))
            response = StreamingHttpResponse(
                csv_stream(self.fields, ([row.get(name, "") for name in self.fields] for row in rows), bom=False),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{self.file_name}.csv"'
            return response
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.records(page))


def _schema(serializer: type[serializers.Serializer], *, since: bool) -> Callable:
    parameters: list = [FORMAT_PARAMETER]
    if since:
        parameters.append(SinceQuerySerializer)
    return extend_schema(
        parameters=parameters,
        responses={
            (200, "application/json"): serializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The same fields, one row each."),
        },
        tags=["exchange"],
    )


class VolunteerRecordSerializer(serializers.Serializer):
    volunteer_number = serializers.CharField()
    name = serializers.CharField()
    id_document_type = serializers.CharField(allow_blank=True, help_text="resident_id_card, or empty.")
    id_number_masked = serializers.CharField(allow_blank=True)
    phone_masked = serializers.CharField(allow_blank=True)
    registered_on = serializers.CharField()
    organizations = serializers.CharField(allow_blank=True, help_text="Names, separated by ';'.")
    service_hours = serializers.CharField(help_text="Verified service hours (60-minute hours, one decimal).")
    learning_hours = serializers.CharField()
    star_level = serializers.IntegerField()


class ServiceRecordSerializer(serializers.Serializer):
    record_id = serializers.CharField()
    volunteer_number = serializers.CharField()
    name = serializers.CharField()
    service_date = serializers.CharField()
    school_year = serializers.CharField()
    minutes = serializers.IntegerField()
    hours = serializers.CharField()
    activity_title = serializers.CharField(allow_blank=True)
    service_content = serializers.CharField(allow_blank=True)
    place = serializers.CharField(allow_blank=True)
    recording_organization = serializers.CharField(allow_blank=True, help_text="Who recorded it certifies it.")
    verified_on = serializers.CharField(allow_blank=True)


class TrainingRecordSerializer(serializers.Serializer):
    record_id = serializers.CharField()
    volunteer_number = serializers.CharField()
    name = serializers.CharField()
    course_key = serializers.CharField()
    course_title = serializers.CharField()
    skill_area = serializers.CharField()
    credit_hours = serializers.CharField()
    credited_minutes = serializers.IntegerField()
    completed_on = serializers.CharField()
    score_percent = serializers.CharField(allow_blank=True)
    training_base = serializers.CharField(allow_blank=True)
    certificate_number = serializers.CharField(allow_blank=True)


class VolunteersExchangeView(ExchangeView):
    """Volunteers' basic information (ID number masked), hours and star level, keyed by volunteer number."""

    fields = selectors.VOLUNTEER_FIELDS
    file_name = "volunteers"
    serializer_class = VolunteerRecordSerializer

    def records(self, objects):
        return [selectors.volunteer_record(user) for user in objects]

    @_schema(VolunteerRecordSerializer, since=False)
    def get(self, request):
        return self.respond(selectors.exchange_volunteers(organizations=self.organizations()))


class ServiceRecordsExchangeView(ExchangeView):
    """Verified service (practice) records: date, duration, content, place, the recording organisation."""

    fields = selectors.SERVICE_RECORD_FIELDS
    file_name = "service-records"
    serializer_class = ServiceRecordSerializer

    def records(self, objects):
        return [selectors.service_record(entry) for entry in objects]

    @_schema(ServiceRecordSerializer, since=True)
    def get(self, request):
        since = self.since()
        return self.respond(selectors.exchange_service_records(organizations=self.organizations(), since=since))


class TrainingRecordsExchangeView(ExchangeView):
    """Completed courses: course, credit hours, date, score, training base and certificate number."""

    fields = selectors.TRAINING_RECORD_FIELDS
    file_name = "training-records"
    serializer_class = TrainingRecordSerializer

    def records(self, objects):
        numbers = selectors.certificate_numbers(list(objects), organizations=self.organizations())
        return [selectors.training_record(completion, numbers) for completion in objects]

    @_schema(TrainingRecordSerializer, since=True)
    def get(self, request):
        since = self.since()
        return self.respond(selectors.exchange_training_records(organizations=self.organizations(), since=since))


urlpatterns = [
    path("exchange/volunteers/", VolunteersExchangeView.as_view(), name="exchange-volunteers"),
    path("exchange/service-records/", ServiceRecordsExchangeView.as_view(), name="exchange-service-records"),
    path("exchange/training-records/", TrainingRecordsExchangeView.as_view(), name="exchange-training-records"),
]
