"""The people who edit Baken in the tests: users in the role groups, their admin language, their clients.

The role fixtures of tests/conftest.py are built on :func:`make_user`: ``editor`` is Eva
(Editors), ``translator`` Theo (Translators), ``reviewer`` Rita (Reviewers), ``admin`` Ada (an
administrator) and ``superuser`` "editor" (an administrator, the ``admin_client``'s user).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "not-a-real-password"


def make_user(username: str, *groups: str, superuser: bool = False, **fields):
    """A user in these groups (names from cms/roles.py), as an administrator creates one.

    The first name is the username's title case ("eva" → "Eva", the name the admin's history
    shows), the address is at example.org and the password :data:`PASSWORD`; ``fields`` override
    these or set others (``is_active=False``). ``superuser=True`` makes an administrator.
    """
    values = {
        "email": f"{username}@example.org",
        "password": PASSWORD,
        "first_name": username.title(),
        **fields,
    }
    users = get_user_model().objects
    user = (users.create_superuser if superuser else users.create_user)(username=username, **values)
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


def prefer_language(user, language: str):
    """Set the user's admin language (their Wagtail profile's preferred language); ``""``: none."""
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})
    return user


def logged_in(client, user, *, language: str | None = None):
    """``client``, signed in as ``user`` (who reads the admin in ``language``, when given)."""
    if language is not None:
        prefer_language(user, language)
    client.force_login(user)
    return client
