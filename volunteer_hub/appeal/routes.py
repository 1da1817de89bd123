"""The appeal page, endorsing it, and the console's list of endorsers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from volunteer_hub.appeal import export, services, text
from volunteer_hub.appeal.forms import EndorseForm, EndorsementDetails
from volunteer_hub.appeal.models import Endorsement
from volunteer_hub.coordinators.auth import protect
from volunteer_hub.coordinators.services import audit
from volunteer_hub.database import begin_write
from volunteer_hub.extensions import db
from volunteer_hub.markup import render_markdown
from volunteer_hub.paging import requested_page
from volunteer_hub.rsvps.forms import ConfirmForm
from volunteer_hub.security import never_cache
from volunteer_hub.urls import absolute_url

bp = Blueprint("appeal", __name__)
console_bp = Blueprint("appeal_console", __name__, url_prefix="/console")
protect(console_bp)

NAMES_PER_PAGE = 100
ENDORSEMENTS_PER_PAGE = 50


# The form carries a CSRF token, the endorser's page a secret link.
never_cache(bp)


def _render_appeal(form: EndorseForm | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "appeal/index.html",
        title=text.TITLE,
        summary=text.SUMMARY,
        appeal=render_markdown(text.TEXT),
        page_url=absolute_url("appeal.index"),
        image_url=absolute_url("static", filename="img/appeal-share.png"),
        count=services.public_count(),
        names=services.public_names(requested_page(), NAMES_PER_PAGE),
        form=form or EndorseForm(formdata=None),
        thanks=request.args.get("thanks") == "1" and form is None,
    ), status


@bp.get("/appeal")
def index() -> ResponseReturnValue:
    return _render_appeal()


@bp.post("/appeal")
def endorse() -> ResponseReturnValue:
    begin_write()
    form = EndorseForm()
    if not form.validate_on_submit():
        return _render_appeal(form, status=422)
    services.endorse(**form.data_for_service())
    db.session.commit()
    # The same answer whether or not the address had already endorsed.
    return redirect(url_for("appeal.index", thanks=1, _anchor="endorse"), 303)


def _endorsement_or_404(token: str, *, for_write: bool = False) -> Endorsement:
    if for_write:
        begin_write()
    endorsement = services.find_by_token(token)
    if endorsement is None:
        abort(404)
    return endorsement


def _render_manage(endorsement: Endorsement, token: str, form: EndorsementDetails,
                   status: int = 200) -> ResponseReturnValue:
    return render_template("appeal/manage.html", endorsement=endorsement, token=token, form=form,
                           confirm=ConfirmForm(), manage_url=services.manage_url(endorsement)
                           ), status


@bp.get("/appeal/endorsement/<token>")
def manage(token: str) -> ResponseReturnValue:
    """The endorser's own page: confirm, change the details, or withdraw.
    Opening it changes nothing, since mail scanners open links too."""
    endorsement = _endorsement_or_404(token)
    return _render_manage(endorsement, token, EndorsementDetails(obj=endorsement))


@bp.post("/appeal/endorsement/<token>")
def save(token: str) -> ResponseReturnValue:
    endorsement = _endorsement_or_404(token, for_write=True)
    form = EndorsementDetails()
    if not form.validate_on_submit():
        return _render_manage(endorsement, token, form, status=422)
    if services.save_details(endorsement, **form.details()):
        message = gettext("Thank you: your endorsement is confirmed and counted.")
    else:
        message = gettext("Your changes are saved.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("appeal.manage", token=token), 303)


@bp.post("/appeal/endorsement/<token>/withdraw")
def withdraw(token: str) -> ResponseReturnValue:
    endorsement = _endorsement_or_404(token, for_write=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.withdraw(endorsement)
    db.session.commit()
    flash(gettext("Your endorsement has been withdrawn and your details deleted."), "success")
    return redirect(url_for("appeal.index"), 303)


def _console_filters() -> dict[str, object]:
    """The list's search, status and page, as the query string gives them."""
    status = request.args.get("status", "")
    return {"q": request.args.get("q", "").strip()[:100],
            "status": status if status in services.STATUSES else "",
            "page": requested_page()}


@console_bp.get("/appeal")
def endorsements() -> ResponseReturnValue:
    filters = _console_filters()
    return render_template(
        "appeal/console.html",
        endorsements=services.console_page(filters["q"], filters["status"], filters["page"],
                                           ENDORSEMENTS_PER_PAGE),
        totals=services.console_totals(),
        count=services.public_count(),
        statuses=services.STATUSES,
        filters=filters,
        confirm=ConfirmForm(),
    )


def _set_hidden(endorsement_id: int, hidden: bool) -> ResponseReturnValue:
    endorsement = db.get_or_404(Endorsement, endorsement_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_hidden(endorsement, hidden)
    # The audit log outlives the endorsement: it names no endorser.
    audit(current_user, "appeal.hide" if hidden else "appeal.unhide",
          f"endorsement {endorsement.id}")
    db.session.commit()
    flash(f"Hidden: “{endorsement.name}” is neither shown nor counted on the public page."
          if hidden else f"“{endorsement.name}” is no longer hidden.", "success")
    back = {name: value for name, value in _console_filters().items() if value}
    return redirect(url_for("appeal_console.endorsements", **back), 303)


@console_bp.post("/appeal/<int:endorsement_id>/hide")
def hide(endorsement_id: int) -> ResponseReturnValue:
    return _set_hidden(endorsement_id, True)


@console_bp.post("/appeal/<int:endorsement_id>/unhide")
def unhide(endorsement_id: int) -> ResponseReturnValue:
    return _set_hidden(endorsement_id, False)


@console_bp.get("/appeal.csv")
def export_csv() -> ResponseReturnValue:
    begin_write()
    endorsements = services.confirmed_endorsements()
    audit(current_user, "appeal.export", f"CSV of {len(endorsements)} endorsements")
    db.session.commit()
    return export.csv_response(export.endorsements_csv(endorsements), export.export_filename())
