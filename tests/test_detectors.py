"""Detectors: the registry contract, each detector's samples, and behaviour that matters.

All credentials below are fake: random strings of the right shape, or keys that
providers publish in their documentation.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import pkgutil

import pytest

import blastscan.detectors
from blastscan.detectors import registry
from blastscan.detectors.base import Detector, Document, Sample
from blastscan.detectors.providers.kubeconfig import KubeconfigDetector
from blastscan.scanner.errors import Unparseable
from blastscan.scanner.models import Candidate


def scan(path: str, text: str) -> registry.Detection:
    return registry.scan_document(Document.of(path, text))


def found(path: str, text: str, detector: str | None = None) -> list[Candidate]:
    return [c for c in scan(path, text).candidates if detector is None or c.detector == detector]


def _samples(attr: str) -> list[tuple[Detector, Sample]]:
    return [(d, s) for d in registry.DETECTORS for s in getattr(d, attr)]


def _sample_id(value: object) -> str:
    if isinstance(value, Sample):
        return value.path
    return str(getattr(value, "id", value))


# --- the registry contract ---------------------------------------------------------


def test_ids_are_unique() -> None:
    ids = [d.id for d in registry.DETECTORS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("detector", registry.DETECTORS, ids=_sample_id)
def test_every_detector_has_samples_and_keywords(detector: Detector) -> None:
    assert len(detector.positives) >= 2
    assert len(detector.negatives) >= 2
    assert detector.keywords
    assert all(k == k.lower() for k in detector.keywords)


def test_every_detector_class_is_registered() -> None:
    registered = {type(d) for d in registry.DETECTORS} | set(registry.CONFIGURED)
    shape = ("id", "keywords", "positives", "negatives", "detect")
    walked = set()
    for info in pkgutil.walk_packages(blastscan.detectors.__path__, "blastscan.detectors."):
        module = importlib.import_module(info.name)
        walked.add(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            is_protocol = getattr(cls, "_is_protocol", False)  # base.Detector itself
            if cls.__module__ == module.__name__ and not is_protocol and all(
                    hasattr(cls, a) for a in shape):
                assert cls in registered, f"{cls.__name__} is not in registry.DETECTORS"
    # The walk reached every room (providers/, files/, knowledge/, …).
    assert {type(d).__module__ for d in registry.DETECTORS} <= walked


@pytest.mark.parametrize(("detector", "sample"), _samples("positives"), ids=_sample_id)
def test_positive_samples_are_found(detector: Detector, sample: Sample) -> None:
    assert found(sample.path, sample.text, detector.id)


@pytest.mark.parametrize(("detector", "sample"), _samples("negatives"), ids=_sample_id)
def test_negative_samples_are_not_found(detector: Detector, sample: Sample) -> None:
    assert not found(sample.path, sample.text, detector.id)


@pytest.mark.parametrize(("detector", "sample"), _samples("positives"), ids=_sample_id)
def test_candidate_repr_never_holds_the_secret(detector: Detector, sample: Sample) -> None:
    for candidate in found(sample.path, sample.text):
        assert candidate.secret not in repr(candidate)
        assert candidate.secret not in (candidate.preview or "")


@pytest.mark.parametrize("text", [
    "", "\x00\xff" * 50, "key=" * 10_000, "eyJ.eyJ.x eyJa.eyJb.c",
    "-----BEGIN PRIVATE KEY-----" * 99,
    "kind: Config\nclusters: [\n", "postgres://:@", "AKIA" + "A" * 16 + " " + "a/" * 20,
])
def test_detectors_survive_junk(text: str) -> None:
    for detector in registry.DETECTORS:
        list(detector.detect(Document.of("junk.yaml", text)))


def test_an_alias_cycle_is_unparseable_and_the_other_detectors_still_run() -> None:
    # A walk of ``&a [*a]`` never ends: the kubeconfig reader says so (it used to read it
    # as empty), and the registry contains that to the one detector.
    text = f"clusters:\nusers:\ncontexts:\n- &a [*a]\ntoken: {'ghp_' + 'T' * 36}\n"
    with pytest.raises(Unparseable):
        list(KubeconfigDetector().detect(Document.of("junk.yaml", text)))
    detection = registry.scan_document(Document.of("junk.yaml", text))
    assert detection.unparseable
    assert [c.provider for c in detection.candidates] == ["github"]


# --- AWS -----------------------------------------------------------------------------

_KEY_ID, _SECRET = "AKIATAQ5R6O7CX353RPC", "cm9d0HUNFbhnDYG4Sqhva3oc6MPUZgn/iPYmFThw"


def test_aws_key_id_and_secret_pair_into_one_credential() -> None:
    text = f"[default]\naws_access_key_id = {_KEY_ID}\naws_secret_access_key = {_SECRET}\n"
    (cred,) = found(".aws/credentials", text)
    assert (cred.detector, cred.provider, cred.kind) == ("aws-access-key", "aws", "access_key")
    assert cred.secret == _SECRET
    assert cred.identity == _KEY_ID
    assert cred.preview == "AKIATAQ5…"
    assert cred.fact("key_id_prefix") == "AKIA"
    assert cred.fact("name") == "aws_secret_access_key"
    assert cred.location.line == 3


def test_aws_pairs_by_proximity_across_profiles() -> None:
    other_id, other_secret = "ASIAWGFKE5E2J4DG225U", "1gc1F3edRw5pprbMcM41VOdj15TsCgovyUpr5lHA"
    text = (f"[a]\naws_access_key_id = {_KEY_ID}\naws_secret_access_key = {_SECRET}\n\n"
            f"[b]\naws_access_key_id = {other_id}\naws_secret_access_key = {other_secret}\n")
    pairs = {(c.identity, c.secret) for c in found(".aws/credentials", text)}
    assert pairs == {(_KEY_ID, _SECRET), (other_id, other_secret)}


def test_aws_unpaired_parts() -> None:
    (key_id,) = found(".env", f"AWS_ACCESS_KEY_ID={_KEY_ID}\n")
    assert (key_id.kind, key_id.secret) == ("access_key_id", _KEY_ID)
    (secret,) = found(".env", f"AWS_SECRET_ACCESS_KEY={_SECRET}\n")
    assert secret.kind == "secret_access_key"
    # A 40-character value with no AWS context is not an AWS secret.
    assert not found("app.py", f'SIGNING = "{_SECRET}"\n', "aws-access-key")


def test_aws_documented_example_keys_are_not_credentials() -> None:
    text = ("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
            "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    detection = scan(".env", text)
    assert detection.candidates == ()
    assert detection.filtered >= 1


# --- GitHub, Stripe ----------------------------------------------------------------------


@pytest.mark.parametrize(("token", "kind"), [
    ("ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg", "classic_pat"),
    ("gho_obUxTmXhrhyXhzkkZAM0TDFkePmZbSxPPLCK", "oauth_token"),
    ("ghu_ZzA2qZI3ewR70sFLE75vuRIcWicEFxk1Zjbx", "app_user_token"),
    ("ghs_CELHDibIXFNVnSMqYqB9OqWvaHOwhAMxiCZ2", "app_installation_token"),
    ("ghr_5JRuNHAP674BkSPX6NZbdBwJWIVN1vaYwVrC", "app_refresh_token"),
    ("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",
     "fine_grained_pat"),
])
def test_github_kind_comes_from_the_prefix(token: str, kind: str) -> None:
    (cred,) = found(".env", f"GH_TOKEN={token}\n")
    assert (cred.provider, cred.kind) == ("github", kind)
    assert token.startswith(cred.fact("prefix") or "?")


def test_stripe_mode_and_kind() -> None:
    text = ("STRIPE_SECRET_KEY=sk_live_LoXHtgxjwdW3LIB9WufDmuRX\n"
            "STRIPE_TEST_KEY=rk_test_XInHfq7vPYNbXvWovFydJqtQ\n"
            "STRIPE_PUBLISHABLE_KEY=pk_live_pJJ2Rpqf2a9sKKy2IZwljsKJ\n"
            "STRIPE_WEBHOOK_SECRET=whsec_iZvyprbFcRvG0PwY49Ll0imDlRKd5J9u\n")
    creds = found(".env", text)
    assert [(c.kind, c.fact("mode")) for c in creds] == [
        ("secret_key", "live"), ("restricted_key", "test"), ("webhook_secret", None)]
    assert all(c.provider == "stripe" for c in creds)
    assert not any(c.secret.startswith("pk_") for c in creds)


# --- Supabase ------------------------------------------------------------------------


def _jwt(payload: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    signature = "cGxhY2Vob2xkZXJzaWduYXR1cmVfQWJD"  # base64url of a fake signature
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.{signature}"


def test_supabase_role_is_decoded_from_the_jwt() -> None:
    service = _jwt({"iss": "supabase", "ref": "qwhxkzpvnbtmjrlsdfga", "role": "service_role"})
    anon = _jwt({"iss": "supabase", "ref": "qwhxkzpvnbtmjrlsdfga", "role": "anon"})
    text = f"SUPABASE_ANON_KEY={anon}\nSUPABASE_KEY={service}\n"
    (cred,) = found(".env", text, "supabase-key")
    assert (cred.provider, cred.kind, cred.secret) == ("supabase", "service_role_key", service)
    assert cred.fact("role") == "service_role"
    assert cred.fact("ref") == "qwhxkzpvnbtmjrlsdfga"
    assert cred.location.line == 2


def test_supabase_ref_from_issuer_and_other_jwts_ignored() -> None:
    service = _jwt({"iss": "https://abcdefghijklmnop.supabase.co/auth/v1", "role": "service_role"})
    (cred,) = found(".env", f"KEY={service}\n", "supabase-key")
    assert cred.fact("ref") == "abcdefghijklmnop"
    user_jwt = _jwt({"sub": "42", "role": "authenticated"})
    assert not found(".env", f"KEY={user_jwt}\n", "supabase-key")


def test_supabase_management_token_and_new_keys() -> None:
    text = ("SUPABASE_ACCESS_TOKEN=sbp_18f72bbef69123224edbadf6612436eb22ea3368\n"
            "SUPABASE_SECRET_KEY=sb_secret_on240dvMxviIylMsgC2S1i1QwoGiNTCl\n"
            "SUPABASE_PUBLISHABLE_KEY=sb_publishable_b8UsPw7wpEccwEBj2cTdq2wAPGdubMN4\n")
    kinds = [c.kind for c in found(".env", text, "supabase-key")]
    assert kinds == ["management_token", "secret_key"]


# --- database URLs -------------------------------------------------------------------


def test_database_url_facts_identity_and_preview() -> None:
    url = "postgresql://app_rw:Gl297da0jHT2hfj9wghd@prod-db.rds.amazonaws.com:5432/shop"
    (cred,) = found(".env.production", f"DATABASE_URL={url}\n")
    assert (cred.detector, cred.provider) == ("database-url", "postgres")
    assert cred.kind == "connection_url"
    assert cred.secret == "Gl297da0jHT2hfj9wghd"
    assert cred.identity == "postgresql://app_rw@prod-db.rds.amazonaws.com:5432/shop"
    assert cred.preview == "postgresql://app_rw:****@prod-db.rds.amazonaws.com:5432/shop"
    assert dict(cred.facts) == {"scheme": "postgresql", "user": "app_rw",
                                "host": "prod-db.rds.amazonaws.com", "port": "5432",
                                "database": "shop", "name": "DATABASE_URL"}


@pytest.mark.parametrize(("url", "provider"), [
    ("mysql://root:ie4cA4hMi1csID4OinIYOXEq@mysql.internal:3306/app", "mysql"),
    ("mongodb+srv://svc:ie4cA4hMi1csID4OinIYOXEq@c0.ab1cd.mongodb.net/app", "mongodb"),
    ("redis://default:ie4cA4hMi1csID4OinIYOXEq@cache.proxy.rlwy.net:6379", "redis"),
    ("jdbc:postgresql://pg.prod:5432/app?user=svc&password=ie4cA4hMi1csID4OinIYOXEq", "postgres"),
])
def test_database_url_providers(url: str, provider: str) -> None:
    (cred,) = found("app.env", f"URL={url}\n", "database-url")
    assert cred.provider == provider
    assert cred.secret == "ie4cA4hMi1csID4OinIYOXEq"


def test_database_url_local_defaults_and_placeholders_filtered() -> None:
    text = ("A=postgres://postgres:postgres@localhost:5432/app\n"
            "B=postgres://postgres:postgres@db:5432/app\n"
            "C=postgres://app:${DB_PASSWORD}@prod-db.example.net/app\n"
            "D=postgres://app:$DB_PASSWORD@prod-db.example.net/app\n"
            "E=postgres://app@prod-db.example.net/app\n")
    detection = scan(".env", text)
    assert detection.candidates == ()
    assert detection.filtered == 4


def test_database_url_strong_password_on_localhost_is_kept() -> None:
    (cred,) = found(".env", "DATABASE_URL=postgres://postgres:Gl297da0jHT2hfj9wghd@localhost/app\n")
    assert cred.fact("host") == "localhost"


# --- kubeconfig ------------------------------------------------------------------------

_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: prod-eu
  cluster:
    server: https://k8s.prod.example.net:6443
- name: staging
  cluster:
    server: https://10.0.0.1
contexts:
- name: prod-admin
  context: {cluster: prod-eu, user: admin, namespace: payments}
- name: staging-ci
  context: {cluster: staging, user: ci}
current-context: prod-admin
users:
- name: admin
  user:
    token: Ko5mT8dzbqXyP1VVnf4GDhU3JcXlWIsSeo0gaRZn
- name: ci
  user:
    client-certificate-data: TFMwdExTMUNSVWRKVGlC
    client-key-data: TFMwdExTMUNSVWRKVGlCU2xCUjl4
- name: sso
  user:
    exec: {command: kubelogin}
"""


