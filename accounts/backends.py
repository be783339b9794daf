"""How people prove who they are: a password (web login, the CMS login, the API token endpoint) or an API token."""

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.selectors import user_find_by_login
from accounts.services import api_token_authenticate
from core.ratelimit import Guard


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with a username or a mobile number.

    Every password check in the project comes here, so the login rate limit lives here too: per account (a wrong
    password from anywhere counts; a success starts it again) and per client address (wrong passwords only, so a
    classroom behind one address logs in freely). A limited attempt raises core.ratelimit.RateLimited before the
    password is looked at; the login forms and the token endpoint turn it into their own answer."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = (username or kwargs.get("phone") or "").strip()
        if not login or password is None:
            return None
        user = user_find_by_login(login=login)
        # The same key for a username and the phone number of one account; an unknown login counts under its text.
        guard = Guard("login", request=request, account=f"user:{user.pk}" if user else f"login:{login}")
        guard.begin()
        if user is None:
            # Run the hasher anyway so that timing does not reveal which logins exist.
            self.user_class_for_timing().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            guard.succeeded()
            return user
        return None

    @staticmethod
    def user_class_for_timing():
        from accounts.models import User

        return User()


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` with an accounts.ApiToken; a bad, expired or password-ended token is a 401."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
