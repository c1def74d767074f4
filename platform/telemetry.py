"""OpenTelemetry: tracer and meter providers, Prometheus text at /metrics (PLAT-4).

Spans go to OTLP when GOVSTAT_OTLP_ENDPOINT is set. Metrics are always readable
at /metrics; modules create instruments through meter().
"""

from __future__ import annotations

import logging
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_configured = False


def setup_telemetry(service: str, otlp_endpoint: str = "") -> None:
    """Install the providers once per process (before instruments are used)."""
    global _configured
    if _configured:
        return
    from opentelemetry.exporter.prometheus import PrometheusMetricReader

    resource = Resource.create({"service.name": f"govstat-{service}"})
    tracer_provider = TracerProvider(resource=resource)
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        tracer_provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint.rstrip("/") + "/v1/traces"))
        )
    trace.set_tracer_provider(tracer_provider)
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=[PrometheusMetricReader()]))
    _configured = True


def tracer() -> trace.Tracer:
    return trace.get_tracer("govstat")


def meter() -> metrics.Meter:
    # The API's proxy meter forwards to the provider installed later by setup_telemetry().
    return metrics.get_meter("govstat")


def current_trace_id() -> str:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else ""


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format='{"t":"%(asctime)s","level":"%(levelname)s","logger":"%(name)s","trace_id":"%(trace_id)s","msg":%(message)r}',
    )
    old_factory = logging.getLogRecordFactory()
    if not getattr(old_factory, "_govstat", False):

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = old_factory(*args, **kwargs)
            if not hasattr(record, "trace_id"):
                record.trace_id = current_trace_id()
            return record

        factory._govstat = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)


def serve_metrics(port: int, host: str = "127.0.0.1") -> None:
    """A background Prometheus endpoint for processes without a web app (relay, monitor, worker)."""
    if port:
        from prometheus_client import start_http_server

        start_http_server(port, addr=host)


def prometheus_text() -> bytes:
    from prometheus_client import REGISTRY, generate_latest

    return generate_latest(REGISTRY)