def test_kubeconfig_secrets_carry_their_contexts() -> None:
    creds = {c.kind: c for c in found("kubeconfig", _KUBECONFIG, "kubeconfig")}
    assert set(creds) == {"kubeconfig_token", "kubeconfig_client_key"}
    token = creds["kubeconfig_token"]
    assert token.provider == "kubernetes"
    assert token.location.line == 19
    assert set(token.facts) == {("user", "admin"), ("context", "prod-admin"),
                                ("cluster", "prod-eu"), ("server", "k8s.prod.example.net"),
                                ("namespace", "payments")}
    key = creds["kubeconfig_client_key"]
    assert key.location.line == 23
    assert key.fact("cluster") == "staging"
    assert key.fact("server") == "10.0.0.1"


def test_kubeconfig_in_json() -> None:
    text = json.dumps({"kind": "Config", "clusters": [], "contexts": [], "users": [
        {"name": "ci", "user": {"token": "Ko5mT8dzbqXyP1VVnf4GDhU3JcXlWIsSeo0gaRZn"}}]})
    (cred,) = found("kubeconfig.json", text, "kubeconfig")
    assert cred.facts == (("user", "ci"),)


@pytest.mark.parametrize("text", [
    "kind: Config\nclusters: [\nusers: {token: \n",
    "kind: Config\nclusters: 3\nusers: [1, 2, {user: 5}]\ncontexts: x\n",
    "kind: Config\nclusters:\n- name: a\n  cluster: {server: 'http://[::1'}\ncontexts: []\n"
    "users:\n- {name: u, user: {password: Wq8rV1mzT4xKp2Ln}}\n",
    "kind: Config\nclusters: []\ndate: 2020-13-45\n",
])
def test_kubeconfig_malformed_input_does_not_crash(text: str) -> None:
    assert not found("k.yaml", text, "kubeconfig")[1:]


