package io.portcullis.gateway.conformance;

import static io.portcullis.gateway.conformance.RegistryTestClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.gateway.conformance.Oci.Descriptor;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry stopped and started again over the same storage keeps everything it acknowledged. */
class RestartTest {
  @TempDir
  Path storage;

  @Test
  void contentTagsReferrersAndOpenUploadsSurviveARestart() {
    String repo = "restart/app";
    Image img;
    Descriptor referrer;
    String uploadLocation;
    byte[] partial = Oci.randomBytes(5000);
    try (RegistryTestClient first = RegistryTestClient.start(storage)) {
      img = first.pushImage(repo, "v1", 2);
      first.pushManifest(repo, "v2", Oci.OCI_MANIFEST, img.manifest());
      first.uploadBlob(repo, Oci.EMPTY_JSON);
      byte[] ref = Oci.ociManifest().artifactType("application/x.sig")
          .config(new Descriptor(Oci.OCI_EMPTY, Oci.EMPTY_JSON_DIGEST, 2, null, null, null))
          .subject(img.descriptor()).build();
      referrer = first.pushManifest(repo, Oci.sha256(ref), Oci.OCI_MANIFEST, ref);
      Resp post = first.post("/v2/" + repo + "/blobs/uploads/", null);
      Resp patch = first.patch(post.headerOrNull("Location"), Arrays.copyOfRange(partial, 0, 3000),
          "Content-Type", "application/octet-stream", "Content-Range", "0-2999");
      assertEquals(202, patch.status(), patch::toString);
      uploadLocation = first.resolve(patch.headerOrNull("Location")).getRawPath();
    }

    try (RegistryTestClient second = RegistryTestClient.start(storage)) {
      Resp m = second.get("/v2/" + repo + "/manifests/v1", "Accept", Oci.OCI_MANIFEST);
      assertEquals(200, m.status(), m::toString);
      assertArrayEquals(img.manifest(), m.body());
      for (byte[] layer : img.layers()) second.assertBlob(repo, Oci.sha256(layer), layer);
      assertEquals(List.of("v1", "v2"), second.tagsPage("/v2/" + repo + "/tags/list").items());
      Resp refs = second.get("/v2/" + repo + "/referrers/" + img.digest());
      assertEquals(List.of(referrer.digest()), JsonAssert.digests(refs.json().path("manifests")), refs::toString);
      assertEquals(List.of(repo), second.catalogPage("/v2/_catalog").items());

      Resp status = second.get(uploadLocation);
      assertEquals(204, status.status(), () -> "an upload session outlives a restart: " + status);
      assertEquals("0-2999", status.headerOrNull("Range"), status::toString);
      Resp rest = second.patch(status.headerOrNull("Location"), Arrays.copyOfRange(partial, 3000, 5000),
          "Content-Type", "application/octet-stream", "Content-Range", "3000-4999");
      assertEquals(202, rest.status(), rest::toString);
      Resp put = second.put(withQuery(rest.headerOrNull("Location"), "digest", Oci.sha256(partial)), null);
      assertEquals(201, put.status(), put::toString);
      second.assertBlob(repo, Oci.sha256(partial), partial);
    }
  }
}
