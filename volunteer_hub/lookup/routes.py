"""'Find my RSVPs and tasks': ask by email, open by the emailed link."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext

from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db
from volunteer_hub.forms import Form, email_field
from volunteer_hub.lookup import services
from volunteer_hub.rsvps.forms import ConfirmForm
from volunteer_hub.security import never_cache
from volunteer_hub.spam import SpamGuardMixin

bp = Blueprint("lookup", __name__)


class LookupForm(SpamGuardMixin, Form):
    email = email_field(lazy_gettext("The address you used to RSVP or volunteer."))


never_cache(bp)


@bp.get("/find")
def request_link() -> ResponseReturnValue:
    return render_template("lookup/request.html", form=LookupForm())


@bp.post("/find")
def send_link() -> ResponseReturnValue:
    begin_write()
    form = LookupForm()
    if not form.validate_on_submit():
        return render_template("lookup/request.html", form=form), 422
    services.request_link(form.email.data)
    db.session.commit()
    return redirect(url_for("lookup.sent"), 303)


@bp.get("/find/sent")
def sent() -> ResponseReturnValue:
    return render_template("lookup/sent.html")


@bp.get("/find/<token>")
def results(token: str) -> ResponseReturnValue:
    link = services.find_link(token)
    if link is None:
        return render_template("lookup/expired.html"), 404
    return render_template("lookup/results.html", found=services.commitments(link.email_key),
                           form=ConfirmForm())