# --- private keys and the generic detector -------------------------------------------------

_PEM_BODY = ("Wwv2Ogp/rhute2LAKi45GzVFxZaO25jp+BGunyE7q43zwePJPIdVehzV4z+elqAD\n"
             "s57yvIYkZGpguVU7+xEbJPEz02EqbSOnTnB2FwZXZQdK2QlelVXloxv/IHKtoUKC\n")


def test_private_key_block_reported_at_begin_line() -> None:
    text = f"# deploy\n-----BEGIN EC PRIVATE KEY-----\n{_PEM_BODY}-----END EC PRIVATE KEY-----\n"
    (cred,) = found("key.pem", text)
    assert (cred.detector, cred.kind, cred.fact("key_type")) == ("private-key", "private_key", "ec")
    assert cred.location.line == 2
    assert cred.secret == _PEM_BODY.replace("\n", "")


@pytest.mark.parametrize("kind", ["EC", "RSA"])
def test_private_key_without_end_or_across_blocks_is_not_stitched(kind: str) -> None:
    text = (f"-----BEGIN RSA PRIVATE KEY-----\n{_PEM_BODY}"  # truncated: no END
            f"-----BEGIN {kind} PRIVATE KEY-----\n{_PEM_BODY}-----END {kind} PRIVATE KEY-----\n")
    (cred,) = found("keys.pem", text)
    assert (cred.fact("key_type"), cred.location.line) == (kind.lower(), 4)
    assert cred.secret == _PEM_BODY.replace("\n", "")


