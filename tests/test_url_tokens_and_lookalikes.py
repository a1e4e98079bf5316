"""Tokens in URL queries and libcurl options; values that only look like secrets (issue 14)."""

from __future__ import annotations

from blastscan.detectors.base import Document
from blastscan.detectors.registry import scan_document

T = "Wq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0Ga"


def _found(path: str, text: str) -> list[tuple[str, str]]:
    return [(c.detector, c.secret) for c in scan_document(Document.of(path, text)).candidates]


def test_query_token_keeps_the_host_as_a_fact() -> None:
    text = f"see https://api.shop.net:8443/v1/orders?page=2&access_token={T} for the list\n"
    (cand,) = scan_document(Document.of("notes.txt", text)).candidates
    assert (cand.detector, cand.secret) == ("url-token", T)
    assert cand.fact("host") == "api.shop.net"
    assert cand.fact("name") == "access_token"
    assert cand.location.line == 1


def test_query_parameters_that_name_no_secret_are_ignored() -> None:
    assert _found("notes.txt", f"https://x.shop.net/a?session_id={T}\n") == []
    assert _found("notes.txt", f"https://x.shop.net/a?page={T}\n") == []


def test_curl_userpwd_password_part_only() -> None:
    pw = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"
    found = _found("mail.c", f'curl_easy_setopt(h, CURLOPT_USERPWD, "ops:{pw}");\n')
    assert found == [("url-token", pw)]
    assert _found("mail.c", 'curl_easy_setopt(h, CURLOPT_USERPWD, "ops:");\n') == []


def test_sealed_secret_ciphertext_is_not_a_secret() -> None:
    # Shape of a kubeseal output: 0x0200 length prefix (RSA-4096) then ciphertext.
    sealed = "AgB" + "q3Lz8Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0GaWq8Lz3Rv6Tn1Ym4Kp7Hs2Dj5Fb9Xc0Ga" * 3 + "=="
    manifest = ("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n"
                f"  encryptedData:\n    password: {sealed}\n")
    assert _found("k8s/sealed.yaml", manifest) == []
    # The same value under the same name outside a SealedSecret is still read.
    plain = f"kind: Secret\nstringData:\n  password: {sealed}\n"
    assert [s for _, s in _found("k8s/secret.yaml", plain)] == [sealed]


def test_descending_counting_dummy_is_not_a_secret() -> None:
    assert _found("settings.py", 'SECRET_KEY = "xxx654321"\n') == []
    assert _found("settings.py", 'SECRET_KEY = "Tq8Lm3Rz6Wx1Vk4Nb9Hd"\n') != []


def test_presigned_s3_signature_is_not_a_token() -> None:
    url = ("https://b.s3.amazonaws.com/logs/t.out?AWSAccessKeyId=AKGPT4J56IAJ2EUBL5CQ"
           "&Expires=1440195891&Signature=n%2BEalOV6A2HIOx4Rcfb7LT16bBM%3D\n")
    assert [d for d, _ in _found("examples-1.json", url)] == []
    sas = f"https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig={T}\n"
    assert _found("notes.txt", sas) == [("url-token", T)]


def test_hex_numbers_named_like_secrets_are_constants() -> None:
    assert _found("seed.h", 'const char *password_hash_seed = "0x9E3779B97F4A7C15";\n') == []
    assert _found("iv.yml", "password: 0x6a09e667f3bcc908\n") == []
    eth = "0x" + "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
    assert [d for d, _ in _found("wallet.env", f"PRIVATE_KEY={eth}\n")] != []
