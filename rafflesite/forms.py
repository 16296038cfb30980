"""Form helpers shared by the apps' web pages."""

from django.core.exceptions import NON_FIELD_ERRORS


def add_service_errors(form, error):
    """Put a service's ValidationError onto `form`.

    A dict error lands on the fields the form has; messages for fields it
    lacks, and a plain (non-dict) error, become non-field errors.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, messages)
