from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .forms import LoginForm, RegisterForm


def register(request):
    """Sign a new organizer up and log them in at once."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
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


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("accounts:login")


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("dashboard")
    success_message = gettext_lazy("Your password is changed.")
