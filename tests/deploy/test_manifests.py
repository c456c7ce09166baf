"""deploy/k8s, the Kubernetes deployment (a kustomize base): every object is valid against
the Kubernetes schemas, and the base holds what running Peerdesk on many hosts needs
(docs/deploy.md). No cluster and no database needed."""

import os
import re
import secrets
import shutil
import subprocess

import kubernetes_validate
import pytest
import yaml
from django.conf import settings
from django.http.request import validate_host

from tests.config.conftest import (
    BASE_DIR,
    bare_environment,
    load_settings,
    run_python,
    settings_variables,
)

K8S = BASE_DIR / "deploy" / "k8s"
EXAMPLE_SECRET = "secret.example.yaml"
# The oldest Kubernetes the manifests are meant for, and the newest schemas bundled.
VERSIONS = ("1.30", kubernetes_validate.latest_version())
IMAGE = "peerdesk:latest"
# The one writable place in a container (an emptyDir; the root file system is read-only).
TMP = "/tmp"  # noqa: S108 - a path inside the containers, not a file of this process
# Read by gunicorn (the image's command), not by the settings.
GUNICORN_VARIABLES = {"WEB_CONCURRENCY"}
SECRET_VARIABLES = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
# Queues whose work has deadlines (payouts, erasures): never without a worker.
ALWAYS_SERVED = ("money", "privacy")
MANIFESTS = sorted(
    path.name
    for path in [*K8S.glob("*.yaml"), *K8S.glob("*.yml")]
    if path.name not in {"kustomization.yaml", "kustomization.yml"}
)


def _documents(name: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all((K8S / name).read_text()) if doc is not None]


@pytest.fixture(scope="module")
def kustomization() -> dict:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text())


@pytest.fixture(scope="module")
def objects(kustomization) -> list[dict]:
    """The objects `kubectl apply -k deploy/k8s` creates, from the listed files."""
    return [doc for name in kustomization["resources"] for doc in _documents(name)]


@pytest.fixture(scope="module")
def example_secret() -> dict:
    (secret,) = _documents(EXAMPLE_SECRET)
    return secret


@pytest.fixture(scope="module")
def config_map(objects) -> dict:
    (config,) = [obj for obj in objects if obj["kind"] == "ConfigMap"]
    return config


def _of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def _pod_spec(obj: dict) -> dict:
    return obj["spec"]["template"]["spec"]


def _containers(obj: dict) -> list[dict]:
    spec = _pod_spec(obj)
    return [*spec.get("initContainers", []), *spec["containers"]]


def _workloads(objects: list[dict]) -> list[dict]:
    return [obj for obj in objects if obj["kind"] in {"Deployment", "Job"}]


def _main(deployment: dict) -> dict:
    (container,) = _pod_spec(deployment)["containers"]
    return container


def _celery(objects: list[dict], program: str) -> dict[str, dict]:
    """Deployments whose container runs `celery -A config <program>`, by name."""
    return {
        name: deployment
        for name, deployment in _of_kind(objects, "Deployment").items()
        if _main(deployment).get("command", [])[:4] == ["celery", "-A", "config", program]
    }


def _workers_by_queue(objects: list[dict]) -> dict[str, list[dict]]:
    by_queue: dict[str, list[dict]] = {}
    for deployment in _celery(objects, "worker").values():
        for arg in _main(deployment)["command"]:
            if arg.startswith("--queues="):
                for queue in arg.removeprefix("--queues=").split(","):
                    by_queue.setdefault(queue, []).append(deployment)
    return by_queue


def _selects(selector: dict, deployment: dict) -> bool:
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    return selector.items() <= labels.items()


def _autoscaler(objects: list[dict], deployment: dict) -> dict | None:
    name = deployment["metadata"]["name"]
    targets = [
        hpa
        for hpa in _of_kind(objects, "HorizontalPodAutoscaler").values()
        if hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
        and hpa["spec"]["scaleTargetRef"]["name"] == name
    ]
    assert len(targets) <= 1, f"{name} has more than one autoscaler"
    return targets[0] if targets else None


