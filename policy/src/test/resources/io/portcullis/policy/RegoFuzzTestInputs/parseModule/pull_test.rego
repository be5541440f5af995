package portcullis.pull_test

import rego.v1

import data.portcullis.pull

image(repo) := {
	"action": "pull",
	"request": {"repository": repo, "reference": "v1"},
	"artifact": {"digest": "sha256:aaa", "kind": "image", "mediaType": "application/vnd.oci.image.manifest.v1+json"},
	"signatures": [],
	"attestations": [],
	"sboms": [],
	"vulnerabilities": {"critical": 0, "high": 0},
	"trust": {"configured": false, "policies": []},
}

signed := [{"verified": true, "scheme": "cosign-simple-signing", "keyId": "SHA256:k1"}]

sbom_with(licenses) := [{"format": "cyclonedx", "digest": "sha256:sbom", "components": [
	{"name": "libfoo", "version": "1.0", "purl": "pkg:npm/libfoo@1.0", "licenses": licenses},
]}]

good(repo) := object.union(image(repo), {"signatures": signed, "sboms": sbom_with(["MIT"])})

test_unprotected_repository_is_allowed_unsigned if {
	pull.allow with input as image("dev/app")
	count(pull.warn) == 1 with input as image("dev/app")
}

test_protected_unsigned_is_denied_with_how_to_configure_trust if {
	not pull.allow with input as image("prod/app")
	some msg in pull.deny with input as image("prod/app")
	contains(msg, "no signature verified")
	contains(msg, "no trust policy is configured")
}

test_denial_names_the_accepted_keys_when_trust_is_configured if {
	inp := object.union(image("prod/app"), {"trust": {"configured": true, "policies": [
		{"name": "release", "keys": ["SHA256:abc"], "identities": []},
	]}})
	some msg in pull.deny with input as inp
	contains(msg, "release (keys: SHA256:abc")
}

test_unverified_signature_does_not_count if {
	inp := object.union(good("prod/app"), {"signatures": [{"verified": false, "reason": "WRONG_KEY"}]})
	not pull.allow with input as inp
}

test_protected_signed_with_sbom_is_allowed if {
	pull.allow with input as good("prod/app")
	pull.allow with input as good("prod/team/app")
}

test_protected_without_sbom_is_denied if {
	inp := object.union(good("prod/app"), {"sboms": []})
	not pull.allow with input as inp
	some msg in pull.deny with input as inp
	contains(msg, "no SBOM")
}

test_denied_license_is_named if {
	inp := object.union(good("prod/app"), {"sboms": sbom_with(["MIT OR AGPL-3.0-only"])})
	some msg in pull.deny with input as inp
	contains(msg, "libfoo")
	contains(msg, "AGPL-3.0-only")
}

test_critical_vulnerabilities_deny if {
	inp := object.union(good("prod/app"), {"vulnerabilities": {"critical": 2, "source": "sbom"}})
	some msg in pull.deny with input as inp
	contains(msg, "2 critical vulnerabilities")
}

test_threshold_comes_from_data if {
	inp := object.union(good("prod/app"), {"vulnerabilities": {"critical": 2, "source": "sbom"}})
	pull.allow with input as inp with data.portcullis.settings.max_critical_vulnerabilities as 5
}

test_evidence_stays_readable if {
	inp := object.union(image("prod/app"), {"artifact": {"digest": "sha256:sig", "kind": "signature"}})
	pull.allow with input as inp
}

test_protected_patterns_come_from_data if {
	not pull.allow with input as image("release/app") with data.portcullis.settings.protected_repositories as ["release/**"]
	pull.allow with input as image("prod/app") with data.portcullis.settings.protected_repositories as ["release/**"]
}

test_unreferenced_blobs_are_refused_in_protected_repositories_only if {
	blob := object.union(image("prod/app"), {"artifact": {"digest": "sha256:b", "kind": "blob"}})
	not pull.allow with input as blob
	pull.allow with input as object.union(image("dev/app"), {"artifact": {"digest": "sha256:b", "kind": "blob"}})
}
