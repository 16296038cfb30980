"""Pieces shared by the apps' admins: links, service-backed forms, read-only."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html


def change_link(obj, text=None):
    """A link to `obj`'s admin change page, or "-" for no object."""
    if obj is None:
        return "-"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj if text is None else text)


def changelist_link(model, text, **filters):
    """A link to `model`'s admin changelist filtered by `filters`."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(filters), text)


def counted_deletion(model_admin, request, objs, *querysets):
    """get_deleted_objects() that counts the rows going along with `objs`.

    Django's own lists every related row (100,000 numbers for a big set) and
    asks for delete permission on each related model, although here the
    service deletes them as part of the object.
    """
    objs = list(objs)
    model_count = {model_admin.opts.verbose_name_plural: len(objs)}
    for queryset in querysets:
        model_count[queryset.model._meta.verbose_name_plural] = queryset.count()
    perms_needed = set()
    if not model_admin.has_delete_permission(request):
        perms_needed.add(model_admin.opts.verbose_name)
    return [str(obj) for obj in objs], model_count, perms_needed, []


class ServiceForm(forms.ModelForm):
    """An admin form that saves through a service, from clean().

    Running the service here rather than in save_model() puts its errors next
    to the fields they name, with the service's own wording. Subclasses
    define save_through_service(cleaned_data) and return the saved object.
    """

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        try:
            with transaction.atomic():
                self.instance = self.save_through_service(cleaned_data)
        except ValidationError as error:
            self.add_service_error(error)
        return cleaned_data

    def _post_clean(self):
        # The service validated and saved the instance; copying the raw form
        # values back onto it would undo the service's normalisation.
        pass

    def add_service_error(self, error):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)

    def changed_values(self, cleaned_data):
        return {field: cleaned_data[field] for field in self.changed_data}


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes all go through services.

    Its form (a ServiceForm) saves; subclasses that allow deleting override
    delete_model() with the service, whose refusal shows as an error message.
    A POST that does not end in a redirect changed nothing: whatever the form
    saved is rolled back when the page comes back with errors.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            response = super().changeform_view(
                request, object_id, form_url, extra_context
            )
            if response.status_code != 302:
                transaction.set_rollback(True)
        return response

    def save_model(self, request, obj, form, change):
        # Saved already by the form's service call.
        pass

    def get_actions(self, request):
        # "Delete selected" would bypass the services' rules on deleting.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            opts = self.opts
            return redirect(
                f"admin:{opts.app_label}_{opts.model_name}_change", object_id
            )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody edits by hand: history and payments."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