def test_same_private_key_in_pem_and_json_has_one_secret() -> None:
    pem = f"-----BEGIN PRIVATE KEY-----\n{_PEM_BODY}-----END PRIVATE KEY-----\n"
    embedded = json.dumps({"private_key": pem})
    assert found("k.pem", pem)[0].secret == found("sa.json", embedded, "private-key")[0].secret


def test_generic_finds_random_token_assigned_to_a_secret_name() -> None:
    (cred,) = found("settings.py", 'API_TOKEN = "Sj6xrWmPqcgSUWcVZV7vwrdjo7WAsrDr"\n')
    assert (cred.detector, cred.provider, cred.kind) == ("generic-secret", "generic", "secret")
    assert cred.fact("name") == "API_TOKEN"


@pytest.mark.parametrize("line", [
    "password = get_password()",
    'token = os.environ["X"]',
    'key_path = "/etc/x"',
    "api_key = os.environ.get",
    'secret = "supersecretpassword"',
    'auth_url = "https://auth.example.com/oauth/token"',
    "token_ttl = 3600",
    'password_enabled = "false"',
    "auth_token = request.headers.get('Authorization')",
    'AUTH_TOKEN_HEADER = "X-Authorization-Token"',
])
def test_generic_ignores_code_and_words(line: str) -> None:
    assert not found("app.py", line + "\n")


