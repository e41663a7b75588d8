# mtaudit as an HTTP service: `docker build -t mtaudit .` then
#   docker run --rm -p 127.0.0.1:8000:8000 -e MTAUDIT_API_KEY=change-me mtaudit
# (see the README, "Use it in a CMS"). The language model is prepared at build time, so the
# container needs no network and starts in seconds.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    MTAUDIT_CACHE=/opt/mtaudit/cache

WORKDIR /opt/mtaudit/src
# torch first, the CPU-only build from PyTorch's CPU wheel index (the plain PyPI wheel of
# torch 2.13.0 pulls the CUDA libraries, several GB)
RUN pip install "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md NOTICE ./
COPY mtaudit ./mtaudit
RUN pip install ".[serve]" \
    && mtaudit model prepare \
    && useradd --system --create-home mtaudit

USER mtaudit
EXPOSE 8000
# ready only once the model is loaded
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"
# 0.0.0.0 inside the container (publish the port on 127.0.0.1 or behind a proxy);
# docker stop sends SIGTERM: requests in flight are finished first
CMD ["mtaudit", "serve", "--host", "0.0.0.0", "--port", "8000"]
