"""Health checks for load balancers and orchestrators."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """The process is alive and answering."""
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readyz(request):
    """The database and the cache are reachable; 503 with the failing parts otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"unavailable: {type(error).__name__}"
    try:
        cache.set("baken:readyz", "1", timeout=5)
        checks["cache"] = "ok" if cache.get("baken:readyz") == "1" else "unavailable: read back failed"
    except Exception as error:
        checks["cache"] = f"unavailable: {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )
