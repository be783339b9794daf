from django.contrib.auth.backends import ModelBackend

from accounts.selectors import user_find_by_login


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with a username or a mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = user_find_by_login(login=username or kwargs.get("phone") or "")
        if user is None:
            # Run the hasher anyway so that timing does not reveal which logins exist.
            self.user_class_for_timing().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @staticmethod
    def user_class_for_timing():
        from accounts.models import User

        return User()
