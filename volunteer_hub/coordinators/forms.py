"""Sign-in and account forms."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from volunteer_hub.coordinators.services import MIN_PASSWORD_LENGTH
from volunteer_hub.forms import Form, email_address, printable_text, strip


class LoginForm(Form):
    email = EmailField("Email", filters=[strip],
                       validators=[DataRequired("Please enter your email address."),
                                   Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Please enter your password."),
                                                     Length(max=500)])


def _new_password() -> PasswordField:
    return PasswordField(
        "New password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well.",
        validators=[DataRequired("Please choose a password."),
                    Length(min=MIN_PASSWORD_LENGTH, max=500,
                           message=f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")],
    )


def _repeat() -> PasswordField:
    return PasswordField("Repeat the new password",
                         validators=[EqualTo("password", "The two passwords differ.")])


class PasswordChangeForm(Form):
    current = PasswordField("Current password",
                            validators=[DataRequired("Please enter your current password.")])
    password = _new_password()
    repeat = _repeat()


class NewCoordinatorForm(Form):
    name = StringField("Name", filters=[strip],
                       validators=[DataRequired("Please enter a name."), Length(max=100),
                                   printable_text])
    email = EmailField("Email", filters=[strip],
                       validators=[DataRequired("Please enter an email address."),
                                   Length(max=254), email_address])
    password = _new_password()
    repeat = _repeat()
    is_admin = BooleanField("Admin: may manage coordinator accounts and read the audit log")


class ResetPasswordForm(Form):
    password = _new_password()
    repeat = _repeat()


class ForgotPasswordForm(Form):
    email = EmailField("Email", description="The address you sign in with.", filters=[strip],
                       validators=[DataRequired("Please enter your email address."),
                                   Length(max=254)])


def _code(description: str) -> StringField:
    return StringField("Code", description=description, filters=[strip], validators=[
        DataRequired("Please enter the code."), Length(max=64, message="That code is too long.")])


class SignInCodeForm(Form):
    code = _code("The 6-digit code your authenticator app shows now, or one of your "
                 "recovery codes.")


class EnrolmentForm(Form):
    code = _code("The 6-digit code your authenticator app shows for Volunteer Hub.")


class ReauthForm(Form):
    """Your password and a current code, before changing the second factor."""

    password = PasswordField("Your password", validators=[
        DataRequired("Please enter your password."), Length(max=500)])
    code = _code("From your authenticator app, or a recovery code.")


class OwnPasswordForm(Form):
    """The acting admin's own password, before a change that weakens someone
    else's account: a session left open is not enough."""

    password = PasswordField("Your password", validators=[
        DataRequired("Please enter your password."), Length(max=500)])