def _budgets(objects: list[dict], deployment: dict) -> list[dict]:
    return [
        pdb
        for pdb in _of_kind(objects, "PodDisruptionBudget").values()
        if _selects(pdb["spec"]["selector"]["matchLabels"], deployment)
    ]


def _fewest_pods(objects: list[dict], deployment: dict) -> int:
    """The fewest pods a Deployment runs: its autoscaler's minimum, or its replicas."""
    hpa = _autoscaler(objects, deployment)
    if hpa is not None:
        return hpa["spec"].get("minReplicas", 1)
    return deployment["spec"].get("replicas", 1)


def _port(container: dict, port: int | str) -> int:
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in container.get("ports", []) if p["name"] == port]
    return number


_UNITS = {"m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def _quantity(value: str | int) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", str(value)).groups()
    return float(number) * _UNITS[unit]


def _dockerfile_uid() -> int:
    (uid,) = re.findall(r"useradd\b.*?--uid (\d+)", (BASE_DIR / "Dockerfile").read_text())
    return int(uid)


# --- The files and the kustomization ---------------------------------------------------


def test_kustomization_lists_every_manifest_but_the_example_secret(kustomization):
    resources = kustomization["resources"]
    assert len(resources) == len(set(resources)), "a file is listed twice"
    assert EXAMPLE_SECRET not in resources, "the example Secret must never be applied"
    for name in resources:
        assert (K8S / name).is_file(), f"kustomization.yaml lists {name}, which does not exist"
    assert set(resources) == set(MANIFESTS) - {EXAMPLE_SECRET}


