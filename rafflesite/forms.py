"""Form helpers shared by the web pages."""

from django import forms


def add_service_error(form, error, renames=None):
    """Show a service's ValidationError on a bound form.

    Messages about a field the form has go next to that field; the others,
    and messages about no field at all, go on top of the form. `renames`
    maps a service's field name to the form's where they differ, e.g.
    {"numbers": "number"}.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.error_list)
        return
    renames = renames or {}
    for name, errors in error.error_dict.items():
        name = renames.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def posted(request):
    """A request's POST data to bind a form to, or None to show it unbound.

    Unlike `request.POST or None`, an empty submission is still bound, so
    its required fields report their errors.
    """
    return request.POST if request.method == "POST" else None


class ConfirmForm(forms.Form):
    """The form of a confirmation page: no fields, only the errors of the action."""
