# The govstat image: app, worker, relay, monitor and the migrate job of compose.yaml.
#
#   docker build -t govstat:local .
#   docker run --rm govstat:local govstat --help
#
# Stages: assets (chart library from the npm registry, as ops/assets/build.sh does),
# build (a non-editable `pip install -c constraints.txt .` into /opt/govstat),
# runtime (that venv only, run as an unprivileged user).

# --- front-end libraries, locked by ops/assets/package-lock.json -----------------------
FROM node:20-slim AS assets
WORKDIR /build/ops/assets
COPY ops/assets/package.json ops/assets/package-lock.json ops/assets/build.sh ./
# the same script as `make run` (npm ci, then the chart and map files into platform/web/static/vendor)
RUN ./build.sh

# --- the Python distribution -------------------------------------------------------------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/govstat
WORKDIR /src
# MANIFEST.in* : copied when present (it lists the non-Python files to install).
COPY pyproject.toml setup.py constraints.txt MANIFEST.in* ./
# govstat/: the package's __init__.py (its symlinks to the four folders are for tools; the
# build maps each folder itself, see setup.py and docs/decisions/0009-govstat-layout.md)
COPY govstat ./govstat
COPY platform ./platform
COPY tenants ./tenants
COPY gateway ./gateway
COPY ops ./ops
# The page assets go where the app serves them from (platform/web/static/vendor).
COPY --from=assets /build/platform/web/static/vendor/ ./platform/web/static/vendor/
RUN /opt/govstat/bin/pip install -c constraints.txt .
# Fail here, not at run time, if a template, static file or data file under
# templates/, static/ or data/ did not make it into the installed package. From /: in /src the
# build's own govstat.egg-info would answer for the distribution (and list no installed file).
RUN cd / && /opt/govstat/bin/python -c "\
import importlib.metadata as md, pathlib, sys; \
src = pathlib.Path('/src'); \
have = {str(f) for f in md.files('govstat')}; \
need = sorted('govstat/' + f.relative_to(src).as_posix() for part in ('platform', 'tenants', 'gateway', 'ops') for f in (src / part).rglob('*') if f.is_file() and not f.name.startswith('.') and {'templates', 'static', 'data'} & set(f.relative_to(src).parts)); \
missing = [n for n in need if n not in have]; \
print(f'runtime files installed: {len(need) - len(missing)} of {len(need)}'); \
sys.exit('not in the installed package (list them in MANIFEST.in or package_data): ' + ', '.join(missing) if missing else 0)"
# Piccolo lists every app's migrations folder and fails on a missing one; a wheel has no
# empty folders, so each needs a file (an __init__.py, which piccolo skips).
RUN cd / && /opt/govstat/bin/python -c "\
import pathlib, sys; \
from govstat.platform.root.piccolo_conf import APP_REGISTRY; \
missing = [f'{c.app_name}: {c.migrations_folder_path}' for c in APP_REGISTRY.app_configs.values() if not pathlib.Path(c.migrations_folder_path).is_dir()]; \
sys.exit('migration folders not in the installed package: ' + ', '.join(missing) if missing else 0)"

# --- runtime -----------------------------------------------------------------------------
FROM python:3.11-slim AS runtime
ENV PATH=/opt/govstat/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# The login letter embeds IPAex Gothic (TrueType, IPA Font License; ops/fonts.sh, docs/fonts.md)
RUN apt-get update && apt-get install -y --no-install-recommends fonts-ipaexfont-gothic \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 govstat \
 && useradd --system --uid 10001 --gid govstat --home-dir /home/govstat --create-home --shell /usr/sbin/nologin govstat
COPY --from=build /opt/govstat /opt/govstat
USER govstat
# Not the source tree: nothing named platform/ may shadow the standard library here.
WORKDIR /home/govstat
EXPOSE 8000
CMD ["govstat", "serve", "--host", "0.0.0.0"]