@pytest.mark.parametrize("value", [
    "your-api-key-here", "<token>", "${VAR}", "$VAR", "changeme", "xxxxxxxx", "****",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "${env:API_TOKEN}", "{{ api_token }}",
])
def test_placeholders_are_never_credentials(value: str) -> None:
    text = f"API_TOKEN={value}\npassword: {value}\nclient_secret = '{value}'\n"
    assert not found(".env", text)


# --- suppression ------------------------------------------------------------------------------

_TOKEN = "ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg"


@pytest.mark.parametrize("text", [
    f"GITHUB_TOKEN={_TOKEN}  # blastscan: ignore\n",
    f"GITHUB_TOKEN={_TOKEN}  # pragma: allowlist secret\n",
    f"GITHUB_TOKEN={_TOKEN}  # gitleaks:allow\n",
    f"# pragma: allowlist nextline secret\nGITHUB_TOKEN={_TOKEN}\n",
])
def test_suppression_markers(text: str) -> None:
    detection = scan("config.sh", text)
    assert detection.candidates == ()
    assert detection.suppressed >= 1


def test_suppression_is_per_line() -> None:
    text = f"A={_TOKEN}  # gitleaks:allow\nB=ghs_CELHDibIXFNVnSMqYqB9OqWvaHOwhAMxiCZ2\n"
    detection = scan("config.sh", text)
    assert [c.location.line for c in detection.candidates] == [2]


# --- detect-secrets plugins --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "provider", "kind"), [
    ("pypi_pw = pypi-AgEIcHlwaS5vcmcIwXyu1qDt5CCdBgO46CMgP2NXiyGTAJE0pUkC44L99UvHmnDymuXiqeJFCko4"
     "NlEIzjFyTqsGDP1Nx1P", "pypi", "upload_token"),
    ("TELEGRAM_BOT_TOKEN=874620174:zUvrXDBem7pes6nYcd33MfPYT17iSrQ3lgk", "telegram",
     "bot_token"),
    ("MC=vpoeswunfwguzc7yzfycjac0ycvb6dha-us12", "mailchimp", "api_key"),
    ("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=PJJYEEEHMkrsTNbUc0Wy50Sk591As5zbLB3d"
     "KBmCFOjV3t28Z0AiN676Brt58W3ukUAIk9NspJ2OKEGpu0xMbw==",
     "azure", "storage_account_key"),
    ("SQUARE=sq0csp-0szSADiZmwAUdlqGzMKx4do4msePQl2aiWf8wDuWfWN", "square", "oauth_secret"),
])
def test_detect_secrets_plugin_providers(text: str, provider: str, kind: str) -> None:
    creds = found("x.env", text + "\n", "detect-secrets")
    assert [(c.provider, c.kind) for c in creds] == [(provider, kind)]
    assert creds[0].fact("plugin")


