"""The event dashboard draws its charts on the server, as SVG."""

from __future__ import annotations

from datetime import date

from tests.helpers import rsvp_form
from volunteer_hub.console.charts import Fill, daily_chart, fill_bars


def test_fill_bars_write_the_numbers_and_escape_names():
    svg = str(fill_bars([Fill("Harlem <script>", 8, 2, 3, 20), Fill("Online", 4, 0, 0, None)]))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "Harlem &lt;script&gt;" in svg and "<script>" not in svg
    assert ">10 of 20, 3 waiting<" in svg and ">4<" in svg
    assert "style=" not in svg  # presentation attributes only: the CSP allows no inline style


def test_daily_chart_fills_in_quiet_days():
    svg = str(daily_chart([(date(2027, 9, 1), 3), (date(2027, 9, 2), 0), (date(2027, 9, 3), 6)]))
    assert svg.count("<rect") == 3
    assert "Fri 03 Sep: 6" in svg and "6 max" in svg
    assert daily_chart([]) == ""


def test_the_event_page_carries_both_charts(client, coordinator, make_event):
    event = make_event()
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form(event.venues[0], guests="1"))
    client.post(f"/events/{event.slug}/rsvp", data=rsvp_form("online", name="Online One"))
    html = coordinator.get(f"/console/events/{event.id}").get_data(as_text=True)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert ">2 of 10<" in html
    assert "RSVPs per day" in html
