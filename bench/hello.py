"""A bare Flask "hello world": the baseline every figure is divided by.

Served by the same gunicorn.conf.py as Volunteer Hub (bench/run.py runs
``gunicorn -c gunicorn.conf.py --pythonpath bench hello:app``), so a ratio
to it cancels out the machine, the server and the load generator.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The smallest page Flask can serve."""
    return "Hello, World!"
