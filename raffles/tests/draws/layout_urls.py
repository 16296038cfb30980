"""The site's URLs, plus the links of the layout that this checkout lacks.

base.html and the draw pages link to the dashboard, the accounts pages and
project and buyer pages, which other parts of the app route. Any of those
names that the site does not route yet is answered here by a 404 view, so
the draw pages render on their own; where the site routes them all, these
are exactly the site's URLs.
"""

from django.http import Http404
from django.urls import NoReverseMatch, get_resolver, include, path, reverse

from rafflesite import urls as site

LAYOUT_LINKS = {
    "accounts": [
        ("login/", "login"),
        ("logout/", "logout"),
        ("register/", "register"),
        ("password/", "password"),
    ],
    "projects": [("", "list"), ("<int:ref>/", "detail")],
    "buyers": [("", "list"), ("<int:ref>/", "detail")],
}


def absent(request, **kwargs):
    raise Http404("Not routed in this checkout")


def _missing(namespace, links):
    missing = []
    for route, name in links:
        kwargs = {"ref": 1} if "<int:ref>" in route else {}
        try:
            reverse(f"{namespace}:{name}", urlconf=site, kwargs=kwargs)
        except NoReverseMatch:
            missing.append(path(route, absent, name=name))
    return missing


def _patterns():
    resolver = get_resolver(site)
    added = []
    for namespace, links in LAYOUT_LINKS.items():
        missing = _missing(namespace, links)
        if missing:
            routed = resolver.namespace_dict.get(namespace)
            existing = routed[1].url_patterns if routed else []
            included = (existing + missing, namespace)
            added.append(path(f"{namespace}/", include(included)))
    return added


urlpatterns = _patterns() + site.urlpatterns
