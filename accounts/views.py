from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rafflesite.forms import add_service_error, posted

from . import services
from .forms import LoginForm, PasswordForm, RegisterForm


def register(request):
    """Sign a new organizer up and log them in at once."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegisterForm(posted(request))
    user = None
    if form.is_bound and form.is_valid():
        try:
            user = services.register_organizer(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            add_service_error(form, error, renames={"password": "password1"})
    if user is not None:
        login(request, user)
        messages.success(
            request,
            _("Welcome, %(name)s! Start with your first project.")
            % {"name": user.username},
        )
        return redirect("projects:new")
    return render(request, "accounts/account_register.html", {"form": form})


class LoginView(SuccessMessageMixin, auth_views.LoginView):
    template_name = "accounts/account_login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    success_message = gettext_lazy("You are logged in as %(username)s.")


@require_http_methods(["GET", "POST"])
def logout_view(request):
    """Log out on POST; a GET (the address typed in) asks first."""
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        return render(request, "accounts/account_logout.html")
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("accounts:login")


@login_required
def password_change(request):
    """Change the password; this session stays, every other one ends."""
    form = PasswordForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            services.change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            add_service_error(form, error, renames={"new_password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("dashboard")
    return render(request, "accounts/password_change.html", {"form": form})
