# Decides pushes (manifest PUT), before any tag moves. data.portcullis.push = {"allow", "deny", "warn"}.
package portcullis.push

import rego.v1

import data.portcullis.common

default allow := false

allow if count(deny) == 0

# (5a) In protected repositories, release tags (semantic versions) never move once pushed.
deny contains msg if {
	common.protected
	some tag in input.request.tags
	regex.match(common.settings.immutable_tag_pattern, tag.name)
	tag.current != null
	tag.current != input.artifact.digest
	msg := sprintf("tag %s of %s is immutable: it already points to %s; push a new version tag instead", [
		tag.name, input.request.repository, tag.current,
	])
}

# (5b) Only the allowed manifest media types.
deny contains msg if {
	not input.artifact.mediaType in common.settings.allowed_manifest_media_types
	msg := sprintf("manifest media type %s is not allowed (allowed: %s)", [
		input.artifact.mediaType, concat(", ", common.settings.allowed_manifest_media_types),
	])
}

# (5c) A maximum artifact size: the manifest and everything it references directly.
deny contains msg if {
	input.artifact.totalSize > common.settings.max_artifact_bytes
	msg := sprintf("the artifact is %d bytes, more than the %d allowed", [input.artifact.totalSize, common.settings.max_artifact_bytes])
}
