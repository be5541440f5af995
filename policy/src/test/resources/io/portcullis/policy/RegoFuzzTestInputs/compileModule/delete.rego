# Decides deletes of manifests and tags. data.portcullis.delete = {"allow", "deny", "warn"}.
package portcullis.delete

import rego.v1

import data.portcullis.common

default allow := false

allow if count(deny) == 0

# Release tags in protected repositories are immutable: they cannot be deleted either.
deny contains msg if {
	common.protected
	some tag in input.request.tags
	regex.match(common.settings.immutable_tag_pattern, tag.name)
	msg := sprintf("tag %s of %s is immutable and cannot be deleted", [tag.name, input.request.repository])
}
