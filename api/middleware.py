import logging

from django.db import InterfaceError, OperationalError

from api.errors import problem_response

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseOutageMiddleware:
    """When the database cannot be reached, API clients get a 503 problem they can retry, not a 500.

    Nothing is held across requests: the next request tries the database again, so service
    resumes by itself when it comes back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        return database_unavailable(request, exception)


def database_unavailable(request, exception):
    """The 503 problem for an unreachable database, or None when ``exception`` is something else."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    logger.error("Database unavailable answering %s", request.path, exc_info=exception)
    response = problem_response(503, "The content store is unavailable; please retry shortly.")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
