# Decides pulls (manifest GET/HEAD). data.portcullis.pull = {"allow": bool, "deny": [msg], "warn": [msg]}.
package portcullis.pull

import rego.v1

import data.portcullis.common

default allow := false

allow if count(deny) == 0

# (1) Protected repositories serve only artifacts with a signature verified by a trust policy.
deny contains msg if {
	common.protected
	common.is_runnable
	common.settings.require_signature
	count(common.verified_signatures) == 0
	msg := sprintf("%s@%s has no signature verified by a trust policy (%d found, none verified); %s", [
		input.request.repository, input.artifact.digest, count(input.signatures), common.trust_hint,
	])
}

# (2) Protected repositories require an SBOM attached to the artifact.
deny contains msg if {
	common.protected
	common.is_runnable
	common.settings.require_sbom
	count(input.sboms) == 0
	msg := sprintf("%s@%s has no SBOM: attach a CycloneDX or SPDX document as a referrer (for example: oras attach --artifact-type application/spdx+json REGISTRY/REPO@DIGEST sbom.spdx.json)", [
		input.request.repository, input.artifact.digest,
	])
}

# (3) No component under a denied license, in any attached SBOM.
deny contains msg if {
	common.protected
	common.is_runnable
	some license in common.denied_sbom_licenses
	some sbom in input.sboms
	some component in sbom.components
	license in component.licenses
	msg := sprintf("component %s %s (%s) is licensed %s, which is denied in %s (SBOM %s); denied licenses are listed in data.portcullis.settings.denied_licenses", [
		component.name, object.get(component, "version", ""), object.get(component, "purl", "no purl"), license, input.request.repository, sbom.digest,
	])
}

# (4) An attached vulnerability report with more critical findings than allowed.
deny contains msg if {
	common.protected
	common.is_runnable
	critical := object.get(input.vulnerabilities, "critical", 0)
	critical > common.settings.max_critical_vulnerabilities
	msg := sprintf("%s@%s has %d critical vulnerabilities (at most %d allowed, source: %s)", [
		input.request.repository, input.artifact.digest, critical, common.settings.max_critical_vulnerabilities,
		object.get(input.vulnerabilities, "source", "unknown"),
	])
}

# A blob that no manifest references is served in protected repositories only as part of an admitted
# manifest, so that layers cannot be fetched by digest around a denied image.
deny contains msg if {
	common.protected
	input.artifact.kind == "blob"
	msg := sprintf("blob %s of %s is not part of any manifest, so no policy admits it; pull it through an admitted manifest", [
		input.artifact.digest, input.request.repository,
	])
}

warn contains msg if {
	not common.protected
	common.is_runnable
	count(common.verified_signatures) == 0
	msg := sprintf("%s@%s is not signed by a trusted signer", [input.request.repository, input.artifact.digest])
}
