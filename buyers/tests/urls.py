"""The site's URLconf for the buyer and sales page tests.

These pages extend base.html and link to pages built on another branch
(log in, projects, sets). Until such a name exists it is added here with a
view that answers 404, so the pages render in tests; once the real route
is merged nothing is added and the real one is used.
"""

from django.http import Http404
from django.urls import URLResolver, include, path

from rafflesite.urls import urlpatterns as site_patterns

ELSEWHERE = {
    "accounts": [
        ("login/", "login"),
        ("logout/", "logout"),
        ("register/", "register"),
        ("password/", "password"),
    ],
    "projects": [("", "list"), ("<int:ref>/", "detail")],
    "raffles": [("sets/<int:ref>/", "set_detail")],
}


def not_here(request, **kwargs):
    raise Http404("Built on another branch")


def _completed(resolver):
    names = {getattr(pattern, "name", None) for pattern in resolver.url_patterns}
    missing = [
        path(route, not_here, name=name)
        for route, name in ELSEWHERE.get(resolver.namespace, [])
        if name not in names
    ]
    if not missing:
        return resolver
    patterns = [*resolver.url_patterns, *missing]
    return path(str(resolver.pattern), include((patterns, resolver.app_name)))


urlpatterns = [
    _completed(pattern) if isinstance(pattern, URLResolver) else pattern
    for pattern in site_patterns
]
