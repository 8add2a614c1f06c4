"""The configurations ``bench/upload_rate.py`` runs: wrk's Lua script, nginx alone storing
the bodies, and the application's side as docs/deploy.md § 9 runs it (without TLS)."""

from pathlib import Path

# The request is static in every wrk thread (built once, as wrk does without a script):
# a Lua request() function would hand wrk a new 10 MiB string to copy for every request
# (~1.5 ms of wrk's CPU per upload, on the same two cores). To spread the uploads over the
# registration's documents each thread takes one path instead (wrk -t = connections).
WRK_SCRIPT = """
local f = assert(io.open("{body}", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
{headers}
local paths = {{{paths}}}
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("number", threads)
end
init = function(args)
  if #paths > 0 then wrk.path = paths[(number - 1) % #paths + 1] end
end
"""

NGINX_CONF = """
daemon off;
worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
user root;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-bodies;
    proxy_temp_path {work}/nginx-proxy;
    server {{
        listen 127.0.0.1:{port};
        location = /stored {{ return 204; }}
        location = /upload {{
            client_max_body_size 60m;
            client_body_in_file_only clean;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_pass http://127.0.0.1:{port}/stored;
        }}
    }}
}}
"""


# The application's side, as docs/deploy.md § 9 runs it (without TLS).
NGINX_APP_CONF = """
daemon off;
worker_processes {workers};
pid {work}/nginx-app.pid;
error_log {work}/nginx-app-error.log warn;
user root;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-app-bodies;
    proxy_temp_path {work}/nginx-app-proxy;
    client_max_body_size 60m;
    proxy_request_buffering on;
    server {{
        listen 127.0.0.1:{port};
{handoff}        location / {{
            proxy_set_header X-Upload-Body-File "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_pass http://127.0.0.1:{app_port};
        }}
    }}
}}
"""


DEPLOY = Path(__file__).resolve().parents[1] / "docs" / "deploy.md"


def deploy_upload_locations(body_dir, upstream: str) -> str:
    """The upload location and its fallback exactly as docs/deploy.md § 9 writes them, with
    this run's body folder and application server (left out with --no-handoff): what is
    measured, and tested by tests/registrations/test_upload_handoff_nginx.py, is what the
    guide tells an office to install."""
    text = DEPLOY.read_text()
    start = text.index("    location ~ ^/pendaftaran/[^/]+/dokumen/[^/]+/unggah/$ {")
    fallback = text.index("    location @upload_plain {", start)
    end = text.index("\n    }\n", fallback) + len("\n    }\n")
    return (text[start:end]
            .replace("/srv/verifikasi/data/nginx-body", str(body_dir))
            .replace("http://127.0.0.1:8000", upstream)
            .replace("include proxy_params;", "include /etc/nginx/proxy_params;"))
