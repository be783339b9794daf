"""Accounts API: token authentication for apps (phone or username) and the caller's profile."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import User
from accounts.selectors import user_memberships
from accounts.services import user_profile_update


class TokenRequestSerializer(serializers.Serializer):
    login = serializers.CharField(help_text="Username or mobile phone number", max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    user_id = serializers.IntegerField()
    volunteer_number = serializers.CharField()


class MembershipSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.name")
    organization_kind = serializers.CharField(source="organization.kind")
    role = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    masked_resident_id = serializers.CharField(read_only=True)
    is_minor = serializers.BooleanField(read_only=True)
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "volunteer_number",
            "phone",
            "email",
            "date_of_birth",
            "masked_resident_id",
            "is_minor",
            "guardian_consent",
            "memberships",
        ]
        read_only_fields = fields

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user) -> list[dict]:
        return MembershipSerializer(user_memberships(user=user), many=True).data


class TokenView(APIView):
    """Exchange a username or phone and a password for an API token (rate-limited)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer}, tags=["auth"])
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request, username=serializer.validated_data["login"], password=serializer.validated_data["password"]
        )
        if user is None:
            raise serializers.ValidationError({"login": [_("Wrong login or password.")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "user_id": user.pk, "volunteer_number": user.volunteer_number})


class ProfileUpdateSerializer(serializers.Serializer):
    """Fields left out keep their stored value. The checks are sign-up's (accounts.validators.personal_data_check)."""

    real_name = serializers.CharField(required=False, max_length=64)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=11)
    resident_id = serializers.CharField(required=False, allow_blank=True, max_length=18, write_only=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    guardian_consent = serializers.BooleanField(required=False)
    guardian_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    guardian_phone = serializers.CharField(required=False, allow_blank=True, max_length=11)


class MeView(APIView):
    """The caller's own profile (ID number masked); PATCH changes it with the same checks as sign-up."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer}, tags=["me"])
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=ProfileUpdateSerializer, responses={200: MeSerializer}, tags=["me"])
    def patch(self, request):
        serializer = ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        current = {
            "real_name": user.real_name,
            "email": user.email,
            "phone": user.phone,
            "resident_id": user.resident_id,
            "date_of_birth": user.date_of_birth,
            "guardian_consent": user.guardian_consent,
            "guardian_name": user.guardian_name,
            "guardian_phone": user.guardian_phone,
        }
        user_profile_update(user=user, **{**current, **serializer.validated_data})
        return Response(MeSerializer(user).data)


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
]