@pytest.mark.parametrize(("text", "secret"), [
    # detect-secrets' analyze_string would return the regex group ("glpat"), not the token.
    ("GITLAB_TOKEN=glpat-VoC3QFzlvchDNzbfvxhF", "glpat-VoC3QFzlvchDNzbfvxhF"),
    ("//registry.npmjs.org/:_authToken=npm_IRktavfFlRJcO676D2kg11pHaAjjXMy95qxU",
     "npm_IRktavfFlRJcO676D2kg11pHaAjjXMy95qxU"),
    ("AccountName=x;AccountKey=PJJYEEEHMkrsTNbUc0Wy50Sk591As5zbLB3dKBmCFOjV3t28Z0AiN676Brt58W3ukU"
     "AIk9NspJ2OKEGpu0xMbw==;EndpointSuffix=core.windows.net",
     "PJJYEEEHMkrsTNbUc0Wy50Sk591As5zbLB3dKBmCFOjV3t28Z0AiN676Brt58W3ukUAIk9NspJ2OKEGpu0xMbw=="),
])
def test_detect_secrets_plugins_report_the_whole_secret(text: str, secret: str) -> None:
    (cred,) = found("x.env", text + "\n", "detect-secrets")
    assert cred.secret == secret


@pytest.mark.parametrize("text", [
    "TELEGRAM=39749275778820014:Alho3etu9hyg484k_efdjn_uecl775_mfsl",  # inside a longer number
    "GR134894112312312312312312312",  # too regular to be random
])
def test_detect_secrets_plugins_skip_lookalikes(text: str) -> None:
    assert not found("x.txt", f"telegram gitlab\n{text}\n", "detect-secrets")


# Slack comes from the knowledge base's formats ([GL:slack-*]), not from detect-secrets.
@pytest.mark.parametrize("text", [
    "SLACK=xoxb-34148142693-7907217458229-um48nklvhzmou67n5phe2cnt",
    "SLACK=xoxa-2-7096747980-73495702022-0354128482458-98e2518760b83adbafb5feee539f9b45",
])
def test_slack_tokens_come_from_the_knowledge_base(text: str) -> None:
    creds = found("x.env", text + "\n")
    assert [(c.detector, c.provider, c.kind) for c in creds] == [("kb-format", "slack", "token")]


@pytest.mark.parametrize("text", [
    "xoxb-12345-abcd234",  # documentation shapes, not Slack's real token layout
    "xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere",
    "xoxp-1-RANDOMSTRINGHERE",
])
def test_slack_documentation_shapes_are_not_tokens(text: str) -> None:
    assert not [c for c in found("x.txt", f"slack\n{text}\n") if c.provider == "slack"]


# --- HTTP auth and long lines ------------------------------------------------------------------


def test_http_auth_basic_and_curl_user() -> None:
    text = ('get(url, headers={"Authorization": "Basic c3ZjOkdsMjk3ZGEwakhUMmhmajl3Z2hk"})\n'
            "curl -u deploy:Gl297da0jHT2hfj9wghd https://registry.example.com\n")
    creds = found("client.py", text, "http-auth")
    assert [(c.kind, c.fact("user")) for c in creds] == [
        ("basic_credentials", "svc"), ("basic_credentials", "deploy")]
    assert creds[1].secret == "Gl297da0jHT2hfj9wghd"


@pytest.mark.parametrize(("text", "expected"), [
    ("wget --user deploy:Gl297da0jHT2hfj9wghd https://x\n", True),
    ("run --user deploy:Gl297da0jHT2hfj9wghd\n", True),
    ("curl -u deploy:Gl297da0jHT2hfj9wghd https://x\n", True),
    ("Authorization: none\nrun -u deploy:Gl297da0jHT2hfj9wghd\n", False),  # no curl word
])
def test_http_auth_reads_user_flags_only_beside_a_curl_word(text: str, expected: bool) -> None:
    assert bool(found("run.sh", text, "http-auth")) is expected


def test_names_on_very_long_lines_are_still_found() -> None:
    filler = "x" * 5000
    text = f'{filler} GITHUB_TOKEN = "ghp_3fStrhv4zbuIzMIVkmEVuMphPjbqwWZcOTjg" {filler}\n'
    (cred,) = found("bundle.min.js", text)
    assert cred.fact("name") == "GITHUB_TOKEN"
