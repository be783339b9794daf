"""Content API: the public course catalogue (filters: audience, skill area, training base) and the training bases.

A course's detail with its lessons, quizzes and the caller's enrolment is in courses/api.py (it knows quizzes and
enrolments); this module only reads the published page tree.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny

from accounts.constants import SkillArea
from content.models import Audience
from content.selectors import CatalogueFilters, catalogue_entries, catalogue_training_bases


class PageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)


class TrainingBaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    organization_id = serializers.IntegerField()


class CourseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="course.id")
    key = serializers.CharField(source="course.key")
    title = serializers.CharField(source="course.title")
    title_en = serializers.CharField(source="course.title_en", allow_blank=True)
    summary = serializers.CharField(source="course.summary", allow_blank=True)
    summary_en = serializers.CharField(source="course.summary_en", allow_blank=True)
    credit_hours = serializers.DecimalField(source="course.credit_hours", max_digits=4, decimal_places=1)
    estimated_minutes = serializers.IntegerField(source="course.estimated_minutes")
    level = serializers.CharField(source="course.level")
    skill_area = serializers.ChoiceField(source="course.skill_area", choices=SkillArea.choices)
    audiences = serializers.ListField(source="course.audiences", child=serializers.ChoiceField(Audience.choices))
    earns_certificate = serializers.BooleanField(source="course.earns_certificate")
    lesson_count = serializers.IntegerField()
    curriculum = PageRefSerializer(allow_null=True)
    training_base = serializers.SerializerMethodField()
    url = serializers.CharField(
        source="course.url", allow_null=True, help_text="The course's web page (relative to the site)."
    )

    def get_training_base(self, entry) -> str | None:
        return entry.base.key if entry.base is not None else None


class CatalogueQuerySerializer(serializers.Serializer):
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    skill_area = serializers.ChoiceField(choices=SkillArea.choices, required=False)
    base = serializers.SlugField(max_length=64, required=False, help_text="A training base key (see training-bases).")


class CourseListView(GenericAPIView):
    """Published courses, in curriculum order; filter by audience, skill area and training base. Public."""

    permission_classes = [AllowAny]
    serializer_class = CourseSummarySerializer

    @extend_schema(
        parameters=[CatalogueQuerySerializer],
        responses=CourseSummarySerializer(many=True),
        operation_id="v1_courses_list",
        tags=["catalogue"],
    )
    def get(self, request):
        query = CatalogueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = CatalogueFilters(**query.validated_data)
        page = self.paginate_queryset(catalogue_entries(filters=filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TrainingBaseListView(GenericAPIView):
    """The published training bases (their keys filter the catalogue). Public."""

    permission_classes = [AllowAny]
    serializer_class = TrainingBaseSerializer

    @extend_schema(responses=TrainingBaseSerializer(many=True), tags=["catalogue"])
    def get(self, request):
        page = self.paginate_queryset(catalogue_training_bases())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


urlpatterns = [
    path("courses/", CourseListView.as_view(), name="course-list"),
    path("training-bases/", TrainingBaseListView.as_view(), name="training-base-list"),
]
