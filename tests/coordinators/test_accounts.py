"""Coordinator accounts: created from the command line, signed in without
revealing which addresses exist, throttled, and every console route guarded."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import PASSWORD, sign_in
from volunteer_hub.coordinators.models import AuditEntry, Coordinator


def test_create_coordinator_reads_the_password_from_standard_input(runner, app, fetch):
    result = runner.invoke(args=["create-coordinator", "Nasrin@Example.org", "--name", "Nasrin",
                                 "--admin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created admin coordinator Nasrin <nasrin@example.org>." in result.output
    [account] = fetch(sa.select(Coordinator))
    assert account.is_admin and account.password_hash.startswith("scrypt:")
    assert PASSWORD not in account.password_hash

    again = runner.invoke(args=["create-coordinator", "nasrin@example.org", "--name", "N"],
                          input=PASSWORD + "\n")
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(args=["create-coordinator", "x@example.org", "--name", "X"],
                          input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output


def test_sign_in_says_the_same_for_unknown_addresses_and_wrong_passwords(
    client, make_coordinator
):
    make_coordinator("nasrin@example.org")
    wrong_password = sign_in(client, "nasrin@example.org", "not the password at all")
    unknown = sign_in(client, "nobody@example.org", "not the password at all")
    assert wrong_password.status_code == unknown.status_code == 422
    assert wrong_password.get_data(as_text=True).replace("nasrin@", "X@") == \
        unknown.get_data(as_text=True).replace("nobody@", "X@")

    ok = sign_in(client, "NASRIN@example.org")
    assert ok.status_code == 303 and ok.headers["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_repeated_failures_are_throttled_for_known_and_unknown_addresses(
    client, make_coordinator
):
    make_coordinator("nasrin@example.org")
    for email in ("nasrin@example.org", "nobody@example.org"):
        codes = [sign_in(client, email, "wrong wrong wrong").status_code for _ in range(6)]
        assert codes == [422] * 5 + [429]
    assert sign_in(client, "nasrin@example.org").status_code == 429  # even the right password


def test_sign_in_never_redirects_off_site(client, make_coordinator):
    make_coordinator("nasrin@example.org")
    response = client.post("/console/login?next=//evil.example/x",
                           data={"email": "nasrin@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/console/"


#: Console pages for people who are not signed in (yet): sign-in, its code
#: step, and resetting a forgotten password. Listed here, not imported from
#: the app, so that a page exempted by mistake fails the walk below.
PUBLIC_CONSOLE_ENDPOINTS = {"coordinators.login", "coordinators.login_code",
                            "coordinators.forgot_password", "coordinators.reset_with_link"}


def console_blueprints(app) -> set[str]:
    """Every blueprint under /console: new console pages are covered by
    the walk below without anyone having to list them."""
    return {name for name, blueprint in app.blueprints.items()
            if (blueprint.url_prefix or "").startswith("/console")}


def console_routes(app):
    """Every URL of the console blueprints, with sample arguments."""
    blueprints = console_blueprints(app)
    assert {"coordinators", "accounts", "console", "attendance", "checkin", "editor",
            "broadcasts", "materials_console"} <= blueprints
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in blueprints:
            continue
        if rule.endpoint in PUBLIC_CONSOLE_ENDPOINTS:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_every_console_route_turns_away_visitors_and_disabled_accounts(
    app, make_coordinator, make_event
):
    make_event()
    routes = list(console_routes(app))
    assert len(routes) > 10

    visitor = app.test_client()
    for method, url in routes:
        response = visitor.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/console/login")

    account = make_coordinator("gone@example.org", admin=True)
    disabled = app.test_client()
    assert sign_in(disabled, "gone@example.org").status_code == 303
    with app.app_context():
        from volunteer_hub.coordinators.services import set_disabled
        from volunteer_hub.extensions import db

        set_disabled(db.session.get(Coordinator, account), True)
        db.session.commit()
    for method, url in routes:
        response = disabled.open(url, method=method)
        assert response.status_code == 302, (method, url)


def test_admin_pages_are_for_admins_only(app, make_coordinator):
    make_coordinator("plain@example.org")
    client = app.test_client()
    sign_in(client, "plain@example.org")
    for method, url in console_routes(app):
        if url.startswith("/console/admin"):
            assert client.open(url, method=method).status_code == 403, (method, url)
    assert client.get("/console/").status_code == 200


def test_admins_add_disable_reset_and_remove_accounts(app, coordinator, fetch):
    new = {"name": "Babak", "email": "babak@example.org", "password": PASSWORD,
           "repeat": PASSWORD}
    assert coordinator.post("/console/admin/accounts", data=new).status_code == 303
    assert coordinator.post("/console/admin/accounts", data=new).status_code == 422  # exists
    babak_id = next(c.id for c in fetch(sa.select(Coordinator)) if c.name == "Babak")

    babak = app.test_client()
    assert sign_in(babak, "babak@example.org").status_code == 303
    coordinator.post(f"/console/admin/accounts/{babak_id}/disable")
    assert babak.get("/console/").status_code == 302  # signed out at once
    assert sign_in(babak, "babak@example.org").status_code == 422
    coordinator.post(f"/console/admin/accounts/{babak_id}/disable")  # enable again

    new_password = "another long passphrase"
    response = coordinator.post(f"/console/admin/accounts/{babak_id}/password",
                                data={"password": new_password, "repeat": new_password})
    assert response.status_code == 303
    assert sign_in(babak, "babak@example.org", new_password).status_code == 303

    coordinator.post(f"/console/admin/accounts/{babak_id}/remove")
    assert [c.name for c in fetch(sa.select(Coordinator))] == ["Admin"]
    actions = [e.action for e in fetch(sa.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["coordinator.login", "account.add", "coordinator.login", "account.disable",
                       "account.enable", "account.password", "coordinator.login", "account.remove"]
    log = coordinator.get("/console/admin/audit").get_data(as_text=True)
    assert "removed Babak" in log


def test_changing_ones_password_signs_out_other_sessions(app, coordinator):
    other = app.test_client()
    sign_in(other, "admin@example.org")
    new_password = "a brand new passphrase"
    response = coordinator.post("/console/password", data={
        "current": PASSWORD, "password": new_password, "repeat": new_password})
    assert response.status_code == 303
    assert coordinator.get("/console/").status_code == 200
    assert other.get("/console/").status_code == 302

    wrong = coordinator.post("/console/password", data={
        "current": "wrong", "password": new_password, "repeat": new_password})
    assert wrong.status_code == 422


def test_sign_out_needs_a_post(coordinator):
    assert coordinator.get("/console/logout").status_code == 405
    assert coordinator.post("/console/logout").status_code == 303
    assert coordinator.get("/console/").status_code == 302


def test_sign_in_never_redirects_off_site_through_white_space(client, make_coordinator):
    make_coordinator()
    for target in ("/console/\t/evil.example", "/console\n/x", "/console\\evil.example"):
        response = client.post("/console/login", query_string={"next": target},
                               data={"email": "coordinator@example.org", "password": PASSWORD})
        assert response.status_code == 303, target
        assert response.headers["Location"] == "/console/", target
        client.post("/console/logout")
