"""Accounts API: token authentication for apps (phone or username), the caller's tokens and profile."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import get_object_for_user_or_404
from accounts.selectors import api_tokens_of, user_memberships
from accounts.services import api_token_issue, api_token_revoke, user_profile_update, wait_message
from core.ratelimit import RateLimited


class TokenRequestSerializer(serializers.Serializer):
    login = serializers.CharField(help_text="Username or mobile phone number", max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    device = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="A name for this device; a new token replaces the device's old one. Default: the User-Agent.",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown only now: the server keeps a digest of it.")
    token_id = serializers.IntegerField(help_text="For DELETE /api/v1/me/tokens/{id}/.")
    expires_at = serializers.DateTimeField(help_text="Moved forward on use when tokens slide (API_TOKEN_SLIDING).")
    user_id = serializers.IntegerField()
    volunteer_number = serializers.CharField()


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    device = serializers.CharField(source="name")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    current = serializers.SerializerMethodField(help_text="The token this request was made with.")

    def get_current(self, token) -> bool:
        auth = getattr(self.context.get("request"), "auth", None)
        return getattr(auth, "pk", None) == token.pk


class MembershipSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.name")
    organization_kind = serializers.CharField(source="organization.kind")
    role = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    masked_resident_id = serializers.CharField(read_only=True)
    is_minor = serializers.BooleanField(read_only=True)
    identity_verified = serializers.BooleanField(
        read_only=True, help_text="False until a new account confirms its phone or email; its learning waits."
    )
    pending_phone = serializers.CharField(read_only=True, help_text="A mobile number waiting for its code.")
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
            "identity_verified",
            "pending_phone",
            "guardian_consent",
            "memberships",
        ]
        read_only_fields = fields

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user) -> list[dict]:
        return MembershipSerializer(user_memberships(user=user), many=True).data


class TokenView(APIView):
    """Exchange a username or phone and a password for an API token of this device. Wrong passwords are limited per
    account and per client address, as on the login page (429 with Retry-After)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer}, tags=["auth"])
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = authenticate(request, username=data["login"], password=data["password"])
        except RateLimited as error:
            raise exceptions.Throttled(wait=error.retry_after, detail=wait_message(error))
        if user is None:
            raise serializers.ValidationError({"login": [_("Wrong login or password.")]})
        device = data.get("device") or request.META.get("HTTP_USER_AGENT", "")
        token, key = api_token_issue(user=user, name=device)
        return Response(
            {
                "token": key,
                "token_id": token.pk,
                "expires_at": serializers.DateTimeField().to_representation(token.expires_at),
                "user_id": user.pk,
                "volunteer_number": user.volunteer_number,
            }
        )


class MyTokensView(ListAPIView):
    """The caller's live API tokens (one per device), most recently used first."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        return api_tokens_of(user=self.request.user)

    @extend_schema(tags=["me"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyTokenView(APIView):
    """End one of the caller's tokens (another user's id is a 404)."""

    @extend_schema(request=None, responses={204: None}, tags=["me"])
    def delete(self, request, pk: int):
        token = get_object_for_user_or_404(request.user, "view_own", api_tokens_of(user=request.user), pk=pk)
        api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
            "phone": user.phone or user.pending_phone or None,
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
    path("me/tokens/", MyTokensView.as_view(), name="me-tokens"),
    path("me/tokens/<int:pk>/", MyTokenView.as_view(), name="me-token"),
]
