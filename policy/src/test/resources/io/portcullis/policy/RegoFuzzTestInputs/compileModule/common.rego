# Shared helpers of the default bundle. Every parameter lives in data.json (data.portcullis.settings);
# change the data, not the code.
package portcullis.common

import rego.v1

settings := data.portcullis.settings

# True when the request's repository matches one of the protected patterns (globs: * within a path
# component, ** across components).
protected if {
	some pattern in settings.protected_repositories
	glob.match(pattern, ["/"], input.request.repository)
}

# Artifacts that describe another artifact (signatures, attestations, SBOMs) stay readable so that
# clients can verify; the rules below gate what they describe.
evidence_kinds := {"signature", "attestation", "sbom"}

is_evidence if input.artifact.kind in evidence_kinds

is_runnable if input.artifact.kind in {"image", "index"}

verified_signatures := [s | some s in input.signatures; s.verified]

# How to fix a missing signature: which trust would accept one.
trust_hint := msg if {
	not input.trust.configured
	msg := "no trust policy is configured: add a public key or a keyless identity under 'trust' in the registry configuration, then sign the image (for example: ./portcullis sign --key cosign.key REGISTRY/REPO@DIGEST)"
}

trust_hint := msg if {
	input.trust.configured
	accepted := concat("; ", [describe(p) | some p in input.trust.policies])
	msg := sprintf("sign it with a key or identity one of these trust policies accepts: %s", [accepted])
}

describe(p) := sprintf("%s (keys: %s; identities: %s)", [p.name, keys_text(p), identities_text(p)])

keys_text(p) := "none" if count(p.keys) == 0

keys_text(p) := concat(", ", p.keys) if count(p.keys) > 0

identities_text(p) := "none" if count(p.identities) == 0

identities_text(p) := concat(", ", [sprintf("%s from %s", [i.subject, i.issuer]) | some i in p.identities]) if count(p.identities) > 0

# Every license expression that occurs in an attached SBOM, once each: matching the denied list against
# these (not against every component) keeps a 2,000-component SBOM cheap to decide.
sbom_licenses contains license if {
	some sbom in input.sboms
	some component in sbom.components
	some license in component.licenses
}

denied_sbom_licenses contains license if {
	some license in sbom_licenses
	some denied in settings.denied_licenses
	contains(license, denied)
}
