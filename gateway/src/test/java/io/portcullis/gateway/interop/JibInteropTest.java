package io.portcullis.gateway.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import io.portcullis.gateway.conformance.Oci;
import io.portcullis.gateway.conformance.RegistryTestBase;
import io.portcullis.gateway.conformance.RegistryTestClient.Resp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jib core pushes images in OCI and Docker formats, and builds on an image pulled from the registry. */
class JibInteropTest extends RegistryTestBase {
  @TempDir
  Path work;

  @org.junit.jupiter.api.BeforeAll
  static void jibCanLoadItsHttpTransport() {
    try {
      Class.forName("org.apache.commons.logging.LogFactory");
    } catch (ClassNotFoundException e) {
      throw new AssertionError("commons-logging is missing from the gateway test classpath: Jib's Apache HTTP transport"
          + " (httpclient 4.5) needs it, and google-http-client 1.47 excludes it. Add commons-logging:commons-logging"
          + " (test scope) or org.slf4j:jcl-over-slf4j to gateway/pom.xml.", e);
    }
  }

  private Containerizer to(String repoTag) throws Exception {
    return Containerizer.to(RegistryImage.named(registry.hostPort() + "/" + repoTag))
        .setAllowInsecureRegistries(true)
        .setBaseImageLayersCache(work.resolve("cache/base"))
        .setApplicationLayersCache(work.resolve("cache/app"));
  }

  private FileEntriesLayer layer(String name, String content) throws Exception {
    Path f = work.resolve(name);
    Files.writeString(f, content);
    return FileEntriesLayer.builder().setName(name).addEntry(f, AbsoluteUnixPath.get("/app/" + name)).build();
  }

  private static JibContainerBuilder withPlatform(JibContainerBuilder b) {
    return b.setPlatforms(Set.of(new Platform("amd64", "linux")));
  }

  /** The names and contents of the files in a gzipped tar layer. */
  private static String layerText(byte[] gz) throws Exception {
    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
    return new String(tar, StandardCharsets.ISO_8859_1);
  }

  private static List<String> layerDigests(JsonNode manifest) {
    List<String> out = new ArrayList<>();
    manifest.path("layers").forEach(l -> out.add(l.path("digest").asText()));
    return out;
  }

  @Test
  void pushesInOciAndDockerFormats() throws Exception {
    for (ImageFormat format : List.of(ImageFormat.OCI, ImageFormat.Docker)) {
      String tag = format.name().toLowerCase();
      JibContainer c = withPlatform(Jib.fromScratch())
          .addFileEntriesLayer(layer("hello-" + tag + ".txt", "hello from jib " + tag))
          .setEntrypoint("/app/hello")
          .setFormat(format)
          .containerize(to("jib/app:" + tag).withAdditionalTag(tag + "-extra"));

      String expectedType = format == ImageFormat.OCI ? Oci.OCI_MANIFEST : Oci.DOCKER_MANIFEST;
      Resp m = registry.get("/v2/jib/app/manifests/" + tag, "Accept", Oci.ACCEPT_ALL);
      assertEquals(200, m.status(), m::toString);
      assertEquals(expectedType, m.headerOrNull("Content-Type"), m::toString);
      assertEquals(c.getDigest().toString(), m.headerOrNull("Docker-Content-Digest"), m::toString);
      assertEquals(c.getDigest().toString(), Oci.sha256(m.body()));
      JsonNode manifest = m.json();
      assertEquals(c.getImageId().toString(), manifest.path("config").path("digest").asText(), manifest::toString);

      Resp config = registry.get("/v2/jib/app/blobs/" + c.getImageId());
      assertEquals(200, config.status(), config::toString);
      assertEquals("amd64", config.json().path("architecture").asText());

      List<String> layers = layerDigests(manifest);
      assertEquals(1, layers.size(), manifest::toString);
      Resp blob = registry.get("/v2/jib/app/blobs/" + layers.get(0));
      assertEquals(200, blob.status(), blob::toString);
      assertEquals(layers.get(0), Oci.sha256(blob.body()));
      String text = layerText(blob.body());
      assertTrue(text.contains("app/hello-" + tag + ".txt") && text.contains("hello from jib " + tag), text);

      Resp extra = registry.head("/v2/jib/app/manifests/" + tag + "-extra", "Accept", Oci.ACCEPT_ALL);
      assertEquals(c.getDigest().toString(), extra.headerOrNull("Docker-Content-Digest"), extra::toString);
    }
    assertEquals(List.of("docker", "docker-extra", "oci", "oci-extra"),
        registry.tagsPage("/v2/jib/app/tags/list").items());
  }

  @Test
  void buildsOnAnImagePulledFromTheRegistry() throws Exception {
    JibContainer base = withPlatform(Jib.fromScratch())
        .addFileEntriesLayer(layer("base.txt", "base layer"))
        .setFormat(ImageFormat.OCI)
        .containerize(to("jib/base:1"));
    JibContainer derived = Jib.from(RegistryImage.named(registry.hostPort() + "/jib/base:1"))
        .addFileEntriesLayer(layer("derived.txt", "derived layer"))
        .setFormat(ImageFormat.OCI)
        .containerize(to("jib/derived/app:1"));

    Resp b = registry.get("/v2/jib/base/manifests/1", "Accept", Oci.ACCEPT_ALL);
    Resp d = registry.get("/v2/jib/derived/app/manifests/1", "Accept", Oci.ACCEPT_ALL);
    assertEquals(base.getDigest().toString(), b.headerOrNull("Docker-Content-Digest"), b::toString);
    assertEquals(derived.getDigest().toString(), d.headerOrNull("Docker-Content-Digest"), d::toString);
    List<String> baseLayers = layerDigests(b.json());
    List<String> derivedLayers = layerDigests(d.json());
    assertEquals(2, derivedLayers.size(), d::toString);
    assertEquals(baseLayers.get(0), derivedLayers.get(0), "the base layer is reused");
    for (String layer : derivedLayers) {
      Resp blob = registry.get("/v2/jib/derived/app/blobs/" + layer);
      assertEquals(200, blob.status(), blob::toString);
      assertEquals(layer, Oci.sha256(blob.body()));
    }
    assertTrue(layerText(registry.get("/v2/jib/derived/app/blobs/" + derivedLayers.get(1)).body()).contains("derived layer"));
  }
}
