package portcullis.push_test

import rego.v1

import data.portcullis.push

push_input(repo, tags) := {
	"action": "push",
	"request": {"repository": repo, "reference": "x", "tags": tags},
	"artifact": {"digest": "sha256:new", "kind": "image", "mediaType": "application/vnd.oci.image.manifest.v1+json", "totalSize": 1000},
}

test_new_release_tag_is_allowed if {
	push.allow with input as push_input("prod/app", [{"name": "v1.2.3", "current": null}])
}

test_moving_a_release_tag_in_a_protected_repository_is_denied if {
	inp := push_input("prod/app", [{"name": "v1.2.3", "current": "sha256:old"}])
	not push.allow with input as inp
	some msg in push.deny with input as inp
	contains(msg, "immutable")
}

test_repushing_the_same_content_is_allowed if {
	push.allow with input as push_input("prod/app", [{"name": "1.0.0", "current": "sha256:new"}])
}

test_moving_latest_or_unprotected_tags_is_allowed if {
	push.allow with input as push_input("prod/app", [{"name": "latest", "current": "sha256:old"}])
	push.allow with input as push_input("dev/app", [{"name": "v1.2.3", "current": "sha256:old"}])
}

test_media_types_are_limited if {
	inp := object.union(push_input("dev/app", []), {"artifact": {"mediaType": "application/vnd.example+json"}})
	not push.allow with input as inp
}

test_size_is_limited if {
	inp := object.union(push_input("dev/app", []), {"artifact": {"totalSize": 20}})
	not push.allow with input as inp with data.portcullis.settings.max_artifact_bytes as 10
}
