"""The site's URLconf for page tests, plus pages other branches build.

Templates here link to pages that land from other branches (the number
page, selling, the draw list, buyers). Until a name exists, it is added
here with a view that answers 404, so these pages render and their links
can be checked. Once the real route is merged, nothing is added.
"""

from django.http import Http404
from django.urls import URLResolver, include, path

from rafflesite.urls import urlpatterns as site_patterns

ELSEWHERE = {
    "raffles": [
        ("numbers/<str:number>/", "number_detail"),
        ("sell/", "sell"),
        ("draw-list/", "draw_list"),
    ],
    "buyers": [("", "list")],
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
