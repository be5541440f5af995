package io.portcullis.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestClient;
import io.portcullis.gateway.conformance.RegistryTestClient.Image;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idle uploads expire, and read-only modes refuse writes while reads go on. */
class StorageModesTest {
  private static RegistryTestClient start(Path dir, String yaml) throws Exception {
    Files.writeString(dir.resolve("portcullis.yaml"), "storage:\n  root: data\n" + yaml);
    return RegistryTestClient.of(PortcullisServer.start(ConfigFile.load(dir.resolve("portcullis.yaml"), ServerConfig.defaults().withPort(0))));
  }

  @Test
  void anUploadThatStopsReceivingBytesExpiresAndItsSpaceIsReclaimed(@TempDir Path dir) throws Exception {
    try (RegistryTestClient r = start(dir, "  upload_idle_timeout_seconds: 1\n")) {
      Resp post = r.post("/v2/slow/client/blobs/uploads/", null);
      String location = post.headerOrNull("Location");
      assertEquals(202, r.patch(location, Oci.randomBytes(100_000), "Content-Type", "application/octet-stream").status());
      long deadline = System.nanoTime() + 10_000_000_000L;
      int status = 204;
      while (System.nanoTime() < deadline && status == 204) {
        Thread.sleep(250);
        status = r.get(location).status();
      }
      RegistryTestClient.assertError(r.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
      try (Stream<Path> uploads = Files.list(dir.resolve("data/uploads"))) {
        assertEquals(0, uploads.count(), "the upload's bytes are gone");
      }
    }
  }

  @Test
  void aReadOnlyRegistryServesButRefusesWrites(@TempDir Path dir) throws Exception {
    Image img;
    try (RegistryTestClient r = start(dir, "")) {
      img = r.pushImage("team/app", "v1", 1);
    }
    Files.delete(dir.resolve("portcullis.yaml"));
    try (RegistryTestClient r = start(dir, "  read_only: true\n")) {
      assertEquals(200, r.get("/v2/team/app/manifests/v1", "Accept", Oci.ACCEPT_ALL).status());
      r.assertBlob("team/app", Oci.sha256(img.layers().get(0)), img.layers().get(0));
      RegistryTestClient.assertError(r.post("/v2/team/app/blobs/uploads/", null), 405, "UNSUPPORTED");
      RegistryTestClient.assertError(r.putManifest("team/app", "v2", Oci.OCI_MANIFEST, img.manifest()), 405, "UNSUPPORTED");
      RegistryTestClient.assertError(r.delete("/v2/team/app/manifests/v1"), 405, "UNSUPPORTED");
      assertEquals(200, r.get("/v2/team/app/manifests/v1", "Accept", Oci.ACCEPT_ALL).status(), "nothing was deleted");
    }
  }

  @Test
  void readOnlyRepositoriesAreRefusedAndOthersAreNot(@TempDir Path dir) throws Exception {
    try (RegistryTestClient r = start(dir, "  read_only_repositories: ['archive/**']\n")) {
      RegistryTestClient.assertError(r.post("/v2/archive/old/blobs/uploads/", null), 405, "UNSUPPORTED");
      r.pushImage("live/app", "v1", 1);
    }
  }

  @Test
  void theRepositoryLimitAndTheStorageQuotaAreEnforcedWithAClearMessage(@TempDir Path dir) throws Exception {
    try (RegistryTestClient r = start(dir, "  max_repositories: 2\n  repository_quota_bytes: 300000\n")) {
      r.uploadBlob("one/app", Oci.randomBytes(200_000));
      r.uploadBlob("two/app", Oci.randomBytes(1000));
      Resp third = r.post("/v2/three/app/blobs/uploads/", null);
      RegistryTestClient.assertError(third, 403, "DENIED");
      org.junit.jupiter.api.Assertions.assertTrue(new String(third.body()).contains("limit of 2 repositories"), third::toString);
      byte[] big = Oci.randomBytes(150_000);
      Resp over = r.post("/v2/one/app/blobs/uploads/?digest=" + Oci.sha256(big), big, "Content-Type", "application/octet-stream");
      RegistryTestClient.assertError(over, 403, "DENIED");
      org.junit.jupiter.api.Assertions.assertTrue(new String(over.body()).contains("quota of 300000 bytes"), over::toString);
      assertEquals(404, r.head("/v2/one/app/blobs/" + Oci.sha256(big)).status(), "nothing over the quota was kept");
      r.uploadBlob("one/app", Oci.randomBytes(50_000));
    }
  }
}
