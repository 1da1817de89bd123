"""Run nginx on the repository's deploy/nginx-site.conf in a scratch folder,
for deploy/check and bench/run.py: the same file an operator installs, with
only its addresses, ports, certificate and paths swapped for local ones."""

from __future__ import annotations

import http.client
import shutil
import signal
import subprocess  # nosec B404: runs nginx and openssl with fixed arguments
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx-site.conf"
EXAMPLE_UPSTREAMS = "    server 127.0.0.1:8001;\n    server 127.0.0.1:8002;\n"


@dataclass
class LocalNginx:
    """A running nginx, where it listens, and what it was given."""

    process: subprocess.Popen
    https_port: int
    http_port: int
    folder: Path
    cert: Path
    key: Path
    upstreams: list[str]
    static: Path

    @property
    def access_log(self) -> Path:
        return self.folder / "logs" / "volunteer-hub.access.log"

    @property
    def error_log(self) -> Path:
        return self.folder / "logs" / "volunteer-hub.error.log"

    @property
    def site(self) -> Path:
        return self.folder / "volunteer-hub.conf"

    def configure(self, down: frozenset[str] = frozenset()) -> None:
        """Write the site's configuration, the instances in ``down`` marked
        so (nginx sends them nothing); a running nginx needs reload()."""
        self.site.write_text(site_config(
            self.upstreams, https_port=self.https_port, http_port=self.http_port,
            static=self.static, cert=self.cert, key=self.key, logs=self.folder / "logs",
            down=down))

    def reload(self, down: frozenset[str] = frozenset()) -> None:
        """`nginx -s reload`: new workers take the new configuration, the old
        ones finish their requests first."""
        self.configure(down)
        self.process.send_signal(signal.SIGHUP)
        time.sleep(1)  # the new workers are up well within a second

    def stop(self) -> None:
        """Stop nginx; it finishes nothing in flight (this is a test)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def site_config(upstreams: list[str], *, https_port: int, http_port: int, static: Path,
                cert: Path, key: Path, logs: Path, down: frozenset[str] = frozenset()) -> str:
    """deploy/nginx-site.conf with local values; raises when a value to swap
    is no longer in the file, so the file and its checks cannot drift apart."""
    text = SITE.read_text()
    swaps = [
        (EXAMPLE_UPSTREAMS, "".join(f"    server {address}{' down' if address in down else ''};\n"
                                    for address in upstreams)),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/letsencrypt/live/hub.example.org/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/hub.example.org/privkey.pem", str(key)),
        ("/var/log/nginx/", f"{logs}/"),
        ("/srv/volunteer-hub/static/", f"{static}/"),
    ]
    for example, local in swaps:
        if example not in text:
            raise RuntimeError(f"deploy/nginx-site.conf no longer contains {example!r}")
        text = text.replace(example, local)
    return text


def main_config(folder: Path, site: Path) -> str:
    """The nginx.conf around the site, like Debian's /etc/nginx/nginx.conf
    (which includes sites-enabled/*), but in ``folder``: no log of its own
    that would name clients, and temporary files kept there."""
    temp = "\n".join(f"    {kind}_temp_path {folder / 'tmp' / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
worker_processes auto;
pid {folder / 'nginx.pid'};
error_log {folder / 'logs' / 'main.error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
{temp}
    include {site};
}}
"""


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, valid a day, and its key."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",  # nosec B603 B607
                    "-keyout", str(key), "-out", str(cert), "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def start_nginx(folder: Path, upstreams: list[str], *, https_port: int, http_port: int,
                static: Path = ROOT / "static") -> LocalNginx:
    """Start nginx in the foreground in ``folder`` and wait until it answers."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx not found: apt-get install nginx-light")
    for sub in ("logs", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    # nginx's workers drop root for "nobody": they must reach their folders
    # (only scratch folders under the temporary directory are opened so)
    scratch = Path(tempfile.gettempdir()).resolve()
    for path in (folder.resolve(), *folder.resolve().parents):
        if path == scratch or scratch not in path.parents:
            break
        path.chmod(path.stat().st_mode | 0o001)
    cert, key = self_signed_certificate(folder)
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, folder / "volunteer-hub.conf"))
    running = LocalNginx(None, https_port, http_port, folder, cert, key, upstreams, static)
    running.configure()
    command = [nginx, "-p", str(folder), "-c", str(conf),
               "-e", str(folder / "logs" / "main.error.log")]
    test = subprocess.run([*command, "-t"], capture_output=True, text=True)  # nosec B603
    if test.returncode:
        raise SystemExit(f"nginx -t refused the configuration:\n{test.stderr}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL,  # nosec B603
                               stderr=(folder / "logs" / "stderr.log").open("w"),
                               start_new_session=True)
    running.process = process
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", http_port, timeout=2)
        try:
            connection.request("GET", "/")
            connection.getresponse()  # the redirect to HTTPS: it is up
            return running
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"nginx exited; see {folder / 'logs'}") from None
            time.sleep(0.2)
        finally:
            connection.close()
    running.stop()
    raise SystemExit(f"nginx did not answer on port {http_port}")
