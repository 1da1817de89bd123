"""The words of the appeal, in Markdown, and what share links and previews say."""

from __future__ import annotations

TITLE = "The International Emergency Appeal to Free Iran's Political Prisoners"

#: One or two sentences for link previews and share messages.
SUMMARY = ("Free Iran's political prisoners now. Stop the executions and the torture. "
           "No U.S. war or aggression against Iran. Add your name to the appeal.")

TEXT = """\
Across Iran, in Evin and in prisons whose names the world never hears, people
are held for what they said, wrote, believed or organised. Students and
teachers, workers and trade unionists, women who refused to be silenced,
journalists, lawyers, writers and artists, members of persecuted national and
religious minorities: many were sentenced after hearings that lasted minutes,
on confessions taken under pressure, without a lawyer of their choosing. Some
face the gallows. Executions go on at a terrible pace, and political prisoners
are among those put to death.

We, who sign this appeal, come from many countries, faiths and walks of life.
We may disagree about much else. On this we speak with one voice:

1. **Free all of Iran's political prisoners, immediately and
   unconditionally.** No one should be behind bars for their opinions, their
   faith, their identity or their peaceful activity.
2. **Stop the executions.** Every death sentence passed for political
   reasons must be lifted, and no one else must be hanged.
3. **End torture and ill-treatment.** Beatings, sexual violence, prolonged
   solitary confinement, forced confessions and the denial of medical care
   must stop. Every prisoner must be able to see a lawyer of their choice and
   their family.
4. **No U.S. war or aggression against Iran.** Bombs and threats from
   abroad free no one. They bring death and ruin to the very people who
   suffer under repression, and they hand those in power a pretext to tighten
   their grip. The future of Iran belongs to its people.

Standing with the prisoners and standing against war are not two causes but
one: the conviction that the people of Iran have the right to live without
fear, whether of their own rulers' prisons or of foreign bombs.

We call on people of conscience everywhere, and on governments, the United
Nations and human-rights bodies, to raise their voices now, and to keep
raising them until every political prisoner in Iran walks free.
"""