def test_kustomization_renames_the_image_every_container_uses(kustomization, objects):
    assert [image["name"] for image in kustomization["images"]] == ["peerdesk"]
    for workload in _workloads(objects):
        for container in _containers(workload):
            assert container["image"] == IMAGE, container["name"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", MANIFESTS)
def test_every_object_is_valid_against_the_kubernetes_schema(name, version):
    documents = _documents(name)
    assert documents, f"{name} holds no object"
    for obj in documents:
        label = f"{name}: {obj.get('kind')} {obj.get('metadata', {}).get('name')}"
        try:
            checked = kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(part) for part in error.path)
            pytest.fail(f"{label} is invalid for Kubernetes {version}: {path}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            pytest.fail(f"{label}: {error.message}")
        assert checked == kubernetes_validate.utils.major_minor(version)


def test_strict_validation_refuses_a_misspelt_field(objects):
    deployment = yaml.safe_load(yaml.safe_dump(_of_kind(objects, "Deployment")["peerdesk-web"]))
    _main(deployment)["imagePullPolcy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, VERSIONS[-1], strict=True)


def test_objects_have_unique_names_per_kind(objects):
    keys = [(obj["kind"], obj["metadata"]["name"]) for obj in objects]
    assert len(keys) == len(set(keys))


def test_selectors_match_the_pods_they_manage(objects):
    deployments = _of_kind(objects, "Deployment")
    for deployment in deployments.values():
        assert _selects(deployment["spec"]["selector"]["matchLabels"], deployment)
        selected = [
            other
            for other in deployments.values()
            if _selects(deployment["spec"]["selector"]["matchLabels"], other)
        ]
        assert selected == [deployment], "two Deployments would manage the same pods"
    for kind, path in (
        ("Service", ("selector",)),
        ("PodDisruptionBudget", ("selector", "matchLabels")),
    ):
        for name, obj in _of_kind(objects, kind).items():
            selector = obj["spec"]
            for key in path:
                selector = selector[key]
            assert any(_selects(selector, d) for d in deployments.values()), f"{kind} {name}"


@pytest.mark.skipif(
    not (shutil.which("kustomize") or shutil.which("kubectl")),
    reason="neither kustomize nor kubectl",
)
def test_kustomize_builds_the_base_with_an_image_of_a_registry(tmp_path, objects):
    overlay = {
        "resources": [os.path.relpath(K8S, tmp_path)],
        "images": [
            {"name": "peerdesk", "newName": "registry.example.com/peerdesk", "newTag": "1.4.0"}
        ],
    }
    (tmp_path / "kustomization.yaml").write_text(yaml.safe_dump(overlay))
    command = ["kustomize", "build"] if shutil.which("kustomize") else ["kubectl", "kustomize"]
    result = subprocess.run(
        [*command, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    built = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    assert sorted((o["kind"], o["metadata"]["name"]) for o in built) == sorted(
        (o["kind"], o["metadata"]["name"]) for o in objects
    )
    images = {c["image"] for w in _workloads(built) for c in _containers(w)}
    assert images == {"registry.example.com/peerdesk:1.4.0"}


# --- Web -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(objects) -> dict:
    (web,) = [
        d
        for d in _of_kind(objects, "Deployment").values()
        if any(p["containerPort"] == 8000 for p in _main(d).get("ports", []))
    ]
    return web


def test_web_runs_the_image_command_gunicorn_on_port_8000(web):
    container = _main(web)
    assert "command" not in container and "args" not in container
    assert [p["containerPort"] for p in container["ports"]] == [8000]
    concurrency = {e["name"]: e.get("value") for e in container.get("env", [])}["WEB_CONCURRENCY"]
    assert int(concurrency) >= 1


def test_web_is_ready_when_healthz_answers_for_an_allowed_host(web, config_map):
    probe = _main(web)["readinessProbe"]
    assert probe["httpGet"]["path"] == "/healthz"
    assert _port(_main(web), probe["httpGet"]["port"]) == 8000
    assert probe["httpGet"].get("scheme", "HTTP") == "HTTP"
    (host,) = [h["value"] for h in probe["httpGet"]["httpHeaders"] if h["name"].lower() == "host"]
    allowed = [h.strip() for h in config_map["data"]["ALLOWED_HOSTS"].split(",")]
    assert validate_host(host, allowed), f"Django answers 400 to Host: {host}"
    # /healthz checks the database, the cache and the broker (2 s timeout each at most).
    assert probe.get("timeoutSeconds", 1) >= 3


def test_web_liveness_is_a_tcp_check_that_tolerates_slow_moments(web):
    container = _main(web)
    probe = container["livenessProbe"]
    assert set(probe) & {"httpGet", "exec", "grpc"} == set(), "liveness must not reach services"
    assert _port(container, probe["tcpSocket"]["port"]) == 8000
    assert probe.get("failureThreshold", 3) >= 3
    assert probe.get("failureThreshold", 3) * probe.get("periodSeconds", 10) >= 30
    assert probe.get("timeoutSeconds", 1) >= 2


def test_web_is_scaled_on_cpu_by_an_autoscaler_that_owns_the_replica_count(objects, web):
    assert "replicas" not in web["spec"], "a fixed count resets the autoscaler on every apply"
    hpa = _autoscaler(objects, web)
    assert hpa is not None and hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["type"] == "Resource" and metric["resource"]["name"] == "cpu"
    assert 0 < metric["resource"]["target"]["averageUtilization"] <= 90


def test_web_rolls_out_without_losing_capacity_and_has_a_service(objects, web):
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] in (0, "0%")
    (service,) = [
        s for s in _of_kind(objects, "Service").values() if _selects(s["spec"]["selector"], web)
    ]
    (port,) = service["spec"]["ports"]
    assert _port(_main(web), port["targetPort"]) == 8000


@pytest.mark.parametrize("component", ["web", "worker"])
def test_disruption_budgets_keep_pods_running_and_never_block_a_drain(objects, component):
    deployments = [
        d
        for d in _of_kind(objects, "Deployment").values()
        if d["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/component")
        == component
    ]
    assert deployments
    for deployment in deployments:
        name, fewest = deployment["metadata"]["name"], _fewest_pods(objects, deployment)
        budgets = _budgets(objects, deployment)
        assert len(budgets) <= 1, name
        if fewest >= 2:
            assert budgets, f"{name} runs {fewest} pods and has no PodDisruptionBudget"
        for pdb in budgets:
            spec = pdb["spec"]
            if "minAvailable" in spec:
                assert isinstance(spec["minAvailable"], int) and spec["minAvailable"] < fewest
            else:
                assert spec["maxUnavailable"] not in (0, "0%"), f"{name}: drains would hang"


# --- Celery ---------------------------------------------------------------------------------


def test_one_worker_deployment_per_declared_queue(objects):
    declared = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    by_queue = _workers_by_queue(objects)
    assert sorted(by_queue) == sorted(declared)
    for queue, deployments in by_queue.items():
        assert len(deployments) == 1, f"{queue} is served by more than one Deployment"
        command = _main(deployments[0])["command"]
        assert command[:-1] == [
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            f"--queues={queue}",
        ]
        assert re.fullmatch(r"--concurrency=[1-9]\d*", command[-1])


@pytest.mark.parametrize("queue", ALWAYS_SERVED)
def test_money_and_privacy_keep_a_worker_at_all_times(objects, queue):
    (deployment,) = _workers_by_queue(objects)[queue]
    assert deployment["spec"]["replicas"] >= 1
    hpa = _autoscaler(objects, deployment)
    assert hpa is None or hpa["spec"].get("minReplicas", 1) >= 1


def test_workers_finish_a_running_task_before_they_are_killed(objects):
    for deployment in _celery(objects, "worker").values():
        grace = _pod_spec(deployment)["terminationGracePeriodSeconds"]
        assert grace > settings.CELERY_TASK_TIME_LIMIT, deployment["metadata"]["name"]


def test_beat_is_a_single_pod_replaced_never_overlapped(objects):
    (beat,) = _celery(objects, "beat").values()
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert _autoscaler(objects, beat) is None
    assert _main(beat)["command"] == [
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel=INFO",
        "--schedule=/tmp/celerybeat-schedule",
    ]


# --- Migrations -----------------------------------------------------------------------------


def test_a_job_applies_the_migrations(objects):
    (job,) = _of_kind(objects, "Job").values()
    (container,) = _pod_spec(job)["containers"]
    assert container["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "args" not in container
    assert _pod_spec(job)["restartPolicy"] in {"Never", "OnFailure"}


def test_every_deployment_waits_until_the_migrations_are_applied(objects):
    for deployment in _of_kind(objects, "Deployment").values():
        commands = [" ".join(c["command"]) for c in _pod_spec(deployment).get("initContainers", [])]
        assert any("manage.py migrate --check" in c for c in commands), deployment["metadata"]


# --- Every container ------------------------------------------------------------------------


def test_every_container_has_resource_requests_within_limits(objects):
    for workload in _workloads(objects):
        for container in _containers(workload):
            name = f"{workload['metadata']['name']}/{container['name']}"
            resources = container["resources"]
            for resource in ("cpu", "memory"):
                request = _quantity(resources["requests"][resource])
                limit = _quantity(resources["limits"][resource])
                assert 0 < request <= limit, f"{name}: {resource}"


def test_every_pod_runs_as_the_image_user_without_privileges(objects):
    uid = _dockerfile_uid()
    for workload in _workloads(objects):
        spec = _pod_spec(workload)
        name = workload["metadata"]["name"]
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True, name
        # A number: kubelet cannot check runAsNonRoot against the image's user *name*.
        assert pod["runAsUser"] == uid, name
        assert pod["seccompProfile"]["type"] == "RuntimeDefault", name
        assert not any(spec.get(key) for key in ("hostNetwork", "hostPID", "hostIPC")), name
        assert spec.get("automountServiceAccountToken") is False, name
        assert all("hostPath" not in volume for volume in spec.get("volumes", [])), name
        for container in _containers(workload):
            context = container["securityContext"]
            assert context.get("privileged", False) is False, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert "add" not in context["capabilities"], name
            assert context["readOnlyRootFilesystem"] is True, name
            assert container["imagePullPolicy"] in {"IfNotPresent", "Always"}, name


def test_every_container_writes_only_to_an_empty_dir_at_tmp(objects):
    for workload in _workloads(objects):
        volumes = {v["name"]: v for v in _pod_spec(workload).get("volumes", [])}
        for container in _containers(workload):
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            assert "emptyDir" in volumes[mounts[TMP]], workload["metadata"]["name"]


# --- Configuration --------------------------------------------------------------------------


def test_every_container_reads_the_config_map_and_the_secret(objects, config_map, example_secret):
    for workload in _workloads(objects):
        for container in _containers(workload):
            sources = {
                (kind, source[kind]["name"])
                for source in container["envFrom"]
                for kind in ("configMapRef", "secretRef")
                if kind in source
            }
            assert sources == {
                ("configMapRef", config_map["metadata"]["name"]),
                ("secretRef", example_secret["metadata"]["name"]),
            }, container["name"]


def test_manifests_set_only_variables_the_settings_read(objects, config_map, example_secret):
    names = set(config_map["data"]) | set(example_secret["stringData"])
    for workload in _workloads(objects):
        for container in _containers(workload):
            for variable in container.get("env", []):
                names.add(variable["name"])
                reference = variable.get("valueFrom", {}).get("secretKeyRef")
                if reference:
                    assert reference["name"] == example_secret["metadata"]["name"]
                    assert reference["key"] in example_secret["stringData"]
                elif variable["name"] not in GUNICORN_VARIABLES:
                    assert variable["name"] not in SECRET_VARIABLES, "secrets go into the Secret"
    unknown = names - settings_variables() - GUNICORN_VARIABLES
    assert not unknown, f"config/settings.py does not read {sorted(unknown)}"


def test_secrets_are_in_the_secret_and_nowhere_else(config_map, example_secret):
    assert example_secret["kind"] == "Secret"
    assert set(example_secret["stringData"]) >= SECRET_VARIABLES
    assert not SECRET_VARIABLES & set(config_map["data"])


def _object_storage_variables() -> set[str]:
    """The credentials and buckets of object storage that config/settings.py reads."""
    return {
        name
        for name in settings_variables()
        if name.startswith(("AWS_", "S3"))
        or (name.startswith("OBJECT_STORAGE_") and name.endswith("_BUCKET"))
    }


def test_object_storage_settings_are_in_the_config_map_or_the_secret(config_map, example_secret):
    # Pods on many hosts share no disk: files go to object storage.
    set_here = set(config_map["data"]) | set(example_secret["stringData"])
    assert _object_storage_variables() <= set_here
    credentials = {name for name in _object_storage_variables() if name.startswith("AWS_")}
    assert not credentials & set(config_map["data"]), "credentials go into the Secret"


def test_config_map_and_secret_load_production_settings(config_map, example_secret):
    env = {**bare_environment(), **config_map["data"], **example_secret["stringData"]}
    loaded, _ = load_settings(
        "DEBUG",
        "ALLOWED_HOSTS",
        "DATABASES",
        "CACHES",
        "CELERY_TASK_ALWAYS_EAGER",
        "EMAIL_BACKEND",
        "SECURE_SSL_REDIRECT",
        "STORAGES",
        env=env,
    )
    assert loaded["DEBUG"] is False
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert loaded["CACHES"]["default"]["LOCATION"] == example_secret["stringData"]["REDIS_URL"]
    assert loaded["CELERY_TASK_ALWAYS_EAGER"] is False
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["SECURE_SSL_REDIRECT"] is True
    # No file on a pod's disk (its root file system is read-only): media and exports in
    # buckets.
    for name in ("default", "exports"):
        assert "FileSystemStorage" not in loaded["STORAGES"][name]["BACKEND"], name


def test_config_map_and_secret_pass_the_deployment_checklist_with_a_real_key(
    config_map, example_secret
):
    # The example's placeholder key is refused (security.W009) on purpose.
    env = {
        **bare_environment(),
        **config_map["data"],
        **example_secret["stringData"],
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    result = run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
