from allauth.account.adapter import DefaultAccountAdapter

from privacy.forms import record_signup_consents


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Also used by social signups (allauth's social adapter calls it with its form)."""
        # Set before the first save: the display name is unique and never blank.
        user.display_name = form.cleaned_data["display_name"]
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            record_signup_consents(user=user, cleaned_data=form.cleaned_data)
        return user
