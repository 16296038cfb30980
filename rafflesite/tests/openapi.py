"""Check a real answer of the API against the schema the app serves."""

import functools

import requests
import schemathesis
from rest_framework.test import APIClient
from schemathesis.core.transport import Response


@functools.cache
def served_schema():
    document = APIClient().get("/api/schema/?format=json").json()
    return schemathesis.openapi.from_dict(document)


def assert_follows_schema(response, path, method="GET"):
    """Raise when `response` is not what the schema documents for its status.

    `path` is the schema's template, e.g. "/api/projects/{project_ref}/".
    """
    operation = served_schema()[path][method]
    request = requests.Request(method, "http://testserver" + path).prepare()
    answer = Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=True,
    )
    operation.validate_response(answer)
