"""The scrape configuration in deploy/ matches what the processes serve: the ports and paths
the pods expose and annotate, the token Prometheus sends, the folder the processes share."""

from __future__ import annotations

import runpy
from pathlib import Path

import yaml
from django.conf import settings

DEPLOY = Path(settings.REPO_ROOT) / "deploy"


def _load(path: str) -> dict:
    return yaml.safe_load((DEPLOY / path).read_text())


def _pod(path: str) -> tuple[dict, dict]:
    deployment = next(d for d in yaml.safe_load_all((DEPLOY / path).read_text()) if d)
    template = deployment["spec"]["template"]
    return template, template["spec"]["containers"][0]


def test_web_and_worker_pods_expose_and_annotate_their_metrics() -> None:
    for path, port_name in (("k8s/web.yaml", "http"), ("k8s/worker.yaml", "metrics")):
        template, container = _pod(path)
        ports = {port["name"]: port["containerPort"] for port in container["ports"]}
        annotations = template["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        assert int(annotations["prometheus.io/port"]) == ports[port_name]
        assert annotations["prometheus.io/path"] == "/metrics"
        env = {item["name"]: item["value"] for item in container["env"]}
        mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
        assert env["PROMETHEUS_MULTIPROC_DIR"] in mounts  # one folder the processes share
    _, worker = _pod("k8s/worker.yaml")
    worker_env = {item["name"]: item["value"] for item in worker["env"]}
    assert int(worker_env["METRICS_WORKER_PORT"]) == worker["ports"][0]["containerPort"]


def test_prometheus_sends_the_token_the_processes_expect() -> None:
    secret = _load("k8s/secret.example.yaml")
    monitor = _load("k8s/podmonitor.yaml")
    for endpoint in monitor["spec"]["podMetricsEndpoints"]:
        credentials = endpoint["authorization"]["credentials"]
        assert credentials == {"name": secret["metadata"]["name"], "key": "METRICS_TOKEN"}
        assert endpoint["port"] in {"http", "metrics"}
    assert "METRICS_TOKEN" in secret["stringData"]
    for config in ("prometheus/prometheus.yml", "prometheus/compose.yml"):
        (job,) = _load(config)["scrape_configs"]
        assert job["authorization"]["type"] == "Bearer"


def test_gunicorn_starts_with_an_empty_metrics_folder(tmp_path, monkeypatch) -> None:
    (tmp_path / "counter_123.db").write_bytes(b"old run")
    (tmp_path / "keep.txt").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    hooks = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    hooks["on_starting"](None)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
