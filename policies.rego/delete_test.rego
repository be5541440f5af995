package portcullis.delete_test

import rego.v1

import data.portcullis.delete

test_release_tags_in_protected_repositories_cannot_be_deleted if {
	not delete.allow with input as {"request": {"repository": "prod/app", "tags": [{"name": "v2.0.0"}]}}
}

test_other_deletes_are_allowed if {
	delete.allow with input as {"request": {"repository": "prod/app", "tags": [{"name": "scratch"}]}}
	delete.allow with input as {"request": {"repository": "dev/app", "tags": [{"name": "v2.0.0"}]}}
	delete.allow with input as {"request": {"repository": "prod/app", "tags": []}}
}
